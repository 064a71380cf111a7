package filter

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"
)

// walk visits every field the policies see, in one place: with w.k set it
// hashes each into w.k (the fact cache's key), with w.build it builds OPA's
// input value (nil otherwise). Because the key and the value come from the
// same walk, nothing the policies see can be missing from the key. A check
// walks once to hash and, only when the fact cache misses, again to build:
// a hit allocates nothing here. The value is what decoding the facts' JSON
// gives (TestFactsValueMatchesJSON holds the two together), without a JSON
// round trip.
//
// The hash is a postfix encoding: each leaf writes its kind and value, each
// object or array its kind and length after its members. A field is known
// by its place in the walk, which is fixed code (an optional field changes
// its object's length), so only the keys of maps (categories, quiet_until),
// which are data, are written, as names (w.name). Two different documents
// therefore never hash the same input. Field names are not hashed: they
// were most of the bytes of a key.
func (f *Facts) walk(w walker) ast.Value {
	return w.root(
		w.num("schema", f.Schema),
		w.obj("message",
			w.str("channel", string(f.Message.Channel)),
			w.str("kind", string(f.Message.Kind)),
			w.str("country", f.Message.Country),
			w.str("tenant", f.Message.Tenant),
			w.num("length", f.Message.Length),
			w.str("template", f.Message.Template),
			w.str("template_category", f.Message.TemplateCategory),
			w.str("tag", f.Message.Tag),
			w.str("encoding", f.Message.Encoding),
			w.num("segments", f.Message.Segments),
		),
		w.obj("time",
			w.clock(&f.Time).str("local", f.Time.Local),
			w.clock(&f.Time).str("date", f.Time.Date),
			w.clock(&f.Time).str("weekday", f.Time.Weekday),
			w.clock(&f.Time).num("minute", f.Time.Minute),
			w.str("zone", f.Time.Zone),
			w.quietUntil(f.Time.QuietUntil),
		),
		w.sender(&f.Sender),
		w.obj("recipient",
			w.str("country", f.Recipient.Country),
			w.str("number_type", string(f.Recipient.NumberType)),
			w.str("zone", f.Recipient.Zone),
			w.str("region", f.Recipient.Region),
		),
		w.source(&f.Source),
		w.content(&f.Content),
		w.links(f.Links),
		w.conversation(&f.Conversation),
		w.obj("campaign",
			w.boolean("reported", f.Campaign.Reported),
		),
		w.obj("dlt",
			w.boolean("checked", f.DLT.Checked),
			w.str("header", f.DLT.Header),
			w.boolean("matched", f.DLT.Matched),
			w.str("template_id", f.DLT.TemplateID),
		),
	)
}

// walker hashes the fields it visits into k (unless nil) and, with build,
// returns them as OPA items; without build its items are empty.
type walker struct {
	k     *keyHasher
	build bool
	// clockGated: the policies read the local clock only while a
	// quiet-hours spec holds the message (rules.Set.ClockGated), so
	// without one the key leaves the clock out, and a message decided at
	// one minute is decided for the next ones (see clock).
	clockGated bool
}

// clock is the walker for the local clock's fields (time: local, date,
// weekday, minute): w itself, or, when the policies are clock-gated and no
// quiet-hours spec holds the message, one that builds them but leaves them
// out of the key. The input OPA gets always has them.
func (w walker) clock(t *TimeFacts) walker {
	if !w.clockGated || len(t.QuietUntil) > 0 || w.k == nil {
		return w
	}
	w.k.byte(kindNoClock) // a key without the clock is never one with it
	w.k = nil
	return w
}

func (w walker) root(items ...[2]*ast.Term) ast.Value {
	if !w.build {
		return nil
	}
	return ast.NewObject(items...)
}

// Kinds of the hash's entries.
const (
	kindString = iota + 1
	kindNumber
	kindBool
	kindObject
	kindArray
	kindFloat
	kindNoClock
	kindName
)

