package filter

import (
	"slices"

	"github.com/open-policy-agent/opa/v1/ast"
)

// walk builds the facts as OPA's input value directly and, when k is not
// nil, hashes every field it writes into k: the fact cache's key comes from
// the same walk as the value it keys, so nothing the policies see can be
// missing from it. The value is what decoding the facts' JSON gives
// (TestFactsValueMatchesJSON holds the two together), without a JSON round
// trip.
//
// The hash is a postfix encoding: each leaf writes its kind, name and value,
// each object or array its kind, name and length after its members, so two
// different documents never hash the same input.
func (f *Facts) walk(k *keyHasher) ast.Value {
	w := walker{k: k}
	return ast.NewObject(
		w.num("schema", f.Schema),
		w.obj("message",
			w.str("channel", string(f.Message.Channel)),
			w.str("kind", string(f.Message.Kind)),
			w.str("country", f.Message.Country),
			w.str("tenant", f.Message.Tenant),
			w.num("length", f.Message.Length),
		),
		w.obj("time",
			w.str("local", f.Time.Local),
			w.str("date", f.Time.Date),
			w.str("weekday", f.Time.Weekday),
			w.num("minute", f.Time.Minute),
			w.str("zone", f.Time.Zone),
		),
		w.sender(&f.Sender),
		w.obj("recipient",
			w.str("country", f.Recipient.Country),
			w.str("number_type", string(f.Recipient.NumberType)),
		),
		w.source(&f.Source),
		w.content(&f.Content),
		w.links(f.Links),
		w.obj("conversation",
			w.boolean("has_inbound", f.Conversation.HasInbound),
			w.num("inbound_age_minutes", f.Conversation.InboundAgeMinutes),
			w.boolean("opted_out", f.Conversation.OptedOut),
			w.num("session_messages", f.Conversation.SessionMessages),
		),
	)
}

// walker writes items and hashes them. A nil k hashes nothing.
type walker struct {
	k *keyHasher
}

// Kinds of the hash's entries.
const (
	kindString = iota + 1
	kindNumber
	kindBool
	kindObject
	kindArray
)

func (w walker) mark(kind uint64, key string) {
	if w.k != nil {
		w.k.u64(kind)
		w.k.str(key)
	}
}

func (w walker) str(key, v string) [2]*ast.Term {
	w.mark(kindString, key)
	if w.k != nil {
		w.k.str(v)
	}
	return item(key, ast.InternedTerm(v))
}

func (w walker) num(key string, v int) [2]*ast.Term {
	w.mark(kindNumber, key)
	if w.k != nil {
		w.k.u64(uint64(v))
	}
	return item(key, ast.InternedTerm(v))
}

func (w walker) boolean(key string, v bool) [2]*ast.Term {
	w.mark(kindBool, key)
	if w.k != nil {
		b := uint64(0)
		if v {
			b = 1
		}
		w.k.u64(b)
	}
	return item(key, ast.InternedTerm(v))
}

// obj closes an object whose items were written (and hashed) already.
func (w walker) obj(key string, items ...[2]*ast.Term) [2]*ast.Term {
	w.mark(kindObject, key)
	if w.k != nil {
		w.k.u64(uint64(len(items)))
	}
	return item(key, ast.NewTerm(ast.NewObject(items...)))
}

// arr closes an array whose elements were written already. Elements are
// objects or strings closed with the key "".
func (w walker) arr(key string, elems []*ast.Term) [2]*ast.Term {
	w.mark(kindArray, key)
	if w.k != nil {
		w.k.u64(uint64(len(elems)))
	}
	return item(key, ast.ArrayTerm(elems...))
}

func (w walker) strings(key string, ss []string) [2]*ast.Term {
	elems := make([]*ast.Term, len(ss))
	for i, s := range ss {
		elems[i] = w.str("", s)[1]
	}
	return w.arr(key, elems)
}

func item(key string, v *ast.Term) [2]*ast.Term { return ast.Item(ast.InternedTerm(key), v) }

func (w walker) sender(s *SenderFacts) [2]*ast.Term {
	items := [][2]*ast.Term{
		w.str("raw", s.Raw),
		w.str("kind", string(s.Kind)),
		w.str("country", s.Country),
		w.str("number_type", string(s.NumberType)),
		w.boolean("valid", s.Valid),
		w.str("reason", s.Reason),
	}
	if s.Registered != nil {
		items = append(items, w.boolean("registered", *s.Registered))
	}
	return w.obj("sender", items...)
}

func (w walker) source(s *SourceFacts) [2]*ast.Term {
	items := [][2]*ast.Term{
		w.boolean("present", s.Present),
		w.str("country", s.Country),
		w.num("asn", int(s.ASN)),
		w.boolean("reserved", s.Reserved),
		w.boolean("found", s.Found),
		w.boolean("blocked", s.Blocked),
	}
	if s.IP != "" {
		items = append(items, w.str("ip", s.IP))
	}
	return w.obj("source", items...)
}

func (w walker) content(c *ContentFacts) [2]*ast.Term {
	// Categories in name order: the hash must not depend on map order.
	names := make([]string, 0, len(c.Categories))
	for name := range c.Categories {
		names = append(names, name)
	}
	slices.Sort(names)
	cats := make([][2]*ast.Term, len(names))
	for i, name := range names {
		cat := c.Categories[name]
		cats[i] = w.obj(name,
			w.num("score", cat.Score),
			w.strings("terms", cat.Terms),
			w.strings("evidence", cat.Evidence),
		)
	}
	phones := make([]*ast.Term, len(c.PhoneNumbers))
	for i, n := range c.PhoneNumbers {
		phones[i] = w.obj("",
			w.str("text", n.Text),
			w.str("e164", n.E164),
			w.str("region", n.Region),
		)[1]
	}
	return w.obj("content",
		w.boolean("opt_out_text", c.OptOutText),
		w.obj("categories", cats...),
		w.arr("phone_numbers", phones),
	)
}

func (w walker) links(ls []LinkFacts) [2]*ast.Term {
	out := make([]*ast.Term, len(ls))
	for i := range ls {
		l := &ls[i]
		items := [][2]*ast.Term{
			w.str("url", l.URL),
			w.str("host", l.Host),
			w.str("unicode_host", l.UnicodeHost),
			w.str("domain", l.Domain),
			w.boolean("ip_literal", l.IPLiteral),
			w.boolean("shortener", l.Shortener),
			w.boolean("punycode", l.Punycode),
			w.boolean("mixed_script", l.MixedScript),
			w.boolean("userinfo", l.Userinfo),
			w.str("homograph_of", l.HomographOf),
			w.boolean("phishing", l.Phishing),
			w.boolean("blocked", l.Blocked),
		}
		if l.SenderRegistered != nil {
			items = append(items, w.boolean("sender_registered", *l.SenderRegistered))
		}
		out[i] = w.obj("", items...)[1]
	}
	return w.arr("links", out)
}
