package terms_test

import (
	"encoding/json"
	"fmt"
	"log"
	"strings"

	"github.com/msgfilter/msgfilter/internal/terms"
)

func ExampleMatcher_Match() {
	list, err := terms.ParseList(strings.NewReader(`{"text": "election", "category": "political", "word": true}
{"text": "vote", "category": "political", "weight": 1, "word": true}
{"text": "bet", "category": "gambling", "word": true}
`), "en")
	if err != nil {
		log.Fatal(err)
	}
	m, err := terms.Compile(list)
	if err != nil {
		log.Fatal(err)
	}
	for _, body := range []string{
		"ELECTION day: v.o.t.e!",
		"Learn the alphabet, vote for your favourite flavour",
	} {
		b, err := json.Marshal(m.Match(body))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(string(b))
	}
	// Output:
	// {"political":{"score":3,"terms":["election","vote"],"evidence":["ELECTION","v.o.t.e"]}}
	// {"political":{"score":1,"terms":["vote"],"evidence":["vote"]}}
}
