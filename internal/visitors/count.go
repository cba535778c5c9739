package visitors

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/dailyvisitors"
)

// Counts are the distinct visitors of a range of days.
type Counts struct {
	Visitors   int               // with a visit on any of the days
	Converting int               // with a purchase on any of the days
	ByDay      map[time.Time]int // with a visit on the day (midnight UTC of its date); days without any are absent
}

// Count returns the distinct visitors of org's local dates first to last, both included, each given as midnight
// UTC of the date. It reads the rollup through client, so ctx needs a viewer that may read org's rows; the query
// names org too, so the system viewer counts only org's visitors.
func Count(ctx context.Context, client *ent.Client, orgID string, first, last time.Time) (Counts, error) {
	var rows []struct {
		Kind     string    `json:"kind"`
		Day      time.Time `json:"day"`
		Visitors int64     `json:"visitors"`
		First    int64     `json:"first"` // of them, those not active on an earlier day of the range
	}
	err := client.DailyVisitors.Query().
		Where(
			dailyvisitors.OrganizationID(orgID),
			// Both kinds, named so that PostgreSQL reads two ranges of the (organization, kind, day) index rather
			// than every day of the organization.
			dailyvisitors.KindIn(dailyvisitors.KindVISIT, dailyvisitors.KindPURCHASE),
			dailyvisitors.DayGTE(first.UTC()),
			dailyvisitors.DayLTE(last.UTC()),
		).
		Modify(func(s *sql.Selector) {
			visitors := s.C(dailyvisitors.FieldVisitors)
			s.Select(s.C(dailyvisitors.FieldKind), s.C(dailyvisitors.FieldDay)).
				AppendSelectExprAs(sql.Raw("SUM("+visitors+")"), "visitors").
				AppendSelectExprAs(sql.ExprFunc(func(b *sql.Builder) {
					b.WriteString("SUM(CASE WHEN ").WriteString(s.C(dailyvisitors.FieldPrevDay)).WriteString(" < ").
						Arg(first.UTC()).WriteString(" THEN ").WriteString(visitors).WriteString(" ELSE 0 END)")
				}), "first").
				GroupBy(s.C(dailyvisitors.FieldKind), s.C(dailyvisitors.FieldDay))
		}).
		Scan(ctx, &rows)
	if err != nil {
		return Counts{}, fmt.Errorf("visitors: count: %w", err)
	}
	c := Counts{ByDay: make(map[time.Time]int, len(rows))}
	for _, r := range rows {
		switch r.Kind {
		case Visit:
			c.Visitors += int(r.First)
			if r.Visitors != 0 {
				c.ByDay[r.Day.UTC()] = int(r.Visitors)
			}
		case Purchase:
			c.Converting += int(r.First)
		}
	}
	return c, nil
}
