package filter

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/msgfilter/msgfilter/rules"
)

// memoFacts is a facts document with every field set (but links, which a
// memo never holds), for TestFactMemoCoversFacts to change one at a time.
func memoFacts() Facts {
	yes := true
	return Facts{
		Schema: FactsSchema,
		Message: MessageFacts{Channel: SMS, Kind: OTP, Country: "AE", Tenant: "acme", Length: 60, Template: "t1",
			TemplateCategory: "otp", Tag: "login", Encoding: "gsm7", Segments: 1},
		Time: TimeFacts{Local: "2027-01-05T14:00", Date: "2027-01-05", Weekday: "tuesday", Minute: 840, Zone: "Asia/Dubai",
			QuietUntil: QuietUntil{"promotional": "2027-01-06T08:00:00+04:00"}},
		Sender:    SenderFacts{Registered: &yes},
		Recipient: RecipientFacts{Country: "AE", NumberType: "mobile", Zone: "Asia/Dubai", Region: "AE-DU"},
		Source:    SourceFacts{Present: true, Blocked: true, IP: "203.0.113.9"},
		Content: ContentFacts{OptOutText: true, OptOutInstruction: true, BidiOverflow: true,
			Categories:   Categories{"lottery": {Score: 2, Terms: []string{"win"}, Evidence: []string{"Win"}}},
			PhoneNumbers: []PhoneNumberFacts{{Text: "04 123 4567", E164: "+97141234567", Region: "AE", Type: "fixed_line"}},
			Model: ModelFacts{Spam: 0.25, Fraud: 0.5, Unwanted: 0.75,
				Features:   ModelFeatures{Spam: featureNames{`word "win"`}, Fraud: featureNames{"link shortener"}},
				Thresholds: thresholdsOf(map[string]float64{"fraud_review": 0.5, "spam_block": 0.9})}},
		Conversation: ConversationFacts{HasInbound: true, InboundAgeMinutes: 5, OptedOut: true, SessionMessages: 3,
			SameSubject: SameSubjectFacts{Count: 2, Reopens: "2027-01-06T08:00:00+04:00"}},
		Campaign: CampaignFacts{Reported: true},
		DLT:      DLTFacts{Checked: true, Header: "HDFCBK", Matched: true, TemplateID: "1107"},
	}
}

// memoKeyOf is the memoKey a check with facts f has: its content and
// time facts' bytes as the fact key's walk writes them (with the clock,
// which a check's key holds when the policies read it).
func memoKeyOf(t *testing.T, f *Facts) memoKey {
	t.Helper()
	var k keyHasher
	k.reset()
	walker{k: &k}.content(&f.Content)
	tk := newTimeKey(&f.Time, rules.ClockRead)
	if k.flushed || tk == nil {
		t.Fatal("the test's facts do not fit one block")
	}
	return memoKey{content: &contentKey{b: string(k.buf[:k.n])}, time: tk}
}

// TestFactMemoCoversFacts changes every field of a facts document in
// turn, nested ones too (a string, a number, a bool, a pointer set or
// cleared, an element added to a list or a map), and requires that a memo
// of the document does not answer the changed one when OPA's input
// changed: a field the memo does not compare would let a check take the
// decision of other facts. It fails when Facts gains a field that
// sameFacts leaves out.
func TestFactMemoCoversFacts(t *testing.T) {
	const gen = 7
	base := memoFacts()
	k := memoKeyOf(t, &base)
	memo := newFactMemo(gen, k, &base, nil)
	if !memo.matches(gen, k, &base) {
		t.Fatal("a memo does not answer its own facts")
	}
	if memo.matches(gen+1, k, &base) {
		t.Error("a memo answers another policy generation")
	}
	input := base.walk(walker{build: true})
	changes := 0
	for i := 0; ; i++ {
		f := memoFacts()
		path, ok := changeField(reflect.ValueOf(&f).Elem(), "facts", i, new(int))
		if !ok {
			break
		}
		if f.walk(walker{build: true}).Compare(input) == 0 {
			continue // not a fact: the value of a threshold not set
		}
		changes++
		if memo.matches(gen, memoKeyOf(t, &f), &f) {
			t.Errorf("a memo answers facts whose %s changed", path)
		}
	}
	if changes < 60 {
		t.Fatalf("only %d fields changed", changes)
	}
}

