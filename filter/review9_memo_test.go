package filter

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/msgfilter/msgfilter/rules"
)

// memoPolicy is a global pack of one rule per fact a template's memo must
// tell apart: the local clock (an odd minute: the policies read the clock,
// rules.ClockRead), the tenant, the destination, the channel, the
// recipient's region (Florida), and the kind (when otp is set). Each cites what fired.
func memoPolicy(otp bool) fstest.MapFS {
	kind := `input.message.kind == "marketing-never"`
	if otp {
		kind = `input.message.kind == "otp"`
	}
	rule := func(id, cond, evidence string) string {
		return regoMeta("global/"+id) + "reasons contains r if {\n\t" + cond + "\n\tr := {\"code\": \"SENDER_ID_FORMAT\", \"rule\": \"global/" + id + "\", \"evidence\": " + evidence + "}\n}\n\n"
	}
	return fstest.MapFS{"global/global.rego": {Data: []byte("package msgfilter.global\n\n" +
		rule("odd-minute", "input.time.minute % 2 == 1", "input.time.local") +
		rule("tenant", `input.message.tenant == "strict"`, "input.message.tenant") +
		rule("destination", `input.recipient.country == "GB"`, "input.recipient.country") +
		rule("channel", `input.message.channel == "whatsapp"`, "input.message.channel") +
		rule("region", `input.recipient.region == "US-FL"`, "input.recipient.region") +
		rule("kind", kind, "input.message.kind"))}}
}

// memoRun checks m on e stage by stage and returns its decision and
// whether a template entry's memo answered it.
func memoRun(t *testing.T, e *Engine, m *Message) (Decision, bool) {
	t.Helper()
	d, fromMemo, _ := checkOnce(t, e, m)
	return d, fromMemo
}

// checkOnce checks m on e and returns its decision, whether a template
// memo gave it, and the check's content facts.
func checkOnce(t *testing.T, e *Engine, m *Message) (Decision, bool, ContentFacts) {
	t.Helper()
	c := e.newCheck(context.Background(), m, false)
	defer c.release()
	if err := c.run(); err != nil {
		t.Fatalf("%s: %v", m.ID, err)
	}
	var d Decision
	if err := c.settle(&d, nil, nil); err != nil {
		t.Fatal(err)
	}
	return d, c.fromMemo, c.facts.Content
}

// sameDecision reports whether two engines decided alike (what the
// caches answered aside).
func sameDecision(a, b Decision) bool {
	a.Cache, a.Cached, b.Cache, b.Cached = "", false, "", false
	return a.ID == b.ID && a.Action == b.Action && a.Until.Equal(b.Until) && a.Revision == b.Revision &&
		slices.Equal(a.Reasons, b.Reasons)
}

// TestFactMemoReadsTheClock: with policies that read the local clock, a
// template's memo made at one minute does not answer the next minute's
// checks, whose clock differs, and every decision, memo or not, equals an
// uncached engine's. The shipped packs never read the clock
// (rules.ClockUnread), so only a policy like this one holds the memo's
// time bytes to the clock. It also requires that a memo hit's decision is
// the message's own (its ID) and not shared with the memo (its reasons).
func TestFactMemoReadsTheClock(t *testing.T) {
	var clock atomic.Int64
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	cached := newEngine(t, WithPolicies(memoPolicy(false)), WithClock(now))
	uncached := newEngine(t, WithPolicies(memoPolicy(false)), WithClock(now), WithCacheSizes(-1, -1))
	if got := cached.policy.Load().set.Clock(); got != rules.ClockRead {
		t.Fatalf("the test's policy reads the clock as %v, want ClockRead", got)
	}
	perMinute := 8
	if raceEnabled {
		perMinute = 6
	}
	seq := 0
	for minute := range 4 {
		clock.Store(testNow.Add(time.Duration(minute)*time.Minute + 10*time.Second).UnixNano())
		hits := 0
		for i := range perMinute {
			seq++
			m := Message{ID: fmt.Sprint("m", minute, "-", i), Channel: SMS, Kind: Transactional, Sender: "ACME",
				Recipient: "+12025550123", Body: fmt.Sprintf("Acme: your code is %d. Do not share it.", 1000+seq*7919%9000)}
			d, fromMemo := memoRun(t, cached, &m)
			want, err := uncached.Check(context.Background(), &m)
			if err != nil {
				t.Fatal(err)
			}
			if !sameDecision(d, want) {
				t.Fatalf("%s (memo %v): %+v, uncached %+v", m.ID, fromMemo, d, want)
			}
			if odd := minute%2 == 1; odd != (d.Action != Allow) {
				t.Fatalf("%s at minute %d: %s", m.ID, minute, d.Action)
			}
			if fromMemo {
				hits++
				if i == 0 {
					t.Errorf("%s: the first check of minute %d was answered by the last minute's memo", m.ID, minute)
				}
				if len(d.Reasons) > 0 {
					d.Reasons[0].Evidence = "changed by the caller"
				}
			}
		}
		if hits == 0 {
			t.Errorf("minute %d: no check was answered by a memo", minute)
		}
	}
}

