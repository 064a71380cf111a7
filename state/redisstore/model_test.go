package redisstore_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/internal/textnorm"
	"github.com/msgfilter/msgfilter/state/redisstore/redistest"
)

func modelScore(t *testing.T, m *model.Model, o *model.Online, body string) model.Scores {
	t.Helper()
	var f model.Features
	f.Extract(textnorm.Normalize(body))
	s := m.Score(&f)
	var sc model.Scratch
	if err := o.Adjust(context.Background(), &f, &s, &sc); err != nil {
		t.Fatalf("Adjust(%q) = %v", body, err)
	}
	return s
}

// TestModelReportReachesEveryNode: two stores over one Redis are two gateway
// nodes; a fraud report on one raises the score of the campaign on the
// other, not of its ham twin, and undoing it restores the score. The same
// sequence on a Memory gives the same scores.
func TestModelReportReachesEveryNode(t *testing.T) {
	ctx := context.Background()
	addr := redistest.Addr(t)
	c1, c2 := newClient(t, addr), newClient(t, addr)
	prefix := testPrefix(t, c1)
	node1 := model.NewOnline(newStore(t, c1, prefix), 0)
	node2 := model.NewOnline(newStore(t, c2, prefix), 0)
	var mem model.Memory
	local := model.NewOnline(&mem, 0)
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	campaign := "Your loyalty points expire tonight, redeem them at points-club.example/r now"
	twin := "Your Acme verification code is 482913. Do not share it with anyone."
	before, beforeTwin := modelScore(t, m, node2, campaign), modelScore(t, m, node2, twin)

	var f model.Features
	f.Extract(textnorm.Normalize(campaign))
	for _, o := range []*model.Online{node1, local} {
		if err := o.Report(ctx, &f, model.Fraud); err != nil {
			t.Fatal(err)
		}
	}
	after := modelScore(t, m, node2, campaign)
	if after.Fraud <= before.Fraud {
		t.Errorf("node 2 after a report on node 1: Fraud = %.3f, want above %.3f", after.Fraud, before.Fraud)
	}
	if got := modelScore(t, m, local, campaign); got != after {
		t.Errorf("Redis scores %+v, Memory %+v: want equal", after, got)
	}
	if got := modelScore(t, m, node2, twin); got.Fraud-beforeTwin.Fraud > (after.Fraud-before.Fraud)/4 {
		t.Errorf("the ham twin moved from %.3f to %.3f", beforeTwin.Fraud, got.Fraud)
	}

	if err := node2.Undo(ctx, &f, model.Fraud); err != nil {
		t.Fatal(err)
	}
	if got := modelScore(t, m, node1, campaign); got != before {
		t.Errorf("after Undo on node 2, node 1 scores %+v, want %+v", got, before)
	}
}

func TestModelCountsRejectUnknownClass(t *testing.T) {
	addr := redistest.Addr(t)
	c := newClient(t, addr)
	s := newStore(t, c, testPrefix(t, c))
	if err := s.AddFeatureCounts(context.Background(), []uint32{1}, model.Class(7), 1); err == nil {
		t.Error("AddFeatureCounts(class 7) = nil, want an error")
	}
}

// TestModelCountsOfAnotherFeatureVersion: the online layer's keys carry the
// model's FeatureVersion, so counts written by a model of another version
// (whose feature hashes mean other things) are not read, and this
// version's reports do not land in the old keys.
func TestModelCountsOfAnotherFeatureVersion(t *testing.T) {
	ctx := context.Background()
	addr := redistest.Addr(t)
	c := newClient(t, addr)
	prefix := testPrefix(t, c)
	s := newStore(t, c, prefix)
	const feature = 12345
	old := prefix + "{model}:f" + strconv.Itoa(model.FeatureVersion-1) + ":fraud"
	if err := c.HIncrBy(ctx, old, strconv.Itoa(feature), 7).Err(); err != nil {
		t.Fatal(err)
	}
	got := make([][3]int64, 1)
	if err := s.FeatureCounts(ctx, []uint32{feature}, got); err != nil {
		t.Fatal(err)
	}
	if got[0] != [3]int64{} {
		t.Errorf("counts of FeatureVersion %d read as %v, want none", model.FeatureVersion-1, got[0])
	}
	if err := s.AddFeatureCounts(ctx, []uint32{feature}, model.Fraud, 1); err != nil {
		t.Fatal(err)
	}
	cur := prefix + "{model}:f" + strconv.Itoa(model.FeatureVersion) + ":fraud"
	if n, err := c.HGet(ctx, cur, strconv.Itoa(feature)).Int64(); err != nil || n != 1 {
		t.Errorf("HGET %s = %d, %v; want 1", cur, n, err)
	}
	if n, err := c.HGet(ctx, old, strconv.Itoa(feature)).Int64(); err != nil || n != 7 {
		t.Errorf("HGET %s = %d, %v; want the old 7 untouched", old, n, err)
	}
}