func (w walker) mark(kind byte) {
	if w.k != nil {
		w.k.byte(kind)
	}
}

// name hashes the key of a map's entry, which is data, not schema.
func (w walker) name(key string) {
	if w.k != nil {
		w.k.byte(kindName)
		w.k.str(key)
	}
}

func (w walker) str(key, v string) [2]*ast.Term {
	w.mark(kindString)
	if w.k != nil {
		w.k.str(v)
	}
	if !w.build {
		return [2]*ast.Term{}
	}
	return item(key, ast.InternedTerm(v))
}

func (w walker) num(key string, v int) [2]*ast.Term {
	w.mark(kindNumber)
	if w.k != nil {
		w.k.uvarint(uint64(v))
	}
	if !w.build {
		return [2]*ast.Term{}
	}
	return item(key, ast.InternedTerm(v))
}

func (w walker) float(key string, v float64) [2]*ast.Term {
	w.mark(kindFloat)
	if w.k != nil {
		w.k.u64(math.Float64bits(v))
	}
	if !w.build {
		return [2]*ast.Term{}
	}
	return item(key, ast.NumberTerm(json.Number(strconv.FormatFloat(v, 'f', -1, 64))))
}

func (w walker) boolean(key string, v bool) [2]*ast.Term {
	w.mark(kindBool)
	if w.k != nil {
		b := byte(0)
		if v {
			b = 1
		}
		w.k.byte(b)
	}
	if !w.build {
		return [2]*ast.Term{}
	}
	return item(key, ast.InternedTerm(v))
}

// obj closes an object whose items were written (and hashed) already.
func (w walker) obj(key string, items ...[2]*ast.Term) [2]*ast.Term {
	w.mark(kindObject)
	if w.k != nil {
		w.k.uvarint(uint64(len(items)))
	}
	if !w.build {
		return [2]*ast.Term{}
	}
	return item(key, ast.NewTerm(ast.NewObject(items...)))
}

// arr closes an array of n elements written already (objects or strings
// closed with the key ""); elems is nil without build.
func (w walker) arr(key string, n int, elems []*ast.Term) [2]*ast.Term {
	w.mark(kindArray)
	if w.k != nil {
		w.k.uvarint(uint64(n))
	}
	if !w.build {
		return [2]*ast.Term{}
	}
	return item(key, ast.ArrayTerm(elems...))
}

// terms returns n empty slots for an array's elements with build, nil
// without.
func (w walker) terms(n int) []*ast.Term {
	if !w.build {
		return nil
	}
	return make([]*ast.Term, n)
}

func (w walker) strings(key string, ss []string) [2]*ast.Term {
	elems := w.terms(len(ss))
	for i, s := range ss {
		if t := w.str("", s)[1]; elems != nil {
			elems[i] = t
		}
	}
	return w.arr(key, len(ss), elems)
}

func item(key string, v *ast.Term) [2]*ast.Term { return ast.Item(ast.InternedTerm(key), v) }

// quietUntil walks the specs in name order: the hash must not depend on map
// order.
func (w walker) quietUntil(q QuietUntil) [2]*ast.Term {
	if len(q) == 0 {
		return w.obj("quiet_until")
	}
	// On the stack for the packs' few specs: hashing a key allocates
	// nothing.
	var nameBuf [16]string
	var itemBuf [16][2]*ast.Term
	names := nameBuf[:0]
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names)
	items := itemBuf[:0]
	for _, name := range names {
		w.name(name)
		items = append(items, w.str(name, q[name]))
	}
	return w.obj("quiet_until", items...)
}

