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
		// Private invite links; t.me/<name> is a public channel or bot.
		return strings.HasPrefix(p, "/+") || hasFoldPrefix(p, "/joinchat/")
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
