package rules

import (
	"testing"
	"time"
)

func TestEasterSunday(t *testing.T) {
	for y, want := range map[int]string{
		2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28",
		2030: "2030-04-21", 2038: "2038-04-25", 2049: "2049-04-18",
	} {
		if got := easterSunday(y).Format(time.DateOnly); got != want {
			t.Errorf("easterSunday(%d) = %s, want %s", y, got, want)
		}
	}
}

// TestFrenchHolidays holds the computed calendar to the dates policies/SOURCES.md
// lists from Code du travail L3133-1 for 2026 and 2027: those days and no other.
func TestFrenchHolidays(t *testing.T) {
	want := map[string]bool{}
	for _, d := range []string{
		"2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25",
		"2026-07-14", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25",
		"2027-01-01", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-08", "2027-05-17",
		"2027-07-14", "2027-08-15", "2027-11-01", "2027-11-11", "2027-12-25",
	} {
		want[d] = true
	}
	for day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() < 2028; day = day.AddDate(0, 0, 1) {
		y, m, d := day.Date()
		if got := frenchHoliday(y, m, d); got != want[day.Format(time.DateOnly)] {
			t.Errorf("frenchHoliday(%s) = %v, want %v", day.Format(time.DateOnly), got, !got)
		}
	}
}

func TestQuietSpecHolidayCalendar(t *testing.T) {
	spec, err := ParseQuietSpec(map[string]any{
		"windows":           []any{map[string]any{"from": "20:00", "to": "08:00"}},
		"closed_weekdays":   []any{"sunday"},
		"holiday_calendars": []any{"FR"},
	})
	if err != nil {
		t.Fatal(err)
	}
	paris, _ := LoadZone("Europe/Paris")
	// Thursday 2031-05-22 is Ascension (Easter 2031-04-13); Friday is an ordinary day.
	until, quiet := spec.Until(time.Date(2031, 5, 22, 12, 0, 0, 0, paris))
	if want := time.Date(2031, 5, 23, 8, 0, 0, 0, paris); !quiet || !until.Equal(want) {
		t.Errorf("Until(Ascension 2031 noon) = %v, %v; want %v, true", until, quiet, want)
	}
	if _, quiet := spec.Until(time.Date(2031, 5, 23, 12, 0, 0, 0, paris)); quiet {
		t.Errorf("Until(Friday after Ascension, noon) is quiet, want allowed")
	}
	if _, err := ParseQuietSpec(map[string]any{"holiday_calendars": []any{"XX"}}); err == nil {
		t.Errorf("ParseQuietSpec with an unknown calendar: no error")
	}
}