func (w walker) conversation(c *ConversationFacts) [2]*ast.Term {
	items := [][2]*ast.Term{
		w.boolean("has_inbound", c.HasInbound),
		w.num("inbound_age_minutes", c.InboundAgeMinutes),
		w.boolean("opted_out", c.OptedOut),
		w.num("session_messages", c.SessionMessages),
	}
	if c.SameSubject != (SameSubjectFacts{}) {
		items = append(items, w.obj("same_subject_24h",
			w.num("count", c.SameSubject.Count),
			w.str("reopens", c.SameSubject.Reopens),
		))
	}
	return w.obj("conversation", items...)
}

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
		w.name(name)
		cats[i] = w.obj(name,
			w.num("score", cat.Score),
			w.strings("terms", cat.Terms),
			w.strings("evidence", cat.Evidence),
		)
	}
	phones := w.terms(len(c.PhoneNumbers))
	for i, n := range c.PhoneNumbers {
		t := w.obj("",
			w.str("text", n.Text),
			w.str("e164", n.E164),
			w.str("region", n.Region),
			w.str("type", string(n.Type)),
		)[1]
		if phones != nil {
			phones[i] = t
		}
	}
	return w.obj("content",
		w.boolean("opt_out_text", c.OptOutText),
		w.boolean("opt_out_instruction", c.OptOutInstruction),
		w.boolean("bidi_overflow", c.BidiOverflow),
		w.obj("categories", cats...),
		w.arr("phone_numbers", len(c.PhoneNumbers), phones),
		w.obj("model",
			w.float("spam", c.Model.Spam),
			w.float("fraud", c.Model.Fraud),
			w.obj("features",
				w.strings("spam", c.Model.Features.Spam),
				w.strings("fraud", c.Model.Features.Fraud),
			),
			w.thresholds(&c.Model.Thresholds),
		),
	)
}

// thresholds walks the set thresholds in name order. Which ones are set
// is data, as a map's keys are, so each is written with its name: two
// sets of the same size never hash the same.
func (w walker) thresholds(t *ModelThresholdFacts) [2]*ast.Term {
	var buf [len(modelThresholdNames)][2]*ast.Term
	items := buf[:0]
	for i, name := range modelThresholdNames {
		if t.set[i] {
			w.name(name)
			items = append(items, w.float(name, t.v[i]))
		}
	}
	return w.obj("thresholds", items...)
}

func (w walker) links(ls []LinkFacts) [2]*ast.Term {
	out := w.terms(len(ls))
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
			w.str("brand_of", l.BrandOf),
			w.boolean("brand_in_subdomain", l.BrandInSubdomain),
			w.boolean("brand_in_path", l.BrandInPath),
			w.boolean("brand_in_text", l.BrandInText),
			w.boolean("typosquat", l.Typosquat),
			w.boolean("combosquat", l.Combosquat),
			w.boolean("ascii_lookalike", l.ASCIILookalike),
			w.boolean("lure_words", l.LureWords),
			w.boolean("abused_tld", l.AbusedTLD),
			w.boolean("free_hosting", l.FreeHosting),
			w.boolean("dynamic_dns", l.DynamicDNS),
			w.boolean("random_label", l.RandomLabel),
			w.boolean("digit_heavy", l.DigitHeavy),
			w.boolean("hyphen_heavy", l.HyphenHeavy),
			w.boolean("credential_path", l.CredentialPath),
			w.boolean("non_standard_port", l.NonStandardPort),
			w.boolean("deceptive_host", l.DeceptiveHost),
			w.boolean("kit_path", l.KitPath),
			w.boolean("redirect_path", l.RedirectPath),
			w.strings("scripts", l.Scripts),
			w.str("tld_country", l.TLDCountry),
			w.obj("first_seen",
				w.boolean("known", l.FirstSeen.Known),
				w.num("age_minutes", l.FirstSeen.AgeMinutes),
			),
		}
		if l.SenderRegistered != nil {
			items = append(items, w.boolean("sender_registered", *l.SenderRegistered))
		}
		if t := w.obj("", items...)[1]; out != nil {
			out[i] = t
		}
	}
	return w.arr("links", len(ls), out)
}
