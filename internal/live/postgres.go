package live

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/lib/pq"
)

// channel is the PostgreSQL NOTIFY channel of MarketingOS.
const channel = "marketingos_live"

// maxPayload keeps a notification under PostgreSQL's 8000-byte limit; longer id lists are split.
const maxPayload = 7000

// Postgres relays messages between instances with LISTEN/NOTIFY: Publish sends a NOTIFY, and every instance's
// listener (this one's included) hands what it hears to its local subscribers. Delivery is at most once, like
// NOTIFY itself: a subscriber that needs every change reloads from the database after reconnecting.
type Postgres struct {
	db       *sql.DB
	local    *Local
	listener *pq.Listener
	log      *slog.Logger
	done     chan struct{}
	wg       sync.WaitGroup
}

// NewPostgres starts listening on dsn (lib/pq's listener keeps its own connection and reconnects by itself).
func NewPostgres(ctx context.Context, db *sql.DB, dsn string, log *slog.Logger) (*Postgres, error) {
	listener := pq.NewListener(dsn, 100*time.Millisecond, 10*time.Second, func(ev pq.ListenerEventType, err error) {
		if err != nil {
			log.Warn("live: listener connection event", "event", ev, "error", err)
		}
	})
	if err := listener.Listen(channel); err != nil {
		_ = listener.Close()
		return nil, fmt.Errorf("live: listen: %w", err)
	}
	p := &Postgres{db: db, local: NewLocal(), listener: listener, log: log, done: make(chan struct{})}
	p.wg.Add(1)
	go p.relay()
	return p, nil
}

func (p *Postgres) relay() {
	defer p.wg.Done()
	for {
		select {
		case <-p.done:
			return
		case n, ok := <-p.listener.Notify:
			if !ok {
				return
			}
			if n == nil { // the connection was re-established: notifications may have been missed
				continue
			}
			var m Message
			if err := json.Unmarshal([]byte(n.Extra), &m); err != nil {
				p.log.Warn("live: malformed notification", "error", err)
				continue
			}
			p.local.Publish(context.Background(), m)
		}
	}
}

// Publish sends m to every instance. It is called after commit; a failure loses only a live update, so it is
// logged, not returned.
func (p *Postgres) Publish(ctx context.Context, m Message) {
	if err := notify(ctx, p.db, m); err != nil {
		p.log.WarnContext(ctx, "live: notify", "topic", m.Topic, "error", err)
	}
}

// Subscribe subscribes to what this instance's listener hears.
func (p *Postgres) Subscribe(ctx context.Context, orgID string, topics ...string) <-chan Message {
	return p.local.Subscribe(ctx, orgID, topics...)
}

// Local returns the broker the listener feeds (for metrics and tests).
func (p *Postgres) Local() *Local { return p.local }

// Close stops listening.
func (p *Postgres) Close() error {
	close(p.done)
	err := p.listener.Close()
	p.wg.Wait()
	return err
}

// Notification returns ms as the channel and payloads of the pg_notify calls that deliver them, for a statement
// of the caller's own: PostgreSQL delivers them to every instance if and only if that statement's transaction
// commits, and only after the commit. The tracking writer sends its batches' notifications this way, in the
// statement that stores the batch, which saves it a transaction (and a WAL flush) per batch.
func (p *Postgres) Notification(ms ...Message) (channelName string, payloads []string, err error) {
	payloads, err = payloadsOf(ms...)
	return channel, payloads, err
}

// payloadsOf encodes ms in notifications small enough for PostgreSQL.
func payloadsOf(ms ...Message) ([]string, error) {
	var out []string
	for _, m := range ms {
		for _, part := range split(m) {
			payload, err := json.Marshal(part)
			if err != nil {
				return nil, err
			}
			out = append(out, string(payload))
		}
	}
	return out, nil
}

// notify sends m through db.
func notify(ctx context.Context, db *sql.DB, m Message) error {
	payloads, err := payloadsOf(m)
	if err != nil {
		return err
	}
	for _, payload := range payloads {
		if _, err := db.ExecContext(ctx, "SELECT pg_notify($1, $2)", channel, payload); err != nil {
			return fmt.Errorf("live: notify: %w", err)
		}
	}
	return nil
}

// split cuts a message whose id list would not fit one notification.
func split(m Message) []Message {
	const perID = 32 // a prefixed id and its JSON quoting
	per := max(1, (maxPayload-100)/perID)
	if len(m.IDs) <= per {
		return []Message{m}
	}
	var out []Message
	for start := 0; start < len(m.IDs); start += per {
		out = append(out, Message{OrgID: m.OrgID, Topic: m.Topic, IDs: m.IDs[start:min(start+per, len(m.IDs))]})
	}
	return out
}
