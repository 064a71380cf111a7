# msgfilter serve in a container: a static binary on distroless.
#
#   docker build -t msgfilter .
#   docker run --rm -p 8686:8686 msgfilter
#   docker run --rm -p 8686:8686 -v $PWD/msgfilter.yaml:/etc/msgfilter.yaml:ro \
#       msgfilter serve -config /etc/msgfilter.yaml -addr 0.0.0.0:8686
#
# The binary carries the policies, libphonenumber's metadata and the time
# zone database (time/tzdata, imported by cmd/msgfilter): the image needs
# no files besides it. GeoIP databases, feeds and the configuration are
# mounted.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /msgfilter ./cmd/msgfilter \
 && /msgfilter version

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /msgfilter /usr/local/bin/msgfilter
USER nonroot:nonroot
EXPOSE 8686
ENTRYPOINT ["/usr/local/bin/msgfilter"]
# 0.0.0.0 inside the container: the default 127.0.0.1 is unreachable from outside it.
CMD ["serve", "-addr", "0.0.0.0:8686"]
