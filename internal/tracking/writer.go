package tracking

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/validation"
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
	Title          string
	Screen         string
	Language       string
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
	Workers   int // commits that may run at once, see Stall (default 2 on PostgreSQL, 1 on SQLite, whose writes serialise anyway)
	// Stall is how long a worker waits for the running commit to end before it commits its own batch beside it
	// (default 25ms). Meanwhile it collects the next batch: every commit costs both processes a round trip and a
	// WAL flush whatever its size, so one commit at a time, with the batches that pile up, stores the most
	// events per second (measured: 16.8k against 14.5k with two at once, 64 connections); a commit beside a slow
	// one keeps a commit that waits on a lock from stopping ingestion.
	Stall time.Duration
	// Notify returns, on PostgreSQL, the notifications of a batch's events (pg_notify's channel and payloads,
	// for live updates): they are sent by the statement that stores the batch, so PostgreSQL delivers them
	// exactly when it commits. An error fails the batch.
	Notify func(events []Event) (channel string, payloads []string, err error)
	// OnCommit is called after each batch is committed, with its events (for live updates). It must not block.
	OnCommit   func([]Event)
	Registerer prometheus.Registerer
}

// Writer stores events with group commit: requests hand their events over and wait; a worker commits whatever
// has queued up in one transaction (one statement on PostgreSQL, see storeEvents; multi-row INSERTs on SQLite)
// and then answers every waiting request at once. A request is answered only after its event is committed, so a
// 2xx always means stored.
type Writer struct {
	db       *store.DB
	prepared *preparedStatements // PostgreSQL's
	opts     WriterOptions
	queue    chan *pending
	turn     chan struct{} // held by the worker whose commit runs without Stall having passed
	parkMu   sync.Mutex
	parked   map[string][]*pending // by organization: events waiting for a busy organization (see park)
	mu       sync.RWMutex          // guards closed against sends on a closed queue
	closed   bool
	wg       sync.WaitGroup
	batches  prometheus.Histogram
	commits  prometheus.Histogram
	failures prometheus.Counter
	refused  prometheus.Counter // events the database refused on their own (see commit)
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
	if opts.Stall <= 0 {
		opts.Stall = 25 * time.Millisecond
	}
	w := &Writer{
		db:       db,
		prepared: &preparedStatements{db: db.SQL, stmts: map[string]*sql.Stmt{}},
		opts:     opts,
		queue:    make(chan *pending, opts.QueueSize),
		turn:     make(chan struct{}, 1),
		parked:   map[string][]*pending{},
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
		refused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "marketingos_tracking_events_refused_total",
			Help: "Events the database refused for their own data, found by splitting their batch; the rest of it committed.",
		}),
	}
	if opts.Registerer != nil {
		opts.Registerer.MustRegister(w.batches, w.commits, w.failures, w.refused)
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
		return w.prepared.close()
	case <-ctx.Done():
		return fmt.Errorf("tracking: writer did not drain: %w", ctx.Err())
	}
}

func (w *Writer) run() {
	defer w.wg.Done()
	for first := range w.queue {
		batch, turn := w.collect([]*pending{first})
		w.commit(batch)
		if turn {
			<-w.turn
		}
	}
}

// collect adds queued events to batch (up to MaxBatch) until it may be committed: at once when no other commit
// runs, else when that one ends or after Stall. It reports whether it took the turn, which the caller then
// gives back after its commit.
func (w *Writer) collect(batch []*pending) ([]*pending, bool) {
	queue := w.queue
	var stall *time.Timer
	for {
		batch, queue = w.drain(batch, queue)
		if len(batch) >= w.opts.MaxBatch {
			queue = nil // full: wait for the turn without taking more
		}
		select {
		case w.turn <- struct{}{}:
			batch, _ = w.drain(batch, queue)
			return batch, true
		default:
		}
		if stall == nil {
			stall = time.NewTimer(w.opts.Stall)
			defer stall.Stop()
		}
		select {
		case w.turn <- struct{}{}:
			batch, _ = w.drain(batch, queue)
			return batch, true
		case <-stall.C:
			batch, _ = w.drain(batch, queue)
			return batch, false
		case p, ok := <-queue:
			if !ok {
				queue = nil // closed: commit what there is
				continue
			}
			batch = append(batch, p)
		}
	}
}

