package dashboard

import (
	"strconv"
	"time"

	"entgo.io/ent/dialect/sql"
)

// calendar is the days of a range in the organization's time zone. Its boundaries are computed here, in Go, with
// the zone's rules (DST included), and handed to SQL as plain timestamps, so that PostgreSQL and SQLite bucket
// rows identically without either knowing about time zones.
type calendar struct {
	loc  *time.Location
	days []time.Time // local midnight of each day of the range, in order; never empty
	// starts[i-1] is the instant day i begins (local midnight, in UTC), for i ≥ 1. The first day begins at the
	// range's from, which the queries' predicates already enforce.
	starts []time.Time
	// utcDays[i] is midnight UTC of day i's calendar date: the key of the platforms' daily metrics.
	utcDays []time.Time
}

// newCalendar returns the calendar of [from, to] in loc: one day per local date from from's to to's, inclusive.
func newCalendar(from, to time.Time, loc *time.Location) calendar {
	fy, fm, fd := from.In(loc).Date()
	ty, tm, td := to.In(loc).Date()
	n := int(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC).Sub(time.Date(fy, fm, fd, 0, 0, 0, 0, time.UTC)).Hours()/24) + 1
	n = max(n, 1)
	c := calendar{loc: loc, days: make([]time.Time, n), starts: make([]time.Time, 0, n-1), utcDays: make([]time.Time, n+1)}
	for i := range n {
		// time.Date normalizes day overflow, so fd+i walks across months; at a DST change it still returns the
		// instant the local day begins (23 or 25 hours after the previous one).
		c.days[i] = time.Date(fy, fm, fd+i, 0, 0, 0, 0, loc)
		if i > 0 {
			c.starts = append(c.starts, c.days[i].UTC())
		}
	}
	for i := range n + 1 {
		c.utcDays[i] = time.Date(fy, fm, fd+i, 0, 0, 0, 0, time.UTC)
	}
	return c
}

// wholeDays reports whether the range [from, to] of the calendar is made of whole days, the unit of the visitors
// rollup (see wholeSpan).
func (c calendar) wholeDays(from, to, now time.Time) bool {
	first, last, ok := c.wholeSpan(from, to, now)
	return ok && first == 0 && last == len(c.days)-1
}

// wholeSpan returns the days first to last (indexes, both included) that the range [from, to] covers whole, and
// false when it covers none. Only the first and the last day can be partial. The first day is whole when from is
// its midnight; the last when to is its last instant (at most a millisecond before the next midnight, as
// 23:59:59.999 is) or has not come yet: the default range ends now, and nothing can have happened between now and
// midnight.
func (c calendar) wholeSpan(from, to, now time.Time) (first, last int, ok bool) {
	last = len(c.days) - 1
	if !from.Equal(c.days[0]) {
		first = 1
	}
	if to.Before(now) {
		left := c.dayStart(len(c.days)).Sub(to)
		if left <= 0 || left > time.Millisecond {
			last--
		}
	}
	return first, last, first <= last
}

// dayStart is the instant day i of the range begins; i may be len(days), the day after the range.
func (c calendar) dayStart(i int) time.Time {
	y, m, d := c.days[0].Date()
	return time.Date(y, m, d+i, 0, 0, 0, 0, c.loc)
}

// dayOf returns an SQL expression of the index of the range's day that column (an instant) falls in, assuming
// the row's instant lies within the range.
func (c calendar) dayOf(column string) sql.Querier {
	return bucketExpr(column, c.starts)
}

// metricDayOf returns an SQL expression of the index of the range's day that column (a platform's day, midnight
// UTC) is, assuming it lies within [utcDays[0], utcDays[n]).
func (c calendar) metricDayOf(column string) sql.Querier {
	return bucketExpr(column, c.utcDays[1:len(c.days)])
}

// bucketExpr is the number of bounds (ascending) that are ≤ column, as a nested CASE that does a binary search:
// about log2(len(bounds)) comparisons per row, whatever the length of the range. It is plain SQL with one
// placeholder per bound, so it runs the same on PostgreSQL and SQLite (where ent stores timestamps as UTC text
// that sorts like the instants it names, and parameters are formatted the same way). Bounds must be in UTC for
// that reason.
func bucketExpr(column string, bounds []time.Time) sql.Querier {
	return sql.ExprFunc(func(b *sql.Builder) {
		var walk func(lo, hi int)
		walk = func(lo, hi int) { // the answer is in [lo, hi]
			if lo == hi {
				b.WriteString(strconv.Itoa(lo))
				return
			}
			mid := (lo + hi + 1) / 2 // bounds[mid-1] is where answer mid begins
			b.WriteString("CASE WHEN ").WriteString(column).WriteString(" < ").Arg(bounds[mid-1].UTC())
			b.WriteString(" THEN ")
			walk(lo, mid-1)
			b.WriteString(" ELSE ")
			walk(mid, hi)
			b.WriteString(" END")
		}
		walk(0, len(bounds))
	})
}
