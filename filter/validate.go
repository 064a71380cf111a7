package filter

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/state"
)

// validate checks m and returns the destination country (upper case), the
// parsed recipient and source IP (invalid when absent).
func (e *Engine) validate(m *Message) (string, geo.Recipient, netip.Addr, error) {
	if m == nil {
		return "", geo.Recipient{}, netip.Addr{}, invalid("message", "", "nil message")
	}
	switch m.Channel {
	case SMS, Viber, WhatsApp, Messenger, RCS:
	case "":
		return "", geo.Recipient{}, netip.Addr{}, invalid("channel", "", "missing")
	default:
		return "", geo.Recipient{}, netip.Addr{}, invalid("channel", string(m.Channel), "want sms, viber, whatsapp, messenger or rcs")
	}
	switch m.Kind {
	case Transactional, Promotional, OTP, Service:
	case "":
		return "", geo.Recipient{}, netip.Addr{}, invalid("kind", "", "missing")
	default:
		return "", geo.Recipient{}, netip.Addr{}, invalid("kind", string(m.Kind), "want transactional, promotional, otp or service")
	}
	for _, f := range [...]struct{ name, value string }{
		{"id", m.ID}, {"sender", m.Sender}, {"recipient", m.Recipient}, {"source_ip", m.SourceIP},
		{"tenant", m.Tenant}, {"country", m.Country}, {"body", m.Body},
	} {
		if !utf8.ValidString(f.value) {
			return "", geo.Recipient{}, netip.Addr{}, invalid(f.name, "", "invalid UTF-8")
		}
	}
	if len(m.Body) > e.opts.maxBodyBytes {
		return "", geo.Recipient{}, netip.Addr{}, invalid("body", "", "longer than "+strconv.Itoa(e.opts.maxBodyBytes)+" bytes")
	}
	for _, f := range [...]struct{ name, value string }{{"sender", m.Sender}, {"recipient", m.Recipient}, {"tenant", m.Tenant}} {
		// Conversation state is keyed by these: a longer value could hold
		// no opt-out or limit, so it is refused rather than let through.
		if len(f.value) > state.MaxFieldLen {
			return "", geo.Recipient{}, netip.Addr{}, invalid(f.name, "", "longer than "+strconv.Itoa(state.MaxFieldLen)+" bytes")
		}
	}
	if strings.TrimSpace(m.Sender) == "" {
		return "", geo.Recipient{}, netip.Addr{}, invalid("sender", "", "missing")
	}
	if m.Recipient == "" {
		return "", geo.Recipient{}, netip.Addr{}, invalid("recipient", "", "missing")
	}
	rcpt, err := e.numbers.Recipient(m.Recipient)
	if err != nil {
		reason := err.Error()
		if ne, ok := err.(*geo.NumberError); ok {
			reason = ne.Reason
		}
		return "", geo.Recipient{}, netip.Addr{}, invalid("recipient", m.Recipient, reason)
	}
	country := strings.ToUpper(m.Country)
	switch {
	case country == "" && rcpt.Country == "":
		return "", geo.Recipient{}, netip.Addr{}, invalid("country", "", "missing, and the recipient is a non-geographic number")
	case country == "":
		country = rcpt.Country
	case !geo.IsCountry(country):
		return "", geo.Recipient{}, netip.Addr{}, invalid("country", m.Country, "not an ISO 3166-1 alpha-2 country code")
	}
	if !m.LastInboundAt.IsZero() && !m.Time.IsZero() && m.LastInboundAt.After(m.Time) {
		return "", geo.Recipient{}, netip.Addr{}, invalid("last_inbound_at", m.LastInboundAt.Format("2006-01-02T15:04:05Z07:00"), "after the message time")
	}
	var src netip.Addr
	if m.SourceIP != "" {
		if src, err = netip.ParseAddr(m.SourceIP); err != nil {
			return "", geo.Recipient{}, netip.Addr{}, invalid("source_ip", m.SourceIP, "not an IP address")
		}
		src = src.Unmap().WithZone("")
	}
	return country, rcpt, src, nil
}
