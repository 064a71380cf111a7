// Package links finds the links written in a message body and describes each
// one with the facts a policy needs: the normalized host, the registrable
// domain, whether the host is an IP literal, a URL shortener, punycode, mixed
// script, a look-alike of a protected brand (IDN homographs, and the ASCII
// tricks the skeleton misses: "paypaI", "appıe"), or on a phishing feed (by
// domain, host or URL prefix); and its link risk (Risk): a brand named in a
// subdomain or path of another domain, typo- and combo-squats, abused TLDs,
// free hosting, dynamic DNS, a brand the text names while the link is on
// another domain (named.go), an invite into a messaging app's private group
// or a private person's chat (chat.go; the apps' own schemes, such as
// "whatsapp://chat?code=", are read as links on the app's domain), and the
// shape of the URL (a host that spells another domain, a phishing kit's
// path, a redirect, an odd port), and the
// scripts a non-ASCII name is written in with the country of its TLD, which
// policies compare with the scripts the destination writes. Every link of
// the body is described: there is no cap that a harmful link could hide
// behind.
//
// Use it in the extract step of the filter pipeline, once per message, with an
// Analyzer built at load time. It never touches the network.
//
// Most messages carry no link, so Analyze starts with a byte scan that costs
// well under a microsecond and allocates nothing when it finds no candidate.
// A scheme-less candidate ("example.com/x", "bit.ly/abc") counts as a link
// only when its last label is an ICANN top-level domain, in any case (DNS
// names are case-insensitive: "example.COm" is a link), except that the
// title case a sentence starts with counts only where the host shows as one
// ("www.", a path, a TLD no sentence starts with: "Example.Com"), which
// keeps "Hello.World", "thanks.Click here", "3.5", "e.g." and "AED 1.500"
// out.
//
//	a, err := links.New(links.Config{Feed: feed})
//	if err != nil {
//		log.Fatal(err)
//	}
//	for _, l := range a.Analyze("Your parcel is held: https://dhl-parcel.example/track") {
//		fmt.Println(l.Host, l.Domain, l.Shortener, l.HomographOf)
//	}
//
// Protected brands are data (Brand, ParseBrands): the built-in list is
// data/brands.json, and policy packs and tenants add theirs in the same
// format. The shortener, shared-hosting, app-hosting, abused-TLD and
// dynamic-DNS lists live in data/ with their sources (data/README.md). The
// confusable table is generated from the Unicode UTS #39 data by
// gen_confusables.go; the TLD table and the countries of the
// internationalized ccTLDs from the Public Suffix List by gen_tlds.go; both
// inputs are in the repository.
package links

//go:generate go run gen_confusables.go
//go:generate go run gen_tlds.go
