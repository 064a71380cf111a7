package lines

import (
	"bufio"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestEach(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // "n:entry"
	}{
		{"entries and comments", "# head\n\nBit.LY\n tinyurl.com # x\n", []string{"3:Bit.LY", "4:tinyurl.com"}},
		{"comment only lines", "#a\n  # b\n", nil},
		{"no final newline", "a\nb", []string{"1:a", "2:b"}},
		{"crlf", "a\r\nb\r\n", []string{"1:a", "2:b"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := Each(strings.NewReader(tt.in), func(n int, entry, _ string) error {
				got = append(got, strings.Join([]string{string(rune('0' + n)), entry}, ":"))
				return nil
			})
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Each(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestEachStops(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := Each(strings.NewReader("a\nb\nc\n"), func(int, string, string) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Each = %v after %d calls, want fn's error after 1", err, calls)
	}
	long := strings.Repeat("x", MaxLine+1)
	if err := Each(strings.NewReader(long), func(int, string, string) error { return nil }); !errors.Is(err, bufio.ErrTooLong) {
		t.Errorf("Each(line over MaxLine) = %v, want bufio.ErrTooLong", err)
	}
}