// TestFactMemoTellsMessagesApart: a template's memo made for one tenant,
// destination, channel and kind does not answer a check that differs in
// one of them, where the policies decide otherwise, nor after the
// policies are reloaded between the memo and the hit.
func TestFactMemoTellsMessagesApart(t *testing.T) {
	ctx := context.Background()
	cached := newEngine(t, WithPolicies(memoPolicy(false)))
	uncached := newEngine(t, WithPolicies(memoPolicy(false)), WithCacheSizes(-1, -1))
	base := Message{Channel: SMS, Kind: OTP, Sender: "ACME", Recipient: "+12025550123"}
	seq := 0
	send := func(name string, change func(m *Message), wantAllow bool) (memoHits int) {
		t.Helper()
		for i := range 6 {
			seq++
			m := base
			m.ID = fmt.Sprint(name, "-", i)
			m.Body = fmt.Sprintf("Acme: your code is %d. Do not share it.", 1000+seq*7919%9000)
			if change != nil {
				change(&m)
			}
			d, fromMemo := memoRun(t, cached, &m)
			want, err := uncached.Check(ctx, &m)
			if err != nil {
				t.Fatal(err)
			}
			if !sameDecision(d, want) {
				t.Fatalf("%s (memo %v): %+v, uncached %+v", m.ID, fromMemo, d, want)
			}
			if (d.Action == Allow) != wantAllow {
				t.Fatalf("%s (memo %v): %s %v", m.ID, fromMemo, d.Action, codes(d))
			}
			if fromMemo {
				memoHits++
			}
		}
		return memoHits
	}
	if send("base", nil, true) == 0 {
		t.Fatal("no memo answered the base messages")
	}
	send("tenant", func(m *Message) { m.Tenant = "strict" }, false)
	send("destination", func(m *Message) { m.Recipient = "+447400123456" }, false)
	send("channel", func(m *Message) { m.Channel = WhatsApp }, false)
	if send("base again", nil, true) == 0 {
		t.Fatal("no memo answered the base messages again")
	}
	for _, e := range []*Engine{cached, uncached} {
		if err := e.Reload(ctx, memoPolicy(true)); err != nil {
			t.Fatal(err)
		}
	}
	send("reloaded", nil, false)
}

