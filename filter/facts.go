package filter

import (
	"encoding/json"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/internal/bodyphones"
	"github.com/msgfilter/msgfilter/internal/links"
	"github.com/msgfilter/msgfilter/internal/terms"
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
	Sender       SenderFacts       `json:"sender"`
	Recipient    RecipientFacts    `json:"recipient"`
	Source       SourceFacts       `json:"source"`
	Content      ContentFacts      `json:"content"`
	Links        []LinkFacts       `json:"links"`
	Conversation ConversationFacts `json:"conversation"`
}

// RecipientFacts describe the destination number. The number itself stays
// out of the policies' input: no rule needs it, and it would make every
// message's facts unique, defeating the fact cache.
type RecipientFacts struct {
	E164       string         `json:"-"` // for the state store
	Country    string         `json:"country"`
	NumberType geo.NumberType `json:"number_type"`
}

func recipientFacts(r geo.Recipient) RecipientFacts {
	return RecipientFacts{E164: r.E164, Country: r.Country, NumberType: r.NumberType}
}

// SenderFacts classify the sender (see geo.Sender).
type SenderFacts struct {
	geo.Sender
	// Registered is set when a sender registry applies (the destination
	// pack's senders.txt or the tenant's Senders): whether the sender is in
	// it. Absent without a registry. E.164 senders are never checked
	// against a registry: their origin and number type are.
	Registered *bool `json:"registered,omitempty"`
}

// SourceFacts describe the address the message was submitted from.
type SourceFacts struct {
	Present bool `json:"present"` // the message had a source_ip
	geo.IPInfo
	// Blocked is true when the address is on the global pack's, the
	// destination pack's or the tenant's blocked_networks list.
	Blocked bool `json:"blocked"`
	// IP is the address, given only when Blocked, as evidence: other
	// addresses stay out of the facts so that the fact cache can work.
	IP string `json:"ip,omitempty"`
}

// LinkFacts describe one link of the body (see links.Link).
type LinkFacts struct {
	links.Link
	// Blocked is true when the link's domain, or a parent of its host, is
	// on the global, destination or tenant blocked_domains list.
	Blocked bool `json:"blocked"`
	// SenderRegistered is set when the destination pack has a
	// sender_domains registry: whether the link's domain is registered for
	// this sender. Absent without a registry.
	SenderRegistered *bool `json:"sender_registered,omitempty"`
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
	// Categories are the term categories found in the body with the
	// destination's term lists (global + country), each with its score
	// (the sum of the weights of the distinct terms found; 2 or more is a
	// signal on its own), the terms and the evidence as written.
	Categories terms.Result `json:"categories"`
	// PhoneNumbers are the valid phone numbers written in the body.
	PhoneNumbers []bodyphones.Number `json:"phone_numbers"`
}

// ConversationFacts describe the recipient's side of the conversation.
type ConversationFacts struct {
	// HasInbound is true when the recipient's last message to this sender is
	// known.
	HasInbound bool `json:"has_inbound"`
	// InboundAgeMinutes is the whole minutes since that message (0 without
	// one). A 24-hour window is open while it is below 1440.
	InboundAgeMinutes int `json:"inbound_age_minutes"`
	// OptedOut is true when the recipient's newest STOP/START to this
	// tenant's sender (any channel) was a STOP. From the state store.
	OptedOut bool `json:"opted_out"`
	// SessionMessages is how many messages the sender sent in the session
	// the recipient's last inbound message opened, from the state store,
	// once it reached the channel's session_max_messages; 0 below it, so
	// that a conversation's facts repeat and the caches work.
	SessionMessages int `json:"session_messages"`
	// OverLimits names the limits ("session", "rate", "flood") the store's
	// atomic count refused after the policies let the message through; empty
	// otherwise. See filter/state.go.
	OverLimits []string `json:"over_limits,omitempty"`
}

// messageConversation is the conversation as the message itself tells it
// (its last_inbound_at); the state store may add to it.
func messageConversation(m *Message, now time.Time) ConversationFacts {
	if m.LastInboundAt.IsZero() {
		return ConversationFacts{}
	}
	age := max(now.Sub(m.LastInboundAt), 0)
	return ConversationFacts{HasInbound: true, InboundAgeMinutes: int(age / time.Minute)}
}

// buildFacts derives the facts of a validated message, but for the
// conversation (see messageConversation and the state store).
func (e *Engine) buildFacts(p *policy, m *Message, country string, rcpt RecipientFacts, src netip.Addr, now time.Time) Facts {
	tn := e.opts.tenants[m.Tenant]
	dest := p.lookups[country]
	global := p.lookups[""]
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
		Sender:    SenderFacts{Sender: e.numbers.Sender(m.Sender)},
		Recipient: rcpt,
		Content: ContentFacts{
			OptOutText:   hasOptOutText(m.Body),
			Categories:   p.matcher(country).Match(m.Body),
			PhoneNumbers: p.phones.Find(m.Body, country),
		},
		Links: []LinkFacts{}, // [] rather than null: rules iterate it
	}
	if f.Content.PhoneNumbers == nil {
		f.Content.PhoneNumbers = []bodyphones.Number{}
	}
	f.Sender.Registered = registered(f.Sender.Sender, dest.senders, tn)
	if src.IsValid() {
		f.Source = SourceFacts{Present: true, IPInfo: p.ipdb.Lookup(src)}
		if global.blockedNetworks.Contains(src) || dest.blockedNetworks.Contains(src) ||
			tn != nil && tn.blockedNetworks.Contains(src) {
			f.Source.Blocked, f.Source.IP = true, src.String()
		}
	}
	for _, l := range p.links.Analyze(m.Body) {
		lf := LinkFacts{Link: l}
		lf.Blocked = domainListed(l.Host, global.blockedDomains) || domainListed(l.Host, dest.blockedDomains) ||
			tn != nil && domainListed(l.Host, tn.blockedDomains)
		if dest.senderDomains != nil {
			ok := domainListed(l.Host, dest.senderDomains[senderHeader(m.Sender)])
			lf.SenderRegistered = &ok
		}
		f.Links = append(f.Links, lf)
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

// registered reports whether an alphanumeric or short-code sender is in the
// destination's or the tenant's registry; nil when neither has one.
func registered(s geo.Sender, packRegistry map[string]bool, tn *tenant) *bool {
	if s.Kind != geo.KindAlphanumeric && s.Kind != geo.KindShortCode {
		return nil
	}
	var tenantRegistry map[string]bool
	if tn != nil {
		tenantRegistry = tn.senders
	}
	if packRegistry == nil && tenantRegistry == nil {
		return nil
	}
	id := strings.ToUpper(s.Raw)
	ok := packRegistry[id] || tenantRegistry[id]
	return &ok
}

// senderHeader is the sender ID a registry knows: upper case, without an
// Indian operator-circle prefix or message-type suffix ("VM-HDFCBK-S" →
// "HDFCBK").
func senderHeader(sender string) string {
	s := strings.ToUpper(strings.TrimSpace(sender))
	if len(s) > 3 && s[2] == '-' {
		s = s[3:]
	}
	if n := len(s); n > 2 && s[n-2] == '-' && strings.IndexByte("PSTG", s[n-1]) >= 0 {
		s = s[:n-2]
	}
	return s
}

// domainListed reports whether host or one of its parent domains is in set.
func domainListed(host string, set map[string]bool) bool {
	if len(set) == 0 {
		return false
	}
	for {
		if set[host] {
			return true
		}
		_, parent, ok := strings.Cut(host, ".")
		if !ok || !strings.Contains(parent, ".") {
			return false
		}
		host = parent
	}
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
