package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Citation is what a rule's METADATA says about where it comes from.
type Citation struct {
	Rule      string // the rule id (custom.id)
	Pack      string // "countries/ae"
	Title     string
	Sources   []Source // related_resources
	Effective string   // YYYY-MM-DD, or YYYY when the source gives only the year (custom.effective)
	// Codes are the reason codes the rule's text names (upper-case
	// constants with an underscore, such as "OPTED_OUT"), for the engine
	// to check against its vocabulary when the pack loads.
	Codes []string
}

// Source is one related resource of a rule.
type Source struct {
	URL         string
	Description string
}

// String renders the citation for a decision's reason: the first source's
// description and URL and the effective date, e.g.
// "TDRA Mobile Spam Policy: https://... (effective 2020-03-29)".
func (c Citation) String() string {
	var b strings.Builder
	if len(c.Sources) > 0 {
		s := c.Sources[0]
		if s.Description != "" {
			b.WriteString(s.Description + ": ")
		}
		b.WriteString(s.URL)
	}
	if c.Effective != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString("(effective " + c.Effective + ")")
	}
	return b.String()
}

// readCitations checks that every body of every reasons rule, and every
// limits rule, carries complete METADATA whose id appears in the rule, and
// records the citations. A limits rule declares a limit the engine enforces
// from the state store's count after evaluation (rate, flood): it decides
// nothing in Rego, and its METADATA is the citation of the engine's reason.
func (l *loader) readCitations(compiler *ast.Compiler) {
	annotations := compiler.GetAnnotationSet()
	for _, file := range sortedKeys(compiler.Modules) {
		mod := compiler.Modules[file]
		pack := packName(mod.Package.Path)
		for _, rule := range mod.Rules {
			if name := rule.Head.Ref().String(); name != reasonsRule && name != limitsRule {
				continue
			}
			row := rule.Location.Row
			var a *ast.Annotations
			for _, cand := range annotations.GetRuleScope(rule) {
				if cand.Scope == "rule" {
					a = cand
				}
			}
			if a == nil {
				l.fail(file, row, "a reasons rule needs a METADATA block with title, related_resources, custom.id and custom.effective")
				continue
			}
			id, _ := a.Custom["id"].(string)
			effective, _ := a.Custom["effective"].(string)
			switch {
			case a.Title == "":
				l.fail(file, row, "METADATA needs a title")
			case len(a.RelatedResources) == 0:
				l.fail(file, row, "METADATA needs related_resources citing the regulation or guideline")
			case id == "":
				l.fail(file, row, "METADATA needs custom.id, the rule id the body reports")
			case !validDate(effective):
				l.fail(file, row, "METADATA needs custom.effective as YYYY-MM-DD (or YYYY), got %q", effective)
			case !bodyMentions(rule, id):
				l.fail(file, row, "rule %q: the body must report its id in the reason's \"rule\" field", id)
			default:
				if prev, dup := l.set.citations[id]; dup && prev.Title != a.Title {
					l.fail(file, row, "rule id %q is used by two rules with different titles", id)
					continue
				}
				c := Citation{Rule: id, Pack: pack, Title: a.Title, Effective: effective, Codes: codesIn(rule)}
				if prev, dup := l.set.citations[id]; dup {
					c.Codes = append(c.Codes, prev.Codes...)
				}
				for _, r := range a.RelatedResources {
					c.Sources = append(c.Sources, Source{URL: r.Ref.String(), Description: r.Description})
				}
				l.set.citations[id] = c
			}
		}
	}
}

// validDate accepts YYYY-MM-DD, or YYYY where a source gives only the year.
func validDate(s string) bool {
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return true
	}
	_, err := time.Parse("2006", s)
	return err == nil
}

// limitsRule is the name of the rules that declare the limits the engine
// counts in the state store.
const limitsRule = "limits"

// codesIn returns the string constants of a rule shaped like reason codes.
func codesIn(rule *ast.Rule) []string {
	var codes []string
	ast.WalkTerms(rule, func(t *ast.Term) bool {
		if s, ok := t.Value.(ast.String); ok && codeShaped(string(s)) {
			codes = append(codes, string(s))
		}
		return false
	})
	return codes
}

// codeShaped reports "A_B" shapes: upper-case letters and digits in two or
// more parts joined by underscores.
func codeShaped(s string) bool {
	if s == "" || !strings.Contains(s, "_") || s[0] == '_' || s[len(s)-1] == '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') || c == '_' && s[i-1] == '_' {
			return false
		}
	}
	return true
}

func bodyMentions(rule *ast.Rule, id string) bool {
	found := false
	ast.WalkTerms(rule, func(t *ast.Term) bool {
		if s, ok := t.Value.(ast.String); ok && string(s) == id {
			found = true
		}
		return found
	})
	return found
}

// packName turns data.msgfilter.countries.ae into "countries/ae".
func packName(path ast.Ref) string {
	parts := make([]string, 0, len(path))
	for _, t := range path[2:] { // skip data.msgfilter
		s, _ := t.Value.(ast.String)
		parts = append(parts, string(s))
	}
	return fmt.Sprint(strings.Join(parts, "/"))
}
