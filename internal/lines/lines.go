// Package lines reads the project's list files: one entry per line, '#'
// starting a comment that runs to the end of the line, blank lines ignored
// (feeds, domain lists, sender registries, network lists). Use Each for
// every such file, so that they all read alike.
package lines

import (
	"bufio"
	"io"
	"strings"
)

// MaxLine is the longest line Each reads; a longer one is an error
// (bufio.ErrTooLong).
const MaxLine = 1 << 20

// Each calls fn for every entry of r, in order: n is the 1-based line
// number, entry the line without its comment and surrounding space, text the
// line as written. It stops at the first error, fn's or the reader's.
func Each(r io.Reader, fn func(n int, entry, text string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxLine)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		entry := text
		if i := strings.IndexByte(entry, '#'); i >= 0 {
			entry = entry[:i]
		}
		if entry = strings.TrimSpace(entry); entry == "" {
			continue
		}
		if err := fn(n, entry, text); err != nil {
			return err
		}
	}
	return sc.Err()
}
