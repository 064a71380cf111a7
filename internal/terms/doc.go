// Package terms compiles banned-term lists into one matcher per pack and
// finds, for a message body, which categories of terms it contains and how
// strongly: a category's score is the sum of the weights of the distinct
// terms found (a term counts once however often it occurs).
//
// Use it when a policy pack loads: parse each list with ParseList, Compile
// the pack's terms together once, then call Match for every message; see
// ExampleMatcher_Match. Compile does the expensive work (about 20 ms for
// 2,000 terms, 0.2 s and 10 MB for 20,000); Match is safe for concurrent use
// and does not allocate when nothing matches.
//
// # How matching works
//
// Terms and bodies go through the same internal/textnorm transform, so
// matching is a byte comparison on normalized text: case, width, accents,
// zero-width characters, look-alike letters from other scripts, Arabic
// tatweel and harakat, Arabic/Persian letter forms and native digits are gone
// before the automaton (Aho-Corasick, every occurrence of every term) runs.
// A body is scanned in its Words form and, only when textnorm found
// obfuscation to undo (v.o.t.e, c4sino, 选.举), in its Joined form too, where
// terms of several words also match without their spaces. Terms written with
// digits ("4D") match in Words only. A term with an m or a w also matches
// written with "rn" or "vv" ("garnbling", "vvin"): the term is varied, not
// the text, so "corn" never becomes "com".
//
// A term matches anywhere in the normalized text (right for Thai, Chinese,
// Japanese and suffix-rich languages such as Turkish, Arabic, Persian or
// Armenian) unless its Word flag asks for word boundaries on both sides
// (short Latin words: "bet" must not hit "alphabet", "sex" not "Essex").
//
// # Writing lists
//
//   - Give ambiguous words weight 1 so that they need a second signal: in
//     the UCI ham corpus "I bet", kisses "xxx" and "party" are ordinary.
//   - Use "word": true for short Latin words and for words that are the
//     start or end of common longer ones ("election" is inside "selection").
//   - A term and a longer term containing it both count when the longer one
//     occurs ("election" and "presidential election" score 4): list the
//     longer one only when it deserves the extra weight.
//   - Terms that normalize alike in one category ("seçim", "SECIM") are one
//     term: the first spelling is reported, with the largest weight.
package terms
