package tracking_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/tracking"
	"github.com/marketingos/marketingos/internal/validation"
)

// TestWriterIsolatesAPoisonedEvent: under load from 32 writers, events that PostgreSQL refuses for their own data
// (a NUL in a text column, past the edge's checks) are refused alone, with a validation error; every other event
// of their batches commits. Before batch isolation, each poisoned event failed the whole batch it shared.
func TestWriterIsolatesAPoisonedEvent(t *testing.T) {
	db, _ := dbtest.Open(t)
	if db.Dialect != dialect.Postgres {
		t.Skip("SQLite stores NUL in text: nothing to refuse")
	}
	ctx := context.Background()
	c, err := account.CreateOrganization(ctx, db.Client, "Org", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	w := tracking.NewWriter(db, tracking.WriterOptions{Registerer: reg})
	event := func(url string) tracking.Event {
		return tracking.Event{ID: prefixed.New("evt"), OrgID: c.Organization.ID, VisitorID: "v", EventType: tracking.PageView, URL: url, CreatedAt: time.Now().UTC()}
	}

	const clients, each = 32, 40
	var wg sync.WaitGroup
	failed := make(chan error, clients*each)
	for range clients {
		wg.Go(func() {
			for range each {
				if err := w.Write(ctx, event("https://acme.example/")); err != nil {
					failed <- err
				}
			}
		})
	}
	stop := make(chan struct{})
	poisoned, refused := 0, 0
	var poisoner sync.WaitGroup
	poisoner.Go(func() {
		tick := time.NewTicker(10 * time.Millisecond) // a steady trickle of poison while the load runs
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				poisoned++
				if err := w.Write(ctx, event("https://acme.example/\x00")); errors.As(err, new(*validation.Error)) {
					refused++
				} else {
					t.Errorf("poisoned event: %v, want a validation error", err)
				}
			}
		}
	})
	wg.Wait()
	close(stop)
	poisoner.Wait()
	close(failed)
	for err := range failed {
		t.Errorf("a valid event failed: %v", err)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	var stored int
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM attribution_events WHERE organization_id = $1", c.Organization.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != clients*each || refused != poisoned {
		t.Errorf("stored %d of %d valid events; refused %d of %d poisoned", stored, clients*each, refused, poisoned)
	}
	if got := counterValue(t, reg, "marketingos_tracking_events_refused_total"); int(got) != poisoned {
		t.Errorf("refused counter %v, want %d", got, poisoned)
	}
	t.Logf("%d valid events stored, %d poisoned refused alone", stored, poisoned)
}

func counterValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}
