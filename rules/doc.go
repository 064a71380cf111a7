// Package rules loads, compiles and evaluates msgfilter's Rego policy packs with
// Open Policy Agent (v1).
//
// Use it through package filter unless you are building tooling for rule
// authors: filter turns a message into the facts document that the policies
// read, and calls a [Set] to decide.
//
// # Pack layout
//
// A policy source is an [io/fs.FS] whose top level holds the packs:
//
//	global/               package msgfilter.global, applies to every message
//	countries/<cc>/       package msgfilter.countries.<cc> (lower-case ISO 3166-1 alpha-2)
//	channels/<name>/      package msgfilter.channels.<name> (sms, viber, whatsapp, messenger, rcs)
//
// Each pack directory holds .rego modules, *_test.rego unit tests, an optional
// data.json and any other files (term lists under terms/, registries...) that
// Go code reads through [Pack.File] to build matchers: Rego never loops over
// big lists. JSON files are mounted where OPA's loader mounts them, at their
// directory (countries/ae/data.json is data.countries.ae), so that stock
// "opa test" and "opa eval -d" see the data the engine sees; YAML data is
// refused.
//
// Every pack that decides defines a partial set rule named reasons. Each of its
// bodies carries a METADATA annotation with a title, related_resources (the
// regulation or guideline it comes from), custom.id (the rule id, which the
// body puts in the reason's "rule" field) and custom.effective (YYYY-MM-DD).
// [Load] refuses a pack whose reasons rule lacks any of them.
//
// # Evaluation
//
// [Load] compiles every pack once and prepares one query per destination
// country and channel that unions the global, country and channel reasons.
// A destination without a pack gets the global and channel rules. [Set.Eval]
// takes the facts as a pre-built [ast.Value] and the message time, so policies
// never read the wall clock. The queries union each pack's reasons rule as
// partial evaluation with an unknown input left it at load: what depends
// only on the data settled, helper rules inlined; the findings are those of
// the written rules.
//
// Policies run with restricted capabilities: network, runtime, random and
// wall-clock built-ins (http.send, net.lookup_ip_addr, opa.runtime,
// rand.intn, uuid.rfc4122, time.now_ns, crypto.x509.parse_and_verify_*) are
// not available, so a policy can never make the hot path wait on the network
// and a decision depends only on its input and the message time. msgfilter
// adds no built-in, so stock opa runs the packs as they are: quiet hours
// (data.json's quiet_hours, see [QuietSpec]) are parsed at load
// ([Pack.QuietHours]) and computed by the caller into the facts.
//
// A [Set] is immutable and safe for concurrent use. Reloading means loading a
// new Set and swapping it.
package rules
