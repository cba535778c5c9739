package dashboard

import (
	"context"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/period"
)

// VisitorCounts is what Compute reads of a range's visitors.
type VisitorCounts struct {
	Total, Converting int
	ByDay             map[int]int // by index of the range's day; days without visitors are absent
}

// CountVisitors counts the visitors of [from, to] at now as Compute does (from the rollup for the days the range
// covers whole, from the events for the others), or, when raw, from the events alone, so that tests can compare
// the two.
func CountVisitors(ctx context.Context, client *ent.Client, org *ent.Organization, from, to, now time.Time, raw bool) (VisitorCounts, error) {
	q := query{client: client, org: org, from: from.UTC(), to: to.UTC(), now: now, cal: newCalendar(from, to, period.Location(org.Timezone))}
	count := q.visitors
	if raw {
		count = func(ctx context.Context) (visitorCounts, error) { return q.rawVisitors(ctx) }
	}
	c, err := count(ctx)
	return VisitorCounts{Total: c.total, Converting: c.converting, ByDay: c.byDay}, err
}
