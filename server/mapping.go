package server

import (
	"math"
	"time"

	"github.com/msgfilter/msgfilter/filter"
)

// SMPP command_status values the default mapping uses (SMPP v3.4, 5.1.3).
const (
	ESMEROK        uint32 = 0x00000000 // accepted
	ESMERSYSERR    uint32 = 0x00000008 // system error: the engine could not decide and the message is held
	ESMERINVSRCADR uint32 = 0x0000000A // invalid source address: the sender codes
	ESMERTHROTTLED uint32 = 0x00000058 // throttling error: RATE_LIMIT
	ESMERXTAPPN    uint32 = 0x00000064 // ESME receiver temporary app error: defer
	ESMERXPAPPN    uint32 = 0x00000065 // ESME receiver permanent app error: block
)

// Status is what a decision means to a gateway: the SMPP command_status to
// answer a submit_sm with and the HTTP status to answer an HTTP submission
// with.
type Status struct {
	SMPP uint32 `json:"smpp" yaml:"smpp"`
	HTTP int    `json:"http" yaml:"http"`
}

// Mapping turns decisions into protocol statuses (DESIGN.md, "Protocol
// mapping"):
//
//	allow, review                      ESME_ROK         0x00 / 200 (review is logged for review)
//	block                              ESME_RX_P_APPN   0x65 / 403
//	block by a SENDER_* code           ESME_RINVSRCADR  0x0A / 403
//	RATE_LIMIT                         ESME_RTHROTTLED  0x58 / 429
//	defer (quiet hours)                ESME_RX_T_APPN   0x64 / 429 with Retry-After
//	ENGINE_ERROR, held (fail closed)   ESME_RSYSERR     0x08 / 503
//
// Overrides replace the status of a code when the decision blocks or
// defers: the first reason, in the decision's order, whose code has an
// override or a code-specific default decides. A fail-open ENGINE_ERROR
// decision allows, so it maps to 0 / 200 like any allow.
//
// The zero Mapping is the default table. A Mapping is read-only once built
// and safe for concurrent use.
type Mapping struct {
	// Overrides by reason code, from the service configuration
	// (protocol_mapping). They win over the policies' own overrides (the
	// global pack's data.json "protocol_mapping", filter's
	// Engine.ProtocolMapping), which win over the default table.
	Overrides map[filter.Code]Status
}

// Status returns the statuses for d under the service's overrides and the
// default table.
func (m Mapping) Status(d *filter.Decision) Status { return m.status(d, nil) }

// status is Status with the running policies' overrides.
func (m Mapping) status(d *filter.Decision, pack map[filter.Code]filter.ProtocolStatus) Status {
	switch d.Action {
	case filter.Allow, filter.Review:
		return Status{SMPP: ESMEROK, HTTP: 200}
	}
	for _, r := range d.Reasons {
		if s, ok := m.Overrides[r.Code]; ok {
			return s
		}
		if s, ok := pack[r.Code]; ok {
			return Status{SMPP: s.SMPP, HTTP: s.HTTP}
		}
		if s, ok := codeDefault(r.Code); ok {
			return s
		}
	}
	if d.Action == filter.Defer {
		return Status{SMPP: ESMERXTAPPN, HTTP: 429}
	}
	return Status{SMPP: ESMERXPAPPN, HTTP: 403}
}

// codeDefault is the code-specific part of the default table.
func codeDefault(c filter.Code) (Status, bool) {
	switch c {
	case filter.EngineError:
		return Status{SMPP: ESMERSYSERR, HTTP: 503}, true
	case filter.RateLimit:
		return Status{SMPP: ESMERTHROTTLED, HTTP: 429}, true
	case filter.SenderInvalid, filter.SenderOriginMismatch, filter.SenderPremiumRate,
		filter.SenderIDFormat, filter.SenderNotRegistered:
		return Status{SMPP: ESMERINVSRCADR, HTTP: 403}, true
	}
	return Status{}, false
}

// retryAfter is the Retry-After of a deferred decision in whole seconds,
// rounded up and at least 1; 0 when d has no Until.
func retryAfter(d *filter.Decision, now time.Time) int {
	if d.Action != filter.Defer || d.Until.IsZero() {
		return 0
	}
	s := math.Ceil(d.Until.Sub(now).Seconds())
	return int(max(1, min(s, math.MaxInt32)))
}
