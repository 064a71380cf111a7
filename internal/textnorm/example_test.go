package textnorm_test

import (
	"fmt"
	"strings"

	"github.com/msgfilter/msgfilter/internal/textnorm"
)

func Example() {
	t := textnorm.Normalize("Big ＣＡＳＩＮＯ night: b3t on v.o.t.e!")
	fmt.Printf("words:  %q\n", t.Bytes(textnorm.Words))
	joined := t.Bytes(textnorm.Joined)
	fmt.Printf("joined: %q\n", joined)
	i := strings.Index(string(joined), "vote")
	fmt.Printf("evidence: %q\n", t.Original(textnorm.Joined, i, i+len("vote")))
	// Output:
	// words:  "big casino night b3t on v o t e"
	// joined: "big casino night bet on vote"
	// evidence: "v.o.t.e"
}
