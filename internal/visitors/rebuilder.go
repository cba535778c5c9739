package visitors

import (
	"context"
	stdsql "database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/dailyvisitors"
	"github.com/marketingos/marketingos/ent/jobrun"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/ent/visitorday"
	"github.com/marketingos/marketingos/internal/viewer"
)

// JobName is the job of the JobRun that records each background rebuild: one run per organization and
// generation, RUNNING until the new rows are complete and the old ones deleted, with its progress in its stats.
const JobName = "visitors-rebuild"

// errSuperseded means the organization's time zone changed again during a rebuild: its generation is not the
// current one any more.
var errSuperseded = errors.New("visitors: superseded by a later time zone change")

// RebuilderOptions tune a Rebuilder. The zero value is the default.
type RebuilderOptions struct {
	// ChunkTime is how long each chunk's transaction should take: chunks of visitors are sized to it, within
	// bounds. On PostgreSQL only tracking writes to the chunk's visitors wait for it (default 50ms); on SQLite
	// every write does (default 20ms).
	ChunkTime time.Duration
	// Rest is the pause after each chunk, as a multiple of the chunk's time (default 1 on SQLite, whose single
	// writer the tracking writer must get between chunks; 0.25 on PostgreSQL, where writers run beside it).
	Rest float64
	// Rescan is how often it looks for work it was not woken for: a change made by another instance that died,
	// a rebuild that failed (default one minute).
	Rescan time.Duration

	// afterChunk, when set (tests), runs after each chunk committed; an error stops the rebuild there, as a
	// process that dies would.
	afterChunk func(ctx context.Context, org string, chunk int) error
	// chunkEvents, when set (tests), is the number of events of every chunk instead of one sized to ChunkTime.
	chunkEvents int
}

// Rebuilder rebuilds, in the background, the rollup generations that time zone changes start (see
// NewGenerationOnTimezoneChange). For each organization to rebuild it reads the events a chunk of visitors at a
// time and records each chunk's visitor days in the new generation in a short transaction of its own, as the
// tracking writer records new days (the same function on PostgreSQL): a day already there is skipped, a missing
// one counted, so that the events tracked meanwhile, which their writers record in the new generation, are
// counted once. When all of its visitors are done it marks the generation complete, from which point the
// dashboard reads it, and deletes the rows of the older generations, in chunks too.
//
// Each rebuild is a JobRun (JobName). It resumes where it stopped when the process stopped; a second change of
// the zone during a rebuild ends it (FAILED, superseded) and starts the new zone's. On PostgreSQL an advisory lock
// keeps two instances from rebuilding one organization at once.
type Rebuilder struct {
	db      *stdsql.DB
	client  *ent.Client
	dialect string
	log     *slog.Logger
	opts    RebuilderOptions
	wake    chan struct{}
	locks   orgLocks

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// NewRebuilder returns a Rebuilder of the rollups in db (whose ent client is client). Start runs it in the
// background; Pass runs it once.
func NewRebuilder(db *stdsql.DB, client *ent.Client, dia string, log *slog.Logger, opts RebuilderOptions) *Rebuilder {
	if opts.ChunkTime <= 0 {
		opts.ChunkTime = 20 * time.Millisecond
		if dia == dialect.Postgres {
			opts.ChunkTime = 50 * time.Millisecond
		}
	}
	if opts.Rest <= 0 {
		opts.Rest = 0.25
		if dia != dialect.Postgres {
			opts.Rest = 1
		}
	}
	if opts.Rescan <= 0 {
		opts.Rescan = time.Minute
	}
	r := &Rebuilder{db: db, client: client, dialect: dia, log: log, opts: opts, wake: make(chan struct{}, 1)}
	if dia == dialect.Postgres {
		r.locks = &advisoryLocks{db: db}
	} else {
		r.locks = &localLocks{held: map[string]bool{}}
	}
	return r
}

// Start runs the Rebuilder in a goroutine until Close: at once, whenever a time zone change of this process
// commits, and every Rescan.
func (r *Rebuilder) Start() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.done = cancel, make(chan struct{})
	register(r)
	go r.run(ctx, r.done)
}

// Close stops the Rebuilder and waits for it, or until ctx ends. A rebuild it stops resumes at the next Start.
func (r *Rebuilder) Close(ctx context.Context) error {
	r.mu.Lock()
	cancel, done := r.cancel, r.done
	r.mu.Unlock()
	if done == nil {
		return nil
	}
	unregister(r)
	cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("visitors: rebuilder did not stop: %w", ctx.Err())
	}
}