// drain adds what queue holds to batch, without waiting, up to MaxBatch. It returns nil for a closed queue.
func (w *Writer) drain(batch []*pending, queue chan *pending) ([]*pending, chan *pending) {
	for queue != nil && len(batch) < w.opts.MaxBatch {
		select {
		case p, ok := <-queue:
			if !ok {
				return batch, nil
			}
			batch = append(batch, p)
		default:
			return batch, queue
		}
	}
	return batch, queue
}

// commitTimeout bounds one commit; it does not use any request's context, since the batch serves many requests.
const commitTimeout = 15 * time.Second

// commit stores batch and answers its requests. On PostgreSQL it does not wait for an organization locked FOR
// UPDATE (a time zone change, for the milliseconds of its update; any transaction that locks it so, for as long as
// it lasts): the batch is then stored one organization at a time, and the events of a busy one are left to wait
// for it on their own (park), so that the other organizations' events, and the next batches, are not held up.
//
// A batch that the database refuses for the data of one of its events (batch isolation) is split in halves, each
// committed on its own, down to the event at fault, which alone is refused: no valid hit ever fails because of
// another request's input. One bad event in n costs about 2·log2(n) more statements. The input checks at the edge
// refuse what is known to fail (NUL, invalid UTF-8, oversize); this is the net for whatever they miss.
func (w *Writer) commit(batch []*pending) {
	err := w.store(batch, false)
	if dataErr := eventDataError(err); dataErr != nil {
		if len(batch) > 1 {
			half := len(batch) / 2
			w.commit(batch[:half])
			w.commit(batch[half:])
			return
		}
		w.refused.Inc()
		w.answer(batch, validation.Field("event", "was refused by the database: %s", dataErr.Message))
		return
	}
	if !visitors.OrganizationBusy(err) {
		w.answer(batch, err)
		return
	}
	for _, group := range byOrganization(batch) {
		if err := w.store(group, false); visitors.OrganizationBusy(err) {
			w.park(group)
		} else {
			w.answer(group, err)
		}
	}
}

// store commits batch's events in one transaction. Unless wait is set, it fails with an error for which
// visitors.OrganizationBusy is true rather than wait for an organization locked by a time zone change
// (PostgreSQL; SQLite has one writer at a time and always waits).
func (w *Writer) store(batch []*pending, wait bool) error {
	events := eventsOf(batch)
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	start := time.Now()
	var err error
	if w.db.Dialect == dialect.Postgres {
		err = storeEvents(ctx, w.prepared, events, w.opts.Notify, wait)
	} else {
		err = insertEvents(ctx, w.db.Client, events)
	}
	w.commits.Observe(time.Since(start).Seconds())
	w.batches.Observe(float64(len(batch)))
	// A busy organization is not a failure yet, nor is an event's data that commit isolates.
	if err != nil && (wait || !visitors.OrganizationBusy(err)) && eventDataError(err) == nil {
		w.failures.Inc()
	}
	return err
}

// eventDataError is err's PostgreSQL error when it is one that an event's own data causes: SQLSTATE class 22
// (data exception: a NUL, an invalid escape, a value out of range) or 23 (integrity constraint violation). A
// connection or a timeout is not, and is answered 503 for the client to retry.
func eventDataError(err error) *pq.Error {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && (pqErr.Code.Class() == "22" || pqErr.Code.Class() == "23") {
		return pqErr
	}
	return nil
}

// answer tells batch's requests how their commit went.
func (w *Writer) answer(batch []*pending, err error) {
	if err != nil && !errors.As(err, new(*validation.Error)) {
		err = fmt.Errorf("tracking: commit %d events: %w", len(batch), err)
	} else if w.opts.OnCommit != nil {
		w.opts.OnCommit(eventsOf(batch))
	}
	for _, p := range batch {
		p.done <- err
	}
}

func eventsOf(batch []*pending) []Event {
	events := make([]Event, len(batch))
	for i, p := range batch {
		events[i] = p.ev
	}
	return events
}

// byOrganization splits batch by organization, in the order of their first events.
func byOrganization(batch []*pending) [][]*pending {
	index := map[string]int{}
	var groups [][]*pending
	for _, p := range batch {
		i, ok := index[p.ev.OrgID]
		if !ok {
			i = len(groups)
			index[p.ev.OrgID] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], p)
	}
	return groups
}

