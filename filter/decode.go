package filter

import (
	"errors"
	"reflect"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// DecodeMessage decodes the JSON form of one Message: a line of
// "msgfilter check", the body of the service's /v1/check. It is strict, so
// that the engine decides on the text every reader of the JSON sees:
//
//   - a key that appears twice ({"body": "casino", "body": "hello"}) is
//     refused, whatever escapes spell it: encoding/json keeps the last one,
//     and a gateway upstream may have read the first;
//   - keys are case-sensitive and unknown keys are refused: {"BODY": ...}
//     is not "body" (encoding/json would match it), and a misspelt
//     "recipent" is not a message without a recipient;
//   - invalid UTF-8 anywhere is refused on the raw bytes, never turned into
//     U+FFFD ("ca\xffsino" is not decided as "ca�sino");
//   - exactly one JSON object, nothing after it.
//
// A "direction" key, as a conversation log's lines carry it, is accepted
// when it is "outbound". Every error is a *ValidationError naming the key
// at fault (Field "" when the JSON as a whole is malformed); the message
// still goes through Check's validation afterwards. DecodeMessage is safe
// for concurrent use.
func DecodeMessage(b []byte) (*Message, error) {
	var line struct {
		Direction string `json:"direction"`
		Message
	}
	if err := decodeStrict(b, &line, reflect.TypeFor[Message]()); err != nil {
		return nil, err
	}
	if line.Direction != "" && line.Direction != "outbound" {
		return nil, invalid("direction", line.Direction, `must be "outbound" (or absent) for a message to check`)
	}
	return &line.Message, nil
}

// DecodeInboundMessage is DecodeMessage for an InboundMessage (a line with
// "direction": "inbound", the body of the service's /v1/inbound): the same
// rules, and a "direction" key, when present, must be "inbound".
func DecodeInboundMessage(b []byte) (*InboundMessage, error) {
	var line struct {
		Direction string `json:"direction"`
		InboundMessage
	}
	if err := decodeStrict(b, &line, reflect.TypeFor[InboundMessage]()); err != nil {
		return nil, err
	}
	if line.Direction != "" && line.Direction != "inbound" {
		return nil, invalid("direction", line.Direction, `must be "inbound" (or absent) for an inbound message`)
	}
	return &line.InboundMessage, nil
}

// DecodeReport is DecodeMessage for a reported message (the body of the
// service's /v1/report): a Message with a "label" key (see Engine.Report),
// by the same rules.
func DecodeReport(b []byte) (*Message, Label, error) {
	var line struct {
		Label Label `json:"label"`
		Message
	}
	if err := decodeStrict(b, &line, reflect.TypeFor[Message]()); err != nil {
		return nil, "", err
	}
	return &line.Message, line.Label, nil
}

// decodeStrict decodes one JSON object into v with encoding/json v2's
// semantics (duplicate keys and invalid UTF-8 refused, names matched
// exactly) and unknown keys refused, turning its errors into
// *ValidationError. t is the message type, for the hint on a key that
// differs from one of its fields only by case.
func decodeStrict(b []byte, v any, t reflect.Type) error {
	err := json.Unmarshal(b, v, json.RejectUnknownMembers(true))
	if err == nil {
		return nil
	}
	var (
		se *json.SemanticError
		sy *jsontext.SyntacticError
	)
	switch {
	case errors.As(err, &sy):
		switch {
		case errors.Is(sy.Err, jsontext.ErrDuplicateName):
			return invalid(sy.JSONPointer.LastToken(), "", "duplicate field")
		case sy.Err.Error() == "invalid UTF-8": // jsonwire.ErrInvalidUTF8, not exported
			return invalid(sy.JSONPointer.LastToken(), "", "invalid UTF-8")
		}
		return invalid("", "", "malformed JSON: "+sy.Error())
	case errors.As(err, &se):
		key := se.JSONPointer.LastToken()
		if errors.Is(se.Err, json.ErrUnknownName) {
			reason := "unknown field"
			if name := fieldFolding(t, key); name != "" {
				reason += `: keys are case-sensitive, want "` + name + `"`
			}
			return invalid(key, "", reason)
		}
		switch {
		case se.Err != nil: // a time that does not parse, say
			return invalid(key, "", "malformed value: "+se.Err.Error())
		case key == "":
			return invalid("", "", "malformed JSON: want an object, not "+jsonKind(se.JSONKind))
		}
		return invalid(key, "", "malformed JSON: unexpected "+jsonKind(se.JSONKind))
	}
	return invalid("", "", "malformed JSON: "+err.Error())
}

// fieldFolding returns the JSON name of the field of struct type t that
// equals key but for case, "" for none.
func fieldFolding(t reflect.Type, key string) string {
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != key && strings.EqualFold(name, key) {
			return name
		}
	}
	return ""
}

// jsonKind names the kind of a JSON value for an error message.
func jsonKind(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case 't', 'f':
		return "boolean"
	case '{':
		return "object"
	case '[':
		return "array"
	case 'n':
		return "null"
	}
	return "value"
}
