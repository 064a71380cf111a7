package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Timeouts bound every phase of a connection, so that a slow or stalled
// client (slowloris) holds a connection for a bounded time. Zero fields
// take the defaults of DefaultTimeouts.
type Timeouts struct {
	// ReadHeader is the time to read a request's headers; a client slower
	// than that has its connection closed without an answer.
	ReadHeader time.Duration `yaml:"read_header"`
	// Read is the time to read a whole request, body included.
	Read time.Duration `yaml:"read"`
	// Write is the time from the end of the headers to the end of the
	// answer.
	Write time.Duration `yaml:"write"`
	// Idle is how long a keep-alive connection waits for its next request.
	Idle time.Duration `yaml:"idle"`
	// Shutdown is how long a shutdown waits for requests in flight.
	Shutdown time.Duration `yaml:"shutdown"`
}

// DefaultTimeouts are the timeouts of NewServer.
var DefaultTimeouts = Timeouts{
	ReadHeader: 5 * time.Second,
	Read:       30 * time.Second,
	Write:      60 * time.Second,
	Idle:       120 * time.Second,
	Shutdown:   30 * time.Second,
}

func (t Timeouts) withDefaults() Timeouts {
	d := DefaultTimeouts
	for _, f := range []struct{ v, def *time.Duration }{
		{&t.ReadHeader, &d.ReadHeader}, {&t.Read, &d.Read}, {&t.Write, &d.Write},
		{&t.Idle, &d.Idle}, {&t.Shutdown, &d.Shutdown},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	return t
}

// maxHeaderBytes is enough for a bearer token and the usual headers.
const maxHeaderBytes = 64 << 10

// NewServer returns an http.Server for h on addr with the timeouts set on
// every phase and HTTP/1.1 and unencrypted HTTP/2 (h2c, prior knowledge)
// on the same port.
func NewServer(addr string, h http.Handler, t Timeouts) *http.Server {
	t = t.withDefaults()
	var p http.Protocols
	p.SetHTTP1(true)
	p.SetUnencryptedHTTP2(true)
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		Protocols:         &p,
	}
}

// Serve serves on ln until ctx is done, then shuts down gracefully: it
// stops accepting, lets the requests in flight finish (for at most drain),
// closes idle connections and returns. It returns nil after a clean
// drain, the drain's error when requests were still running at its end,
// or the error that stopped serving early. A request is in flight once
// its handler runs; net/http closes unanswered a connection whose request
// headers finish arriving just as the shutdown starts, so a gateway sees
// that request as never taken (not as lost after it was decided).
func Serve(ctx context.Context, srv *http.Server, ln net.Listener, drain time.Duration) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	if drain <= 0 {
		drain = DefaultTimeouts.Shutdown
	}
	sctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		srv.Close() // the drain ran out: cut the connections still open
	}
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