// TestFactMemoAfterReport: a report of a template's message shows on the
// very next check of the template, whose memo was made before it: its
// campaign is reported (REPORTED_CONTENT) and the model's scores are the
// online layer's, as an uncached engine given the same reports has them;
// a ham report lifts both on the next check too.
func TestFactMemoAfterReport(t *testing.T) {
	ctx := context.Background()
	cached, uncached := newEngine(t), newEngine(t, WithCacheSizes(-1, -1))
	seq := 0
	next := func(name string) (Message, Decision, bool) {
		t.Helper()
		seq++
		m := Message{ID: fmt.Sprint(name, seq), Channel: SMS, Kind: Transactional, Sender: "ACME", Recipient: "+12025550123",
			Body: fmt.Sprintf("Acme: your parcel fee of $%d.99 is due. Pay it at the depot desk before Friday.", 100+seq*37%900)}
		d, fromMemo, content := checkOnce(t, cached, &m)
		want, _, wantContent := checkOnce(t, uncached, &m)
		model, wantModel := content.Model, wantContent.Model
		if !sameDecision(d, want) || model.Spam != wantModel.Spam || model.Fraud != wantModel.Fraud {
			t.Fatalf("%s (memo %v): %+v %+v, uncached %+v %+v", m.ID, fromMemo, d, model, want, wantModel)
		}
		return m, d, fromMemo
	}
	report := func(m *Message, l Label) {
		t.Helper()
		for _, e := range []*Engine{cached, uncached} {
			if err := e.Report(ctx, m, l); err != nil {
				t.Fatal(err)
			}
		}
	}
	hits := 0
	var m Message
	for range 8 {
		var d Decision
		var fromMemo bool
		m, d, fromMemo = next("warm")
		if slices.Contains(codes(d), string(ReportedContent)) {
			t.Fatalf("%s: reported before any report: %v", m.ID, codes(d))
		}
		if fromMemo {
			hits++
		}
	}
	if hits == 0 {
		t.Fatal("no memo answered the template before the report")
	}
	report(&m, ReportFraud)
	if m, d, _ := next("after-fraud"); !slices.Contains(codes(d), string(ReportedContent)) {
		t.Fatalf("%s, the check after a fraud report: %v, want %s", m.ID, codes(d), ReportedContent)
	}
	report(&m, ReportHam)
	if m, d, _ := next("after-ham"); slices.Contains(codes(d), string(ReportedContent)) {
		t.Fatalf("%s, the check after a ham report: %v", m.ID, codes(d))
	}
}

// TestFactMemoConcurrentReplacement: goroutines send one template with
// facts that alternate (tenant, destination, kind), so that the entry's
// memos are replaced while other checks read them, and every decision is
// the uncached engine's for its own facts; some are the memo's.
func TestFactMemoConcurrentReplacement(t *testing.T) {
	ctx := context.Background()
	cached := newEngine(t, WithPolicies(memoPolicy(true)), WithStore(nil))
	uncached := newEngine(t, WithPolicies(memoPolicy(true)), WithStore(nil), WithCacheSizes(-1, -1))
	variants := []Message{
		{Channel: SMS, Kind: Transactional, Sender: "ACME", Recipient: "+12025550123"},
		{Channel: SMS, Kind: Transactional, Sender: "ACME", Recipient: "+12025550123", Tenant: "strict"},
		{Channel: SMS, Kind: Transactional, Sender: "ACME", Recipient: "+447400123456"},
		{Channel: SMS, Kind: OTP, Sender: "ACME", Recipient: "+13055550100"},
		{Channel: SMS, Kind: Transactional, Sender: "ACME", Recipient: "+13055550100"},
	}
	want := make([]Decision, len(variants))
	for i := range variants {
		variants[i].Body = "Acme: your code is 1234. Do not share it."
		d, err := uncached.Check(ctx, &variants[i])
		if err != nil {
			t.Fatal(err)
		}
		want[i] = d
	}
	const workers = 4
	per := 300
	if raceEnabled {
		per = 60
	}
	var memoHits atomic.Int64
	errs := make(chan string, workers)
	for g := range workers {
		go func() {
			for k := range per {
				i := (k/3 + g) % len(variants) // runs of three, so that memos are stored
				m := variants[i]
				m.Body = fmt.Sprintf("Acme: your code is %d. Do not share it.", 1000+(k*workers+g)*7919%9000)
				c := cached.newCheck(ctx, &m, false)
				err := c.run()
				d, fromMemo := c.d, c.fromMemo
				c.release()
				if err != nil {
					errs <- err.Error()
					return
				}
				if fromMemo {
					memoHits.Add(1)
				}
				if d.Action != want[i].Action || !slices.Equal(d.Reasons, want[i].Reasons) {
					errs <- fmt.Sprintf("variant %d (memo %v): %s %v, uncached %s %v", i, fromMemo, d.Action, codes(d), want[i].Action, codes(want[i]))
					return
				}
			}
			errs <- ""
		}()
	}
	for range workers {
		if e := <-errs; e != "" {
			t.Fatal(e)
		}
	}
	if memoHits.Load() == 0 {
		t.Error("no check was answered by a memo")
	}
	if want[3].Action == Allow || want[4].Action == Allow || want[0].Action != Allow {
		t.Errorf("the policy does not tell the variants apart: %v", want)
	}
}
