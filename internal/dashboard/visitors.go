package dashboard

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/predicate"
	"github.com/marketingos/marketingos/ent/visitorday"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/visitors"
)

// Visitors are counted from the rollup of internal/visitors for the days the range covers whole (wholeSpan): one
// grouped read of a row per day and distinct previous day, whatever the traffic. A range's partial first or last
// day (a rolling "last 24 hours", a range ending an hour ago) is counted from its events, and the two are joined
// exactly: the distinct visitors of both are those of each, less those found in both, which are the partial days'
// visitors with a visitor day among the whole days. A range within one day, covering none whole, is counted from
// its events alone. Counting from events is exact and portable but linear in traffic (over a second for 1,000,000
// events on PostgreSQL over 30 days, BenchmarkCompute/RawVisitors), so it is kept to the partial days; it stays the
// reference the rollup is tested against. While the rollup of the organization's time zone is being rebuilt after
// a change (visitors.Ready is false, for seconds to a minute), every range is counted from its events: exact at
// once, only slower until the rebuild ends.

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
	first, last, ok := q.cal.wholeSpan(q.from, q.to, q.now)
	if !ok || !visitors.Ready(q.org) {
		return q.rawVisitors(ctx)
	}
	whole, err := q.rolledUpVisitors(ctx, first, last)
	if err != nil || (first == 0 && last == len(q.cal.days)-1) {
		return whole, err
	}
	// The partial days: the range's events outside the whole days.
	outside := attributionevent.Not(attributionevent.And(
		attributionevent.CreatedAtGTE(q.cal.dayStart(first).UTC()),
		attributionevent.CreatedAtLT(q.cal.dayStart(last+1).UTC()),
	))
	partial, err := q.rawVisitors(ctx, outside)
	if err != nil {
		return whole, err
	}
	from, to := q.cal.utcDays[first], q.cal.utcDays[last]
	gen := q.org.VisitorsGeneration
	both, err := q.distinctVisitors(ctx, visit, outside, activeDuring(visitors.Visit, gen, from, to))
	if err != nil {
		return whole, fmt.Errorf("dashboard: visitors of both partial and whole days: %w", err)
	}
	bothBuyers, err := q.distinctVisitors(ctx, purchase, outside, activeDuring(visitors.Purchase, gen, from, to))
	if err != nil {
		return whole, fmt.Errorf("dashboard: buyers of both partial and whole days: %w", err)
	}
	whole.total += partial.total - both
	whole.converting += partial.converting - bothBuyers
	for day, n := range partial.byDay {
		whole.byDay[day] = n
	}
	return whole, nil
}

// The kinds of events the visitors' counts are made of.
var (
	visit    = attributionevent.EventTypeNotIn(attribution.PurchaseEvent, attribution.RefundEvent)
	purchase = attributionevent.EventType(attribution.PurchaseEvent)
)

// activeDuring keeps the events whose visitor has a visitor day of kind within [from, to] (midnight UTC of local
// dates) in the rollup's generation gen. The events are the organization's already, so the rollup rows are
// matched on theirs.
func activeDuring(kind string, gen int64, from, to time.Time) predicate.AttributionEvent {
	return func(s *sql.Selector) {
		v := sql.Dialect(s.Dialect()).Table(visitorday.Table)
		s.Where(sql.Exists(sql.Dialect(s.Dialect()).Select(v.C(visitorday.FieldID)).From(v).Where(sql.And(
			sql.ColumnsEQ(v.C(visitorday.FieldOrganizationID), s.C(attributionevent.FieldOrganizationID)),
			sql.EQ(v.C(visitorday.FieldGeneration), gen),
			sql.EQ(v.C(visitorday.FieldKind), kind),
			sql.ColumnsEQ(v.C(visitorday.FieldVisitorID), s.C(attributionevent.FieldVisitorID)),
			sql.GTE(v.C(visitorday.FieldDay), from),
			sql.LTE(v.C(visitorday.FieldDay), to),
		))))
	}
}

// rolledUpVisitors counts the visitors of the range's days first to last from the rollup.
func (q query) rolledUpVisitors(ctx context.Context, first, last int) (visitorCounts, error) {
	c, err := visitors.Count(ctx, q.client, q.org, q.cal.utcDays[first], q.cal.utcDays[last])
	if err != nil {
		return visitorCounts{}, fmt.Errorf("dashboard: %w", err)
	}
	out := visitorCounts{total: c.Visitors, converting: c.Converting, byDay: make(map[int]int, len(c.ByDay))}
	for i := first; i <= last; i++ {
		if n, ok := c.ByDay[q.cal.utcDays[i]]; ok {
			out.byDay[i] = n
		}
	}
	return out, nil
}

// rawVisitors counts the visitors of the range's events (those that also match where, if given) from the events.
func (q query) rawVisitors(ctx context.Context, where ...predicate.AttributionEvent) (visitorCounts, error) {
	var out visitorCounts
	var perDay []struct {
		Day      int `json:"day"`
		Visitors int `json:"visitors"`
	}
	err := q.events().
		Where(visit).
		Where(where...).
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
	if out.total, err = q.distinctVisitors(ctx, visit, where...); err != nil {
		return out, fmt.Errorf("dashboard: visitors: %w", err)
	}
	if out.converting, err = q.distinctVisitors(ctx, purchase, where...); err != nil {
		return out, fmt.Errorf("dashboard: converting visitors: %w", err)
	}
	return out, nil
}

// distinctVisitors counts the distinct visitors of the range's events of a kind (that also match where).
func (q query) distinctVisitors(ctx context.Context, kind predicate.AttributionEvent, where ...predicate.AttributionEvent) (int, error) {
	var rows []struct {
		N int `json:"n"`
	}
	err := q.events().
		Where(kind).
		Where(where...).
		Aggregate(ent.As(func(s *sql.Selector) string {
			return "COUNT(DISTINCT " + s.C(attributionevent.FieldVisitorID) + ")"
		}, "n")).
		Scan(ctx, &rows)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	return rows[0].N, nil
}
