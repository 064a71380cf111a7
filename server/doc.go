// Package server is msgfilter's engine as an HTTP service, for gateways that
// are not written in Go (Jasmin, Kannel, in-house Java, Python or Node) and
// for fleets of gateway nodes. "msgfilter serve" runs it; a Go program can
// mount the same Handler in its own server.
//
// Endpoints (JSON over HTTP/1.1 and h2c):
//
//	POST /v1/check    one Message → {"decision": Result}, answered with the
//	                  decision's HTTP status (and Retry-After for a defer);
//	                  a JSON array or JSON lines of many → {"decisions": [Result...]}
//	                  in the same order, answered 200
//	POST /v1/inbound  a filter.InboundMessage → filter.InboundResult
//	POST /v1/report   a Message with "label": fraud, spam or ham →
//	                  {"id", "label"}; the model learns from it (Engine.Report)
//	POST /v1/explain  one Message → filter.Explanation
//	POST /v1/reload   reload the policies; the running revision stays on failure
//	GET  /healthz     200 while the process serves
//	GET  /readyz      200 when the policies are loaded and the store answers
//	GET  /metrics     Prometheus text format
//
// A request the service cannot read gets 400 with {"error": ..., "field":
// ...} (field names the message field when there is one), a body over the
// cap gets 413, a missing or wrong bearer token gets 401. Health endpoints
// never need the token.
//
// A Handler is safe for concurrent use; its zero value is not usable: call
// New.
package server
