package links

import "testing"

func TestChatInvite(t *testing.T) {
	a, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body string
		host       string
		invite     bool
	}{
		// Private groups and private persons' chats.
		{"whatsapp group", "Join our BTC study group https://chat.whatsapp.com/HGEBAfdiEjk6U06prxlKsg", "chat.whatsapp.com", true},
		{"whatsapp app scheme", "learn to earn 600-4000 per day, click whatsapp://chat/?code=GOCVGBKOzmb0FmmQBgwddb now", "whatsapp.com", true},
		{"whatsapp app scheme without slash", "Join: whatsapp://chat?code=KitRluT3zBxDiLCOMxnDsN", "whatsapp.com", true},
		{"telegram private invite", "VIP signals: https://t.me/+AbCdEf123456", "t.me", true},
		{"telegram joinchat", "t.me/joinchat/AAAAAEtest123 join now", "t.me", true},
		{"telegram app scheme", "tg://join?invite=AbCdEf123456", "t.me", true},
		{"line group", "แบ่งปันช่วงเวลาของคุณ line.me/ti/g/IYChZ9E8PZ", "line.me", true},
		{"line personal id", "สินเชื่อธุรกิจ LINE http://line.me/ti/p/~winmoney99", "line.me", true},
		{"line personal qr id", "ติดต่อ line.me/ti/p/Gm-lJfMw3B", "line.me", true},
		{"line app scheme group", "line://ti/g/IYChZ9E8PZ", "line.me", true},
		// Twins: a business's official account, click-to-chat with its
		// number, a public channel, the app's own pages.
		{"whatsapp click to chat", "Questions about your order? Chat with us https://wa.me/14155550123", "wa.me", false},
		{"whatsapp app send", "Chat with us: whatsapp://send?phone=14155550123", "whatsapp.com", false},
		{"whatsapp home", "Download WhatsApp at https://www.whatsapp.com/download", "www.whatsapp.com", false},
		{"whatsapp group host alone", "https://chat.whatsapp.com/", "chat.whatsapp.com", false},
		{"telegram public channel", "News every morning: https://t.me/acmenews", "t.me", false},
		{"telegram login", "Telegram code: 88702 You can also tap on this link to log in: https://t.me/login/88702", "t.me", false},
		{"line official account", "Add us on LINE https://line.me/R/ti/p/@acmeshop", "line.me", false},
		{"line official account encoded", "https://line.me/R/ti/p/%40acmeshop", "line.me", false},
		{"line official account shortener", "ติดตามใบแจ้งยอดเงิน ได้ที่ LINE https://lin.ee/pg7w632hn", "lin.ee", false},
		{"line app official", "line://ti/p/@acmeshop", "line.me", false},
		{"invite path elsewhere", "https://example.com/ti/g/abc and https://example.com/+abc", "example.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls := a.Analyze(tt.body)
			if len(ls) == 0 {
				t.Fatalf("Analyze(%q) found no link", tt.body)
			}
			l := ls[0]
			if l.Host != tt.host {
				t.Errorf("Host = %q, want %q", l.Host, tt.host)
			}
			for _, l := range ls {
				if l.Risk.ChatInvite != tt.invite {
					t.Errorf("%s: ChatInvite = %v, want %v", l.URL, l.Risk.ChatInvite, tt.invite)
				}
			}
		})
	}
}

func TestAppSchemeIsNoHost(t *testing.T) {
	a, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"whatsapp://", "whatsapp:///x", "tg://?invite=x", "mywhatsapp://chat?code=x", "notaline://ti/g/x"} {
		for _, l := range a.Analyze(body) {
			if l.Risk.ChatInvite {
				t.Errorf("Analyze(%q): %s is a chat invite", body, l.URL)
			}
		}
	}
}
