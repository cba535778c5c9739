package visitors

import (
	"cmp"
	"context"
	stdsql "database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/marketingos/marketingos/ent/dailyvisitors"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/ent/visitorday"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/period"
)

// Kinds of activity, as the rollup's tables name them.
const (
	Visit    = string(visitorday.KindVISIT)    // any event but a purchase or a refund
	Purchase = string(visitorday.KindPURCHASE) // a purchase
)

// noDay is the prev_day of a visitor's first active day: a date before any event rather than NULL, so that the
// unique key of daily_visitors covers first days too.
var noDay = time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)

// ErrUnknownOrganization means a touch or a rebuild names an organization that does not exist.
var ErrUnknownOrganization = errors.New("visitors: unknown organization")

// KindOf returns the kind of activity an event type is. A refund is none: it is the payment provider's doing,
// not the visitor's.
func KindOf(eventType string) (kind string, ok bool) {
	switch eventType {
	case attribution.RefundEvent:
		return "", false
	case attribution.PurchaseEvent:
		return Purchase, true
	}
	return Visit, true
}

// Touch is a visitor's activity at an instant: what one stored event contributes.
type Touch struct {
	OrgID     string
	Kind      string // Visit or Purchase
	VisitorID string
	At        time.Time
	// First says the visitor id was minted for this very event, so the visitor has no other day: its day is
	// counted without locking or reading the visitor's days. Only the code that minted the id may set it.
	First bool
}

// ExecQuerier runs statements in the caller's transaction: a *sql.Tx, an *ent.Tx, or an *ent.Client bound to a
// transaction (ent's sql/execquery feature gives both the methods).
type ExecQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error)
}

// Recorded is what one Record call saw. Its visitor days are all in the database once the caller's transaction
// has committed; Commit (or Remember, after a commit made otherwise) lets later calls skip them without a query.
// Never calling either only costs those queries.
type Recorded struct{ seen []cacheKey }

// Commit runs commit, the caller's transaction's, and remembers the visitor days once it succeeded. Remembering
// them before would be wrong: a rolled-back day would be skipped for good.
func (r Recorded) Commit(commit func() error) error {
	if err := commit(); err != nil {
		return err
	}
	r.Remember()
	return nil
}

// Remember marks the visitor days as stored. Call it only after the transaction committed.
func (r Recorded) Remember() {
	for _, k := range r.seen {
		known.Add(k, struct{}{})
	}
}

// knownDays is how many committed visitor days the process remembers: about 100 bytes each. A busy day's
// returning visitors fit; the others cost one conflicting insert each.
const knownDays = 1 << 17

// known holds visitor days committed earlier (see Recorded). The key includes the generation of the rollup the day
// was stored in (and its time zone), so that a time zone change, which starts a new generation, makes the old
// entries unreachable rather than wrong. Only the rows of past generations are ever deleted, so an entry stays
// true.
var known = func() *lru.Cache[cacheKey, struct{}] {
	c, err := lru.New[cacheKey, struct{}](knownDays)
	if err != nil {
		panic(err)
	}
	return c
}()

// cacheKey is a 128-bit hash of a visitor day and its time zone: a collision would need 2^64 entries.
type cacheKey [16]byte

// dayKey is a row of visitor_days.
type dayKey struct {
	org           string
	gen           int64 // the organization's generation of the rollup
	kind, visitor string
	day           time.Time // midnight UTC of the local date
}

