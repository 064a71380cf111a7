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
