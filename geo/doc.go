// Package geo answers "where is this from?" for the enrich step of the
// msgfilter pipeline: which country and kind of number a sender or
// recipient is (ClassifySender, ParseRecipient, cached by Numbers), which
// country and network a client IP address belongs to (IPDB, opened from
// any MaxMind-format database), whether an address is on a block list
// (CIDRSet), and whether a code names a real country (IsCountry).
//
// Use it when you need facts about numbers and addresses that policies can
// compare; it makes no decisions itself. Open databases and build sets once
// at start-up, then share them: every type here is safe for concurrent use
// once built.
//
// Package geo/countrydb turns free IP-to-country ranges (the Debian
// tor-geoipdb package, sapics/ip-location-db CSV files) into a MaxMind DB
// that OpenIPDB reads, for deployments without a MaxMind licence; it is
// tooling, kept apart so that a gateway does not compile its writer.
package geo
