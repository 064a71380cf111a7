package links

import "strings"

// A link into a messaging app's private group, or to a private person's
// chat, is the hand-off of the scams that move their victims off SMS:
// investment "study groups", task and job offers, loans, romance (FBI,
// "Cryptocurrency Investment Fraud": the scammer moves the conversation to
// WhatsApp or Telegram; FTC, "Job scams"; in the Thai corpus's train split,
// loans and gambling offered through a personal LINE ID or a LINE group,
// where its OK and OTP messages link to official accounts). A business sends its customers to its official
// account instead: WhatsApp click-to-chat with its number (wa.me/<number>),
// a LINE official account ("@" ID, lin.ee), a public Telegram channel or
// bot (t.me/<name>). The signal is Risk.ChatInvite.

// chatInvite reports whether a web link, host (lower case) and path p,
// opens a private group or a private person's chat.
func chatInvite(host, p string) bool {
	switch host {
	case "chat.whatsapp.com":
		return len(p) > 1 // the group's invite code
	case "t.me", "telegram.me", "telegram.dog":
		// Private invite links; t.me/<name> is a public channel or bot,
		// and t.me/+<number> the chat of the account with that phone
		// number, as wa.me/<number> is (Telegram's deep links).
		return strings.HasPrefix(p, "/+") && !phoneLink(p[2:]) || hasFoldPrefix(p, "/joinchat/")
	case "line.me":
		if hasFoldPrefix(p, "/r/") {
			p = p[2:] // "line.me/R/ti/p/..." is the same page
		}
		switch {
		case hasFoldPrefix(p, "/ti/g/"), hasFoldPrefix(p, "/ti/g2/"):
			return len(p) > len("/ti/g/") // a group
		case hasFoldPrefix(p, "/ti/p/"):
			id := p[len("/ti/p/"):]
			// An official account's ID starts with "@" (written %40 in
			// a URL); any other is a person's.
			return id != "" && id[0] != '@' && !hasFoldPrefix(id, "%40")
		}
	}
	return false
}

// appInvite is chatInvite for a link in the app's own scheme: app is the
// app's web domain (appScheme), command the part after "://" up to the
// first '/', '?' or '#', rest what follows.
func appInvite(app, command, rest string) bool {
	switch app {
	case "whatsapp.com":
		// "whatsapp://chat?code=X" (also written "chat/?code=").
		return strings.EqualFold(command, "chat") && strings.Contains(rest, "code=")
	case "t.me":
		// "tg://join?invite=X".
		return strings.EqualFold(command, "join") && strings.Contains(rest, "invite=")
	case "line.me":
		// "line://ti/g/X", "line://ti/p/~id".
		return strings.EqualFold(command, "ti") && chatInvite("line.me", "/ti"+rest)
	}
	return false
}

// phoneLink reports whether s, what follows "t.me/+", is a phone number
// (E.164: at most 15 digits) up to the end of the path: an invite's code
// is 16 random bytes in base64.
func phoneLink(s string) bool {
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if s == "" || len(s) > 15 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
