package model

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrExamples is wrapped by ReadExamples's errors about malformed lines.
var ErrExamples = errors.New("model: malformed labelled line")

// ReadExamples reads labelled messages, one JSON object a line:
// {"body": "...", "label": "ham|spam|fraud", "country": "TH"}. The country
// is accepted and ignored (the model is the same for every destination).
// Blank lines are skipped; any other malformed line is an error naming it.
func ReadExamples(r io.Reader) ([]Example, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var out []Example
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var l struct {
			Body    *string `json:"body"`
			Label   string  `json:"label"`
			Country string  `json:"country"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrExamples, line, err)
		}
		if l.Body == nil {
			return nil, fmt.Errorf("%w: line %d: no body", ErrExamples, line)
		}
		c, err := ParseClass(l.Label)
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %w", ErrExamples, line, err)
		}
		out = append(out, Example{Text: *l.Body, Class: c})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("model: read labelled lines: %w", err)
	}
	return out, nil
}
