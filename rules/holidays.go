package rules

import "time"

// holidayCalendars are the public-holiday calendars a quiet-hours spec can
// name in "holiday_calendars", computed for any year so that a pack never
// runs out of listed dates. Each reports whether a local date is a holiday.
var holidayCalendars = map[string]func(y int, m time.Month, d int) bool{
	"FR": frenchHoliday,
}

// frenchHoliday: the eleven public holidays of Code du travail art. L3133-1
// (metropolitan France): New Year, Easter Monday, 1 and 8 May, Ascension,
// Whit Monday, 14 July, 15 August, 1 and 11 November, Christmas.
func frenchHoliday(y int, m time.Month, d int) bool {
	switch {
	case m == time.January && d == 1, m == time.May && (d == 1 || d == 8),
		m == time.July && d == 14, m == time.August && d == 15,
		m == time.November && (d == 1 || d == 11), m == time.December && d == 25:
		return true
	}
	date := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	easter := easterSunday(y)
	for _, offset := range [...]int{1, 39, 50} { // Easter Monday, Ascension, Whit Monday
		if date.Equal(easter.AddDate(0, 0, offset)) {
			return true
		}
	}
	return false
}

// easterSunday is Western Easter in year y (the anonymous Gregorian
// algorithm, Meeus/Jones/Butcher).
func easterSunday(y int) time.Time {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}
