package rules

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// QuietSpec describes when a destination does not accept a kind of message,
// in the destination's local time.
//
// Windows are half-open local intervals [From, To): a window from 21:00 to
// 07:00 makes 21:00 quiet and 07:00 allowed; To before From wraps past
// midnight. ClosedWeekdays and Holidays are quiet all day.
//
// In a pack's data.json a spec is written as
//
//	{"windows": [{"from": "21:00", "to": "07:00"}],
//	 "closed_weekdays": ["sunday"], "holidays": ["2026-12-25"],
//	 "holiday_calendars": ["FR"]}
//
// holiday_calendars names computed calendars (FR: Code du travail L3133-1),
// which never run out of years; holidays lists single dates.
type QuietSpec struct {
	Windows        []Window
	ClosedWeekdays []time.Weekday
	Holidays       map[string]bool // local dates, YYYY-MM-DD
	// Calendars name computed public-holiday calendars ("FR"), for
	// holidays of any year.
	Calendars []string
}

// Window is a half-open interval of local minutes of the day [From, To).
type Window struct {
	From, To int // minutes since local midnight, 0..1439
}

// Until reports whether local time now is quiet under s and, if it is, the
// first allowed instant after it, skipping closed weekdays and holidays. now
// must carry the destination's location. Seconds are ignored: windows start
// and end on whole minutes.
func (s QuietSpec) Until(now time.Time) (time.Time, bool) {
	t := now.Truncate(time.Minute)
	quiet := false
	// Each step jumps to the end of a quiet span, so a year of holidays ends
	// the loop long before the bound. ParseQuietSpec refuses specs that are
	// quiet forever (every weekday closed, windows covering the day); the
	// bound guards a spec built by hand.
	for range 800 {
		next, ok := s.quietSpanEnd(t)
		if !ok {
			break
		}
		if !next.After(t) { // a DST gap can fold the end onto t
			next = t.Add(time.Minute)
		}
		quiet, t = true, next
	}
	return t, quiet
}

// quietSpanEnd returns the end of the quiet span containing t, if t is quiet.
func (s QuietSpec) quietSpanEnd(t time.Time) (time.Time, bool) {
	y, m, d := t.Date()
	if s.closedDay(t) {
		return wallClock(t, y, m, d+1, 0), true
	}
	minute := t.Hour()*60 + t.Minute()
	for _, w := range s.Windows {
		switch {
		case w.From < w.To && minute >= w.From && minute < w.To:
			return wallClock(t, y, m, d, w.To), true
		case w.From > w.To && minute >= w.From:
			return wallClock(t, y, m, d+1, w.To), true
		case w.From > w.To && minute < w.To:
			return wallClock(t, y, m, d, w.To), true
		}
	}
	return time.Time{}, false
}

// wallClock is the first instant after `after` whose local wall clock reads
// the given date and minute of the day, in after's location. Around a
// daylight-saving change the wall clock is ambiguous: a minute the clocks
// skip has no instant, so the first instant after the gap is taken (the
// clocks already read later than the minute); a minute the clocks repeat has
// two, and the earlier one after `after` is taken.
func wallClock(after time.Time, y int, m time.Month, d, minute int) time.Time {
	loc := after.Location()
	t := time.Date(y, m, d, 0, minute, 0, 0, loc)
	want := time.Date(y, m, d, 0, minute, 0, 0, time.UTC) // the wall clock, normalized
	if got := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC); !got.Equal(want) {
		// Skipped: t lies past the gap; the gap ends where t's zone period starts.
		if start, _ := t.ZoneBounds(); !start.IsZero() && start.After(after) {
			return start
		}
		return t
	}
	// Repeated: an hour earlier may read the same wall clock.
	if earlier := t.Add(-time.Hour); earlier.After(after) &&
		earlier.Hour() == t.Hour() && earlier.Minute() == t.Minute() && earlier.Day() == t.Day() {
		return earlier
	}
	return t
}