func (r *Rebuilder) run(ctx context.Context, done chan struct{}) {
	defer close(done)
	tick := time.NewTicker(r.opts.Rescan)
	defer tick.Stop()
	for {
		if err := r.Pass(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("visitors: rebuild failed; retried at the next rescan", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-tick.C:
		}
	}
}

// Pass rebuilds, one after the other, every organization whose rollup is being rebuilt or has a JobRun left
// RUNNING, and returns when they are done (or ctx ends). An organization that another instance is rebuilding is
// skipped.
func (r *Rebuilder) Pass(ctx context.Context) error {
	sys := viewer.SystemContext(ctx)
	orgs, err := r.client.Organization.Query().Where(organization.VisitorsRebuilding(true)).IDs(sys)
	if err != nil {
		return fmt.Errorf("visitors: organizations to rebuild: %w", err)
	}
	left, err := r.client.JobRun.Query().
		Where(jobrun.Job(JobName), jobrun.StatusEQ(jobrun.StatusRUNNING), jobrun.OrganizationIDNotNil()).
		Select(jobrun.FieldOrganizationID).Strings(sys)
	if err != nil {
		return fmt.Errorf("visitors: rebuilds left running: %w", err)
	}
	seen := map[string]bool{}
	var errs []error
	for _, org := range append(orgs, left...) {
		if seen[org] {
			continue
		}
		seen[org] = true
		if err := r.rebuild(ctx, org); err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}

// rebuild brings org's rollup to its current generation, under org's lock.
func (r *Rebuilder) rebuild(ctx context.Context, org string) error {
	unlock, ok, err := r.locks.tryLock(ctx, org)
	if err != nil || !ok {
		return err
	}
	defer unlock()
	// Each time the zone changes again meanwhile, the rebuild starts over in the new generation.
	for {
		err := r.rebuildGeneration(ctx, org)
		if !errors.Is(err, errSuperseded) {
			return err
		}
	}
}

// progress is what a run's stats hold.
type progress struct {
	Generation int64  `json:"generation"`
	Zone       string `json:"zone"`
	After      string `json:"after"`    // the last visitor done, in id order
	Complete   bool   `json:"complete"` // all visitors done; the older generations' rows are being deleted
	Visitors   int64  `json:"visitors"`
	Events     int64  `json:"events"`
	Days       int64  `json:"days"` // visitor days the rebuild added (those the writers had not)
	Chunks     int64  `json:"chunks"`
	Deleted    int64  `json:"deleted"` // rows of older generations
	Resumed    int64  `json:"resumed"` // times a new process took the run over
	Millis     int64  `json:"ms"`      // time spent, over every process that ran it
}

func (p progress) stats() map[string]any {
	return map[string]any{
		"generation": p.Generation, "zone": p.Zone, "after": p.After, "complete": p.Complete,
		"visitors": p.Visitors, "events": p.Events, "days": p.Days, "chunks": p.Chunks, "deleted": p.Deleted,
		"resumed": p.Resumed, "ms": p.Millis,
	}
}

func progressOf(run *ent.JobRun) progress {
	var p progress
	str := func(k string) string { s, _ := run.Stats[k].(string); return s }
	num := func(k string) int64 {
		switch v := run.Stats[k].(type) {
		case float64:
			return int64(v)
		case int64:
			return v
		case int:
			return int64(v)
		}
		return 0
	}
	p.Generation, p.Zone, p.After = num("generation"), str("zone"), str("after")
	p.Complete, _ = run.Stats["complete"].(bool)
	p.Visitors, p.Events, p.Days, p.Chunks = num("visitors"), num("events"), num("days"), num("chunks")
	p.Deleted, p.Resumed, p.Millis = num("deleted"), num("resumed"), num("ms")
	return p
}

// saveEvery is how often a rebuild records its progress: a process that stops redoes at most that much.
const saveEvery = time.Second

// rebuildGeneration rebuilds the rows of org's current generation, or resumes its run, then deletes the older
// generations' rows. It returns errSuperseded when the generation changed meanwhile.
func (r *Rebuilder) rebuildGeneration(ctx context.Context, org string) error {
	sys := viewer.SystemContext(ctx)
	zones, err := readZones(ctx, r.db, r.dialect, []string{org}, "")
	if err != nil {
		return err
	}
	z, exists := zones[org]
	runs, err := r.client.JobRun.Query().
		Where(jobrun.Job(JobName), jobrun.StatusEQ(jobrun.StatusRUNNING), jobrun.OrganizationID(org)).
		Order(ent.Desc(jobrun.FieldStartedAt)).All(sys)
	if err != nil {
		return fmt.Errorf("visitors: runs of %s: %w", org, err)
	}
	var run *ent.JobRun
	var p progress
	for _, old := range runs {
		if op := progressOf(old); exists && run == nil && op.Generation == z.gen {
			run, p = old, op
			continue
		}
		// A run of an older generation left by a process that stopped: the current one does its work.
		if err := r.finish(ctx, old, progressOf(old), errSuperseded); err != nil {
			return err
		}
	}
	if !exists || (!z.rebuilding && run == nil) {
		return nil
	}
	if run == nil {
		p = progress{Generation: z.gen, Zone: z.name}
		// After a run of this generation that failed (a database error), the next one goes on from where it
		// stopped: the chunks it committed are done.
		last, err := r.client.JobRun.Query().Where(jobrun.Job(JobName), jobrun.OrganizationID(org)).
			Order(ent.Desc(jobrun.FieldStartedAt)).First(sys)
		if err != nil && !ent.IsNotFound(err) {
			return fmt.Errorf("visitors: runs of %s: %w", org, err)
		}
		if lp := (progress{}); last != nil && last.Status == jobrun.StatusFAILED {
			if lp = progressOf(last); lp.Generation == z.gen && lp.Zone == z.name {
				p = lp
				p.Resumed++
			}
		}
		run, err = r.client.JobRun.Create().SetOrganizationID(org).SetJob(JobName).SetTrigger(jobrun.TriggerMANUAL).
			SetStatus(jobrun.StatusRUNNING).SetStats(p.stats()).Save(sys)
		if err != nil {
			return fmt.Errorf("visitors: record the rebuild of %s: %w", org, err)
		}
		r.log.Info("visitors: rebuild started", "org", org, "zone", z.name, "generation", z.gen, "run", run.ID)
	} else {
		p.Resumed++
		r.log.Info("visitors: rebuild resumed", "org", org, "zone", z.name, "generation", z.gen, "run", run.ID, "after", p.After)
	}
	err = r.rebuildRows(ctx, run, org, z, &p)
	if err == nil {
		err = r.deleteOlder(ctx, org, z.gen, &p)
	}
	if ctx.Err() != nil {
		// Stopping: the run stays RUNNING, with its progress (the chunks committed), to be resumed.
		return errors.Join(err, r.save(run, p))
	}
	return errors.Join(err, r.finish(ctx, run, p, err))
}

// rebuildRows records the visitor days of org's events in z's generation, chunk by chunk from p.After, then marks
// the generation complete.
func (r *Rebuilder) rebuildRows(ctx context.Context, run *ent.JobRun, org string, z zone, p *progress) error {
	if p.Complete {
		return nil
	}
	start, saved := time.Now(), time.Now()
	defer func() { p.Millis += time.Since(start).Milliseconds() }()
	size := 1000 // events per chunk, adjusted to ChunkTime
	if r.opts.chunkEvents > 0 {
		size = r.opts.chunkEvents
	}
	for {
		c, err := nextChunk(ctx, r.db, r.dialect, org, p.After, size)
		if err != nil {
			return err
		}
		if c.visitors == 0 {
			break
		}
		added, took, err := r.recordChunk(ctx, org, z, c.touches)
		for attempt := 1; transient(err) && attempt < chunkAttempts; attempt++ {
			r.log.Warn("visitors: rebuild chunk failed; retried", "org", org, "attempt", attempt, "err", err)
			if err := rest(ctx, time.Duration(attempt)*100*time.Millisecond); err != nil {
				return err
			}
			added, took, err = r.recordChunk(ctx, org, z, c.touches)
		}
		if err != nil {
			return err
		}
		p.After = c.last
		p.Visitors += int64(c.visitors)
		p.Events += int64(c.events)
		p.Days += int64(added)
		p.Chunks++
		if r.opts.afterChunk != nil {
			if err := r.opts.afterChunk(ctx, org, int(p.Chunks)); err != nil {
				return err
			}
		}
		if time.Since(saved) >= saveEvery {
			p.Millis += time.Since(start).Milliseconds()
			start, saved = time.Now(), time.Now()
			if err := r.save(run, *p); err != nil {
				return err
			}
		}
		if r.opts.chunkEvents == 0 {
			size = nextSize(size, took, r.opts.ChunkTime)
		}
		if err := rest(ctx, time.Duration(float64(took)*r.opts.Rest)); err != nil {
			return err
		}
	}
	// Complete: from now on Count reads the generation. Unless the zone changed again meanwhile.
	query, args := sql.Dialect(r.dialect).Update(organization.Table).Set(organization.FieldVisitorsRebuilding, false).
		Where(sql.And(sql.EQ(organization.FieldID, org), sql.EQ(organization.FieldVisitorsGeneration, z.gen))).Query()
	res, err := r.db.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("visitors: complete the rebuild of %s: %w", org, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(err, errSuperseded)
	}
	p.Complete = true
	return r.save(run, *p)
}

// chunkAttempts bounds how many times a chunk is tried when it fails for a reason that may go away.
const chunkAttempts = 3

// transient reports whether err may not happen again: PostgreSQL's deadlock, serialization failure or lock
// timeout, SQLite's busy database.
func transient(err error) bool {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return pqErr.Code.Class() == "40" || pqErr.Code == "55P03"
	}
	return err != nil && (strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "database is locked"))
}

