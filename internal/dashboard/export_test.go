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

// CountVisitors counts the visitors of [from, to] as Compute does, from the rollup when rolledUp (the range must be
// made of whole days) and from the events otherwise, so that tests can compare the two.
func CountVisitors(ctx context.Context, client *ent.Client, org *ent.Organization, from, to time.Time, rolledUp bool) (VisitorCounts, error) {
	q := query{client: client, org: org, from: from.UTC(), to: to.UTC(), cal: newCalendar(from, to, period.Location(org.Timezone))}
	count := q.rawVisitors
	if rolledUp {
		count = q.rolledUpVisitors
	}
	c, err := count(ctx)
	return VisitorCounts{Total: c.total, Converting: c.converting, ByDay: c.byDay}, err
}
