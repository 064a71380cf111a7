package main

import (
	"context"
	"reflect"
	"testing"

	"github.com/msgfilter/msgfilter/filter"
)

// TestRowsCachedEqualsUncached replays 20,000 messages of the templated and
// the realistic rows (in sequence, as one core would) through an engine with
// its default caches and one without any, and requires the same decision
// for every message: the hot path's caches (exact, template, fact) must
// never change what is decided, whatever they answer.
func TestRowsCachedEqualsUncached(t *testing.T) {
	if testing.Short() {
		t.Skip("checks 40,000 messages, half of them without caches")
	}
	n := int64(20000)
	if raceEnabled {
		n = 2000 // the race detector makes an uncached check ~10× slower
	}
	corpus := testCorpus()
	for _, row := range []string{rowTemplated, rowRealistic} {
		t.Run(row, func(t *testing.T) {
			cached, err := filter.New(filter.WithCheckBudget(filter.Off))
			if err != nil {
				t.Fatal(err)
			}
			uncached, err := filter.New(filter.WithCheckBudget(filter.Off), filter.WithCacheSizes(filter.Off, filter.Off))
			if err != nil {
				t.Fatal(err)
			}
			src, err := rowSource(row, corpus)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			answered := map[string]int{}
			var m filter.Message
			for k := range n {
				src(k, &m, nil)
				want, wantErr := uncached.Check(ctx, &m)
				got, gotErr := cached.Check(ctx, &m)
				if wantErr != nil || gotErr != nil {
					t.Fatalf("message %d %q: errors cached %v, uncached %v", k, m.Body, gotErr, wantErr)
				}
				answered[got.Cache]++
				got.Cache, got.Cached = "", false
				if !reflect.DeepEqual(got, want) || !got.Until.Equal(want.Until) {
					t.Fatalf("message %d %q to %s: cached decision\n%+v\nwant\n%+v", k, m.Body, m.Recipient, got, want)
				}
			}
			t.Logf("%d messages, answered by: policies %d, fact cache %d, exact cache %d", n, answered[""], answered[filter.CacheFacts], answered[filter.CacheExact])
		})
	}
}
