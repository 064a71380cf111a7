package links

import "testing"

// TestChatInviteOfficialAccounts probes the ways a business links its
// customers to its own account or public channel, which are not invites
// into a private group (chatInvite), beside the private invites they
// resemble.
func TestChatInviteOfficialAccounts(t *testing.T) {
	a, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body string
		invite     bool
	}{
		// Telegram's phone number link opens the chat of the account
		// with that number, as wa.me/<number> does on WhatsApp
		// (core.telegram.org/api/links#phone-number-links).
		{"telegram phone number link", "Questions? Message us on Telegram https://t.me/+14155550123", false},
		{"telegram phone number link, short", "Telegram: t.me/+42777", false},
		{"telegram invite hash", "VIP signals: https://t.me/+AbCdEf123456", true},
		{"telegram invite hash of digits and a letter", "t.me/+1415555012a3bC", true},
		{"telegram invite hash longer than a phone number", "t.me/+1234567890123456789012", true},
		{"telegram public channel", "Follow https://t.me/acmebank for news", false},
		{"telegram resolve", "Open tg://resolve?domain=acmebank", false},
		{"telegram resolve by phone", "Open tg://resolve?phone=14155550123", false},
		{"whatsapp channel", "Follow our channel https://whatsapp.com/channel/0029VaABCDEFGHIJ1234567", false},
		{"whatsapp business catalogue", "See https://wa.me/c/14155550123", false},
		{"line official short link", "Add us: https://lin.ee/AbCdEfG", false},
		{"line official app scheme", "line://ti/p/@acmeshop", false},
		{"line personal app scheme", "line://ti/p/~winmoney99", true},
		{"line official message page", "https://line.me/R/oaMessage/@acmeshop/?hello", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls := a.Analyze(tt.body)
			if len(ls) == 0 {
				t.Fatalf("Analyze(%q) found no link", tt.body)
			}
			if got := ls[0].Risk.ChatInvite; got != tt.invite {
				t.Errorf("Analyze(%q): %s chat_invite = %v, want %v", tt.body, ls[0].URL, got, tt.invite)
			}
		})
	}
}

// TestCombosquatSparesBusinessNames: a business's own domain that holds a
// brand's name as an ordinary word or as what the business serves ("Big
// Apple Pizza", a cleaning service for Airbnb hosts) is not a combosquat
// under a TLD phishing abuses, where a small business registers too, unless
// the other word is a lure (the twins).
func TestCombosquatSparesBusinessNames(t *testing.T) {
	a := newTestAnalyzer(t, "")
	for _, tt := range []struct {
		url   string
		combo bool
	}{
		{"https://big-apple-pizza.online/t/4412", false},
		{"https://apple-pie.shop/menu", false},
		{"https://airbnb-cleaning.shop/b/2231", false},
		{"https://amazon-tours.info/", false},
		{"https://apple-verify.shop/", true},
		{"https://airbnb-refund.shop/", true},
	} {
		ls := a.Analyze("see " + tt.url)
		if len(ls) != 1 {
			t.Fatalf("%s: %d links", tt.url, len(ls))
		}
		if got := ls[0].Risk.Combosquat; got != tt.combo {
			t.Errorf("%s: combosquat %v, want %v (brand %q)", tt.url, got, tt.combo, ls[0].Risk.BrandOf)
		}
	}
}