// park leaves a busy organization's events to a goroutine that commits them once the organization is free
// (waiting at most commitTimeout), with those of later batches that arrive meanwhile: one goroutine, and one
// database connection, per busy organization.
func (w *Writer) park(group []*pending) {
	org := group[0].ev.OrgID
	w.parkMu.Lock()
	defer w.parkMu.Unlock()
	waiting, running := w.parked[org]
	w.parked[org] = append(waiting, group...)
	if running {
		return
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		for {
			w.parkMu.Lock()
			group := w.parked[org]
			if len(group) == 0 {
				delete(w.parked, org)
				w.parkMu.Unlock()
				return
			}
			w.parked[org] = group[:0:0]
			w.parkMu.Unlock()
			w.answer(group, w.store(group, true))
		}
	}()
}

// eventColumns are the columns storeEvents writes, in the order of eventArgs' arrays, each with the SQL that
// turns its array's text into the column's value: every array is text[], so that lib/pq encodes it without
// reflection, and an empty string stands for NULL, as in CreateBuilder. They are named by ent's generated
// constants so that a schema change that renames one fails to compile here rather than at run time.
var eventColumns = []struct{ name, value string }{
	{attributionevent.FieldID, "%s"}, {attributionevent.FieldOrganizationID, "%s"},
	{attributionevent.FieldVisitorID, "%s"}, {attributionevent.FieldSessionID, "NULLIF(%s, '')"},
	{attributionevent.FieldUserID, "NULLIF(%s, '')"}, {attributionevent.FieldEventType, "%s"},
	{attributionevent.FieldValue, "NULLIF(%s, '')::bigint"}, {attributionevent.FieldCurrency, "NULLIF(%s, '')"},
	{attributionevent.FieldSource, "NULLIF(%s, '')"}, {attributionevent.FieldMedium, "NULLIF(%s, '')"},
	{attributionevent.FieldCampaign, "NULLIF(%s, '')"}, {attributionevent.FieldTerm, "NULLIF(%s, '')"},
	{attributionevent.FieldContent, "NULLIF(%s, '')"}, {attributionevent.FieldGclid, "NULLIF(%s, '')"},
	{attributionevent.FieldFbclid, "NULLIF(%s, '')"}, {attributionevent.FieldReferrer, "NULLIF(%s, '')"},
	{attributionevent.FieldURL, "NULLIF(%s, '')"}, {attributionevent.FieldTitle, "NULLIF(%s, '')"},
	{attributionevent.FieldScreen, "NULLIF(%s, '')"}, {attributionevent.FieldLanguage, "NULLIF(%s, '')"},
	{attributionevent.FieldMetadata, "NULLIF(%s, '')::jsonb"},
	{attributionevent.FieldIPHash, "NULLIF(%s, '')"}, {attributionevent.FieldCreatedAt, "%s::timestamptz"},
}

// insertEventsSQL inserts the events whose columns are the arrays $1…$23: set at once, like COPY, but as one
// statement that can do more.
var insertEventsSQL = func() string {
	names := make([]string, len(eventColumns))
	values := make([]string, len(eventColumns))
	arrays := make([]string, len(eventColumns))
	aliases := make([]string, len(eventColumns))
	for i, c := range eventColumns {
		names[i] = c.name
		aliases[i] = "c" + strconv.Itoa(i+1)
		values[i] = fmt.Sprintf(c.value, aliases[i])
		arrays[i] = "$" + strconv.Itoa(i+1) + "::text[]"
	}
	return "INSERT INTO " + attributionevent.Table + " (" + strings.Join(names, ", ") + ") SELECT " +
		strings.Join(values, ", ") + " FROM unnest(" + strings.Join(arrays, ", ") + ") AS e(" +
		strings.Join(aliases, ", ") + ")"
}()

// staleZoneAttempts bounds how many times a batch is built again because an organization's time zone changed
// while it was being built (visitors.StaleZone); once is the rule.
const staleZoneAttempts = 3