// Chunk sizes, in events: a chunk holds the events of whole visitors, and at most maxVisitors of them, each of
// which its transaction holds an advisory lock on (PostgreSQL's lock table is shared by every session and holds
// max_locks_per_transaction × max_connections locks, 6,400 by default).
const (
	minChunk    = 50
	maxChunk    = 20000
	maxVisitors = 500
)

// nextSize is the next chunk's number of events, for a chunk of size that took took, aiming at target.
func nextSize(size int, took, target time.Duration) int {
	next := size * 2
	if took > 0 {
		next = int(float64(size) * float64(target) / float64(took))
	}
	return max(minChunk, min(maxChunk, size*2, max(size/2, next)))
}

// rest waits d, or until ctx ends.
func rest(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// chunk is the events of some visitors, whole.
type chunk struct {
	touches          []Touch
	last             string // the last visitor, in id order
	visitors, events int
}

// nextChunk reads the events of the visitors of org after the visitor after, in id order: about size events, of
// whole visitors (all the events of one visitor that has more), at most maxVisitors.
func nextChunk(ctx context.Context, db ExecQuerier, dia, org, after string, size int) (chunk, error) {
	read := func(where *sql.Predicate, limit int) ([]Touch, error) {
		s := sql.Dialect(dia).
			Select(attributionevent.FieldVisitorID, attributionevent.FieldEventType, attributionevent.FieldCreatedAt).
			From(sql.Table(attributionevent.Table)).
			Where(sql.And(sql.EQ(attributionevent.FieldOrganizationID, org), where)).
			// In the order of the (organization, visitor, created_at) index, which the read walks.
			OrderBy(attributionevent.FieldVisitorID)
		if limit > 0 {
			s.Limit(limit)
		}
		return touchesOf(ctx, db, org, s)
	}
	rows, err := read(sql.GT(attributionevent.FieldVisitorID, after), size)
	if err != nil || len(rows) == 0 {
		return chunk{}, err
	}
	// Whole visitors only: the last one's events may go on past the limit.
	end, visitors := len(rows), 0
	for i := range rows {
		if i == 0 || rows[i].VisitorID != rows[i-1].VisitorID {
			if visitors == maxVisitors {
				end = i
				break
			}
			visitors++
		}
	}
	if end == len(rows) && len(rows) == size {
		for end > 0 && rows[end-1].VisitorID == rows[len(rows)-1].VisitorID {
			end--
		}
		if end == 0 { // one visitor with more events than the chunk: all of them
			if rows, err = read(sql.EQ(attributionevent.FieldVisitorID, rows[0].VisitorID), 0); err != nil {
				return chunk{}, err
			}
			end = len(rows)
		}
	}
	c := chunk{last: rows[end-1].VisitorID, events: end}
	for i, t := range rows[:end] {
		if i == 0 || t.VisitorID != rows[i-1].VisitorID {
			c.visitors++
		}
		if t.Kind != "" {
			c.touches = append(c.touches, t)
		}
	}
	return c, nil
}

// touchesOf returns the touches of the events of org that s reads (visitor, type, time), in its order; a refund,
// which is not a visitor's activity, has no Kind.
func touchesOf(ctx context.Context, db ExecQuerier, org string, s *sql.Selector) ([]Touch, error) {
	query, args, err := queryOf(s)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("visitors: read events: %w", err)
	}
	defer rows.Close()
	var out []Touch
	for rows.Next() {
		t := Touch{OrgID: org}
		var eventType string
		if err := rows.Scan(&t.VisitorID, &eventType, &t.At); err != nil {
			return nil, err
		}
		t.Kind, _ = KindOf(eventType)
		out = append(out, t)
	}
	return out, rows.Err()
}

