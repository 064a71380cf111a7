package filter

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestTemplateSharedConcurrent: goroutines check the same templates, each
// with other digits, to destinations whose terms differ and for tenants
// whose thresholds and brands differ, all at once, so that one entry's
// memoized projection (templateEntry.last) is replaced by one destination
// while another reads it; every decision must be the uncached engine's.
// TestCachedConcurrent sends each template to one destination only, and
// TestTemplateSharedAcrossDestinations runs in one goroutine. Run it with
// -race. A body with more occurrences of terms than an entry keeps
// (maxTemplateHits) is among them: it is never stored, and decided alike.
func TestTemplateSharedConcurrent(t *testing.T) {
	acme := WithTenant("acme", Tenant{Brands: []Brand{{Name: "Acme Bank", Country: "DE", Domains: []string{"acmebank.de"}}}})
	cached := tenantModelEngine(t, acme, WithStore(nil))
	uncached := tenantModelEngine(t, acme, WithStore(nil), WithCacheSizes(Off, Off))
	many := strings.Repeat("casino bonus, win a prize, ", 12) + "code 1234"
	bodies := append([]string{many}, templateBodies...)
	dests := []string{"+971501234567", "+919876543210", "+989121234567", "+66812345678", "+12025550123", "+33612345678"}
	tenants := []string{"", "Strict", "lax", "acme"}
	var msgs []Message
	for i, body := range bodies {
		for j := range len(dests) * len(tenants) {
			runs, _ := freeRuns(body, cached.policy.Load().templateRun)
			b := []byte(body)
			for _, r := range runs {
				for k := r[0]; k < r[1]; k++ {
					b[k] = byte('0' + (i+j+k)%10)
				}
			}
			msgs = append(msgs, Message{ID: fmt.Sprint("c-", i, "-", j), Channel: SMS, Kind: []Kind{Promotional, Transactional}[j%2],
				Sender: "Shop", Tenant: tenants[j%len(tenants)], Recipient: dests[j/len(tenants)], Body: string(b), Time: tuesday})
		}
	}
	ctx := context.Background()
	want := make([]Decision, len(msgs))
	for i := range msgs {
		var err error
		if want[i], err = uncached.Check(ctx, &msgs[i]); err != nil {
			t.Fatal(err)
		}
	}
	const workers = 6
	errs := make(chan error, workers)
	for g := range workers {
		go func() {
			for k := range 2 * len(msgs) {
				// Each worker walks the messages in its own order, so
				// destinations alternate on every entry.
				i := (k*(2*g+1) + g*17) % len(msgs)
				m := msgs[i]
				d, err := cached.Check(ctx, &m)
				d.Cache, d.Cached = "", false
				if err != nil || !reflect.DeepEqual(d, want[i]) {
					errs <- fmt.Errorf("%q to %s for %q: cached %+v, %v; uncached %+v", m.Body, m.Recipient, m.Tenant, d, err, want[i])
					return
				}
			}
			errs <- nil
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	// The many-hits body was scanned with more hits than an entry keeps,
	// and so is not in the cache (the comparison above is not only of
	// entries).
	c := cached.newCheck(ctx, &msgs[0], false)
	defer c.release()
	if err := c.validate(); err != nil {
		t.Fatal(err)
	}
	c.extract()
	if c.templateCache() {
		t.Fatalf("%q, with more than %d hits, was stored", many, maxTemplateHits)
	}
	c.normalize()
	c.match()
	if n := c.scratch.hits.Len(); n <= maxTemplateHits {
		t.Fatalf("%q has %d hits: pick a body with more than %d", many, n, maxTemplateHits)
	}
}
