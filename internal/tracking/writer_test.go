package tracking_test

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/tracking"
	"github.com/marketingos/marketingos/internal/viewer"
)

// TestWriterCommitsBesideAStalledCommit: while one batch waits on a lock (here another transaction's uncommitted
// visitor day, the same as the batch's), the next batch is committed beside it once Stall has passed, instead of
// waiting behind it; the stalled one is committed when the lock goes. PostgreSQL only: SQLite has one writer.
func TestWriterCommitsBesideAStalledCommit(t *testing.T) {
	writeAroundALock(t, tracking.WriterOptions{Stall: 20 * time.Millisecond}, "v-new", func(tx *sql.Tx, org string) error {
		day := time.Now().UTC().Truncate(24 * time.Hour) // the organization is in UTC
		_, err := tx.Exec("INSERT INTO visitor_days (id, organization_id, kind, visitor_id, day) VALUES ($1, $2, 'VISIT', 'v-new', $3)",
			prefixed.New("vsd"), org, day)
		return err
	})
}

// TestWriterDoesNotWaitForABusyOrganization: an organization locked FOR UPDATE, as a time zone change locks it
// while its rollup is rebuilt, holds up its own events only: with a single worker, the other organization's
// event is committed meanwhile, and the busy one's once the lock goes.
func TestWriterDoesNotWaitForABusyOrganization(t *testing.T) {
	writeAroundALock(t, tracking.WriterOptions{Workers: 1}, "v-org0", func(tx *sql.Tx, org string) error {
		_, err := tx.Exec("SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE", org)
		return err
	})
}

// writeAroundALock writes an event of visitor for one organization while lock holds a lock in a transaction, and
// checks that an event of a second organization is committed before it, and both once the lock goes.
func writeAroundALock(t *testing.T, opts tracking.WriterOptions, visitor string, lock func(tx *sql.Tx, org string) error) {
	t.Helper()
	db, _ := dbtest.Open(t)
	if db.Dialect != dialect.Postgres {
		t.Skip("SQLite has one writer, and one writing transaction at a time")
	}
	ctx := context.Background()
	var orgs [2]string
	for i := range orgs {
		c, err := account.CreateOrganization(ctx, db.Client, "Org", account.Options{})
		if err != nil {
			t.Fatal(err)
		}
		orgs[i] = c.Organization.ID
	}
	w := tracking.NewWriter(db, opts)
	defer func() {
		if err := w.Close(ctx); err != nil {
			t.Error(err)
		}
	}()
	write := func(org, visitor string) <-chan error {
		done := make(chan error, 1)
		ev := tracking.Event{ID: prefixed.New("evt"), OrgID: org, VisitorID: visitor, EventType: tracking.PageView, CreatedAt: time.Now().UTC()}
		go func() { done <- w.Write(ctx, ev) }()
		return done
	}
	// Both organizations' zones are in the rollup's cache of hints, so the held-up batch waits on the lock rather
	// than on reading its zone.
	for i, org := range orgs {
		if err := <-write(org, fmt.Sprintf("v-org%d", i)); err != nil {
			t.Fatal(err)
		}
	}

	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }() // before the writer's Close, should the test fail with the lock held
	if err := lock(tx, orgs[0]); err != nil {
		t.Fatal(err)
	}
	var locker int
	if err := tx.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&locker); err != nil {
		t.Fatal(err)
	}
	held := write(orgs[0], visitor)
	for waiting := false; !waiting; {
		if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) > 0 FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))", locker).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case err := <-write(orgs[1], "v-org1"):
		if err != nil {
			t.Fatal(err)
		}
	case err := <-held:
		t.Fatalf("the held-up event was answered first (%v)", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the second organization's event waited behind the held-up one")
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := <-held; err != nil {
		t.Fatalf("the held-up event: %v", err)
	}
	for _, org := range orgs {
		var n int
		if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM attribution_events WHERE organization_id = $1", org).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("%s: %d events stored, want 2", org, n)
		}
	}
}

