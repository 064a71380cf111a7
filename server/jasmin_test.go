package server

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// jasminHarness runs the interceptor as Jasmin's interceptord does: the
// script executed with routable, smpp_status and http_status as globals.
const jasminHarness = `
import json, sys
class PDU: pass
class Routable: pass
class User: uid = "acme"
pdu = PDU()
pdu.params = {"source_addr": sys.argv[2].encode(), "destination_addr": sys.argv[3].encode(),
              "short_message": sys.argv[4].encode("utf_16_be"), "data_coding": 8}
routable = Routable(); routable.pdu = pdu; routable.user = User()
g = {"routable": routable, "smpp_status": 0, "http_status": 0}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), g)
print(json.dumps({"smpp": g["smpp_status"], "http": g["http_status"]}))
`

func TestJasminInterceptor(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH: the Jasmin example stays a documented example")
	}
	s := newTestServer(t, nil, WithBearerToken("tok"))
	tests := []struct {
		name, kind, sender, recipient, body string
		env                                 []string
		smpp, http                          int
	}{
		{"allow", "otp", "Acme", "12025550123", "Your code is 4821", nil, 0, 0},
		{"block", "promotional", "Shop", "905321234567", "İndirim", nil, 0x65, 403},
		{"sender code", "transactional", "Shop", "85251234567", "Your parcel has shipped", nil, 0x0A, 403},
		{"invalid recipient", "otp", "Acme", "12", "code 1", nil, 0x65, 400},
		{"unreachable, fail closed", "otp", "Acme", "12025550123", "Your code is 4821", []string{"MSGFILTER_URL=http://127.0.0.1:1"}, 0x08, 503},
		{"unreachable, fail open", "otp", "Acme", "12025550123", "Your code is 4821", []string{"MSGFILTER_URL=http://127.0.0.1:1", "MSGFILTER_FAIL=open"}, 0, 0},
		{"wrong token", "otp", "Acme", "12025550123", "Your code is 4821", []string{"MSGFILTER_TOKEN=nope"}, 0x08, 503},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(python, "-c", jasminHarness, "../examples/jasmin/mt_interceptor.py", tc.sender, tc.recipient, tc.body)
			// The interceptor's 0.5 s default suits a gateway, not a loaded
			// CI machine running -race: this test is about the status
			// mapping, so it waits longer. The unreachable cases still end
			// at once, refused.
			cmd.Env = append([]string{"MSGFILTER_URL=" + s.url, "MSGFILTER_TOKEN=tok", "MSGFILTER_KIND=" + tc.kind, "MSGFILTER_TIMEOUT=30"}, tc.env...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("python3: %v\n%s", err, out)
			}
			var got struct{ SMPP, HTTP int }
			if err := json.Unmarshal([]byte(strings.TrimSpace(string(out))), &got); err != nil {
				t.Fatalf("harness printed %q", out)
			}
			if got.SMPP != tc.smpp || got.HTTP != tc.http {
				t.Errorf("interceptor %s = smpp_status %#x, http_status %d; want %#x, %d", tc.name, got.SMPP, got.HTTP, tc.smpp, tc.http)
			}
		})
	}
}
