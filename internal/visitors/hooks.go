package visitors

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/hook"
	"github.com/marketingos/marketingos/ent/organization"
)

// RecordEvents returns the schema's hook on AttributionEvent creates: it records what every event created through ent
// adds to the rollup, so that no code path (the tracking writer on SQLite, idempotent tracking, purchases, the demo,
// test fixtures) can forget to.
//
// In a transaction, Record runs in it, after the insert. Outside one, the insert has committed already: Record
// runs in a transaction of its own right after, and if that fails (or the process dies in between) the event is
// stored without its day in the rollup, until the organization is rebuilt; the create returns the error. Creating
// events in a transaction closes that window.
//
// The events of one CreateBulk are recorded together when ctx comes from Batched; otherwise one by one.
func RecordEvents() ent.Hook {
	return hook.On(recordEvents, ent.OpCreate)
}

func recordEvents(next ent.Mutator) ent.Mutator {
	return hook.AttributionEventFunc(func(ctx context.Context, m *ent.AttributionEventMutation) (ent.Value, error) {
		b, shared := ctx.Value(batchKey{}).(*batch)
		if !shared {
			b = &batch{}
		}
		b.enter()
		v, err := next.Mutate(ctx, m)
		// An error (or sql.ErrNoRows, from an insert that ON CONFLICT DO NOTHING skipped) means no new event.
		var t *Touch
		if err == nil {
			t = touchOf(m)
		}
		touches := b.leave(t, err == nil)
		if err != nil || len(touches) == 0 {
			return v, err
		}
		if err := recordCreated(ctx, m, touches); err != nil {
			return nil, err
		}
		return v, nil
	})
}

// touchOf is the touch of a created event, or nil for a refund.
func touchOf(m *ent.AttributionEventMutation) *Touch {
	org, _ := m.OrganizationID()
	visitor, _ := m.VisitorID()
	eventType, _ := m.EventType()
	at, _ := m.CreatedAt()
	kind, ok := KindOf(eventType)
	if !ok {
		return nil
	}
	return &Touch{OrgID: org, Kind: kind, VisitorID: visitor, At: at}
}

// recordCreated records touches in the mutation's transaction, or in one of its own (see RecordEvents).
func recordCreated(ctx context.Context, m *ent.AttributionEventMutation, touches []Touch) error {
	if tx, err := m.Tx(); err == nil {
		rec, err := Record(ctx, tx, tx.Client().Dialect(), touches)
		if err != nil {
			return err
		}
		tx.OnCommit(func(next ent.Committer) ent.Committer {
			return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
				return rec.Commit(func() error { return next.Commit(ctx, tx) })
			})
		})
		return nil
	}
	client := m.Client()
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("visitors: %w", err)
	}
	rec, err := Record(ctx, tx, client.Dialect(), touches)
	if err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return rec.Commit(tx.Commit)
}

// Batched returns a context under which the events of each ent CreateBulk are recorded together, in one Record
// call, rather than one by one: for code that stores events in bulk. A context from Batched must not be used by
// two transactions at the same time.
func Batched(ctx context.Context) context.Context {
	return context.WithValue(ctx, batchKey{}, &batch{})
}

type batchKey struct{}

// batch collects the touches of the creates of one CreateBulk. ent runs the hooks of a bulk's creates nested
// (the first one's outermost) and inserts the rows in the innermost: the outermost create to return is the last,
// and records them all.
type batch struct {
	mu      sync.Mutex
	depth   int
	touches []Touch
}

func (b *batch) enter() {
	b.mu.Lock()
	b.depth++
	b.mu.Unlock()
}

// leave adds t (when not nil) and returns the touches to record now: all of them when the outermost create
// returns, none before; none at all when the bulk failed.
func (b *batch) leave(t *Touch, ok bool) []Touch {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.depth--
	if ok && t != nil {
		b.touches = append(b.touches, *t)
	}
	if b.depth > 0 {
		return nil
	}
	out := b.touches
	b.touches = nil
	if !ok {
		return nil
	}
	return out
}