// TestWriterStoresEveryField: what the writer stores reads back through ent as it was given, on both databases:
// on PostgreSQL the batch travels as one array literal per column, so values that need quoting in one (quotes,
// backslashes, commas, braces, the word NULL, non-ASCII text, JSON) must survive it, and empty strings become
// NULL.
func TestWriterStoresEveryField(t *testing.T) {
	db, _ := dbtest.Open(t)
	ctx := context.Background()
	c, err := account.CreateOrganization(ctx, db.Client, "Org", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	org := c.Organization.ID
	w := tracking.NewWriter(db, tracking.WriterOptions{})
	value := int64(-99700)
	odd := `a "quoted", {braced} \back\slashed NULL — é ✓`
	full := tracking.Event{
		ID: prefixed.New("evt"), OrgID: org, VisitorID: "v1," + odd, SessionID: "s1", UserID: "u1 " + odd,
		EventType: "signup", Value: &value, Currency: "EUR",
		Channel: tracking.Channel{Source: "google", Medium: "cpc", Campaign: odd, Term: "NULL", Content: "{}"},
		GCLID:   "g\\1", FBCLID: `f"1`, Referrer: "https://ref.example/?a=1,2", URL: "https://land.example/p?q={x}",
		Metadata:  map[string]any{"plan": odd, "seats": float64(3), "nested": map[string]any{"ok": true, "list": []any{"a", nil}}},
		IPHash:    "abc123",
		CreatedAt: time.Date(2026, 3, 9, 10, 11, 12, 345678000, time.UTC),
	}
	bare := tracking.Event{ID: prefixed.New("evt"), OrgID: org, VisitorID: "v2", EventType: tracking.PageView,
		CreatedAt: time.Date(2026, 3, 9, 11, 0, 0, 0, time.UTC)}
	errs := make(chan error, 2)
	for _, e := range []tracking.Event{full, bare} {
		go func() { errs <- w.Write(ctx, e) }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}

	sys := viewer.SystemContext(ctx)
	got, err := db.Client.AttributionEvent.Get(sys, full.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name      string
		got, want any
	}{
		{"organization", got.OrganizationID, org}, {"visitor", got.VisitorID, full.VisitorID},
		{"session", got.SessionID, full.SessionID}, {"user", deref(got.UserID), full.UserID},
		{"type", got.EventType, full.EventType}, {"value", *got.Value, value}, {"currency", deref(got.Currency), "EUR"},
		{"source", got.Source, "google"}, {"medium", got.Medium, "cpc"}, {"campaign", got.Campaign, odd},
		{"term", got.Term, "NULL"}, {"content", got.Content, "{}"}, {"gclid", got.Gclid, full.GCLID},
		{"fbclid", got.Fbclid, full.FBCLID}, {"referrer", got.Referrer, full.Referrer}, {"url", got.URL, full.URL},
		{"ip hash", got.IPHash, "abc123"}, {"created", got.CreatedAt.UTC(), full.CreatedAt.Truncate(time.Microsecond)},
	} {
		if f.got != f.want {
			t.Errorf("%s: stored %#v, want %#v", f.name, f.got, f.want)
		}
	}
	if !reflect.DeepEqual(got.Metadata, full.Metadata) {
		t.Errorf("metadata: stored %#v, want %#v", got.Metadata, full.Metadata)
	}

	// Empty strings and a nil value or metadata are NULL, as ent's optional fields read them back.
	nulls, err := db.Client.AttributionEvent.Query().Where(attributionevent.ID(bare.ID),
		attributionevent.SessionIDIsNil(), attributionevent.UserIDIsNil(), attributionevent.ValueIsNil(),
		attributionevent.CurrencyIsNil(), attributionevent.SourceIsNil(), attributionevent.URLIsNil(),
		attributionevent.MetadataIsNil(), attributionevent.IPHashIsNil()).Count(sys)
	if err != nil {
		t.Fatal(err)
	}
	if nulls != 1 {
		t.Errorf("the bare event's empty fields are not all NULL")
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