// recordChunk records touches (a chunk of org's visitors, all of their events) in z's generation, in a
// transaction of its own, and returns how many visitor days were new and how long the transaction took (on
// SQLite, from the moment it had the database). It returns errSuperseded when org's generation is no longer z's.
func (r *Rebuilder) recordChunk(ctx context.Context, org string, z zone, touches []Touch) (int, time.Duration, error) {
	fresh, first, _, err := plan(touches, map[string]zone{org: z})
	if err != nil || len(fresh) == 0 {
		return 0, 0, err
	}
	start := time.Now()
	if r.dialect == dialect.Postgres {
		args := functionArgs(map[string]zone{org: z}, fresh, first, true)
		// One statement, so one implicit transaction, that checks the generation under KEY SHARE as the
		// writers' statements do, and takes its locks in their order (postgres.sql).
		var added int
		err := r.db.QueryRowContext(ctx, "SELECT "+callSQL(1), args...).Scan(&added)
		if StaleZone(err) {
			return 0, 0, errSuperseded
		}
		if err != nil {
			return 0, 0, fmt.Errorf("visitors: rebuild %s: %w", org, err)
		}
		return added, time.Since(start), nil
	}
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("visitors: rebuild %s: %w", org, err)
	}
	start = time.Now()
	added, err := func() (int, error) {
		now, err := readZones(ctx, tx, r.dialect, []string{org}, "")
		if err != nil {
			return 0, err
		}
		if cur, ok := now[org]; !ok || cur.gen != z.gen {
			return 0, errSuperseded
		}
		added, err := insertDays(ctx, tx, r.dialect, fresh)
		if err != nil {
			return 0, err
		}
		return len(added), addDays(ctx, tx, r.dialect, org, z.gen, added, first)
	}()
	if err != nil {
		return 0, 0, errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("visitors: rebuild %s: %w", org, err)
	}
	return added, time.Since(start), nil
}

