package filter

import (
	"time"
)

// Channel is the messaging channel a message goes out on.
type Channel string

// Channels.
const (
	SMS       Channel = "sms"
	Viber     Channel = "viber"
	WhatsApp  Channel = "whatsapp"
	Messenger Channel = "messenger"
	RCS       Channel = "rcs"
)

// Kind is the business purpose of a message.
type Kind string

// Message kinds.
const (
	Transactional Kind = "transactional"
	Promotional   Kind = "promotional"
	OTP           Kind = "otp"
	Service       Kind = "service"
)

// Message is one outgoing business message, as the gateway is about to send
// it. Its JSON form is the CLI's input line.
type Message struct {
	ID      string  `json:"id"`
	Channel Channel `json:"channel"`
	Kind    Kind    `json:"kind"`
	// Country is the destination's ISO 3166-1 alpha-2 code, in any case.
	// The destination is the recipient's country: a Country that disagrees
	// with it is a validation error (a sender must not pick a laxer
	// country's rules). It is needed only for a non-geographic recipient.
	Country string `json:"country,omitempty"`
	// Sender is an E.164 number, a short code or an alphanumeric sender ID.
	Sender string `json:"sender"`
	// Recipient is an E.164 number ("+" and digits).
	Recipient string `json:"recipient"`
	// SourceIP is the address of the client that submitted the message.
	SourceIP string `json:"source_ip,omitempty"`
	Body     string `json:"body"`
	// Time is when the message would be sent; the engine's clock when zero.
	// It must lie between MinTime and the engine's clock plus MaxClockSkew:
	// past times stay valid (gateways replay old logs), an absurd one is a
	// validation error rather than a decision on a broken calendar.
	Time   time.Time `json:"time,omitzero"`
	Tenant string    `json:"tenant,omitempty"`
	// LastInboundAt is when the recipient last wrote to this sender; zero
	// when unknown. Conversation windows need it (or stored state). It must
	// not be after Time (or the engine's clock) by more than MaxClockSkew:
	// a reply from the future would open a window that never was.
	LastInboundAt time.Time `json:"last_inbound_at,omitzero"`
	// Template is the name of the approved template the message uses
	// (WhatsApp; RCS and Viber templates likewise); "" for a free-form
	// message. At most 512 bytes.
	Template string `json:"template,omitempty"`
	// TemplateCategory is the template's category: marketing, utility or
	// authentication ("" without a template).
	TemplateCategory TemplateCategory `json:"template_category,omitempty"`
	// Tag is the Messenger message tag (POST_PURCHASE_UPDATE,
	// ACCOUNT_UPDATE, CONFIRMED_EVENT_UPDATE, HUMAN_AGENT); "" for none.
	// At most 512 bytes.
	Tag string `json:"tag,omitempty"`
}

// Time bounds of a message (see Message.Time).
var (
	// MinTime is the earliest Message.Time accepted: a loose floor, far
	// below any log a gateway replays, that keeps zero-ish and negative
	// years out of the calendar arithmetic of quiet hours.
	MinTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// MaxClockSkew is how far a Message.Time may be ahead of the engine's
// clock, and a Message.LastInboundAt ahead of the message's time: clocks of
// gateway nodes differ by seconds, not by more. A time further ahead is a
// validation error.
const MaxClockSkew = 5 * time.Minute

// checkTime bounds an explicit message time to [MinTime, now+MaxClockSkew],
// now being the engine's clock.
func checkTime(t, now time.Time) error {
	if t.Before(MinTime) {
		return invalid("time", t.Format(time.RFC3339), "before "+MinTime.Format(time.RFC3339))
	}
	if t.After(now.Add(MaxClockSkew)) {
		return invalid("time", t.Format(time.RFC3339), "more than "+MaxClockSkew.String()+" after the engine's clock ("+now.UTC().Format(time.RFC3339)+")")
	}
	return nil
}

// TemplateCategory is the category of an approved template.
type TemplateCategory string

// Template categories (WhatsApp's, which RCS and Viber follow).
const (
	Marketing      TemplateCategory = "marketing"
	Utility        TemplateCategory = "utility"
	Authentication TemplateCategory = "authentication"
)
