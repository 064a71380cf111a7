package model

import (
	"sync"

	"github.com/msgfilter/msgfilter/internal/links"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// linkShapes are the link signs Links turns into shapes; linkSigns sets
// bit i for linkShapes[i].
var linkShapes = [...]shape{shapeLinkImitates, shapeLinkBrandText, shapeLinkAbusedTLD, shapeLinkLookalike}

// linkSigns returns what l's analysis says of it, as a mask of linkShapes.
//
// Left out, each for a reason measured (MODEL.md, sixth round):
//   - a machine-made name: out of fold it added nothing the others do not,
//     and real senders have such names (appsflyer.com, CDN hosts): "See
//     https://appsflyer.com/" rose to 0.45, enough for the link rules'
//     corroboration;
//   - free hosting and dynamic DNS: a CDN customer's ID
//     ("d2x7kq9vb1c4mz.cloudfront.net") is what bank and delivery notices
//     link to, so the model learnt those notices as fraud; the link rules
//     weigh hosting on their own;
//   - credential, kit and redirect paths: the corpora's ham carries them
//     more often than their fraud ("pay.…/pay/", a shop's "/verify/");
//   - shorteners and IP hosts: shapes of the text scan already.
func linkSigns(l *links.Link) uint8 {
	r := &l.Risk
	var m uint8
	for i, on := range [...]bool{
		l.HomographOf != "" || r.Typosquat || r.Combosquat || r.BrandInSubdomain || r.BrandInPath || r.DeceptiveHost,
		r.BrandInText,
		r.AbusedTLD,
		l.Punycode || l.MixedScript || r.ASCIILookalike,
	} {
		if on {
			m |= 1 << i
		}
	}
	return m
}

// Links adds the shapes of the body's links as the engine's link analysis
// describes them (internal/links: a brand imitated, or named beside a
// link that is not its own, an abused TLD, look-alike letters), each
// once; whether one stands beside lure words; and whether there are two
// kinds or more. Call it after Extract, with the links of the same body:
// the engine passes those its link stage found, training and evaluation
// LinkAnalyzer's. It does not allocate.
func (f *Features) Links(ls []links.Link) {
	var m uint8
	for i := range ls {
		m |= linkSigns(&ls[i])
	}
	if m == 0 {
		return
	}
	kinds := 0
	for i, s := range linkShapes {
		if m&(1<<i) != 0 {
			f.addShape(s)
			kinds++
		}
	}
	if f.lure != 0 {
		f.addShape(shapeLinkRiskLure)
	}
	if kinds >= 2 {
		f.addShape(shapeLinkRiskMany)
	}
}

// LinkAnalyzer returns the link analysis the model is trained with: the
// built-in brand and shortener lists and no phishing feed (a feed's verdict
// changes by the hour, the look of a link does not). Outside the engine,
// pass Links what its Analyze returns for the body.
var LinkAnalyzer = sync.OnceValue(func() *links.Analyzer {
	a, err := links.New(links.Config{})
	if err != nil {
		panic("model: built-in link lists: " + err.Error()) // embedded data, tested by internal/links
	}
	return a
})

// extractBody is Extract and then Links with LinkAnalyzer's analysis of
// t's source: what training sees of a body.
func (f *Features) extractBody(t *textnorm.Text) {
	f.Extract(t)
	f.Links(LinkAnalyzer().Analyze(t.Source()))
}
