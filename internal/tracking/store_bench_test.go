package tracking

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/dbtest"
)

// BenchmarkStoreEvents measures one group commit on PostgreSQL without HTTP around it: the statement that stores a
// batch of page views (one in ten a first visit, the others from 1,000 returning visitors), records their days and
// commits, at the batch sizes the pixel benchmark sees at 64 and 256 connections. ns/event is the database's cost
// per stored hit, the figure that bounds ingestion once requests wait for their commit.
//
//	TEST_DATABASE_URL=postgres://… go test ./internal/tracking -run '^$' -bench StoreEvents
func BenchmarkStoreEvents(b *testing.B) {
	db, _ := dbtest.Open(b)
	if db.Dialect != dialect.Postgres {
		b.Skip("the one-statement commit is PostgreSQL's; set TEST_DATABASE_URL")
	}
	ctx := context.Background()
	c, err := account.CreateOrganization(ctx, db.Client, "Bench", account.Options{})
	if err != nil {
		b.Fatal(err)
	}
	prepared := &preparedStatements{db: db.SQL, stmts: map[string]*sql.Stmt{}}
	b.Cleanup(func() { _ = prepared.close() })
	for _, size := range []int{1, 32, 128} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			events := make([]Event, size)
			n := 0
			for b.Loop() {
				for i := range events {
					n++
					events[i] = Event{ID: prefixed.New("evt"), OrgID: c.Organization.ID, EventType: PageView,
						VisitorID: fmt.Sprintf("v_bench_%04d", n%1000), SessionID: "s_bench",
						Channel: Channel{Source: "google", Medium: "cpc", Campaign: "summer"},
						URL:     "https://example.com/landing", Referrer: "https://www.google.com/",
						IPHash: "3f2a9c", CreatedAt: time.Now().UTC()}
					if n%10 == 0 {
						events[i].VisitorID, events[i].NewVisitor = newID("v"), true
					}
				}
				if err := storeEvents(ctx, prepared, events, nil, false); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/event")
		})
	}
}