// changeField makes the target-th change of the fields under v (counting
// in *n) and returns its path, false when there are fewer changes.
func changeField(v reflect.Value, path string, target int, n *int) (string, bool) {
	if !v.CanSet() {
		v = reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem() // an unexported field
	}
	here := func() bool { *n++; return *n-1 == target }
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if p, ok := changeField(v.Field(i), path+"."+v.Type().Field(i).Name, target, n); ok {
				return p, true
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			if p, ok := changeField(v.Index(i), fmt.Sprintf("%s[%d]", path, i), target, n); ok {
				return p, true
			}
		}
	case reflect.Pointer:
		if here() {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
				return path + " set", true
			}
			v.SetZero()
			return path + " cleared", true
		}
		if !v.IsNil() {
			return changeField(v.Elem(), "*"+path, target, n)
		}
	case reflect.Slice:
		if here() {
			v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
			return path + " grown", true
		}
		for i := range v.Len() {
			if p, ok := changeField(v.Index(i), fmt.Sprintf("%s[%d]", path, i), target, n); ok {
				return p, true
			}
		}
	case reflect.Map:
		if here() {
			if v.IsNil() {
				v.Set(reflect.MakeMap(v.Type()))
			}
			v.SetMapIndex(reflect.ValueOf("zz-added").Convert(v.Type().Key()), reflect.Zero(v.Type().Elem()))
			return path + " grown", true
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmpString(a.String(), b.String()) })
		for _, key := range keys {
			elem := reflect.New(v.Type().Elem()).Elem()
			elem.Set(v.MapIndex(key))
			if p, ok := changeField(elem, fmt.Sprintf("%s[%s]", path, key), target, n); ok {
				v.SetMapIndex(key, elem)
				return p, true
			}
		}
	case reflect.String:
		if here() {
			v.SetString(v.String() + "x")
			return path, true
		}
	case reflect.Int, reflect.Int64:
		if here() {
			v.SetInt(v.Int() + 1)
			return path, true
		}
	case reflect.Uint, reflect.Uint64:
		if here() {
			v.SetUint(v.Uint() + 1)
			return path, true
		}
	case reflect.Float64:
		if here() {
			v.SetFloat(v.Float() + 0.125)
			return path, true
		}
	case reflect.Bool:
		if here() {
			v.SetBool(!v.Bool())
			return path, true
		}
	default:
		panic("changeField: a fact of kind " + v.Kind().String() + " at " + path)
	}
	return "", false
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestFactMemoEqualsWalk sends one template from one sender to one
// recipient until its entry holds a memo, then changes one group of facts
// at a time (the kind, the time into quiet hours, the recipient, an
// inbound message, the source address, an opt-out), each change repeated
// until it is memoized in turn, and back before the next. Every check's fact key must be
// the walk's of its own facts: a memo answering other facts, or group
// bytes reused after the facts under them changed, gives the other
// facts' key.
func TestFactMemoEqualsWalk(t *testing.T) {
	var clock atomic.Int64
	clock.Store(testNow.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	e := newEngine(t, WithCacheSizes(Off, 0), WithClock(now))
	ctx := context.Background()
	base := Message{Channel: SMS, Kind: Promotional, Sender: "24273", Recipient: "+12025550123",
		Body: "Chase: a charge of $%d.31 was made on your card ending 4821."}
	day, night := testNow, time.Date(2027, 1, 6, 4, 0, 0, 0, time.UTC) // 23:00 in Washington
	type phase struct {
		name   string
		change func(m *Message)
		setup  func()
	}
	back := phase{name: "base", setup: func() { clock.Store(day.UnixNano()) }}
	phases := []phase{
		back,
		{name: "kind", change: func(m *Message) { m.Kind = Transactional }}, back,
		{name: "quiet hours", setup: func() { clock.Store(night.UnixNano()) }}, back,
		{name: "recipient", change: func(m *Message) { m.Recipient = "+13055550123" }}, back,
		{name: "inbound", change: func(m *Message) { m.LastInboundAt = now().Add(-3 * time.Minute) }}, back,
		{name: "source", change: func(m *Message) { m.SourceIP = "203.0.113.9" }}, back,
		{name: "opted out", setup: func() {
			if _, err := e.Inbound(ctx, &InboundMessage{Channel: SMS, Sender: base.Sender, Recipient: base.Recipient, Body: "STOP"}); err != nil {
				t.Fatal(err)
			}
		}},
	}
	const repeats = 8
	seq := 0
	for _, ph := range phases {
		if ph.setup != nil {
			ph.setup()
		}
		hits := 0
		for i := range repeats {
			m := base
			m.ID = fmt.Sprint(ph.name, "-", i)
			if ph.change != nil {
				ph.change(&m)
			}
			seq++
			m.Body = fmt.Sprintf(base.Body, 1000+seq*7919%9000)
			c := e.newCheck(ctx, &m, false)
			if err := c.run(); err != nil {
				t.Fatalf("%s: %v", m.ID, err)
			}
			want := walkedKey(&c)
			if want != c.factKey {
				t.Errorf("%s (memo %v): the fact key is not the walk's of its facts", m.ID, c.fromMemo)
			}
			if c.template == nil && i > 0 {
				t.Fatalf("%s: no template hit", m.ID)
			}
			// Every memo of the entry, whatever its slot, that would
			// answer these facts must be theirs.
			for w := range memoWays {
				if c.template == nil {
					break
				}
				if mm := c.template.decided[w].memo.Load(); mm != nil && c.memo.memoizable(&c.facts) &&
					mm.matches(c.p.generation, c.memo, &c.facts) && mm.hot.key != want {
					t.Errorf("%s: the memo in slot %d answers these facts with another facts' key", m.ID, w)
				}
			}
			if c.fromMemo {
				hits++
				if i == 0 && ph.name != "base" {
					t.Errorf("%s: the first check of new facts was answered by a memo", m.ID)
				}
			}
			c.release()
		}
		if hits < repeats/2 {
			t.Errorf("%s: %d of %d checks answered by the memo, want %d at least", ph.name, hits, repeats, repeats/2)
		}
	}
}

// TestFactMemoAlternatingFacts: a template sent round-robin to recipients
// whose facts differ (more of them than an entry has memos) does not
// replace a memo on every check that misses it: a slot is replaced only
// after the same facts were offered to it twice in a row (memoSlot). A
// replacement allocates, and writes a line other cores read.
func TestFactMemoAlternatingFacts(t *testing.T) {
	e := newEngine(t, WithCacheSizes(Off, 0))
	ctx := context.Background()
	rcpts := []string{"+12025550123", "+13055550123", "+12065550123", "+14055550123", "+13125550123", "+14155550123", "+16175550123"}
	regions, stores, hits := map[string]bool{}, 0, 0
	var last [memoWays]*factMemo
	for i := range 50 * len(rcpts) {
		m := Message{Channel: SMS, Kind: Transactional, Sender: "24273", Recipient: rcpts[i%len(rcpts)],
			Body: fmt.Sprintf("Chase: a charge of $%d.%02d was made on your card ending 4821.", 1000+i*7%9000, i%100)}
		c := e.newCheck(ctx, &m, false)
		if err := c.run(); err != nil {
			t.Fatal(err)
		}
		regions[c.facts.Recipient.Region] = true
		if c.fromMemo {
			hits++
		}
		if c.template != nil {
			for w := range memoWays {
				if mm := c.template.decided[w].memo.Load(); mm != last[w] {
					last[w] = mm
					if i >= 10*len(rcpts) { // every recipient's facts hot in the fact cache
						stores++
					}
				}
			}
		}
		c.release()
	}
	if len(regions) <= memoWays {
		t.Fatalf("%d regions among the recipients, want more than %d memos", len(regions), memoWays)
	}
	// Two facts alternating on one slot replace it at most every other
	// miss (the one that finds it offered already); without the gate,
	// every miss replaces it.
	if checked := 40 * len(rcpts); 3*stores > checked || hits == 0 {
		t.Errorf("%d memos replaced in %d checks after the recipients' facts were hot, %d checks answered by one; want at most a third replaced, and some answered", stores, checked, hits)
	}
}

// TestFactMemoLayout requires each run of fields a memo copies (memoHead,
// memoParties, memoTail) to be laid out as Facts lays out those fields,
// and to span exactly them: sameFacts compares a run with the check's as
// one block of memory, which a field moved in Facts would misread.
func TestFactMemoLayout(t *testing.T) {
	facts := reflect.TypeFor[Facts]()
	for _, run := range []reflect.Type{reflect.TypeFor[memoHead](), reflect.TypeFor[memoParties](), reflect.TypeFor[memoTail]()} {
		first, ok := facts.FieldByName(run.Field(0).Name)
		if !ok {
			t.Fatalf("%v: Facts has no field %s", run, run.Field(0).Name)
		}
		for i := range run.NumField() {
			rf := run.Field(i)
			ff, ok := facts.FieldByName(rf.Name)
			if !ok || ff.Type != rf.Type || ff.Offset-first.Offset != rf.Offset {
				t.Errorf("%v.%s is not at Facts.%s's place", run, rf.Name, rf.Name)
			}
		}
		last := facts.Field(first.Index[0] + run.NumField() - 1)
		if span := last.Offset + last.Type.Size() - first.Offset; span != run.Size() {
			t.Errorf("%v is %d bytes, Facts' fields %s..%s %d", run, run.Size(), first.Name, last.Name, span)
		}
	}
}

// TestFactMemoSameTextOtherStrings requires a memo to answer facts equal
// to its own whose strings are other copies of the same text, and whose
// registration points to another true: sameFacts compares memory first,
// and memory that differs must fall back to the values.
func TestFactMemoSameTextOtherStrings(t *testing.T) {
	const gen = 7
	base := memoFacts()
	k := memoKeyOf(t, &base)
	memo := newFactMemo(gen, k, &base, nil)
	f := memoFacts()
	cloneStrings(reflect.ValueOf(&f).Elem())
	yes := true
	f.Sender.Registered = &yes
	if unsafe.StringData(f.Message.Country) == unsafe.StringData(base.Message.Country) {
		t.Fatal("the strings were not copied")
	}
	if !memo.matches(gen, k, &f) {
		t.Error("a memo does not answer its facts written with other strings")
	}
	f.DLT.TemplateID = "1108"
	if memo.matches(gen, k, &f) {
		t.Error("a memo answers other facts written with other strings")
	}
}

// cloneStrings replaces every string v holds, outside maps, with a copy.
func cloneStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.Len() > 0 {
			v.SetString(strings.Clone(v.String()))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				cloneStrings(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			cloneStrings(v.Index(i))
		}
	}
}
