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

// readCitations checks that every body of every reasons rule carries complete
// METADATA whose id appears in the rule, and records the citations.
func (l *loader) readCitations(compiler *ast.Compiler) {
	annotations := compiler.GetAnnotationSet()
	for _, file := range sortedKeys(compiler.Modules) {
		mod := compiler.Modules[file]
		pack := packName(mod.Package.Path)
		for _, rule := range mod.Rules {
			if rule.Head.Name.String() != reasonsRule && rule.Head.Ref().String() != reasonsRule {
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
				c := Citation{Rule: id, Pack: pack, Title: a.Title, Effective: effective}
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
