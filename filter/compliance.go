package filter

// Compliance facts of the pipeline's stages: the channel fields of the
// message (approved templates, Messenger tags, SMS encoding and segments),
// the opt-out instruction of an outgoing body, and India's DLT content
// templates. Each method is called by the stage named in its comment.

import "github.com/msgfilter/msgfilter/internal/dlt"

// validateTemplate (part of stage validate) checks the template fields: an
// unknown category is an input error rather than a message the WhatsApp
// rules could misread. validate has checked the names' UTF-8 with the
// other fields'.
func (c *check) validateTemplate() error {
	m := &c.msg
	switch m.TemplateCategory {
	case "", Marketing, Utility, Authentication:
	default:
		return invalid("template_category", string(m.TemplateCategory), "want marketing, utility or authentication")
	}
	if m.TemplateCategory != "" && m.Template == "" {
		return invalid("template_category", string(m.TemplateCategory), "set without a template")
	}
	if len(m.Template) > maxNameBytes {
		return invalid("template", "", "longer than 512 bytes")
	}
	if len(m.Tag) > maxNameBytes {
		return invalid("tag", "", "longer than 512 bytes")
	}
	return nil
}

// maxNameBytes bounds a template name or tag: WhatsApp's names are at most
// 512 characters.
const maxNameBytes = 512

// extractCompliance (part of stage extract) matches the body against the
// sender's DLT templates (the opt-out instruction is found in stage match).
func (c *check) extractCompliance() {
	p, m, f := c.p, &c.msg, &c.facts
	f.DLT = DLTFacts{}
	packReg := p.pack(c.dest).dlt
	var tenantReg *dlt.Registry
	if c.tenant != nil && c.dest == "IN" {
		tenantReg = c.tenant.dlt
	}
	// DLT scrubs SMS only; WhatsApp, RCS and the others have their own
	// template approval.
	if m.Channel != SMS || packReg == nil && tenantReg == nil {
		return
	}
	h := dlt.Header(m.Sender)
	f.DLT = DLTFacts{Checked: true, Header: h}
	for _, reg := range [...]*dlt.Registry{tenantReg, packReg} {
		if reg == nil {
			continue
		}
		if t, ok := reg.Match(h, m.Body); ok {
			f.DLT.Matched, f.DLT.TemplateID = true, t.ID
			return
		}
	}
}

// enrichMessage (part of stage enrich) adds the message's channel fields and
// how its body travels as an SMS.
func (c *check) enrichMessage() {
	m, mf := &c.msg, &c.facts.Message
	mf.Template, mf.TemplateCategory, mf.Tag = m.Template, string(m.TemplateCategory), m.Tag
	mf.Encoding, mf.Segments = c.size.Encoding, c.size.Segments // enrich measured the body
}