// storeEvents writes events on PostgreSQL in one statement, hence one round trip and one implicit transaction:
// the rows, their days in the visitors rollup (its PostgreSQL function) and the live updates' notifications.
// COPY would need a transaction of several round trips around it, and each round trip costs both processes CPU
// and every waiting request latency. The tenancy hooks of ent do not run here: every event's organization was
// resolved from its key before it was queued.
func storeEvents(ctx context.Context, db *preparedStatements, events []Event, notify func([]Event) (string, []string, error), wait bool) error {
	args, err := eventArgs(events)
	if err != nil {
		return err
	}
	statement := "WITH stored AS (" + insertEventsSQL + ") SELECT "
	var channel string
	var payloads []string
	if notify != nil {
		if channel, payloads, err = notify(events); err != nil {
			return err
		}
	}
	for attempt := 1; ; attempt++ {
		call, err := visitors.PostgresCall(ctx, db.db, touches(events), len(args)+1, wait)
		if err != nil {
			return err
		}
		query := statement + call.SQL
		all := append(slices.Clip(args), call.Args...)
		if len(payloads) > 0 {
			n := len(all)
			query += fmt.Sprintf(", (SELECT count(*) FROM (SELECT pg_notify($%d, p) FROM unnest($%d::text[]) AS p) AS n)", n+1, n+2)
			all = append(all, channel, pq.Array(payloads))
		}
		err = db.exec(ctx, query, all...)
		if err == nil {
			call.Recorded.Remember()
			return nil
		}
		if !visitors.StaleZone(err) || attempt == staleZoneAttempts {
			return err
		}
		visitors.ForgetZones()
	}
}

// preparedStatements runs statements prepared once per connection: lib/pq prepares a statement run with
// arguments in a round trip of its own each time, and PostgreSQL parses and plans it again each time.
type preparedStatements struct {
	db    *sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt // by query; storeEvents has two
}

func (p *preparedStatements) exec(ctx context.Context, query string, args ...any) error {
	p.mu.Lock()
	stmt, ok := p.stmts[query]
	if !ok {
		var err error
		if stmt, err = p.db.PrepareContext(ctx, query); err != nil {
			p.mu.Unlock()
			return err
		}
		p.stmts[query] = stmt
	}
	p.mu.Unlock()
	_, err := stmt.ExecContext(ctx, args...)
	return err
}

func (p *preparedStatements) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for q, stmt := range p.stmts {
		errs = append(errs, stmt.Close())
		delete(p.stmts, q)
	}
	return errors.Join(errs...)
}

// eventArgs are the arrays of insertEventsSQL, one per column.
func eventArgs(events []Event) ([]any, error) {
	cols := make([]pq.StringArray, len(eventColumns))
	for i := range cols {
		cols[i] = make(pq.StringArray, len(events))
	}
	for j, e := range events {
		var value, meta string
		if e.Value != nil {
			value = strconv.FormatInt(*e.Value, 10)
		}
		if e.Metadata != nil {
			b, err := json.Marshal(e.Metadata)
			if err != nil {
				return nil, err
			}
			meta = string(b)
		}
		for i, v := range [...]string{e.ID, e.OrgID, e.VisitorID, e.SessionID, e.UserID, e.EventType, value,
			e.Currency, e.Channel.Source, e.Channel.Medium, e.Channel.Campaign, e.Channel.Term, e.Channel.Content,
			e.GCLID, e.FBCLID, e.Referrer, e.URL, e.Title, e.Screen, e.Language, meta, e.IPHash, e.CreatedAt.UTC().Format(time.RFC3339Nano)} {
			cols[i][j] = v
		}
	}
	args := make([]any, len(cols))
	for i, c := range cols {
		args[i] = c
	}
	return args, nil
}

// sqliteChunk keeps a multi-row INSERT under SQLite's limit of bound variables.
const sqliteChunk = 400

// insertEvents writes events with multi-row INSERTs in one transaction, as the system (see storeEvents).
func insertEvents(ctx context.Context, client *ent.Client, events []Event) error {
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
	return tx.Commit()
}

// CreateBuilder returns the ent builder that stores e. Empty strings are stored as NULL, as storeEvents does.
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
		SetNillableTitle(nonEmpty(e.Title)).
		SetNillableScreen(nonEmpty(e.Screen)).
		SetNillableLanguage(nonEmpty(e.Language)).
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