func (k dayKey) cacheKey(zone string) cacheKey {
	h := fnv.New128a()
	for _, s := range []string{k.org, strconv.FormatInt(k.gen, 10), zone, k.kind, k.visitor, k.day.Format(time.DateOnly)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	var out cacheKey
	h.Sum(out[:0])
	return out
}

func compareDayKeys(a, b dayKey) int {
	return cmp.Or(strings.Compare(a.org, b.org), cmp.Compare(a.gen, b.gen), strings.Compare(a.kind, b.kind),
		strings.Compare(a.visitor, b.visitor), a.day.Compare(b.day))
}

// histKey is a row of daily_visitors, within an organization.
type histKey struct {
	kind      string
	day, prev time.Time
}

func compareHistKeys(a, b histKey) int {
	return cmp.Or(strings.Compare(a.kind, b.kind), a.day.Compare(b.day), a.prev.Compare(b.prev))
}

// Record adds touches to the rollup, in the caller's transaction tx (dia is dialect.Postgres or dialect.SQLite):
// call it after the events are stored and before the commit, and commit through the returned Recorded. Touches
// may span organizations, repeat, and arrive in any order of time.
//
// On PostgreSQL the rollup's function (postgres.sql) writes the new days, in one statement; elsewhere this
// package does, in Go (SQLite runs one writing transaction at a time). On PostgreSQL the transaction holds, until
// it ends, a KEY SHARE lock on the touches' organizations and an advisory lock on each visitor that gained a day:
// concurrent transactions adding days to the same visitor run that part one after the other. Record a
// transaction's touches in one call where possible: a second call inserts while holding the first one's locks,
// and two transactions doing so can deadlock (PostgreSQL then aborts one of them).
func Record(ctx context.Context, tx ExecQuerier, dia string, touches []Touch) (Recorded, error) {
	if len(touches) == 0 {
		return Recorded{}, nil
	}
	orgs, err := orgsOf(touches)
	if err != nil {
		return Recorded{}, err
	}
	zones, err := readZones(ctx, tx, dia, orgs, sql.LockKeyShare)
	if err != nil {
		return Recorded{}, err
	}
	fresh, first, rec, err := plan(touches, zones)
	if err != nil || len(fresh) == 0 {
		return rec, err
	}
	if dia == dialect.Postgres {
		return rec, recordPostgres(ctx, tx, zones, fresh, first)
	}
	added, err := insertDays(ctx, tx, dia, fresh)
	if err != nil {
		return Recorded{}, err
	}
	for _, org := range sortedOrgs(added) {
		if err := addDays(ctx, tx, dia, org, zones[org].gen, added, first); err != nil {
			return Recorded{}, err
		}
	}
	return rec, nil
}

// orgsOf checks touches' kinds and returns their organizations.
func orgsOf(touches []Touch) ([]string, error) {
	orgs := make([]string, 0, 1)
	for _, t := range touches {
		if t.Kind != Visit && t.Kind != Purchase {
			return nil, fmt.Errorf("visitors: unknown kind %q", t.Kind)
		}
		orgs = append(orgs, t.OrgID)
	}
	slices.Sort(orgs)
	return slices.Compact(orgs), nil
}

// plan returns the visitor days of touches in zones that the cache of committed days does not know (sorted, in
// one order for every transaction, so that two batches waiting on each other's uncommitted rows of the unique
// index cannot deadlock), which of them are a minted visitor's first, and what to remember after the commit.
func plan(touches []Touch, zones map[string]zone) (fresh []dayKey, first map[dayKey]bool, rec Recorded, err error) {
	first = map[dayKey]bool{}
	seen := make(map[dayKey]struct{}, len(touches))
	for _, t := range touches {
		z, ok := zones[t.OrgID]
		if !ok {
			return nil, nil, Recorded{}, fmt.Errorf("%w: %q", ErrUnknownOrganization, t.OrgID)
		}
		k := dayKey{org: t.OrgID, gen: z.gen, kind: t.Kind, visitor: t.VisitorID, day: localDay(t.At, z.loc)}
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		ck := k.cacheKey(z.name)
		rec.seen = append(rec.seen, ck)
		if !known.Contains(ck) {
			fresh = append(fresh, k)
			if t.First {
				first[k] = true
			}
		}
	}
	slices.SortFunc(fresh, compareDayKeys)
	return fresh, first, rec, nil
}

// zone is an organization's time zone, with the generation of its rollup that the days of that zone go to, and
// whether that generation is being rebuilt.
type zone struct {
	name       string
	loc        *time.Location
	gen        int64
	rebuilding bool
}

// readZones reads the time zones of orgs, locked with lock on PostgreSQL (none when lock is "").
func readZones(ctx context.Context, tx ExecQuerier, dia string, orgs []string, lock sql.LockStrength) (map[string]zone, error) {
	slices.Sort(orgs)
	orgs = slices.Compact(orgs)
	ids := make([]any, len(orgs))
	for i, o := range orgs {
		ids[i] = o
	}
	s := sql.Dialect(dia).Select(organization.FieldID, organization.FieldTimezone, organization.FieldVisitorsGeneration,
		organization.FieldVisitorsRebuilding).
		From(sql.Table(organization.Table)).
		Where(sql.In(organization.FieldID, ids...)).
		OrderBy(organization.FieldID)
	if dia == dialect.Postgres && lock != "" {
		s.For(lock)
	}
	query, args, err := queryOf(s)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("visitors: time zones: %w", err)
	}
	defer rows.Close()
	out := make(map[string]zone, len(orgs))
	for rows.Next() {
		var id, name string
		var z zone
		if err := rows.Scan(&id, &name, &z.gen, &z.rebuilding); err != nil {
			return nil, err
		}
		z.name, z.loc = name, period.Location(name)
		out[id] = z
	}
	return out, rows.Err()
}

