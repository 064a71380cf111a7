package filter

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrInvalidMessage is matched (errors.Is) by every *ValidationError.
var ErrInvalidMessage = errors.New("filter: invalid message")

// ValidationError reports a message field the engine cannot decide on.
type ValidationError struct {
	Field  string // the JSON name of the field: "channel", "recipient", ...; "" for the message as a whole
	Value  string // the offending value: at most 64 bytes, cut at a character, invalid bytes as U+FFFD
	Reason string
}

func (e *ValidationError) Error() string {
	if e.Field == "" { // the message as a whole (malformed JSON)
		return "filter: invalid message: " + e.Reason
	}
	if e.Value == "" {
		return fmt.Sprintf("filter: invalid %s: %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("filter: invalid %s %q: %s", e.Field, e.Value, e.Reason)
}

// Is makes errors.Is(err, ErrInvalidMessage) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidMessage }

func invalid(field, value, reason string) *ValidationError {
	return &ValidationError{Field: field, Value: shown(value), Reason: reason}
}

// shown is value as an error shows it: valid UTF-8, so that it can be
// written as JSON (json/v2 refuses invalid strings), and at most 64
// bytes, cut before a character that would not fit whole.
func shown(value string) string {
	// A Go caller's value may be huge: clean only a prefix that holds the
	// 64 bytes shown.
	value = strings.ToValidUTF8(value[:min(len(value), 256)], "\uFFFD")
	if len(value) <= 64 {
		return value
	}
	n := 64
	for n > 0 && !utf8.RuneStart(value[n]) {
		n--
	}
	return value[:n]
}
