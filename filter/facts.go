package filter

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/msgfilter/msgfilter/geo"
)

// FactsSchema is the version of the facts document. It changes when a field
// changes meaning or is removed; adding a field keeps the version.
const FactsSchema = 1

// Facts is the document the policies see as input: everything Go learned
// about a message, and nothing raw (no body, no lists). policies/README.md
// documents every field for rule authors.
type Facts struct {
	Schema       int               `json:"schema"`
	Message      MessageFacts      `json:"message"`
	Time         TimeFacts         `json:"time"`
	Sender       geo.Sender        `json:"sender"`
	Recipient    geo.Recipient     `json:"recipient"`
	Content      ContentFacts      `json:"content"`
	Conversation ConversationFacts `json:"conversation"`
}

// MessageFacts are the message's own fields that rules may branch on.
type MessageFacts struct {
	Channel Channel `json:"channel"`
	Kind    Kind    `json:"kind"`
	Country string  `json:"country"` // destination, ISO 3166-1 alpha-2, upper case
	Tenant  string  `json:"tenant"`
	Length  int     `json:"length"` // body length in characters (code points)
}

// TimeFacts is the message time in the destination's zone, to the minute:
// minutes are the resolution of every time rule, and coarser facts repeat
// more, which the fact cache needs.
type TimeFacts struct {
	Local   string `json:"local"`   // "2006-01-02T15:04" wall clock
	Date    string `json:"date"`    // "2006-01-02"
	Weekday string `json:"weekday"` // "monday".."sunday"
	Minute  int    `json:"minute"`  // minutes since local midnight
	Zone    string `json:"zone"`    // IANA zone of the destination pack, "UTC" without one
}

// ContentFacts are what Go found in the body.
type ContentFacts struct {
	// OptOutText is true when the body tells the recipient how to opt out
	// (a STOP keyword).
	OptOutText bool `json:"opt_out_text"`
}

// ConversationFacts describe the recipient's side of the conversation.
type ConversationFacts struct {
	// HasInbound is true when the recipient's last message to this sender is
	// known.
	HasInbound bool `json:"has_inbound"`
	// InboundAgeMinutes is the whole minutes since that message (0 without
	// one). A 24-hour window is open while it is below 1440.
	InboundAgeMinutes int `json:"inbound_age_minutes"`
}

// buildFacts derives the facts of a validated message.
func (e *Engine) buildFacts(p *policy, m *Message, country string, rcpt geo.Recipient, now time.Time) Facts {
	f := Facts{
		Schema: FactsSchema,
		Message: MessageFacts{
			Channel: m.Channel,
			Kind:    m.Kind,
			Country: country,
			Tenant:  m.Tenant,
			Length:  utf8.RuneCountInString(m.Body),
		},
		Time:      timeFacts(now, p.zone(country)),
		Sender:    e.numbers.Sender(m.Sender),
		Recipient: rcpt,
		Content:   ContentFacts{OptOutText: hasOptOutText(m.Body)},
	}
	if !m.LastInboundAt.IsZero() {
		age := max(now.Sub(m.LastInboundAt), 0)
		f.Conversation = ConversationFacts{HasInbound: true, InboundAgeMinutes: int(age / time.Minute)}
	}
	return f
}

func timeFacts(now time.Time, loc *time.Location) TimeFacts {
	t := now.In(loc)
	return TimeFacts{
		Local:   t.Format("2006-01-02T15:04"),
		Date:    t.Format(time.DateOnly),
		Weekday: strings.ToLower(t.Weekday().String()),
		Minute:  t.Hour()*60 + t.Minute(),
		Zone:    loc.String(),
	}
}

// encode returns the facts as canonical JSON (struct fields in declaration
// order, map keys sorted): equal facts give equal bytes.
func (f *Facts) encode() ([]byte, error) {
	return json.Marshal(f)
}

// value converts encoded facts into the input value OPA evaluates.
func factsValue(encoded []byte) (ast.Value, error) {
	return ast.ValueFromReader(bytes.NewReader(encoded))
}

// hasOptOutText reports whether body contains the word STOP in any case, the
// opt-out keyword regulators and carriers require (e.g. "STOP au 36111").
func hasOptOutText(body string) bool {
	for i := 0; i+4 <= len(body); i++ {
		if body[i]|0x20 != 's' || !strings.EqualFold(body[i:i+4], "stop") {
			continue
		}
		before := i == 0 || !isWordByte(body[i-1]) && body[i-1] != '-' // "non-stop" is no opt-out
		after := i+4 == len(body) || !isWordByte(body[i+4])
		if before && after {
			return true
		}
	}
	return false
}

func isWordByte(b byte) bool {
	return b >= 0x80 || b == '_' || ('0' <= b && b <= '9') || ('a' <= b|0x20 && b|0x20 <= 'z')
}