// localDay is midnight UTC of at's calendar date in loc: the rollup's day, and CampaignMetric's.
func localDay(at time.Time, loc *time.Location) time.Time {
	y, m, d := at.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// insertChunk bounds the rows of one INSERT (six or seven placeholders each): SQLite and lib/pq both accept them.
const insertChunk = 500

// insertDays stores keys in visitor_days and returns those that were not there yet. A key stored by a concurrent
// transaction that has not committed makes PostgreSQL wait for it: a duplicate if it commits, new if it rolls back.
func insertDays(ctx context.Context, tx ExecQuerier, dia string, keys []dayKey) ([]dayKey, error) {
	var added []dayKey
	for chunk := range slices.Chunk(keys, insertChunk) {
		byID := make(map[string]dayKey, len(chunk))
		ins := sql.Dialect(dia).Insert(visitorday.Table).Columns(visitorday.FieldID, visitorday.FieldOrganizationID,
			visitorday.FieldGeneration, visitorday.FieldKind, visitorday.FieldVisitorID, visitorday.FieldDay)
		for _, k := range chunk {
			id := visitorday.DefaultID()
			byID[id] = k
			ins.Values(id, k.org, k.gen, k.kind, k.visitor, k.day)
		}
		ins.OnConflict(sql.ConflictColumns(visitorday.FieldOrganizationID, visitorday.FieldGeneration,
			visitorday.FieldKind, visitorday.FieldVisitorID, visitorday.FieldDay), sql.DoNothing()).
			Returning(visitorday.FieldID)
		ids, err := queryStrings(ctx, tx, ins)
		if err != nil {
			return nil, fmt.Errorf("visitors: store visitor days: %w", err)
		}
		for _, id := range ids {
			added = append(added, byID[id])
		}
	}
	return added, nil
}

// addDays adds to the histogram of org's generation gen the change that its new visitor days (among added) make.
// It reads the visitors' other days without locking them: SQLite runs one writing transaction at a time
// (PostgreSQL uses postgres.sql).
func addDays(ctx context.Context, tx ExecQuerier, dia, org string, gen int64, added []dayKey, first map[dayKey]bool) error {
	type visitorKind struct{ kind, visitor string }
	fresh := map[visitorKind]map[time.Time]bool{}
	ids := map[string][]string{} // by kind
	delta := map[histKey]int64{}
	for _, k := range added {
		if k.org != org {
			continue
		}
		if first[k] {
			delta[histKey{k.kind, k.day, noDay}]++ // a new visitor's only day
			continue
		}
		vk := visitorKind{k.kind, k.visitor}
		if fresh[vk] == nil {
			fresh[vk] = map[time.Time]bool{}
			ids[k.kind] = append(ids[k.kind], k.visitor)
		}
		fresh[vk][k.day] = true
	}
	all := make(map[visitorKind][]time.Time, len(fresh))
	for kind, visitors := range ids {
		for chunk := range slices.Chunk(visitors, insertChunk) {
			err := loadDays(ctx, tx, dia, org, gen, kind, chunk, func(visitor string, day time.Time) {
				vk := visitorKind{kind, visitor}
				all[vk] = append(all[vk], day)
			})
			if err != nil {
				return err
			}
		}
	}
	for vk, days := range all {
		slices.SortFunc(days, time.Time.Compare)
		count(delta, vk.kind, days, 1)
		count(delta, vk.kind, slices.DeleteFunc(slices.Clone(days), func(d time.Time) bool { return fresh[vk][d] }), -1)
	}
	return addHistogram(ctx, tx, dia, org, gen, delta)
}

// loadDays calls fn with every stored day of kind of org's visitors ids in generation gen. The generation and the
// kind are part of the condition so that the unique (organization, generation, kind, visitor, day) index finds
// each visitor instead of filtering all of the organization's rows.
func loadDays(ctx context.Context, tx ExecQuerier, dia, org string, gen int64, kind string, ids []string, fn func(visitor string, day time.Time)) error {
	in := make([]any, len(ids))
	for i, id := range ids {
		in[i] = id
	}
	query, args, err := queryOf(sql.Dialect(dia).
		Select(visitorday.FieldVisitorID, visitorday.FieldDay).
		From(sql.Table(visitorday.Table)).
		Where(sql.And(
			sql.EQ(visitorday.FieldOrganizationID, org),
			sql.EQ(visitorday.FieldGeneration, gen),
			sql.EQ(visitorday.FieldKind, kind),
			sql.In(visitorday.FieldVisitorID, in...),
		)))
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("visitors: load visitor days: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var visitor string
		var day time.Time
		if err := rows.Scan(&visitor, &day); err != nil {
			return err
		}
		fn(visitor, day.UTC())
	}
	return rows.Err()
}

// count adds sign times the histogram of one visitor's days (ascending) of a kind to h: one at (d_i, d_{i-1}) for
// each day, the first one paired with noDay.
func count(h map[histKey]int64, kind string, days []time.Time, sign int64) {
	prev := noDay
	for _, d := range days {
		h[histKey{kind, d, prev}] += sign
		prev = d
	}
}

// addHistogram adds delta to the rows of daily_visitors of org's generation gen, in one order for every
// transaction.
func addHistogram(ctx context.Context, tx ExecQuerier, dia, org string, gen int64, delta map[histKey]int64) error {
	keys := make([]histKey, 0, len(delta))
	for k, n := range delta {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compareHistKeys)
	excluded := sql.Dialect(dia).Table("excluded")
	for chunk := range slices.Chunk(keys, insertChunk) {
		ins := sql.Dialect(dia).Insert(dailyvisitors.Table).Columns(dailyvisitors.FieldID,
			dailyvisitors.FieldOrganizationID, dailyvisitors.FieldGeneration, dailyvisitors.FieldKind,
			dailyvisitors.FieldDay, dailyvisitors.FieldPrevDay, dailyvisitors.FieldVisitors)
		for _, k := range chunk {
			ins.Values(dailyvisitors.DefaultID(), org, gen, k.kind, k.day, k.prev, delta[k])
		}
		ins.OnConflict(
			sql.ConflictColumns(dailyvisitors.FieldOrganizationID, dailyvisitors.FieldGeneration,
				dailyvisitors.FieldKind, dailyvisitors.FieldDay, dailyvisitors.FieldPrevDay),
			sql.ResolveWith(func(u *sql.UpdateSet) {
				u.Set(dailyvisitors.FieldVisitors, sql.Expr(u.Table().C(dailyvisitors.FieldVisitors)+" + "+
					excluded.C(dailyvisitors.FieldVisitors)))
			}))
		query, args, err := ins.QueryErr()
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("visitors: update daily visitors: %w", err)
		}
	}
	return nil
}

func sortedOrgs(keys []dayKey) []string {
	var orgs []string
	for _, k := range keys {
		orgs = append(orgs, k.org)
	}
	slices.Sort(orgs)
	return slices.Compact(orgs)
}

// queryStrings runs q and returns its single string column.
func queryStrings(ctx context.Context, tx ExecQuerier, q sql.Querier) ([]string, error) {
	query, args, err := queryOf(q)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// queryOf builds q, reporting the errors of builders that collect them.
func queryOf(q sql.Querier) (string, []any, error) {
	if qe, ok := q.(interface{ QueryErr() (string, []any, error) }); ok {
		return qe.QueryErr()
	}
	query, args := q.Query()
	if e, ok := q.(interface{ Err() error }); ok && e.Err() != nil {
		return "", nil, e.Err()
	}
	return query, args, nil
}
