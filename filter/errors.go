package filter

import (
	"errors"
	"fmt"
)

// ErrInvalidMessage is matched (errors.Is) by every *ValidationError.
var ErrInvalidMessage = errors.New("filter: invalid message")

// ValidationError reports a message field the engine cannot decide on.
type ValidationError struct {
	Field  string // the JSON name of the field: "channel", "recipient", ...; "" for the message as a whole
	Value  string // the offending value, truncated to 64 bytes
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
	if len(value) > 64 {
		value = value[:64]
	}
	return &ValidationError{Field: field, Value: value, Reason: reason}
}
