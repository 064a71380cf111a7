package filter

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/msgfilter/msgfilter/rules"
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
		w.message(&f.Message),
		w.time(&f.Time),
		w.sender(&f.Sender),
		w.recipient(&f.Recipient),
		w.source(&f.Source),
		w.content(&f.Content),
		w.links(f.Links),
		w.conversation(&f.Conversation),
		w.campaign(&f.Campaign),
		w.dlt(&f.DLT),
	)
}

func (w walker) message(m *MessageFacts) [2]*ast.Term {
	return w.obj("message",
		w.str("channel", string(m.Channel)),
		w.str("kind", string(m.Kind)),
		w.str("country", m.Country),
		w.str("tenant", m.Tenant),
		w.num("length", m.Length),
		w.str("template", m.Template),
		w.str("template_category", m.TemplateCategory),
		w.str("tag", m.Tag),
		w.str("encoding", m.Encoding),
		w.num("segments", m.Segments),
	)
}

func (w walker) time(t *TimeFacts) [2]*ast.Term {
	if w.k != nil && !w.build && w.timeKey != nil && w.timeKey.clockUse == w.clockUse {
		w.k.raw(w.timeKey.b)
		return [2]*ast.Term{}
	}
	return w.obj("time",
		w.clock(t).str("local", t.Local),
		w.clock(t).str("date", t.Date),
		w.clock(t).str("weekday", t.Weekday),
		w.clock(t).num("minute", t.Minute),
		w.str("zone", t.Zone),
		w.quietUntil(t.QuietUntil),
	)
}

func (w walker) recipient(r *RecipientFacts) [2]*ast.Term {
	return w.obj("recipient",
		w.str("country", r.Country),
		w.str("number_type", string(r.NumberType)),
		w.str("zone", r.Zone),
		w.str("region", r.Region),
	)
}

func (w walker) campaign(c *CampaignFacts) [2]*ast.Term {
	return w.obj("campaign",
		w.boolean("reported", c.Reported),
	)
}

func (w walker) dlt(d *DLTFacts) [2]*ast.Term {
	return w.obj("dlt",
		w.boolean("checked", d.Checked),
		w.str("header", d.Header),
		w.boolean("matched", d.Matched),
		w.str("template_id", d.TemplateID),
	)
}

// walker hashes the fields it visits into k (unless nil) and, with build,
// returns them as OPA items; without build its items are empty.
type walker struct {
	k     *keyHasher
	build bool
	// clockUse: when the policies read the local clock (rules.Set.Clock).
	// When they cannot read it for this message, the key leaves it out,
	// and a message decided at one minute is decided for the next ones
	// (see walker.clock).
	clockUse rules.ClockUse
	// timeKey, when set, is what time writes into k for the check's time
	// facts with clockUse (the clock cache's, newTimeKey).
	timeKey *timeKey
	// contentKey, when set, is what content writes into k for the
	// check's content facts (the template entry's, templateEntry.contentKey).
	contentKey *contentKey
}

// timeKey is the bytes the hash-only walk writes for one set of time facts
// with one clockUse, made by that walk (newTimeKey) and kept beside the
// facts in the clock cache (clockEntry), whose checks share them: a check
// copies them instead of walking the time object (its quiet-hours names
// sorted, a call per field), about a fifth of the walk. They are the
// walk's own bytes for the very facts the check holds (the clock entry's,
// never written once stored), so the key is unchanged
// (TestTimeKeyEqualsWalk).
type timeKey struct {
	clockUse rules.ClockUse
	b        string
}

// newTimeKey walks t as the fact key's walk does with clockUse, or returns
// nil when the bytes do not fit in the hasher's block (no pack has so many
// quiet-hours specs).
func newTimeKey(t *TimeFacts, clockUse rules.ClockUse) *timeKey {
	k := hasherPool.Get().(*keyHasher)
	defer hasherPool.Put(k)
	k.reset()
	walker{k: k, clockUse: clockUse}.time(t)
	if k.flushed {
		return nil
	}
	return &timeKey{clockUse: clockUse, b: string(k.buf[:k.n])}
}

