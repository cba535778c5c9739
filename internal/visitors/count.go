package visitors

import (
	"context"
	"errors"
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

// ErrRebuilding means the organization's rollup is being rebuilt for a new time zone (see Rebuilder): count its
// visitors from the events meanwhile.
var ErrRebuilding = errors.New("visitors: the rollup is being rebuilt")

// Ready reports whether org's rollup is complete, so that Count may read it: it is not while the generation of a
// new time zone is being rebuilt. org must have been read with its visitors fields.
func Ready(org *ent.Organization) bool { return !org.VisitorsRebuilding }

// Count returns the distinct visitors of org's local dates first to last, both included, each given as midnight
// UTC of the date, from the generation of the rollup org was read with; ErrRebuilding when that generation is
// not complete (Ready). It reads the rollup through client, so ctx needs a viewer that may read org's rows; the
// query names org too, so the system viewer counts only org's visitors.
func Count(ctx context.Context, client *ent.Client, org *ent.Organization, first, last time.Time) (Counts, error) {
	if !Ready(org) {
		return Counts{}, ErrRebuilding
	}
	var rows []struct {
		Kind     string    `json:"kind"`
		Day      time.Time `json:"day"`
		Visitors int64     `json:"visitors"`
		First    int64     `json:"first"` // of them, those not active on an earlier day of the range
	}
	err := client.DailyVisitors.Query().
		Where(
			dailyvisitors.OrganizationID(org.ID),
			dailyvisitors.Generation(org.VisitorsGeneration),
			// Both kinds, named so that PostgreSQL reads two ranges of the (organization, generation, kind, day)
			// index rather than every day of the organization.
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
