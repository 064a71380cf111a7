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
	// When empty it is derived from Recipient.
	Country string `json:"country,omitempty"`
	// Sender is an E.164 number, a short code or an alphanumeric sender ID.
	Sender string `json:"sender"`
	// Recipient is an E.164 number ("+" and digits).
	Recipient string `json:"recipient"`
	// SourceIP is the address of the client that submitted the message.
	SourceIP string `json:"source_ip,omitempty"`
	Body     string `json:"body"`
	// Time is when the message would be sent; the engine's clock when zero.
	Time   time.Time `json:"time,omitzero"`
	Tenant string    `json:"tenant,omitempty"`
	// LastInboundAt is when the recipient last wrote to this sender; zero
	// when unknown. Conversation windows need it (or stored state).
	LastInboundAt time.Time `json:"last_inbound_at,omitzero"`
	// Template is the name of the approved template the message uses
	// (WhatsApp; RCS and Viber templates likewise); "" for a free-form
	// message.
	Template string `json:"template,omitempty"`
	// TemplateCategory is the template's category: marketing, utility or
	// authentication ("" without a template).
	TemplateCategory TemplateCategory `json:"template_category,omitempty"`
	// Tag is the Messenger message tag (POST_PURCHASE_UPDATE,
	// ACCOUNT_UPDATE, CONFIRMED_EVENT_UPDATE, HUMAN_AGENT); "" for none.
	Tag string `json:"tag,omitempty"`
}

// TemplateCategory is the category of an approved template.
type TemplateCategory string

// Template categories (WhatsApp's, which RCS and Viber follow).
const (
	Marketing      TemplateCategory = "marketing"
	Utility        TemplateCategory = "utility"
	Authentication TemplateCategory = "authentication"
)
