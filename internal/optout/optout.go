// Package optout tells whether an inbound message revokes consent (an
// opt-out) or gives it back (an opt-in), in keywords ("STOP", "ՍՏՈՊ",
// "ABMELDEN") and in reasonable words ("please stop texting me",
// "unsubscribe me"), as the FCC's 2024 revocation rule (47 CFR
// 64.1200(a)(10), in force since 11 April 2025) requires, while ordinary
// replies that merely contain such a word ("don't stop the deals", "see you
// at the bus stop") stay ordinary.
//
// The words are data: the term lists of the policy packs, in the
// categories named by the Category constants (see policies/TERMS.md). A
// Detector compiles them once; Detect is safe for concurrent use. The zero
// Detector detects nothing.
//
// Scoring, on the normalized body:
//
//  1. A body that is, without its spaces, exactly one opt_out (opt_in) term
//     of any weight is an opt-out (opt-in): a bare "STOP" or "START" reply.
//  2. Otherwise the opt-out score is the sum of the weights of the distinct
//     opt_out terms found minus those of the opt_keep terms ("don't stop",
//     "keep sending"), which ask for the opposite; 2 or more is an opt-out.
//  3. Otherwise an opt_in score of 2 or more is an opt-in.
//
// An opt-out wins over an opt-in in the same message: sending to someone
// who revoked consent is the costlier mistake.
package optout

import (
	"slices"
	"strings"

	"github.com/msgfilter/msgfilter/internal/terms"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// Term categories the Detector reads; a list's other categories are
// ignored.
const (
	CategoryOut  = "opt_out"  // revocation: STOP, unsubscribe me, stop texting me
	CategoryIn   = "opt_in"   // consent given back: START, UNSTOP, subscribe me again
	CategoryKeep = "opt_keep" // asks to go on, cancelling an opt_out word: don't stop, keep sending
)

// Categories lists the categories the Detector reads, for callers that
// separate inbound keywords from content terms.
var Categories = []string{CategoryOut, CategoryIn, CategoryKeep}

// Intent is what an inbound message asks for.
type Intent int

// Intents.
const (
	None Intent = iota
	OptOut
	OptIn
)

func (i Intent) String() string {
	switch i {
	case OptOut:
		return "opt_out"
	case OptIn:
		return "opt_in"
	}
	return "none"
}

// Result is a detection: the intent and the words that decided it, as
// the sender wrote them.
type Result struct {
	Intent   Intent
	Evidence string
}

// loneMax is the longest body (bytes) checked as one lone keyword: terms
// are a few words, so longer bodies skip the compact form.
const loneMax = 64

// Detector finds opt-outs and opt-ins. It is immutable once built and safe
// for concurrent use; the zero Detector finds nothing.
type Detector struct {
	m *terms.Matcher
}

// New compiles the opt_out, opt_in and opt_keep terms among ts.
func New(ts []terms.Term) (*Detector, error) {
	var kept []terms.Term
	for _, t := range ts {
		if slices.Contains(Categories, t.Category) {
			kept = append(kept, t)
		}
	}
	m, err := terms.Compile(kept)
	if err != nil {
		return nil, err
	}
	return &Detector{m: m}, nil
}

// Detect scores an inbound body (see the package documentation).
func (d *Detector) Detect(body string) Result {
	if d == nil || d.m == nil {
		return Result{}
	}
	if len(body) <= loneMax {
		compact := strings.ReplaceAll(textnorm.String(body), " ", "")
		if compact != "" {
			r := d.m.Match(compact)
			for _, c := range [...]struct {
				cat    string
				intent Intent
			}{{CategoryOut, OptOut}, {CategoryIn, OptIn}} {
				if slices.Contains(r.Categories[c.cat].Evidence, compact) {
					return Result{Intent: c.intent, Evidence: strings.TrimSpace(body)}
				}
			}
		}
	}
	r := d.m.Match(body)
	out, keep, in := r.Categories[CategoryOut], r.Categories[CategoryKeep], r.Categories[CategoryIn]
	if out.Score-keep.Score >= 2 {
		return Result{Intent: OptOut, Evidence: strings.Join(out.Evidence, " ")}
	}
	if in.Score >= 2 {
		return Result{Intent: OptIn, Evidence: strings.Join(in.Evidence, " ")}
	}
	return Result{}
}

// Instructs reports whether an outgoing body tells the recipient how to
// refuse further messages ("Reply STOP to opt out", "STOP au 36111",
// "Abmelden unter shop.de/ab", "unsubscribe at ..."): opt_out terms scoring
// 2 or more. It is the content.opt_out_instruction fact that the GB and DE
// packs read, broader than the STOP-only content.opt_out_text.
func (d *Detector) Instructs(body string) bool {
	if d == nil || d.m == nil {
		return false
	}
	return Instructed(d.m.Match(body))
}

// Instructed is Instructs on what a matcher compiled with the opt_out terms
// among its own found: the engine adds them to each destination's content
// matcher, so that an outgoing body is scanned once for both.
func Instructed(r terms.Result) bool { return r.Categories[CategoryOut].Score >= 2 }
