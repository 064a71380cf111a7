package filter

import (
	"fmt"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestMetricsReasonAndTenant: checks_total carries the deciding reason
// code, and with WithTenantMetrics a tenant label bounded by the
// configured tenants (issue 16, item 5).
func TestMetricsReasonAndTenant(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := newEngine(t, WithPolicies(policyA), WithMetrics(reg), WithTenant("acme", Tenant{}), WithTenantMetrics())
	for i, tenant := range []string{"acme", "ACME", "", "made-up-1", "made-up-2"} {
		m := promo()
		m.ID, m.Tenant = fmt.Sprint(i), tenant
		mustCheck(t, e, m)
	}
	otp := promo()
	otp.Kind = OTP
	mustCheck(t, e, otp)
	for _, c := range []struct {
		labels []string
		want   float64
	}{
		{[]string{"block", "AM", "PROMOTIONAL_NOT_ALLOWED", "acme"}, 2},
		{[]string{"block", "AM", "PROMOTIONAL_NOT_ALLOWED", ""}, 1},
		{[]string{"block", "AM", "PROMOTIONAL_NOT_ALLOWED", "other"}, 2},
		{[]string{"allow", "AM", "", ""}, 1},
		{[]string{"block", "AM", "PROMOTIONAL_NOT_ALLOWED", "made-up-1"}, 0},
	} {
		if got := counterValue(e.obs.checks.WithLabelValues(c.labels...)); got != c.want {
			t.Errorf("checks_total%v = %v, want %v", c.labels, got, c.want)
		}
	}
}

func TestDecidingCode(t *testing.T) {
	d := &Decision{Action: Block, Reasons: []Reason{{Code: SpamSuspected}, {Code: QuietHours}, {Code: GamblingContent}, {Code: URLShortener}}}
	if got := decidingCode(d); got != GamblingContent {
		t.Errorf("decidingCode(review, defer, block, block) = %s, want the first block: GAMBLING_CONTENT", got)
	}
	if got := decidingCode(&Decision{Action: Allow}); got != "" {
		t.Errorf("decidingCode(allow) = %q, want \"\"", got)
	}
}
