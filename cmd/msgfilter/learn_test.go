package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/state/redisstore"
	"github.com/msgfilter/msgfilter/state/redisstore/redistest"
)

const campaignBody = "Your loyalty points expire tonight, redeem them at points-club.example/r now"

// TestLearnReachesTheFleet: lines reported with learn through a serve
// config's Redis flag the campaign on an engine that shares the store, not
// its ham twin; a memory store is refused with the reason.
func TestLearnReachesTheFleet(t *testing.T) {
	addr := redistest.Addr(t)
	var b [6]byte
	rand.Read(b[:])
	prefix := fmt.Sprintf("msgfilter-learn-test-%x:", b)
	c := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() {
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
		c.Close()
	})
	st, err := redisstore.New(c, redisstore.Config{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	engine, err := filter.New(filter.WithStore(st))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	flagged := func(body string) bool {
		t.Helper()
		d, err := engine.Check(context.Background(), &filter.Message{Channel: filter.SMS, Kind: filter.Transactional,
			Sender: "ACME", Recipient: "+4915123456789", Body: body, Time: at})
		if err != nil {
			t.Fatal(err)
		}
		return d.Action != filter.Allow
	}
	twinBody := "Your ACME verification code is 482913. Do not share it with anyone."
	if flagged(campaignBody) || flagged(twinBody) {
		t.Fatal("flagged before any report")
	}
	cfg := writeFile(t, "svc.yaml", fmt.Sprintf("store:\n  type: redis\n  addrs: [%s]\n  prefix: %q\n", addr, prefix))
	lines := strings.Repeat(`{"body":"`+campaignBody+`"}`+"\n", 3) + "\n" + `{"body":"x","label":"nonsense"}` + "\n"
	in := writeFile(t, "reports.jsonl", lines)
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"learn", "-label", "fraud", "-config", cfg, in}, nil, &out, &errOut); code != 1 {
		t.Errorf("learn with one bad line = %d, want 1\n%s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "reported 3 fraud") || !strings.Contains(errOut.String(), "line 5") {
		t.Errorf("learn output:\n%s%s\nwant 3 fraud reports and an error for line 5", out.String(), errOut.String())
	}
	if !flagged(campaignBody) {
		t.Error("campaign not flagged after learn")
	}
	if flagged(twinBody) {
		t.Error("the twin is flagged after learn")
	}

	out.Reset()
	errOut.Reset()
	if code := run(context.Background(), []string{"learn", "-label", "fraud", in}, nil, &out, &errOut); code != 2 ||
		!strings.Contains(errOut.String(), "forget") {
		t.Errorf("learn without a store = %d %s, want 2 explaining that memory forgets", code, errOut.String())
	}
}

// TestCheckModelFlag: check -model loads a trained model; a corrupt file
// fails the run.
func TestCheckModelFlag(t *testing.T) {
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "m.model")
	if err := os.WriteFile(good, b, 0o644); err != nil {
		t.Fatal(err)
	}
	bad := writeFile(t, "bad.model", "not a model")
	msgs := writeFile(t, "in.jsonl", `{"id":"f","channel":"sms","kind":"transactional","sender":"ACME","recipient":"+4915123456789","body":"URGENT: your bank account has been suspended. Verify your details now at http://secure-verify-acc.top/login"}`+"\n")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check", "-model", good, msgs}, nil, &out, &errOut); code != 0 ||
		!strings.Contains(out.String(), "FRAUD_SUSPECTED") {
		t.Errorf("check -model (the shipped model) = %d\n%s%s\nwant FRAUD_SUSPECTED", code, out.String(), errOut.String())
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"check", "-model", bad, msgs}, nil, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "corrupt") {
		t.Errorf("check -model (corrupt) = %d %s, want 1 naming the corruption", code, errOut.String())
	}
}

// TestExamplesNotFlaggedByModel: the business messages of examples/,
// checked as a user would, get none of the content model's codes.
func TestExamplesNotFlaggedByModel(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check", "../../examples/messages.jsonl"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("check examples = %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 10 {
		t.Fatalf("only %d decisions for examples/messages.jsonl", len(lines))
	}
	for _, l := range lines {
		if strings.Contains(l, "FRAUD_SUSPECTED") || strings.Contains(l, "SPAM_SUSPECTED") {
			t.Errorf("flagged by the model: %s", l)
		}
	}
}
