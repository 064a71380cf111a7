package model

import (
	"bytes"
	"cmp"
	"slices"
	"strings"

	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// Lure words: a few words per kind of lure, in many languages, that the
// model sees as one feature per kind (shapeLureUrgent...). Only words that
// legitimate notifications seldom use: not "reply", "call", "confirm",
// "account", "card", "expires" or "free", which every opt-out line,
// reminder, bank alert, OTP and delivery notice has. The training
// corpora are English and Thai; a kind learnt from them carries to the
// languages listed here that the corpora never showed, which word
// features cannot do. Written from common knowledge, not from any corpus;
// each entry is normalized as message text is (diacritics dropped,
// look-alike letters folded), so "contraseña" matches "contrasena" too.
var lureWords = [...]struct {
	shape shape
	// words are matched as whole tokens of the Words/Joined form (lower
	// case, l and i alike); native are matched anywhere in the Joined form,
	// for scripts written without spaces.
	words, native string
}{
	{shapeLureUrgent,
		"urgent urgently immediately suspended suspend blocked locked deactivated unusual asap " +
			"segera darurat diblokir terblokir urgente inmediatamente suspendida bloqueada bloqueado urgence immédiatement suspendu bloqué dringend sofort gesperrt " +
			"acil askıya срочно заблокирован заблокирована",
		"ด่วน ระงับ บล็อก 紧急 冻结"},
	{shapeLureCredential,
		"verify password login credentials ssn verifikasi sandi verificar contraseña vérifier passwort doğrula şifre подтвердите пароль",
		"ยืนยันตัวตน รหัสผ่าน 验证 密码"},
	{shapeLurePrize,
		"win won winner prize award congratulations congrats bonus claim selected lucky jackpot " +
			"menang pemenang hadiah terpilih ganador premio gagnant félicitations gewinner gewonnen kazandınız ödül выиграли приз",
		"รางวัล โบนัส ยินดีด้วย โชค 中奖 奖金"},
	{shapeLureAction,
		"click tap download install klik unduh clic cliquez klicken tıklayın нажмите",
		"คลิก ดาวน์โหลด 点击 下载"},
	{shapeLureLoan,
		"loan loans lend borrow pinjaman pinjam préstamo prêt darlehen kredi займ",
		"กู้ สินเชื่อ 贷款 借款"},
	{shapeLureGamble,
		"casino bet betting slot slots poker gacor judi taruhan apuesta pari wette bahis казино ставки",
		"คาสิโน เดิมพัน สล็อต บาคาร่า 赌场 博彩 投注"},
}

// lureTable maps the FNV hash of a lure word (as hashToken computes it
// with l read as i) to its shape: open addressing, keys 0 for empty.
var lureTable = func() (t [1 << 11]struct {
	h uint32
	s shape
}) {
	var text textnorm.Text
	for _, l := range lureWords {
		for _, w := range strings.Fields(l.words) {
			text.Reset(w)
			tok := bytes.TrimSpace(text.Bytes(textnorm.Words))
			if len(tok) == 0 || bytes.IndexByte(tok, ' ') >= 0 {
				panic("model: lure word " + w + " is not one word once normalized") // ruled out by the package's tests
			}
			h := hashToken(2166136261, tok, true)
			i := lureSlot(h)
			for t[i].h != 0 && t[i].h != h {
				i = (i + 1) & uint32(len(t)-1)
			}
			t[i].h, t[i].s = h, l.shape
		}
	}
	return t
}()

func lureSlot(h uint32) uint32 { return (h * 0x9e3779b1) >> (32 - 11) }

// lureOf returns the lure shape of a word hash, 0 for none.
func lureOf(h uint32) shape {
	for i := lureSlot(h); ; i = (i + 1) & uint32(len(lureTable)-1) {
		switch lureTable[i].h {
		case h:
			return lureTable[i].s
		case 0:
			return 0
		}
	}
}

// nativeLure is a native-script lure word; key is its first three bytes
// (one Thai or Han character).
type nativeLure struct {
	key uint32
	w   []byte
	s   shape
}

// lureNative holds the native-script lure words sorted by key, and
// lureFirst a bit per key hash: most characters of a text start no lure
// word, and one test of the bit says so.
var lureNative, lureFirst = func() (out []nativeLure, first [64]uint64) {
	var text textnorm.Text
	for _, l := range lureWords {
		for _, w := range strings.Fields(l.native) {
			text.Reset(w)
			n := bytes.Clone(bytes.TrimSpace(text.Bytes(textnorm.Joined)))
			k := key3(n)
			out = append(out, nativeLure{k, n, l.shape})
			first[(k*0x9e3779b1)>>26] |= 1 << (k & 63)
		}
	}
	slices.SortStableFunc(out, func(a, b nativeLure) int { return cmp.Compare(a.key, b.key) })
	return out, first
}()

func key3[T string | []byte](b T) uint32 {
	if len(b) < 3 {
		return 0
	}
	return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2])
}

// lures adds one feature per kind of lure word found: the words found by
// words (f.lure) and, in text that is not all ASCII, the native-script
// words anywhere in form (one pass, a bit test per three-byte character).
func (f *Features) lures(form []byte, ascii bool) {
	if !ascii {
		for i := 0; i+3 <= len(form); i++ {
			if form[i] < 0xE0 || form[i] >= 0xF0 {
				continue // only three-byte characters start a native lure word
			}
			k := key3(form[i:])
			if lureFirst[(k*0x9e3779b1)>>26]&(1<<(k&63)) == 0 {
				continue
			}
			j, _ := slices.BinarySearchFunc(lureNative, k, func(n nativeLure, k uint32) int { return cmp.Compare(n.key, k) })
			for ; j < len(lureNative) && lureNative[j].key == k; j++ {
				if n := &lureNative[j]; bytes.HasPrefix(form[i:], n.w) {
					f.lure |= 1 << (n.s - shapeLureUrgent)
				}
			}
		}
	}
	for s := shapeLureUrgent; s <= shapeLureGamble; s++ {
		if f.lure&(1<<(s-shapeLureUrgent)) != 0 {
			f.addShape(s)
		}
	}
}