// NewGenerationOnTimezoneChange returns the schema's hook on Organization updates: an update that changes an
// organization's time zone starts a new generation of its rollup, in the update's transaction, and leaves the
// rows of the new zone to be rebuilt from the events after the commit, in the background (Rebuilder), unless the
// organization has no events. Meanwhile the dashboard counts its visitors from the events (Ready).
//
// The update locks the organization FOR UPDATE first, which waits for the transactions recording touches in the
// old zone (they hold KEY SHARE, a few milliseconds each): every event is then either committed before the
// change, where the rebuild finds it, or recorded in the new generation by its own transaction. An update made
// outside a transaction runs in one of its own.
func NewGenerationOnTimezoneChange() ent.Hook {
	return hook.On(newGenerationOnTimezoneChange, ent.OpUpdate|ent.OpUpdateOne)
}

func newGenerationOnTimezoneChange(next ent.Mutator) ent.Mutator {
	return hook.OrganizationFunc(func(ctx context.Context, m *ent.OrganizationMutation) (ent.Value, error) {
		tz, set := m.Timezone()
		if !set {
			return next.Mutate(ctx, m)
		}
		tx, err := m.Tx()
		if err != nil {
			tx, _ = ctx.Value(zoneTxKey{}).(*ent.Tx)
		}
		if tx == nil {
			return inOwnTx(ctx, m)
		}
		ids, err := m.IDs(ctx)
		if err != nil {
			return nil, err
		}
		dia := tx.Client().Dialect()
		// Lock first: the update then waits for the transactions recording touches in the old zone.
		old, err := readZones(ctx, tx, dia, slices.Clone(ids), sql.LockUpdate)
		if err != nil {
			return nil, err
		}
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return nil, err
		}
		rebuild := false
		for _, id := range ids {
			z, ok := old[id]
			if !ok || z.name == tz {
				continue
			}
			pending, err := startGeneration(ctx, tx, dia, id, z.gen+1)
			if err != nil {
				return nil, err
			}
			if o, ok := v.(*ent.Organization); ok && o.ID == id {
				o.VisitorsGeneration, o.VisitorsRebuilding = z.gen+1, pending
			}
			rebuild = rebuild || pending
		}
		if rebuild {
			tx.OnCommit(func(next ent.Committer) ent.Committer {
				return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
					if err := next.Commit(ctx, tx); err != nil {
						return err
					}
					wakeRebuilders()
					return nil
				})
			})
		}
		return v, nil
	})
}

// startGeneration makes gen org's generation, to be rebuilt when org has events (pending).
func startGeneration(ctx context.Context, tx ExecQuerier, dia, org string, gen int64) (pending bool, err error) {
	exists, err := queryStrings(ctx, tx, sql.Dialect(dia).Select(attributionevent.FieldID).
		From(sql.Table(attributionevent.Table)).
		Where(sql.EQ(attributionevent.FieldOrganizationID, org)).
		Limit(1))
	if err != nil {
		return false, fmt.Errorf("visitors: new generation of %s: %w", org, err)
	}
	pending = len(exists) > 0
	query, args := sql.Dialect(dia).Update(organization.Table).
		Set(organization.FieldVisitorsGeneration, gen).
		Set(organization.FieldVisitorsRebuilding, pending).
		Where(sql.EQ(organization.FieldID, org)).Query()
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return false, fmt.Errorf("visitors: new generation of %s: %w", org, err)
	}
	return pending, nil
}

// zoneTxKey carries the transaction inOwnTx opened to the hook's second pass.
type zoneTxKey struct{}

// inOwnTx runs m again through a transaction of its own, in which the hook sees the transaction in ctx.
func inOwnTx(ctx context.Context, m *ent.OrganizationMutation) (ent.Value, error) {
	tx, err := m.Client().Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("visitors: %w", err)
	}
	v, err := tx.Client().Mutate(context.WithValue(ctx, zoneTxKey{}, tx), m)
	if err != nil {
		return nil, errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	if o, ok := v.(*ent.Organization); ok {
		o.Unwrap() // its queries must go through the client now, not the finished transaction
	}
	return v, nil
}
