package filter

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestDecisionLogMasksEveryScript: the decision log masks digits of every
// script and e-mail local parts (issue 16, item 6); MaskOff keeps them.
func TestDecisionLogMasksEveryScript(t *testing.T) {
	m := &Message{ID: "m", Sender: "+971501234567", Recipient: "+９７１５０１２３４５６７"}
	d := &Decision{ID: "m", Action: Review, Reasons: []Reason{{Code: FraudLure, Evidence: "رمز ٤٨٢٩١٣ from john.doe@example.com"}}}
	tests := []struct {
		masking       Masking
		want, notWant []string
	}{
		{MaskNumbers,
			[]string{`"+97********67"`, `"+９７********６７"`, `رمز ******`, `j*******@example.com`, `code ۴۸****۷۰`},
			[]string{"501234567", "٤٨٢٩١٣", "john.doe", "۴۸۲۹۱۳۷۰"}},
		{MaskOff, []string{"+971501234567", "٤٨٢٩١٣", "john.doe@example.com"}, nil},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		ob := &observer{logW: &buf, masked: tt.masking == MaskNumbers}
		ob.logDecision(m, d, errors.New("store said code ۴۸۲۹۱۳۷۰"), 0)
		line := buf.String()
		for _, w := range tt.want {
			if !strings.Contains(line, w) {
				t.Errorf("masking %d: log line %s, want it to contain %q", tt.masking, line, w)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(line, w) {
				t.Errorf("masking %d: log line %s keeps %q", tt.masking, line, w)
			}
		}
	}
}
