// Package model is msgfilter's content model: it scores a message body as
// ham (legitimate), spam (unsolicited marketing) or fraud (phishing,
// smishing, scams), with the features that weighed most as evidence, and
// learns from reports.
//
// Use it in the classify stage of a check (DESIGN.md, step 5), after
// internal/textnorm has normalized the body:
//
//   - Features are hashed from the textnorm forms: word unigrams and bigrams
//     of the Joined form (leetspeak and spaced-out letters undone; digit runs
//     masked by length), character 4-grams of the Joined form where a script
//     needs them (windows with a non-ASCII character: Thai, Chinese...), and
//     shape features of the original text (links, their TLD and host shape,
//     shorteners, money, phone numbers and their prefix, codes, USSD and
//     star codes, numbers longer than a phone number, masked account
//     numbers, amounts with decimals, prices per unit or period, shouting,
//     exclamation marks), and one feature per kind of lure word
//     found (urgency, credentials, prizes, clicks and downloads, loans,
//     betting; a few words each in nine languages that legitimate
//     notifications seldom use, lure.go), which carries what the English
//     and Thai corpora taught to languages they never showed. Links adds
//     what the engine's link analysis (internal/links) found: a brand
//     imitated or named beside a link that is not its own, an abused TLD,
//     look-alike letters, and whether one of them stands beside lure words.
//     Nothing measures length or the share of small capitals: those
//     separate the corpora's personal chat from business messages, not spam
//     from ham.
//   - A Model is a multinomial logistic regression over a table of 1<<bits
//     hashed buckets. Score allocates nothing and reads the model only, so
//     one Model serves every goroutine; each goroutine reuses its own
//     textnorm.Text and Features.
//   - Train fits a model deterministically (same examples and options, same
//     bytes). The file format (MarshalBinary, Parse, Load) is versioned and
//     checksummed; a corrupt file is ErrCorrupt and another version a
//     *VersionError. Default is the shipped model, embedded: MODEL.md gives
//     its recipe, data, licences and figures.
//   - Online adds reports to the scores: per feature and class, counts kept
//     in a Counts store (Memory in-process, redisstore for a fleet), with a
//     bounded contribution, undoable reports and ham reports that count
//     against spam and fraud.
//
// Policies decide on the probabilities (policies/global/model.rego); this
// package never blocks anything by itself.
package model