// clock is the walker for the local clock's fields (time: local, date,
// weekday, minute): w itself, or, when the policies cannot read the clock
// for this message (never, or only while a quiet-hours spec holds it and
// none does), one that builds them but leaves them out of the key. The
// input OPA gets always has them.
func (w walker) clock(t *TimeFacts) walker {
	switch {
	case w.k == nil, w.clockUse == rules.ClockRead,
		w.clockUse == rules.ClockGated && len(t.QuietUntil) > 0:
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
	if w.k != nil && !w.k.fitStr(kindName, key) {
		w.k.kindStr(kindName, key)
	}
}

// The leaves and closes below hash their kind and value with one call to
// the hasher each (keyHasher.kindStr and the like), and for the common
// case none: its fast path (fitStr, fitUvarint) is inlined here. The walk
// is a check's longest stretch of hashing, dozens of fields, most a few
// bytes.

func (w walker) str(key, v string) [2]*ast.Term {
	if w.k != nil && !w.k.fitStr(kindString, v) {
		w.k.kindStr(kindString, v)
	}
	if !w.build {
		return [2]*ast.Term{}
	}
	return item(key, ast.InternedTerm(v))
}

func (w walker) num(key string, v int) [2]*ast.Term {
	if w.k != nil && !w.k.fitUvarint(kindNumber, uint64(v)) {
		w.k.kindUvarint(kindNumber, uint64(v))
	}
	if !w.build {
		return [2]*ast.Term{}
	}
	return item(key, ast.InternedTerm(v))
}

func (w walker) float(key string, v float64) [2]*ast.Term {
	if w.k != nil {
		w.k.kindU64(kindFloat, math.Float64bits(v))
	}
	if !w.build {
		return [2]*ast.Term{}
	}
	return item(key, ast.NumberTerm(json.Number(strconv.FormatFloat(v, 'f', -1, 64))))
}

func (w walker) boolean(key string, v bool) [2]*ast.Term {
	if w.k != nil {
		b := byte(0)
		if v {
			b = 1
		}
		if !w.k.fitUvarint(kindBool, uint64(b)) {
			w.k.kindUvarint(kindBool, uint64(b))
		}
	}
	if !w.build {
		return [2]*ast.Term{}
	}
	return item(key, ast.InternedTerm(v))
}

// obj closes an object whose items were written (and hashed) already.
func (w walker) obj(key string, items ...[2]*ast.Term) [2]*ast.Term {
	if w.k != nil && !w.k.fitUvarint(kindObject, uint64(len(items))) {
		w.k.kindUvarint(kindObject, uint64(len(items)))
	}
	if !w.build {
		return [2]*ast.Term{}
	}
	return item(key, ast.NewTerm(ast.NewObject(items...)))
}

// arr closes an array of n elements written already (objects or strings
// closed with the key ""); elems is nil without build.
func (w walker) arr(key string, n int, elems []*ast.Term) [2]*ast.Term {
	if w.k != nil && !w.k.fitUvarint(kindArray, uint64(n)) {
		w.k.kindUvarint(kindArray, uint64(n))
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
	if w.k != nil && !w.build && w.contentKey != nil {
		w.k.raw(w.contentKey.b)
		return [2]*ast.Term{}
	}
	return w.obj("content",
		w.boolean("opt_out_text", c.OptOutText),
		w.boolean("opt_out_instruction", c.OptOutInstruction),
		w.boolean("bidi_overflow", c.BidiOverflow),
		w.categories(c.Categories),
		w.phoneNumbers(c.PhoneNumbers),
		w.model(&c.Model),
	)
}

// categories walks the categories in name order: the hash must not depend
// on map order.
func (w walker) categories(cs Categories) [2]*ast.Term {
	names := make([]string, 0, len(cs))
	for name := range cs {
		names = append(names, name)
	}
	slices.Sort(names)
	cats := make([][2]*ast.Term, len(names))
	for i, name := range names {
		cat := cs[name]
		w.name(name)
		cats[i] = w.category(name, &cat)
	}
	return w.obj("categories", cats...)
}

func (w walker) category(name string, c *CategoryFacts) [2]*ast.Term {
	return w.obj(name,
		w.num("score", c.Score),
		w.strings("terms", c.Terms),
		w.strings("evidence", c.Evidence),
	)
}

func (w walker) phoneNumbers(ns []PhoneNumberFacts) [2]*ast.Term {
	phones := w.terms(len(ns))
	for i := range ns {
		if t := w.phoneNumber(&ns[i]); phones != nil {
			phones[i] = t
		}
	}
	return w.arr("phone_numbers", len(ns), phones)
}

func (w walker) phoneNumber(n *PhoneNumberFacts) *ast.Term {
	return w.obj("",
		w.str("text", n.Text),
		w.str("e164", n.E164),
		w.str("region", n.Region),
		w.str("type", string(n.Type)),
	)[1]
}

func (w walker) model(m *ModelFacts) [2]*ast.Term {
	return w.obj("model",
		w.float("spam", m.Spam),
		w.float("fraud", m.Fraud),
		w.float("unwanted", m.Unwanted),
		w.features(&m.Features),
		w.thresholds(&m.Thresholds),
	)
}

func (w walker) features(f *ModelFeatures) [2]*ast.Term {
	return w.obj("features",
		w.strings("spam", f.Spam),
		w.strings("fraud", f.Fraud),
	)
}

// thresholdHeads are, for each threshold, the bytes the walk hashes before
// its value: its name (walker.name: kindName, its length as a uvarint of
// one byte, the name) and kindFloat (walker.float, whose value follows as
// eight bytes, keyHasher.kindU64).
var thresholdHeads = func() (h [len(modelThresholdNames)]string) {
	for i, name := range modelThresholdNames {
		h[i] = string([]byte{kindName, byte(len(name))}) + name + string([]byte{kindFloat})
	}
	return h
}()

// thresholds walks the set thresholds in name order. Which ones are set
// is data, as a map's keys are, so each is written with its name: two
// sets of the same size never hash the same.
func (w walker) thresholds(t *ModelThresholdFacts) [2]*ast.Term {
	if !w.build {
		// Hashing only, as on every check: each set threshold is one
		// copy of what name and float write before its value, then the
		// value (TestThresholdsKey holds the bytes to the general walk).
		if w.k != nil {
			n := 0
			for i := range modelThresholdNames {
				if t.set[i] {
					w.k.raw(thresholdHeads[i])
					w.k.u64(math.Float64bits(t.v[i]))
					n++
				}
			}
			w.k.kindUvarint(kindObject, uint64(n))
		}
		return [2]*ast.Term{}
	}
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
		if t := w.link(&ls[i]); out != nil {
			out[i] = t
		}
	}
	return w.arr("links", len(ls), out)
}

func (w walker) link(l *LinkFacts) *ast.Term {
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
		w.boolean("chat_invite", l.ChatInvite),
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
	return w.obj("", items...)[1]
}

// Policy-aware fact keys. A query's read program (rules.Reads) says which
// facts its rules can see and under which conditions; the key hashes those
// and no others, so that messages whose facts differ only where the
// destination's rules cannot look share one decision. rules.Reads states
// why the program is sound; here each step is resolved once per revision
// to a getter of the fact it names (readPlan), and run on every check that
// reaches the fact cache (readPlan.hash).

// Entries of a key written by a read program, beside the walk's kinds.
const (
	kindAbsent    = iota + 20 // a read path the facts do not have
	kindFalse                 // a guard that did not hold: its body ends
	kindTrue                  // a guard that held
	kindUndecided             // a guard Go cannot decide: its operands follow, whole
	kindReads                 // first of a key by a read program
	kindPart                  // first of a pack's key by its read program (parts.go)
)

// leaf is the value of a fact path for a guard: a scalar, or only the
// kind of an object or array.
type leaf struct {
	kind byte // kindString, kindNumber, kindBool, kindObject, kindArray, kindNull
	s    string
	f    float64
	b    bool
}

const kindNull = 0

// factPath reads one input path of the facts: get gives its value (false
// when the facts have no such path), hash writes its whole subtree (or
// kindAbsent) into the key.
type factPath struct {
	get  func(f *Facts) (leaf, bool)
	hash func(w walker, f *Facts)
}

func strLeaf(v string) (leaf, bool)    { return leaf{kind: kindString, s: v}, true }
func numLeaf(v int) (leaf, bool)       { return leaf{kind: kindNumber, f: float64(v)}, true }
func floatLeaf(v float64) (leaf, bool) { return leaf{kind: kindNumber, f: v}, true }
func boolLeaf(v bool) (leaf, bool)     { return leaf{kind: kindBool, b: v}, true }
func objLeaf() (leaf, bool)            { return leaf{kind: kindObject}, true }
func arrLeaf() (leaf, bool)            { return leaf{kind: kindArray}, true }

// absent is the path of nothing the facts hold.
var absent = factPath{
	get:  func(*Facts) (leaf, bool) { return leaf{}, false },
	hash: func(w walker, _ *Facts) { w.mark(kindAbsent) },
}

// scalarPath is the path of a leaf that is always present: its hash is
// its value's, as the walk writes it.
func scalarPath(get func(f *Facts) (leaf, bool)) factPath {
	return factPath{get: get, hash: func(w walker, f *Facts) {
		v, _ := get(f)
		w.leaf(v)
	}}
}

// optional is the path of a leaf or subtree present only when has says.
func optional(has func(f *Facts) bool, get func(f *Facts) (leaf, bool), hash func(w walker, f *Facts)) factPath {
	return factPath{
		get: func(f *Facts) (leaf, bool) {
			if !has(f) {
				return leaf{}, false
			}
			return get(f)
		},
		hash: func(w walker, f *Facts) {
			if !has(f) {
				w.mark(kindAbsent)
				return
			}
			hash(w, f)
		},
	}
}

// tree is the path of an object or array always present.
func tree(kind byte, hash func(w walker, f *Facts)) factPath {
	get := objLeaf
	if kind == kindArray {
		get = arrLeaf
	}
	return factPath{get: func(*Facts) (leaf, bool) { return get() }, hash: hash}
}

// leaf writes a scalar as the walk does.
func (w walker) leaf(v leaf) {
	switch v.kind {
	case kindString:
		w.str("", v.s)
	case kindBool:
		w.boolean("", v.b)
	case kindNumber:
		w.float("", v.f)
	}
}

// resolveFact returns the reader of an input path of the facts document
// (facts.go's JSON names; nil: the whole input). A path the schema does
// not have reads as absent, as it is in every input.
func resolveFact(p []string) factPath {
	if len(p) == 0 {
		return tree(kindObject, func(w walker, f *Facts) { f.walk(w) })
	}
	str := func(get func(f *Facts) string) factPath {
		return scalarPath(func(f *Facts) (leaf, bool) { return strLeaf(get(f)) })
	}
	num := func(get func(f *Facts) int) factPath {
		return scalarPath(func(f *Facts) (leaf, bool) { return numLeaf(get(f)) })
	}
	boolean := func(get func(f *Facts) bool) factPath {
		return scalarPath(func(f *Facts) (leaf, bool) { return boolLeaf(get(f)) })
	}
	field := func(sub []string, whole factPath, fields map[string]factPath) factPath {
		switch {
		case len(sub) == 0:
			return whole
		case len(sub) == 1:
			if r, ok := fields[sub[0]]; ok {
				return r
			}
		}
		return absent // a field of a leaf, or one the schema has not
	}
	switch p[0] {
	case "schema":
		if len(p) == 1 {
			return num(func(f *Facts) int { return f.Schema })
		}
	case "message":
		return field(p[1:], tree(kindObject, func(w walker, f *Facts) { w.message(&f.Message) }), map[string]factPath{
			"channel":           str(func(f *Facts) string { return string(f.Message.Channel) }),
			"kind":              str(func(f *Facts) string { return string(f.Message.Kind) }),
			"country":           str(func(f *Facts) string { return f.Message.Country }),
			"tenant":            str(func(f *Facts) string { return f.Message.Tenant }),
			"length":            num(func(f *Facts) int { return f.Message.Length }),
			"template":          str(func(f *Facts) string { return f.Message.Template }),
			"template_category": str(func(f *Facts) string { return f.Message.TemplateCategory }),
			"tag":               str(func(f *Facts) string { return f.Message.Tag }),
			"encoding":          str(func(f *Facts) string { return f.Message.Encoding }),
			"segments":          num(func(f *Facts) int { return f.Message.Segments }),
		})
	case "time":
		if len(p) >= 2 && p[1] == "quiet_until" {
			if len(p) == 2 {
				return tree(kindObject, func(w walker, f *Facts) { w.quietUntil(f.Time.QuietUntil) })
			}
			if len(p) == 3 {
				name := p[2]
				return optional(func(f *Facts) bool { _, ok := f.Time.QuietUntil[name]; return ok },
					func(f *Facts) (leaf, bool) { return strLeaf(f.Time.QuietUntil[name]) },
					func(w walker, f *Facts) { w.str("", f.Time.QuietUntil[name]) })
			}
			return absent
		}
		return field(p[1:], tree(kindObject, func(w walker, f *Facts) { w.time(&f.Time) }), map[string]factPath{
			"local":   str(func(f *Facts) string { return f.Time.Local }),
			"date":    str(func(f *Facts) string { return f.Time.Date }),
			"weekday": str(func(f *Facts) string { return f.Time.Weekday }),
			"minute":  num(func(f *Facts) int { return f.Time.Minute }),
			"zone":    str(func(f *Facts) string { return f.Time.Zone }),
		})
	case "sender":
		return field(p[1:], tree(kindObject, func(w walker, f *Facts) { w.sender(&f.Sender) }), map[string]factPath{
			"raw":         str(func(f *Facts) string { return f.Sender.Raw }),
			"kind":        str(func(f *Facts) string { return string(f.Sender.Kind) }),
			"country":     str(func(f *Facts) string { return f.Sender.Country }),
			"number_type": str(func(f *Facts) string { return string(f.Sender.NumberType) }),
			"valid":       boolean(func(f *Facts) bool { return f.Sender.Valid }),
			"reason":      str(func(f *Facts) string { return f.Sender.Reason }),
			"registered": optional(func(f *Facts) bool { return f.Sender.Registered != nil },
				func(f *Facts) (leaf, bool) { return boolLeaf(*f.Sender.Registered) },
				func(w walker, f *Facts) { w.boolean("", *f.Sender.Registered) }),
		})
	case "recipient":
		return field(p[1:], tree(kindObject, func(w walker, f *Facts) { w.recipient(&f.Recipient) }), map[string]factPath{
			"country":     str(func(f *Facts) string { return f.Recipient.Country }),
			"number_type": str(func(f *Facts) string { return string(f.Recipient.NumberType) }),
			"zone":        str(func(f *Facts) string { return f.Recipient.Zone }),
			"region":      str(func(f *Facts) string { return f.Recipient.Region }),
		})
	case "source":
		return field(p[1:], tree(kindObject, func(w walker, f *Facts) { w.source(&f.Source) }), map[string]factPath{
			"present":  boolean(func(f *Facts) bool { return f.Source.Present }),
			"country":  str(func(f *Facts) string { return f.Source.Country }),
			"asn":      num(func(f *Facts) int { return int(f.Source.ASN) }),
			"reserved": boolean(func(f *Facts) bool { return f.Source.Reserved }),
			"found":    boolean(func(f *Facts) bool { return f.Source.Found }),
			"blocked":  boolean(func(f *Facts) bool { return f.Source.Blocked }),
			"ip": optional(func(f *Facts) bool { return f.Source.IP != "" },
				func(f *Facts) (leaf, bool) { return strLeaf(f.Source.IP) },
				func(w walker, f *Facts) { w.str("", f.Source.IP) }),
		})
	case "content":
		return resolveContent(p[1:], str, boolean)
	case "links":
		if len(p) == 1 {
			return tree(kindArray, func(w walker, f *Facts) { w.links(f.Links) })
		}
		return absent // an array has no string keys
	case "conversation":
		if len(p) >= 2 && p[1] == "same_subject_24h" {
			has := func(f *Facts) bool { return f.Conversation.SameSubject != (SameSubjectFacts{}) }
			switch {
			case len(p) == 2:
				return optional(has, func(*Facts) (leaf, bool) { return objLeaf() }, func(w walker, f *Facts) {
					w.num("", f.Conversation.SameSubject.Count)
					w.str("", f.Conversation.SameSubject.Reopens)
				})
			case len(p) == 3 && p[2] == "count":
				return optional(has, func(f *Facts) (leaf, bool) { return numLeaf(f.Conversation.SameSubject.Count) },
					func(w walker, f *Facts) { w.num("", f.Conversation.SameSubject.Count) })
			case len(p) == 3 && p[2] == "reopens":
				return optional(has, func(f *Facts) (leaf, bool) { return strLeaf(f.Conversation.SameSubject.Reopens) },
					func(w walker, f *Facts) { w.str("", f.Conversation.SameSubject.Reopens) })
			}
			return absent
		}
		return field(p[1:], tree(kindObject, func(w walker, f *Facts) { w.conversation(&f.Conversation) }), map[string]factPath{
			"has_inbound":         boolean(func(f *Facts) bool { return f.Conversation.HasInbound }),
			"inbound_age_minutes": num(func(f *Facts) int { return f.Conversation.InboundAgeMinutes }),
			"opted_out":           boolean(func(f *Facts) bool { return f.Conversation.OptedOut }),
			"session_messages":    num(func(f *Facts) int { return f.Conversation.SessionMessages }),
		})
	case "campaign":
		return field(p[1:], tree(kindObject, func(w walker, f *Facts) { w.campaign(&f.Campaign) }), map[string]factPath{
			"reported": boolean(func(f *Facts) bool { return f.Campaign.Reported }),
		})
	case "dlt":
		return field(p[1:], tree(kindObject, func(w walker, f *Facts) { w.dlt(&f.DLT) }), map[string]factPath{
			"checked":     boolean(func(f *Facts) bool { return f.DLT.Checked }),
			"header":      str(func(f *Facts) string { return f.DLT.Header }),
			"matched":     boolean(func(f *Facts) bool { return f.DLT.Matched }),
			"template_id": str(func(f *Facts) string { return f.DLT.TemplateID }),
		})
	}
	return absent
}

// resolveContent is resolveFact under "content".
func resolveContent(p []string, str func(func(*Facts) string) factPath, boolean func(func(*Facts) bool) factPath) factPath {
	if len(p) == 0 {
		return tree(kindObject, func(w walker, f *Facts) { w.content(&f.Content) })
	}
	switch p[0] {
	case "opt_out_text", "opt_out_instruction", "bidi_overflow":
		if len(p) > 1 {
			return absent
		}
		switch p[0] {
		case "opt_out_text":
			return boolean(func(f *Facts) bool { return f.Content.OptOutText })
		case "opt_out_instruction":
			return boolean(func(f *Facts) bool { return f.Content.OptOutInstruction })
		default:
			return boolean(func(f *Facts) bool { return f.Content.BidiOverflow })
		}
	case "phone_numbers":
		if len(p) == 1 {
			return tree(kindArray, func(w walker, f *Facts) { w.phoneNumbers(f.Content.PhoneNumbers) })
		}
	case "categories":
		if len(p) == 1 {
			return tree(kindObject, func(w walker, f *Facts) { w.categories(f.Content.Categories) })
		}
		name := p[1]
		has := func(f *Facts) bool { _, ok := f.Content.Categories[name]; return ok }
		cat := func(f *Facts) CategoryFacts { return f.Content.Categories[name] }
		switch {
		case len(p) == 2:
			return optional(has, func(*Facts) (leaf, bool) { return objLeaf() },
				func(w walker, f *Facts) { c := cat(f); w.category(name, &c) })
		case len(p) == 3 && p[2] == "score":
			return optional(has, func(f *Facts) (leaf, bool) { return numLeaf(cat(f).Score) },
				func(w walker, f *Facts) { w.num("", cat(f).Score) })
		case len(p) == 3 && p[2] == "terms":
			return optional(has, func(*Facts) (leaf, bool) { return arrLeaf() },
				func(w walker, f *Facts) { w.strings("", cat(f).Terms) })
		case len(p) == 3 && p[2] == "evidence":
			return optional(has, func(*Facts) (leaf, bool) { return arrLeaf() },
				func(w walker, f *Facts) { w.strings("", cat(f).Evidence) })
		}
	case "model":
		switch {
		case len(p) == 1:
			return tree(kindObject, func(w walker, f *Facts) { w.model(&f.Content.Model) })
		case len(p) == 2 && p[1] == "spam":
			return scalarPath(func(f *Facts) (leaf, bool) { return floatLeaf(f.Content.Model.Spam) })
		case len(p) == 2 && p[1] == "fraud":
			return scalarPath(func(f *Facts) (leaf, bool) { return floatLeaf(f.Content.Model.Fraud) })
		case len(p) == 2 && p[1] == "unwanted":
			return scalarPath(func(f *Facts) (leaf, bool) { return floatLeaf(f.Content.Model.Unwanted) })
		case len(p) == 2 && p[1] == "features":
			return tree(kindObject, func(w walker, f *Facts) { w.features(&f.Content.Model.Features) })
		case len(p) == 3 && p[1] == "features" && p[2] == "spam":
			return tree(kindArray, func(w walker, f *Facts) { w.strings("", f.Content.Model.Features.Spam) })
		case len(p) == 3 && p[1] == "features" && p[2] == "fraud":
			return tree(kindArray, func(w walker, f *Facts) { w.strings("", f.Content.Model.Features.Fraud) })
		case len(p) == 2 && p[1] == "thresholds":
			return tree(kindObject, func(w walker, f *Facts) { w.thresholds(&f.Content.Model.Thresholds) })
		case len(p) == 3 && p[1] == "thresholds":
			i := slices.Index(modelThresholdNames[:], p[2])
			if i < 0 {
				return absent
			}
			return optional(func(f *Facts) bool { return f.Content.Model.Thresholds.set[i] },
				func(f *Facts) (leaf, bool) { return floatLeaf(f.Content.Model.Thresholds.v[i]) },
				func(w walker, f *Facts) { w.float("", f.Content.Model.Thresholds.v[i]) })
		}
	}
	return absent
}

// elemPath reads one path in the i-th element of an array of the facts,
// as factPath does in the facts.
type elemPath struct {
	get  func(f *Facts, i int) (leaf, bool)
	hash func(w walker, f *Facts, i int)
}

// elemLeaf is the path of a leaf every element has.
func elemLeaf(get func(f *Facts, i int) leaf) elemPath {
	return elemPath{
		get:  func(f *Facts, i int) (leaf, bool) { return get(f, i), true },
		hash: func(w walker, f *Facts, i int) { w.leaf(get(f, i)) },
	}
}

// absentElem is the path of nothing an element holds.
var absentElem = elemPath{
	get:  func(*Facts, int) (leaf, bool) { return leaf{}, false },
	hash: func(w walker, _ *Facts, _ int) { w.mark(kindAbsent) },
}

// collection is an array of the facts a read program iterates element by
// element: its length and the readers of paths in its elements.
type collection struct {
	n    func(f *Facts) int
	elem func(p []string) elemPath
}

// resolveCollection returns the reader of the array at p, when the
// program can read its elements one by one: the links and the body's
// phone numbers. Another collection is read whole.
func resolveCollection(p []string) (collection, bool) {
	switch {
	case slices.Equal(p, []string{"links"}):
		return collection{n: func(f *Facts) int { return len(f.Links) }, elem: resolveLink}, true
	case slices.Equal(p, []string{"content", "phone_numbers"}):
		return collection{n: func(f *Facts) int { return len(f.Content.PhoneNumbers) }, elem: resolvePhoneNumber}, true
	}
	return collection{}, false
}

func resolvePhoneNumber(p []string) elemPath {
	n := func(f *Facts, i int) *PhoneNumberFacts { return &f.Content.PhoneNumbers[i] }
	if len(p) == 0 {
		return elemPath{
			get:  func(*Facts, int) (leaf, bool) { return objLeaf() },
			hash: func(w walker, f *Facts, i int) { w.phoneNumber(n(f, i)) },
		}
	}
	if len(p) > 1 {
		return absentElem
	}
	switch p[0] {
	case "text":
		return elemLeaf(func(f *Facts, i int) leaf { return leaf{kind: kindString, s: n(f, i).Text} })
	case "e164":
		return elemLeaf(func(f *Facts, i int) leaf { return leaf{kind: kindString, s: n(f, i).E164} })
	case "region":
		return elemLeaf(func(f *Facts, i int) leaf { return leaf{kind: kindString, s: n(f, i).Region} })
	case "type":
		return elemLeaf(func(f *Facts, i int) leaf { return leaf{kind: kindString, s: string(n(f, i).Type)} })
	}
	return absentElem
}

// linkStrings and linkBools are the scalar fields of a link, by name.
var (
	linkStrings = map[string]func(l *LinkFacts) string{
		"url":          func(l *LinkFacts) string { return l.URL },
		"host":         func(l *LinkFacts) string { return l.Host },
		"unicode_host": func(l *LinkFacts) string { return l.UnicodeHost },
		"domain":       func(l *LinkFacts) string { return l.Domain },
		"homograph_of": func(l *LinkFacts) string { return l.HomographOf },
		"brand_of":     func(l *LinkFacts) string { return l.BrandOf },
		"tld_country":  func(l *LinkFacts) string { return l.TLDCountry },
	}
	linkBools = map[string]func(l *LinkFacts) bool{
		"ip_literal":         func(l *LinkFacts) bool { return l.IPLiteral },
		"shortener":          func(l *LinkFacts) bool { return l.Shortener },
		"punycode":           func(l *LinkFacts) bool { return l.Punycode },
		"mixed_script":       func(l *LinkFacts) bool { return l.MixedScript },
		"userinfo":           func(l *LinkFacts) bool { return l.Userinfo },
		"phishing":           func(l *LinkFacts) bool { return l.Phishing },
		"blocked":            func(l *LinkFacts) bool { return l.Blocked },
		"brand_in_subdomain": func(l *LinkFacts) bool { return l.BrandInSubdomain },
		"brand_in_path":      func(l *LinkFacts) bool { return l.BrandInPath },
		"brand_in_text":      func(l *LinkFacts) bool { return l.BrandInText },
		"typosquat":          func(l *LinkFacts) bool { return l.Typosquat },
		"combosquat":         func(l *LinkFacts) bool { return l.Combosquat },
		"ascii_lookalike":    func(l *LinkFacts) bool { return l.ASCIILookalike },
		"lure_words":         func(l *LinkFacts) bool { return l.LureWords },
		"abused_tld":         func(l *LinkFacts) bool { return l.AbusedTLD },
		"free_hosting":       func(l *LinkFacts) bool { return l.FreeHosting },
		"dynamic_dns":        func(l *LinkFacts) bool { return l.DynamicDNS },
		"random_label":       func(l *LinkFacts) bool { return l.RandomLabel },
		"digit_heavy":        func(l *LinkFacts) bool { return l.DigitHeavy },
		"hyphen_heavy":       func(l *LinkFacts) bool { return l.HyphenHeavy },
		"credential_path":    func(l *LinkFacts) bool { return l.CredentialPath },
		"non_standard_port":  func(l *LinkFacts) bool { return l.NonStandardPort },
		"deceptive_host":     func(l *LinkFacts) bool { return l.DeceptiveHost },
		"chat_invite":        func(l *LinkFacts) bool { return l.ChatInvite },
		"kit_path":           func(l *LinkFacts) bool { return l.KitPath },
		"redirect_path":      func(l *LinkFacts) bool { return l.RedirectPath },
	}
)

func resolveLink(p []string) elemPath {
	link := func(f *Facts, i int) *LinkFacts { return &f.Links[i] }
	switch {
	case len(p) == 0:
		return elemPath{
			get:  func(*Facts, int) (leaf, bool) { return objLeaf() },
			hash: func(w walker, f *Facts, i int) { w.link(link(f, i)) },
		}
	case p[0] == "first_seen":
		switch {
		case len(p) == 1:
			return elemPath{
				get: func(*Facts, int) (leaf, bool) { return objLeaf() },
				hash: func(w walker, f *Facts, i int) {
					fs := link(f, i).FirstSeen
					w.boolean("", fs.Known)
					w.num("", fs.AgeMinutes)
				},
			}
		case len(p) == 2 && p[1] == "known":
			return elemLeaf(func(f *Facts, i int) leaf { return leaf{kind: kindBool, b: link(f, i).FirstSeen.Known} })
		case len(p) == 2 && p[1] == "age_minutes":
			return elemLeaf(func(f *Facts, i int) leaf {
				return leaf{kind: kindNumber, f: float64(link(f, i).FirstSeen.AgeMinutes)}
			})
		}
		return absentElem
	case len(p) > 1:
		return absentElem
	case p[0] == "scripts":
		return elemPath{
			get:  func(*Facts, int) (leaf, bool) { return arrLeaf() },
			hash: func(w walker, f *Facts, i int) { w.strings("", link(f, i).Scripts) },
		}
	case p[0] == "sender_registered":
		return elemPath{
			get: func(f *Facts, i int) (leaf, bool) {
				if r := link(f, i).SenderRegistered; r != nil {
					return boolLeaf(*r)
				}
				return leaf{}, false
			},
			hash: func(w walker, f *Facts, i int) {
				if r := link(f, i).SenderRegistered; r != nil {
					w.boolean("", *r)
					return
				}
				w.mark(kindAbsent)
			},
		}
	}
	if get, ok := linkStrings[p[0]]; ok {
		return elemLeaf(func(f *Facts, i int) leaf { return leaf{kind: kindString, s: get(link(f, i))} })
	}
	if get, ok := linkBools[p[0]]; ok {
		return elemLeaf(func(f *Facts, i int) leaf { return leaf{kind: kindBool, b: get(link(f, i))} })
	}
	return absentElem
}

// readPlan is a revision's read programs (rules.Reads) with each path
// resolved: one per rules.Set, shared by its queries. Immutable.
type readPlan struct {
	rules []planRule
}

type planRule struct{ bodies [][]planStep }

type planStep struct {
	kind   rules.StepKind
	cmp    string
	negate bool
	a, b   operand // b: when !bConst
	bConst bool
	bValue leaf
	set    []leaf
	typ    byte
	rule   int
	// StepEach: the collection's length (nil: a collection read whole,
	// a), and the steps run for each element (once, without one, when
	// the collection is read whole).
	n    func(f *Facts) int
	body []planStep
}

// operand is a path of a step: in the facts, or in the element of the
// enclosing iteration. In a collection read whole, an element's path is
// known already and Go decides nothing of it (inWhole).
type operand struct {
	fact    factPath
	elem    elemPath
	isElem  bool
	inWhole bool
}

// get returns the operand's value in f, with the iteration at element i.
func (o *operand) get(f *Facts, i int) (leaf, bool) {
	if o.isElem {
		return o.elem.get(f, i)
	}
	return o.fact.get(f)
}

// hash writes the operand's subtree, with the iteration at element i.
func (o *operand) hash(w walker, f *Facts, i int) {
	switch {
	case o.inWhole:
	case o.isElem:
		o.elem.hash(w, f, i)
	default:
		o.fact.hash(w, f)
	}
}

// queryPlan is the read program of one query, and of each of its parts
// (nil when it has none).
type queryPlan struct {
	id    int
	units []int
	plan  *readPlan
	parts []partPlan
}

// newReadPlan resolves the rule programs every Reads of a Set shares.
func newReadPlan(rs []rules.ReadRule) *readPlan {
	p := &readPlan{rules: make([]planRule, len(rs))}
	for i, r := range rs {
		bodies := make([][]planStep, len(r.Bodies))
		for j, body := range r.Bodies {
			bodies[j] = planSteps(body, nil, false)
		}
		p.rules[i] = planRule{bodies: bodies}
	}
	return p
}

// planSteps resolves a body's steps; elems are the readers of the
// enclosing iteration's elements (nil: none, or whole when read whole).
func planSteps(body []rules.ReadStep, elems func(p []string) elemPath, whole bool) []planStep {
	steps := make([]planStep, len(body))
	for k, st := range body {
		steps[k] = planStepOf(st, elems, whole)
	}
	return steps
}

func planStepOf(st rules.ReadStep, elems func(p []string) elemPath, whole bool) planStep {
	ps := planStep{kind: st.Kind, cmp: st.Cmp, negate: st.Negate, rule: st.Rule}
	resolve := func(p []string, elem bool) operand {
		switch {
		case !elem:
			return operand{fact: resolveFact(p)}
		case whole || elems == nil:
			return operand{isElem: true, inWhole: true}
		}
		return operand{isElem: true, elem: elems(p)}
	}
	switch st.Kind {
	case rules.StepEach:
		c, ok := resolveCollection(st.Path)
		if !ok {
			ps.a = operand{fact: resolveFact(st.Path)}
			ps.body = planSteps(st.Body, nil, true)
			break
		}
		ps.n = c.n
		ps.body = planSteps(st.Body, c.elem, false)
	case rules.StepRead:
		ps.a = resolve(st.Path, st.Elem)
	case rules.StepGuard:
		ps.a = resolve(st.A.Path, st.A.Elem)
		if st.B.IsPath {
			ps.b = resolve(st.B.Path, st.B.Elem)
		} else {
			ps.bConst, ps.bValue = true, constLeaf(st.B.Const)
		}
		for _, c := range st.Set {
			ps.set = append(ps.set, constLeaf(c))
		}
		ps.typ = map[string]byte{"string": kindString, "number": kindNumber, "boolean": kindBool,
			"null": kindNull, "array": kindArray, "object": kindObject}[st.Type]
		if st.Cmp == rules.CmpType && st.Type == "set" {
			ps.typ = 0xff // the facts have no sets
		}
	}
	return ps
}

func constLeaf(c any) leaf {
	switch v := c.(type) {
	case string:
		return leaf{kind: kindString, s: v}
	case float64:
		return leaf{kind: kindNumber, f: v}
	case bool:
		return leaf{kind: kindBool, b: v}
	}
	return leaf{kind: kindNull}
}

// hash writes the key of q's reads of f: the query's id, then each unit's
// program. done marks the rules run already (one bit each, len(rules)
// bits at least, zero on entry).
func (q *queryPlan) hash(w walker, f *Facts, done []uint64) {
	w.k.uvarint(uint64(q.id))
	for _, u := range q.units {
		q.plan.run(w, f, u, done)
	}
}

// run writes rule r's reads, once per key. It reports whether a body of
// r may reach its head: false when every body has a guard that does not
// hold (for an iteration, for every element), so that r gives nothing
// whatever the rest of the facts; true, as a superset, for a rule run
// before.
func (p *readPlan) run(w walker, f *Facts, r int, done []uint64) bool {
	if done[r/64]&(1<<(r%64)) != 0 {
		return true
	}
	done[r/64] |= 1 << (r % 64)
	reached := false
	for _, body := range p.rules[r].bodies {
		if p.steps(w, f, body, -1, done) {
			reached = true
		}
	}
	return reached
}

// steps writes the reads of a body's steps, with the enclosing iteration
// at element elem, and reports whether the body may reach its end: no
// guard of it (of every element's, in an iteration) failed.
func (p *readPlan) steps(w walker, f *Facts, body []planStep, elem int, done []uint64) bool {
	for i := range body {
		st := &body[i]
		switch st.kind {
		case rules.StepRead:
			st.a.hash(w, f, elem)
		case rules.StepRule:
			p.run(w, f, st.rule, done)
		case rules.StepEach:
			if st.n == nil {
				st.a.hash(w, f, elem)
				return p.steps(w, f, st.body, -1, done)
			}
			n := st.n(f)
			w.arr("", n, nil)
			reached := false
			for j := range n {
				if p.steps(w, f, st.body, j, done) {
					reached = true
				}
			}
			return reached // the iteration is the rest of the body
		case rules.StepGuard:
			holds, decided := st.eval(f, elem)
			if !decided {
				w.mark(kindUndecided)
				st.a.hash(w, f, elem)
				if !st.bConst {
					st.b.hash(w, f, elem)
				}
				continue
			}
			if !holds {
				w.mark(kindFalse)
				return false // OPA evaluates nothing after it either
			}
			w.mark(kindTrue)
		}
	}
	return true
}

// eval decides a guard as Rego would, when it can, with the enclosing
// iteration at element elem.
func (st *planStep) eval(f *Facts, elem int) (holds, decided bool) {
	if st.a.inWhole || st.b.inWhole {
		return false, false
	}
	a, ok := st.a.get(f, elem)
	if ok {
		switch st.cmp {
		case rules.CmpDefined:
		case rules.CmpTruthy:
			ok = a.kind != kindBool || a.b
		case rules.CmpType:
			ok = a.kind == st.typ
		case rules.CmpMember:
			in := false
			for _, c := range st.set {
				eq, dec := equalLeaf(a, c)
				if !dec {
					return false, false
				}
				in = in || eq
			}
			ok = in
		default:
			b := st.bValue
			if !st.bConst {
				var bok bool
				if b, bok = st.b.get(f, elem); !bok {
					ok = false
					break
				}
			}
			ok, decided = compareLeaf(st.cmp, a, b)
			if !decided {
				return false, false
			}
		}
	}
	return ok != st.negate, true
}

// equalLeaf reports whether two values are equal, when it can tell: two
// objects or arrays it cannot.
func equalLeaf(a, b leaf) (eq, decided bool) {
	compositeA := a.kind == kindObject || a.kind == kindArray
	compositeB := b.kind == kindObject || b.kind == kindArray
	switch {
	case compositeA && compositeB:
		return false, false
	case a.kind != b.kind:
		return false, true
	}
	switch a.kind {
	case kindString:
		return a.s == b.s, true
	case kindNumber:
		return a.f == b.f, true
	case kindBool:
		return a.b == b.b, true
	}
	return true, true // null
}

func compareLeaf(cmp string, a, b leaf) (holds, decided bool) {
	switch cmp {
	case rules.CmpEqual, rules.CmpNotEqual:
		eq, dec := equalLeaf(a, b)
		return eq == (cmp == rules.CmpEqual), dec
	}
	if a.kind != kindNumber || b.kind != kindNumber {
		return false, false // Rego orders other kinds too: left to OPA
	}
	switch cmp {
	case rules.CmpGT:
		return a.f > b.f, true
	case rules.CmpGTE:
		return a.f >= b.f, true
	case rules.CmpLT:
		return a.f < b.f, true
	case rules.CmpLTE:
		return a.f <= b.f, true
	}
	return false, false
}

// readsTable finds the read program of a destination's query: by
// countryIndex and channel for the countries with a pack, by channel for
// the others. A nil program (the analysis failed) keys by every fact.
type readsTable struct {
	byCode [26 * 26][len(channels)]*queryPlan
	other  [len(channels)]*queryPlan
}

// channels index the readsTable's programs.
var channels = [...]Channel{SMS, Viber, WhatsApp, Messenger, RCS}

func newReadsTable(set *rules.Set, countries map[string]*packConfig) *readsTable {
	t := new(readsTable)
	var plan *readPlan
	get := func(cc string, ch Channel) *queryPlan {
		r := set.Reads(cc, string(ch))
		if r == nil {
			return nil
		}
		if plan == nil {
			plan = newReadPlan(r.Rules)
		}
		q := &queryPlan{id: r.ID, units: r.Units, plan: plan}
		for _, part := range set.Parts(cc, string(ch)) {
			pr := part.Reads()
			if pr == nil {
				return q // not when the set's does: one analysis
			}
			q.parts = append(q.parts, partPlan{id: pr.ID, units: pr.Units, part: part})
		}
		return q
	}
	for i, ch := range channels {
		t.other[i] = get("", ch)
		for cc := range countries {
			if j, ok := countryIndex(cc); ok {
				t.byCode[j][i] = get(strings.ToLower(cc), ch)
			}
		}
	}
	return t
}

// plan returns the read program of the query for a destination (upper
// case) and channel, nil for none.
func (t *readsTable) plan(dest string, ch Channel) *queryPlan {
	if t == nil {
		return nil
	}
	i := slices.Index(channels[:], ch)
	if i < 0 {
		return nil
	}
	if j, ok := countryIndex(dest); ok && t.byCode[j][i] != nil {
		return t.byCode[j][i]
	}
	return t.other[i]
}

// readKey computes c.readsKey, the fact cache's second key: the facts the
// destination's query can see (its read program), the query and the
// generation. It reports false when the query has no read program. It
// runs only when the facts' own key missed: a program costs more than the
// walk, and most checks that reach the fact cache repeat facts seen
// before.
func (c *check) readKey() bool {
	q := c.p.reads.plan(c.dest, c.msg.Channel)
	if q == nil || c.e.facts == nil {
		return false
	}
	// The program's getters are function values, so escape analysis
	// cannot tell that they keep nothing: given &c.facts, every check
	// (1.6 KiB) moved to the heap. A copy of the facts does, on this
	// path alone.
	f := new(Facts)
	*f = c.facts
	k := hasherPool.Get().(*keyHasher)
	k.reset()
	k.u64(c.p.generation)
	k.byte(kindReads) // never the facts' own key
	q.hash(walker{k: k}, f, k.doneBits(len(q.plan.rules)))
	c.readsKey, c.hasReadsKey = k.sum(), true
	if len(q.parts) > 0 {
		c.plan, c.readFacts = q, f // evaluate keys its parts (parts.go)
	}
	hasherPool.Put(k)
	return true
}
