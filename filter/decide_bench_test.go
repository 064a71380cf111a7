package filter

import "testing"

// BenchmarkCampaignLimitFor is the per-check resolution of a message's
// campaign bound (countCampaign), for a kind the global pack counts.
func BenchmarkCampaignLimitFor(b *testing.B) {
	p := newEngine(b).policy.Load()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n += p.campaignLimitFor("DE", Transactional).n
	}
	if n == 0 {
		b.Fatal("no campaign bound")
	}
}

// BenchmarkStoreInterfaces is a templated check's reads of its store's
// optional interfaces: fleet twice (template, campaign), subjects twice
// (sameSubject, recordSubject), campaigns once (countCampaign).
func BenchmarkStoreInterfaces(b *testing.B) {
	e := newEngine(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if e.fleet() != nil {
			n++
		}
		if e.fleet() != nil {
			n++
		}
		if e.subjects() != nil {
			n++
		}
		if e.subjects() != nil {
			n++
		}
		if e.campaigns() != nil {
			n++
		}
	}
	if n == 0 {
		b.Fatal("a store with none of its optional interfaces")
	}
}
