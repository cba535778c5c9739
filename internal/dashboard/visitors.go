package dashboard

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/predicate"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/visitors"
)

// Visitors are counted from the rollup of internal/visitors when the range is made of whole days of the
// organization's calendar, the rollup's unit (wholeDays): one grouped read of a row per day and distinct previous
// day, whatever the traffic. Other ranges, whose first or last day counts only in part, are counted from the events
// themselves: three aggregate queries, each a scan of the range's events (the purchases' through the
// (organization_id, event_type, created_at) index). That is exact and portable but linear in traffic (over a second
// for 1,000,000 events on PostgreSQL, BenchmarkCompute/Raw), and it stays the reference the rollup is tested against.

// visitorCounts is the distinct visitors of a range.
type visitorCounts struct {
	total      int         // who did anything but buy or be refunded
	byDay      map[int]int // the same, per day of the range (a visitor counts once per day)
	converting int         // who bought
}

// events is the organization's events of the range.
func (q query) events() *ent.AttributionEventQuery {
	return q.client.AttributionEvent.Query().Where(
		attributionevent.OrganizationID(q.org.ID),
		attributionevent.CreatedAtGTE(q.from),
		attributionevent.CreatedAtLTE(q.to),
	)
}

// visitors counts the range's visitors, in total and per day, and its buyers.
func (q query) visitors(ctx context.Context) (visitorCounts, error) {
	if q.cal.wholeDays(q.from, q.to, q.now) {
		return q.rolledUpVisitors(ctx)
	}
	return q.rawVisitors(ctx)
}

// rolledUpVisitors counts the visitors of the range's days from the rollup.
func (q query) rolledUpVisitors(ctx context.Context) (visitorCounts, error) {
	last := len(q.cal.days) - 1
	c, err := visitors.Count(ctx, q.client, q.org.ID, q.cal.utcDays[0], q.cal.utcDays[last])
	if err != nil {
		return visitorCounts{}, fmt.Errorf("dashboard: %w", err)
	}
	out := visitorCounts{total: c.Visitors, converting: c.Converting, byDay: make(map[int]int, len(c.ByDay))}
	for i, day := range q.cal.utcDays[:last+1] {
		if n, ok := c.ByDay[day]; ok {
			out.byDay[i] = n
		}
	}
	return out, nil
}

// rawVisitors counts the range's visitors from its events.
func (q query) rawVisitors(ctx context.Context) (visitorCounts, error) {
	var out visitorCounts
	var perDay []struct {
		Day      int `json:"day"`
		Visitors int `json:"visitors"`
	}
	err := q.events().
		Where(attributionevent.EventTypeNotIn(attribution.PurchaseEvent, attribution.RefundEvent)).
		Modify(func(s *sql.Selector) {
			s.Select().
				AppendSelectExprAs(q.cal.dayOf(s.C(attributionevent.FieldCreatedAt)), "day").
				AppendSelectExprAs(sql.Raw("COUNT(DISTINCT "+s.C(attributionevent.FieldVisitorID)+")"), "visitors").
				GroupBy("day")
		}).
		Scan(ctx, &perDay)
	if err != nil {
		return out, fmt.Errorf("dashboard: visitors by day: %w", err)
	}
	out.byDay = make(map[int]int, len(perDay))
	for _, p := range perDay {
		out.byDay[p.Day] = p.Visitors
	}
	if out.total, err = q.distinctVisitors(ctx, attributionevent.EventTypeNotIn(attribution.PurchaseEvent, attribution.RefundEvent)); err != nil {
		return out, fmt.Errorf("dashboard: visitors: %w", err)
	}
	if out.converting, err = q.distinctVisitors(ctx, attributionevent.EventType(attribution.PurchaseEvent)); err != nil {
		return out, fmt.Errorf("dashboard: converting visitors: %w", err)
	}
	return out, nil
}

// distinctVisitors counts the distinct visitors of the range's events of a kind.
func (q query) distinctVisitors(ctx context.Context, kind predicate.AttributionEvent) (int, error) {
	var rows []struct {
		N int `json:"n"`
	}
	err := q.events().
		Where(kind).
		Aggregate(ent.As(func(s *sql.Selector) string {
			return "COUNT(DISTINCT " + s.C(attributionevent.FieldVisitorID) + ")"
		}, "n")).
		Scan(ctx, &rows)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	return rows[0].N, nil
}
