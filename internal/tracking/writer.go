package tracking

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/viewer"
	"github.com/marketingos/marketingos/internal/visitors"
)

// Errors of the writer. Both mean the event was not stored and the client should retry later.
var (
	ErrOverloaded = errors.New("tracking: ingestion queue is full")
	ErrClosed     = errors.New("tracking: writer is shutting down")
)

// Event is a fully resolved event, ready to store.
type Event struct {
	ID             string
	OrgID          string
	VisitorID      string
	SessionID      string
	UserID         string
	EventType      string
	Value          *int64 // minor units
	Currency       string
	Channel        Channel
	GCLID          string
	FBCLID         string
	Referrer       string
	URL            string
	Metadata       map[string]any
	IdempotencyKey string
	ExternalRef    string
	IPHash         string
	CreatedAt      time.Time
	// NewVisitor says VisitorID was minted for this event (no cookie, no id from the page): the visitors rollup
	// counts such a visitor without looking up other days, which cannot exist.
	NewVisitor bool
}

// WriterOptions tune the writer.
type WriterOptions struct {
	QueueSize int // events waiting for a commit before new ones are refused with ErrOverloaded (default 20000)
	MaxBatch  int // events per commit (default 1000)
	Workers   int // concurrent commits (default 2 on PostgreSQL, 1 on SQLite, whose writes serialise anyway)
	// InTx is called in each batch's transaction, before its commit, with its events (for live updates that
	// PostgreSQL delivers on commit). An error fails the batch.
	InTx func(ctx context.Context, tx Execer, events []Event) error
	// OnCommit is called after each batch is committed, with its events (for live updates). It must not block.
	OnCommit   func([]Event)
	Registerer prometheus.Registerer
}

// Execer is the batch's transaction, as InTx sees it.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Writer stores events with group commit: requests hand their events over and wait; a worker commits whatever
// has queued up in one transaction (COPY on PostgreSQL, multi-row INSERT on SQLite) and then answers every waiting
// request at once. A request is answered only after its event is committed, so a 2xx always means stored.
type Writer struct {
	db       *store.DB
	opts     WriterOptions
	queue    chan *pending
	mu       sync.RWMutex // guards closed against sends on a closed queue
	closed   bool
	wg       sync.WaitGroup
	batches  prometheus.Histogram
	commits  prometheus.Histogram
	failures prometheus.Counter
}

type pending struct {
	ev   Event
	done chan error
}

// NewWriter starts the writer's workers. Close stops them.
func NewWriter(db *store.DB, opts WriterOptions) *Writer {
	if opts.QueueSize <= 0 {
		opts.QueueSize = 20000
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 1000
	}
	if opts.Workers <= 0 {
		opts.Workers = 1
		if db.Dialect == dialect.Postgres {
			opts.Workers = 2
		}
	}
	w := &Writer{
		db:    db,
		opts:  opts,
		queue: make(chan *pending, opts.QueueSize),
		batches: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "marketingos_tracking_batch_size", Help: "Events per group commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 12),
		}),
		commits: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "marketingos_tracking_commit_seconds", Help: "Duration of one group commit.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "marketingos_tracking_commit_failures_total", Help: "Group commits that failed (their requests got 5xx).",
		}),
	}
	if opts.Registerer != nil {
		opts.Registerer.MustRegister(w.batches, w.commits, w.failures)
	}
	for range opts.Workers {
		w.wg.Add(1)
		go w.run()
	}
	return w
}

// Write queues ev and waits until it is committed. It fails fast with ErrOverloaded when the queue is full and
// with ErrClosed during shutdown. Once queued, the event will be committed (or fail with its batch), so Write
// waits for that answer even if ctx ends meanwhile: answering "not stored" for an event that is then stored would
// make the client send it twice. The wait is bounded by the commit's own timeout.
func (w *Writer) Write(ctx context.Context, ev Event) error {
	p := &pending{ev: ev, done: make(chan error, 1)}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return ErrClosed
	}
	select {
	case w.queue <- p:
	default:
		w.mu.RUnlock()
		return ErrOverloaded
	}
	w.mu.RUnlock()
	return <-p.done
}

// Close stops accepting events, commits everything already accepted, and waits for the workers, or gives up when
// ctx ends.
func (w *Writer) Close(ctx context.Context) error {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
	w.mu.Unlock()
	done := make(chan struct{})
	go func() { w.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("tracking: writer did not drain: %w", ctx.Err())
	}
}

func (w *Writer) run() {
	defer w.wg.Done()
	for first := range w.queue {
		batch := []*pending{first}
	collect:
		for len(batch) < w.opts.MaxBatch {
			select {
			case p, ok := <-w.queue:
				if !ok {
					break collect
				}
				batch = append(batch, p)
			default:
				break collect
			}
		}
		w.commit(batch)
	}
}

// commitTimeout bounds one commit; it does not use any request's context, since the batch serves many requests.
const commitTimeout = 15 * time.Second

func (w *Writer) commit(batch []*pending) {
	events := make([]Event, len(batch))
	for i, p := range batch {
		events[i] = p.ev
	}
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	start := time.Now()
	var err error
	if w.db.Dialect == dialect.Postgres {
		err = copyEvents(ctx, w.db.SQL, events, w.opts.InTx)
	} else {
		err = insertEvents(ctx, w.db.Client, events, w.opts.InTx)
	}
	w.commits.Observe(time.Since(start).Seconds())
	w.batches.Observe(float64(len(batch)))
	if err != nil {
		w.failures.Inc()
		err = fmt.Errorf("tracking: commit %d events: %w", len(batch), err)
	} else if w.opts.OnCommit != nil {
		w.opts.OnCommit(events)
	}
	for _, p := range batch {
		p.done <- err
	}
}

