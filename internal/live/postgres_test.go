package live_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/live"
)

// relayDeadline bounds one NOTIFY's trip through PostgreSQL to the other instance's listener.
const relayDeadline = 5 * time.Second

// newPostgres starts a broker on the PostgreSQL of TEST_DATABASE_URL, as one server instance would, with a pool of
// its own; the test skips without one. NOTIFY channels are database-wide, so no schema is needed: every test uses
// organization ids of its own, which keeps concurrently running tests apart.
func newPostgres(t *testing.T) *live.Postgres {
	t.Helper()
	dsn := os.Getenv(dbtest.EnvURL)
	if dsn == "" {
		t.Skip(dbtest.EnvURL + " is not set: the PostgreSQL broker needs PostgreSQL")
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	p, err := live.NewPostgres(context.Background(), db, dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("NewPostgres: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return p
}

// TestPostgresRelaysBetweenInstances: two brokers on one database are two server instances; what either publishes
// reaches the subscribers of both (its own included, through its own listener), per organization and topic.
func TestPostgresRelaysBetweenInstances(t *testing.T) {
	one, two := newPostgres(t), newPostgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	orgA, orgB := prefixed.New("org"), prefixed.New("org")

	aOnOne := one.Subscribe(ctx, orgA, live.Events)
	aOnTwo := two.Subscribe(ctx, orgA, live.Events)
	bOnTwo := two.Subscribe(ctx, orgB)
	campaignsOfAOnTwo := two.Subscribe(ctx, orgA, live.Campaigns)

	one.Publish(ctx, msg(orgA, live.Events, "evt_from_one"))
	for name, ch := range map[string]<-chan live.Message{"publisher's own instance": aOnOne, "other instance": aOnTwo} {
		if m := receive(t, ch, relayDeadline); m.OrgID != orgA || m.Topic != live.Events || !slices.Equal(m.IDs, []string{"evt_from_one"}) {
			t.Errorf("%s received %+v, want A's evt_from_one", name, m)
		}
	}
	two.Publish(ctx, msg(orgA, live.Events, "evt_from_two"))
	if m := receive(t, aOnOne, relayDeadline); !slices.Equal(m.IDs, []string{"evt_from_two"}) {
		t.Errorf("instance one received %+v, want evt_from_two published on instance two", m)
	}

	// B's first message is its own although A's were relayed first; A's events never reached A's campaign feed.
	one.Publish(ctx, msg(orgB, live.Contents, "cnt_of_b"))
	if m := receive(t, bOnTwo, relayDeadline); m.OrgID != orgB || !slices.Equal(m.IDs, []string{"cnt_of_b"}) {
		t.Errorf("B's subscriber received %+v first, want B's cnt_of_b", m)
	}
	one.Publish(ctx, msg(orgA, live.Campaigns, "cmp_of_a"))
	if m := receive(t, campaignsOfAOnTwo, relayDeadline); !slices.Equal(m.IDs, []string{"cmp_of_a"}) {
		t.Errorf("A's campaign subscriber received %+v first, want cmp_of_a", m)
	}
	if got := pending(aOnTwo); len(got) != 1 || got[0].IDs[0] != "evt_from_two" {
		t.Errorf("A's event subscriber on two also holds %+v, want only evt_from_two", got)
	}

	if got := two.Local().Subscribers(); got != 3 {
		t.Errorf("instance two has %d subscribers, want 3", got)
	}
	cancel()
	waitClosed(t, aOnTwo, 5*time.Second)
	waitClosed(t, bOnTwo, 5*time.Second)
	waitClosed(t, campaignsOfAOnTwo, 5*time.Second)
	if got := two.Local().Subscribers(); got != 0 {
		t.Errorf("instance two has %d subscribers after they left, want 0", got)
	}
}

// TestPostgresSplitsLongIDLists: a batch's id list too long for one notification (PostgreSQL refuses payloads of
// 8000 bytes or more) arrives complete and in order on the other instance, in several messages.
func TestPostgresSplitsLongIDLists(t *testing.T) {
	one, two := newPostgres(t), newPostgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	org := prefixed.New("org")
	sub := two.Subscribe(ctx, org, live.Events)

	for _, n := range []int{1, 200, 1000, 5000} { // 5000 is the tracking writer's largest batch ×5
		ids := make([]string, n)
		for i := range ids {
			ids[i] = prefixed.New("evt") // real ids: "evt_" and a ULID
		}
		one.Publish(ctx, msg(org, live.Events, ids...))
		var got []string
		parts := 0
		for len(got) < n {
			m := receive(t, sub, relayDeadline)
			if m.OrgID != org || m.Topic != live.Events {
				t.Fatalf("received %s/%s, want %s/%s", m.OrgID, m.Topic, org, live.Events)
			}
			got = append(got, m.IDs...)
			parts++
		}
		if !slices.Equal(got, ids) {
			t.Fatalf("%d ids: received %d ids that differ from those published", n, len(got))
		}
		if extra := pending(sub); len(extra) > 0 {
			t.Fatalf("%d ids: %d messages more than the ids", n, len(extra))
		}
		t.Logf("%d ids of %d bytes arrived complete in %d notifications", n, len(ids[0]), parts)
	}
}

// TestPostgresNotificationOnlyOnCommit: a notification sent in a transaction reaches the other instance once the
// transaction commits, and never when it rolls back.
func TestPostgresNotificationOnlyOnCommit(t *testing.T) {
	one, two := newPostgres(t), newPostgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	org := prefixed.New("org")
	onTwo := two.Subscribe(ctx, org, live.Events)
	db, err := sql.Open("postgres", os.Getenv(dbtest.EnvURL))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	publishIn := func(id string, commit bool) {
		t.Helper()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		channel, payloads, err := one.Notification(msg(org, live.Events, id))
		if err != nil {
			t.Fatalf("Notification: %v", err)
		}
		if _, err := tx.ExecContext(ctx, "SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p", channel, pq.Array(payloads)); err != nil {
			t.Fatal(err)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	publishIn("evt_rolled_back", false)
	publishIn("evt_committed", true)
	// Notifications of one session arrive in commit order, so the committed one arriving first proves the rolled
	// back one was never sent.
	if m := receive(t, onTwo, relayDeadline); !slices.Equal(m.IDs, []string{"evt_committed"}) {
		t.Errorf("received %+v first, want evt_committed", m)
	}
	if got := pending(onTwo); len(got) != 0 {
		t.Errorf("also received %+v", got)
	}
}