// deleteChunk is how many rows of an older generation one statement deletes.
const deleteChunk = 5000

// deleteOlder deletes the rows of org's generations older than gen, which nothing reads or writes any more, a
// chunk at a time.
func (r *Rebuilder) deleteOlder(ctx context.Context, org string, gen int64, p *progress) error {
	start := time.Now()
	defer func() { p.Millis += time.Since(start).Milliseconds() }()
	for _, t := range []struct{ table, id, org, gen string }{
		{visitorday.Table, visitorday.FieldID, visitorday.FieldOrganizationID, visitorday.FieldGeneration},
		{dailyvisitors.Table, dailyvisitors.FieldID, dailyvisitors.FieldOrganizationID, dailyvisitors.FieldGeneration},
	} {
		for {
			b := sql.Dialect(r.dialect)
			query, args := b.Delete(t.table).Where(sql.In(t.id, b.Select(t.id).From(sql.Table(t.table)).
				Where(sql.And(sql.EQ(t.org, org), sql.LT(t.gen, gen))).Limit(deleteChunk))).Query()
			began := time.Now()
			res, err := r.db.ExecContext(ctx, query, args...)
			if err != nil {
				return fmt.Errorf("visitors: delete the older rows of %s: %w", org, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			p.Deleted += n
			if n < deleteChunk {
				break
			}
			if err := rest(ctx, time.Duration(float64(time.Since(began))*r.opts.Rest)); err != nil {
				return err
			}
		}
	}
	return nil
}

// save records p in run's stats. It does not use the run's context: a rebuild that stops saves its progress.
func (r *Rebuilder) save(run *ent.JobRun, p progress) error {
	ctx, cancel := context.WithTimeout(viewer.SystemContext(context.Background()), 10*time.Second)
	defer cancel()
	if err := r.client.JobRun.UpdateOneID(run.ID).SetStats(p.stats()).Exec(ctx); err != nil {
		return fmt.Errorf("visitors: record the progress of %s: %w", run.ID, err)
	}
	return nil
}

// finish records the end of run: SUCCEEDED without err, FAILED with it.
func (r *Rebuilder) finish(ctx context.Context, run *ent.JobRun, p progress, err error) error {
	rec, cancel := context.WithTimeout(viewer.SystemContext(context.WithoutCancel(ctx)), 10*time.Second)
	defer cancel()
	u := r.client.JobRun.UpdateOneID(run.ID).SetStats(p.stats()).SetFinishedAt(time.Now())
	if err != nil {
		msg := err.Error()
		if len(msg) > 4000 {
			msg = msg[:4000]
		}
		u.SetStatus(jobrun.StatusFAILED).SetError(msg)
		r.log.Warn("visitors: rebuild ended", "org", orgOf(run), "run", run.ID, "generation", p.Generation, "err", err)
	} else {
		u.SetStatus(jobrun.StatusSUCCEEDED)
		r.log.Info("visitors: rebuild finished", "org", orgOf(run), "run", run.ID, "zone", p.Zone, "generation", p.Generation,
			"visitors", p.Visitors, "events", p.Events, "days", p.Days, "chunks", p.Chunks, "deleted", p.Deleted,
			"ms", p.Millis)
	}
	if err := u.Exec(rec); err != nil {
		return fmt.Errorf("visitors: record the end of %s: %w", run.ID, err)
	}
	return nil
}

func orgOf(run *ent.JobRun) string {
	if run.OrganizationID == nil {
		return ""
	}
	return *run.OrganizationID
}

// orgLocks keeps two rebuilds of one organization from running at once.
type orgLocks interface {
	tryLock(ctx context.Context, org string) (unlock func(), ok bool, err error)
}

// localLocks are in-process, for SQLite, whose file serves a single instance.
type localLocks struct {
	mu   sync.Mutex
	held map[string]bool
}

func (l *localLocks) tryLock(_ context.Context, org string) (func(), bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held[org] {
		return nil, false, nil
	}
	l.held[org] = true
	return func() {
		l.mu.Lock()
		delete(l.held, org)
		l.mu.Unlock()
	}, true, nil
}

// advisoryLocks are PostgreSQL session advisory locks, which every instance sees, each held on a connection set
// aside from the pool for as long as the rebuild runs.
type advisoryLocks struct{ db *stdsql.DB }

func (l *advisoryLocks) tryLock(ctx context.Context, org string) (func(), bool, error) {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("visitors: lock connection: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("marketingos/visitors-rebuild/" + org))
	key := int64(h.Sum64())
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&ok); err != nil {
		discard(conn) // the lock may have been granted before the error: only ending the session is sure
		return nil, false, fmt.Errorf("visitors: lock the rebuild of %s: %w", org, err)
	}
	if !ok {
		_ = conn.Close()
		return nil, false, nil
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", key); err != nil {
			discard(conn)
			return
		}
		_ = conn.Close()
	}, true, nil
}

// discard closes conn's session instead of returning it to the pool, which releases its advisory locks.
func discard(conn *stdsql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = conn.Close()
}

// The running Rebuilders of the process, which a committed time zone change wakes.
var rebuilders = struct {
	mu  sync.Mutex
	set map[*Rebuilder]struct{}
}{set: map[*Rebuilder]struct{}{}}

func register(r *Rebuilder) {
	rebuilders.mu.Lock()
	rebuilders.set[r] = struct{}{}
	rebuilders.mu.Unlock()
}

func unregister(r *Rebuilder) {
	rebuilders.mu.Lock()
	delete(rebuilders.set, r)
	rebuilders.mu.Unlock()
}

// wakeRebuilders makes every running Rebuilder look for work (each looks in its own database).
func wakeRebuilders() {
	rebuilders.mu.Lock()
	defer rebuilders.mu.Unlock()
	for r := range rebuilders.set {
		select {
		case r.wake <- struct{}{}:
		default:
		}
	}
}