func (s QuietSpec) closedDay(t time.Time) bool {
	for _, wd := range s.ClosedWeekdays {
		if t.Weekday() == wd {
			return true
		}
	}
	if s.Holidays[t.Format(time.DateOnly)] {
		return true
	}
	y, m, d := t.Date()
	for _, c := range s.Calendars {
		if holidayCalendars[c](y, m, d) {
			return true
		}
	}
	return false
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
	"saturday": time.Saturday,
}

// ParseQuietSpec reads a spec from its JSON form (as decoded by
// encoding/json or OPA: maps, slices and strings).
func ParseQuietSpec(v any) (QuietSpec, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return QuietSpec{}, errors.New("rules: quiet hours: spec must be an object")
	}
	var s QuietSpec
	for k, val := range obj {
		list, ok := val.([]any)
		if !ok {
			return QuietSpec{}, fmt.Errorf("rules: quiet hours: %s must be a list", k)
		}
		switch k {
		case "windows":
			for _, item := range list {
				w, err := parseWindow(item)
				if err != nil {
					return QuietSpec{}, err
				}
				s.Windows = append(s.Windows, w)
			}
		case "closed_weekdays":
			for _, item := range list {
				name, _ := item.(string)
				wd, ok := weekdays[strings.ToLower(name)]
				if !ok {
					return QuietSpec{}, fmt.Errorf("rules: quiet hours: unknown weekday %v", item)
				}
				s.ClosedWeekdays = append(s.ClosedWeekdays, wd)
			}
		case "holiday_calendars":
			for _, item := range list {
				name, _ := item.(string)
				if holidayCalendars[name] == nil {
					return QuietSpec{}, fmt.Errorf("rules: quiet hours: unknown holiday calendar %v", item)
				}
				s.Calendars = append(s.Calendars, name)
			}
		case "holidays":
			s.Holidays = make(map[string]bool, len(list))
			for _, item := range list {
				date, _ := item.(string)
				if _, err := time.Parse(time.DateOnly, date); err != nil {
					return QuietSpec{}, fmt.Errorf("rules: quiet hours: holiday %v is not a YYYY-MM-DD date", item)
				}
				s.Holidays[date] = true
			}
		default:
			return QuietSpec{}, fmt.Errorf("rules: quiet hours: unknown field %q", k)
		}
	}
	if len(s.ClosedWeekdays) == 7 {
		return QuietSpec{}, errors.New("rules: quiet hours: every weekday is closed")
	}
	if !s.opensDaily() {
		return QuietSpec{}, errors.New("rules: quiet hours: the windows cover the whole day: nothing could ever be sent")
	}
	return s, nil
}

// opensDaily reports whether some minute of the day is outside every window.
func (s QuietSpec) opensDaily() bool {
	var quiet [24 * 60]bool
	for _, w := range s.Windows {
		for m := w.From; m != w.To; m = (m + 1) % len(quiet) {
			quiet[m] = true
		}
	}
	for _, q := range quiet {
		if !q {
			return true
		}
	}
	return false
}

func parseWindow(v any) (Window, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return Window{}, errors.New("rules: quiet hours: a window must be an object with from and to")
	}
	from, err := parseClock(obj["from"])
	if err != nil {
		return Window{}, err
	}
	to, err := parseClock(obj["to"])
	if err != nil {
		return Window{}, err
	}
	if from == to {
		return Window{}, fmt.Errorf("rules: quiet hours: window %v is empty", obj)
	}
	return Window{From: from, To: to}, nil
}

func parseClock(v any) (int, error) {
	s, _ := v.(string)
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("rules: quiet hours: %v is not an HH:MM time", v)
	}
	return t.Hour()*60 + t.Minute(), nil
}

var zones sync.Map // name → *time.Location

// LoadZone returns the IANA location for name, cached. It reads the host's
// tz database; a program that must run where there is none (a scratch
// container) imports time/tzdata in its main package, as cmd/msgfilter does.
// A zone that cannot be loaded is an error naming it, so a pack that needs
// it fails to load rather than deciding in UTC.
func LoadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("rules: time zone %q (no tz database? import time/tzdata in main): %w", name, err)
	}
	zones.Store(name, loc)
	return loc, nil
}
