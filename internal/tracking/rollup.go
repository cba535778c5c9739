package tracking

import "github.com/marketingos/marketingos/internal/visitors"

// touches is what events add to the visitors rollup, for the writer's statement, which ent's hooks do not see.
func touches(events []Event) []visitors.Touch {
	out := make([]visitors.Touch, 0, len(events))
	for _, e := range events {
		if kind, ok := visitors.KindOf(e.EventType); ok {
			out = append(out, visitors.Touch{
				OrgID: e.OrgID, Kind: kind, VisitorID: e.VisitorID, At: e.CreatedAt, First: e.NewVisitor,
			})
		}
	}
	return out
}
