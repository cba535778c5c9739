// Package period resolves the optional from/to of reports into a concrete range, with day boundaries in the
// organization's time zone.
package period

import (
	"time"

	"github.com/marketingos/marketingos/internal/validation"
)

// DefaultDays is the length of the default range: the last 30 days, today included.
const DefaultDays = 30

// MaxRange bounds a report's range.
const MaxRange = 366 * 24 * time.Hour

// Resolve returns [from, to] in UTC: to defaults to now; from defaults to midnight, in loc, DefaultDays−1 days before to's
// day. It refuses a range that ends before it starts or spans more than MaxRange.
func Resolve(from, to *time.Time, loc *time.Location, now time.Time) (time.Time, time.Time, error) {
	end := now
	if to != nil {
		end = *to
	}
	var start time.Time
	if from != nil {
		start = *from
	} else {
		y, m, d := end.In(loc).Date()
		start = time.Date(y, m, d-(DefaultDays-1), 0, 0, 0, 0, loc)
	}
	switch {
	case end.Before(start):
		return time.Time{}, time.Time{}, validation.Field("to", "must not be before from")
	case end.Sub(start) > MaxRange:
		return time.Time{}, time.Time{}, validation.Field("from", "range must be at most 366 days")
	}
	// UTC, because SQLite keeps timestamps as text: bounds in another zone would compare as the wrong strings.
	return start.UTC(), end.UTC(), nil
}

// Location loads an organization's time zone, falling back to UTC for a name the system does not know.
func Location(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}