// copyColumns are the columns COPY writes, named by ent's generated constants so that a schema change that
// renames one fails to compile here rather than at run time.
var copyColumns = []string{
	attributionevent.FieldID, attributionevent.FieldOrganizationID, attributionevent.FieldVisitorID,
	attributionevent.FieldSessionID, attributionevent.FieldUserID, attributionevent.FieldEventType,
	attributionevent.FieldValue, attributionevent.FieldCurrency, attributionevent.FieldSource,
	attributionevent.FieldMedium, attributionevent.FieldCampaign, attributionevent.FieldTerm,
	attributionevent.FieldContent, attributionevent.FieldGclid, attributionevent.FieldFbclid,
	attributionevent.FieldReferrer, attributionevent.FieldURL, attributionevent.FieldMetadata,
	attributionevent.FieldIPHash, attributionevent.FieldCreatedAt,
}

// copyEvents writes events with PostgreSQL's COPY protocol in one transaction. The tenancy hooks of ent do not
// run here: every event's organization was resolved from its key before it was queued.
func copyEvents(ctx context.Context, db *sql.DB, events []Event, inTx func(context.Context, Execer, []Event) error) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(attributionevent.Table, copyColumns...))
	if err != nil {
		return err
	}
	for _, e := range events {
		var meta any
		if e.Metadata != nil {
			b, err := json.Marshal(e.Metadata)
			if err != nil {
				return err
			}
			meta = string(b)
		}
		if _, err = stmt.ExecContext(ctx, e.ID, e.OrgID, e.VisitorID, nullable(e.SessionID), nullable(e.UserID),
			e.EventType, e.Value, nullable(e.Currency), nullable(e.Channel.Source), nullable(e.Channel.Medium),
			nullable(e.Channel.Campaign), nullable(e.Channel.Term), nullable(e.Channel.Content), nullable(e.GCLID),
			nullable(e.FBCLID), nullable(e.Referrer), nullable(e.URL), meta, nullable(e.IPHash), e.CreatedAt.UTC()); err != nil {
			return err
		}
	}
	if _, err = stmt.ExecContext(ctx); err != nil {
		return err
	}
	if err = stmt.Close(); err != nil {
		return err
	}
	// COPY bypasses ent and the schema's hook: the visitors rollup is recorded here, in the same transaction.
	recorded, err := visitors.Record(ctx, tx, dialect.Postgres, touches(events))
	if err != nil {
		return err
	}
	if inTx != nil {
		if err = inTx(ctx, tx, events); err != nil {
			return err
		}
	}
	return recorded.Commit(tx.Commit)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// sqliteChunk keeps a multi-row INSERT under SQLite's limit of bound variables.
const sqliteChunk = 400

// insertEvents writes events with multi-row INSERTs in one transaction, as the system (see copyEvents).
func insertEvents(ctx context.Context, client *ent.Client, events []Event, inTx func(context.Context, Execer, []Event) error) error {
	// Batched: the schema's hook records each bulk insert in the visitors rollup with one Record call.
	ctx = visitors.Batched(viewer.SystemContext(ctx))
	tx, err := client.Tx(ctx)
	if err != nil {
		return err
	}
	for start := 0; start < len(events); start += sqliteChunk {
		chunk := events[start:min(start+sqliteChunk, len(events))]
		builders := make([]*ent.AttributionEventCreate, len(chunk))
		for i, e := range chunk {
			builders[i] = CreateBuilder(tx.Client(), e)
		}
		if err := tx.AttributionEvent.CreateBulk(builders...).Exec(ctx); err != nil {
			return errors.Join(err, tx.Rollback())
		}
	}
	if inTx != nil {
		if err := inTx(ctx, tx, events); err != nil {
			return errors.Join(err, tx.Rollback())
		}
	}
	return tx.Commit()
}

// CreateBuilder returns the ent builder that stores e. Empty strings are stored as NULL, as COPY does.
func CreateBuilder(client *ent.Client, e Event) *ent.AttributionEventCreate {
	b := client.AttributionEvent.Create().
		SetID(e.ID).
		SetOrganizationID(e.OrgID).
		SetVisitorID(e.VisitorID).
		SetEventType(e.EventType).
		SetCreatedAt(e.CreatedAt).
		SetNillableValue(e.Value).
		SetNillableSessionID(nonEmpty(e.SessionID)).
		SetNillableUserID(nonEmpty(e.UserID)).
		SetNillableCurrency(nonEmpty(e.Currency)).
		SetNillableSource(nonEmpty(e.Channel.Source)).
		SetNillableMedium(nonEmpty(e.Channel.Medium)).
		SetNillableCampaign(nonEmpty(e.Channel.Campaign)).
		SetNillableTerm(nonEmpty(e.Channel.Term)).
		SetNillableContent(nonEmpty(e.Channel.Content)).
		SetNillableGclid(nonEmpty(e.GCLID)).
		SetNillableFbclid(nonEmpty(e.FBCLID)).
		SetNillableReferrer(nonEmpty(e.Referrer)).
		SetNillableURL(nonEmpty(e.URL)).
		SetNillableIPHash(nonEmpty(e.IPHash)).
		SetNillableIdempotencyKey(nonEmpty(e.IdempotencyKey)).
		SetNillableExternalRef(nonEmpty(e.ExternalRef))
	if e.Metadata != nil {
		b.SetMetadata(e.Metadata)
	}
	return b
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
