package dashboard

import (
	"slices"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

func TestDashboardCalendar(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }
	cases := []struct {
		name     string
		from, to time.Time
		days     int
		starts   []time.Time // when each day after the first begins
	}{
		{"spring forward: the 8th has 23 hours", time.Date(2026, 3, 7, 0, 0, 0, 0, ny), time.Date(2026, 3, 9, 23, 59, 0, 0, ny),
			3, []time.Time{utc(2026, 3, 8, 5), utc(2026, 3, 9, 4)}},
		{"fall back: the 1st has 25 hours", time.Date(2026, 10, 31, 0, 0, 0, 0, ny), time.Date(2026, 11, 2, 12, 0, 0, 0, ny),
			3, []time.Time{utc(2026, 11, 1, 4), utc(2026, 11, 2, 5)}},
		{"an instant", utc(2026, 3, 8, 12), utc(2026, 3, 8, 12), 1, nil},
		{"two hours over midnight", time.Date(2026, 3, 8, 23, 0, 0, 0, ny), time.Date(2026, 3, 9, 1, 0, 0, 0, ny),
			2, []time.Time{utc(2026, 3, 9, 4)}},
		{"bounds given in another zone", utc(2026, 3, 8, 3), utc(2026, 3, 8, 6), 2, []time.Time{utc(2026, 3, 8, 5)}},
		{"a leap year", time.Date(2028, 1, 1, 0, 0, 0, 0, ny), time.Date(2028, 12, 31, 23, 0, 0, 0, ny), 366, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCalendar(tc.from, tc.to, ny)
			if len(c.days) != tc.days || len(c.starts) != tc.days-1 || len(c.utcDays) != tc.days+1 {
				t.Fatalf("%d days, %d starts, %d UTC days; want %d days", len(c.days), len(c.starts), len(c.utcDays), tc.days)
			}
			if tc.starts != nil && !slices.EqualFunc(c.starts, tc.starts, time.Time.Equal) {
				t.Errorf("days start at %v, want %v", c.starts, tc.starts)
			}
			for i, day := range c.days {
				if h, m, s := day.Clock(); h != 0 || m != 0 || s != 0 || day.Location() != ny {
					t.Errorf("day %d is %v, want a New York midnight", i, day)
				}
				if y, m, d := day.Date(); !c.utcDays[i].Equal(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("day %d: UTC day %v, want the same date as %v", i, c.utcDays[i], day)
				}
			}
		})
	}
}

// TestDashboardBucketExpr pins the SQL of the day index: a binary search over the boundaries, with placeholders
// in the order the builder numbers them.
func TestDashboardBucketExpr(t *testing.T) {
	b := []time.Time{
		time.Date(2026, 3, 8, 5, 0, 0, 0, time.UTC), time.Date(2026, 3, 9, 4, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 10, 4, 0, 0, 0, time.UTC),
	}
	for _, tc := range []struct {
		dialect, want string
	}{
		{dialect.Postgres, `SELECT (CASE WHEN c < $1 THEN CASE WHEN c < $2 THEN 0 ELSE 1 END ELSE CASE WHEN c < $3 THEN 2 ELSE 3 END END) AS "day" FROM "t"`},
		{dialect.SQLite, "SELECT (CASE WHEN c < ? THEN CASE WHEN c < ? THEN 0 ELSE 1 END ELSE CASE WHEN c < ? THEN 2 ELSE 3 END END) AS `day` FROM `t`"},
	} {
		query, args := sql.Dialect(tc.dialect).Select().AppendSelectExprAs(bucketExpr("c", b), "day").From(sql.Table("t")).Query()
		if query != tc.want || !slices.EqualFunc(args, []any{b[1], b[0], b[2]}, func(a, b any) bool { return a.(time.Time).Equal(b.(time.Time)) }) {
			t.Errorf("%s:\n got %s %v\nwant %s with the 2nd, 1st and 3rd bounds", tc.dialect, query, args, tc.want)
		}
	}
	if query, args := sql.Dialect(dialect.Postgres).Select().AppendSelectExprAs(bucketExpr("c", nil), "day").From(sql.Table("t")).Query(); query != `SELECT (0) AS "day" FROM "t"` || len(args) != 0 {
		t.Errorf("one day: %s %v", query, args)
	}
}

func TestWholeDays(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 20, 15, 0, 0, 0, time.UTC)
	midnight := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, ny) }
	cases := []struct {
		name     string
		from, to time.Time
		want     bool
	}{
		{"to the last nanosecond of a day", midnight(7), midnight(10).Add(-time.Nanosecond), true},
		{"to 23:59:59.999", midnight(7), midnight(10).Add(-time.Millisecond), true},
		{"across the 23-hour day, to 23:59:59.999", midnight(8), midnight(9).Add(-time.Millisecond), true},
		{"to now (the default range)", midnight(1), now, true},
		{"to after now", midnight(1), now.Add(48 * time.Hour), true},
		{"to 23:59:59", midnight(7), midnight(10).Add(-time.Second), false},
		{"to midnight itself: one instant of the next day", midnight(7), midnight(10), false},
		{"to noon", midnight(7), time.Date(2026, 3, 9, 12, 0, 0, 0, ny), false},
		{"from a minute after midnight", midnight(7).Add(time.Minute), midnight(10).Add(-time.Nanosecond), false},
		{"from midnight UTC, not New York's", time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC), now, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := newCalendar(tc.from, tc.to, ny).wholeDays(tc.from, tc.to, now); got != tc.want {
				t.Errorf("wholeDays(%v, %v) = %v, want %v", tc.from, tc.to, got, tc.want)
			}
		})
	}
}
