package visitors

import (
	"context"
	stdsql "database/sql"
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"github.com/marketingos/marketingos/ent/dailyvisitors"
	"github.com/marketingos/marketingos/ent/visitorday"
)

// postgresFunction creates the rollup's PostgreSQL function (see the file for what it does and why).
//
//go:embed postgres.sql
var postgresFunction string

// functionName is the function postgres.sql creates (beside the previous release's, which forwards to it).
const functionName = "marketingos_visitors_v2"

// functionArity is how many arguments it takes.
const functionArity = 11

// staleZone is the SQLSTATE the function raises when a day was computed in a time zone that is no longer the
// organization's.
const staleZone = "MOSTZ"

// Install creates or replaces the rollup's PostgreSQL function; store.Migrate runs it. Other dialects need none.
func Install(ctx context.Context, db *stdsql.DB, dia string) error {
	if dia != dialect.Postgres {
		return nil
	}
	if _, err := db.ExecContext(ctx, postgresFunction); err != nil {
		return fmt.Errorf("visitors: install %s: %w", functionName, err)
	}
	return nil
}

// Call is a call of the rollup's PostgreSQL function, for a statement of the caller's own: the writer stores a
// batch of events, records their visitor days and notifies in one statement, hence one round trip and one
// implicit transaction.
type Call struct {
	SQL  string // "marketingos_visitors_v2($n, …)"
	Args []any  // the arguments of SQL's placeholders, in order
	// Recorded remembers the days once the statement has committed.
	Recorded Recorded
}

// PostgresCall returns the call that records touches, its placeholders numbered from first. The organizations'
// time zones come from a cache of hints, read through q when missing, since the function checks them under
// lock: when the statement fails with an error for which StaleZone is true, a zone changed meanwhile; call
// ForgetZones and build the statement again. Unless wait is set, an organization locked by a zone change (for the
// milliseconds of its update: its rollup is rebuilt afterwards, in the background) fails the statement at once:
// OrganizationBusy.
func PostgresCall(ctx context.Context, q ExecQuerier, touches []Touch, first int, wait bool) (Call, error) {
	orgs, err := orgsOf(touches)
	if err != nil {
		return Call{}, err
	}
	zones, err := hints.get(ctx, q, orgs)
	if err != nil {
		return Call{}, err
	}
	fresh, firsts, rec, err := plan(touches, zones)
	if err != nil {
		return Call{}, err
	}
	return Call{SQL: callSQL(first), Args: functionArgs(zones, fresh, firsts, wait), Recorded: rec}, nil
}

// callSQL calls the function with its arguments in the placeholders numbered from first.
func callSQL(first int) string {
	placeholders := make([]string, functionArity)
	for i := range placeholders {
		placeholders[i] = "$" + strconv.Itoa(first+i)
	}
	return functionName + "(" + strings.Join(placeholders, ", ") + ")"
}

// StaleZone reports whether err is the function's refusal of days computed in a time zone that changed.
func StaleZone(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && string(pqErr.Code) == staleZone
}

// OrganizationBusy reports whether err is the function's refusal to wait for an organization locked by a time
// zone change (lock_not_available).
func OrganizationBusy(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "55P03"
}

// ForgetZones empties the cache of time zone hints.
func ForgetZones() { hints.forget() }

// recordPostgres records fresh (the touches' days that the cache does not know) with the function, in tx.
func recordPostgres(ctx context.Context, tx ExecQuerier, zones map[string]zone, fresh []dayKey, firsts map[dayKey]bool) error {
	// The zones are locked already (Record read them FOR KEY SHARE).
	_, err := tx.ExecContext(ctx, "SELECT "+callSQL(1), functionArgs(zones, fresh, firsts, true)...)
	if err != nil {
		return fmt.Errorf("visitors: record: %w", err)
	}
	return nil
}

// functionArgs are the function's arguments (see postgres.sql).
func functionArgs(zones map[string]zone, fresh []dayKey, firsts map[dayKey]bool, wait bool) []any {
	zoneOrgs := make([]string, 0, len(zones))
	zoneNames := make([]string, 0, len(zones))
	zoneGens := make([]int64, 0, len(zones))
	for org, z := range zones {
		zoneOrgs = append(zoneOrgs, org)
		zoneNames = append(zoneNames, z.name)
		zoneGens = append(zoneGens, z.gen)
	}
	n := len(fresh)
	ids, orgs, kinds, visitorIDs, days := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	first := make([]bool, n)
	var histIDs []string
	for i, k := range fresh {
		ids[i], orgs[i], kinds[i], visitorIDs[i] = visitorday.DefaultID(), k.org, k.kind, k.visitor
		days[i] = k.day.Format(time.RFC3339)
		first[i] = firsts[k]
		// A new day changes at most three pairs of its visitor's days; a first visit's day, one.
		pairs := 3
		if first[i] {
			pairs = 1
		}
		for range pairs {
			histIDs = append(histIDs, dailyvisitors.DefaultID())
		}
	}
	return []any{
		pq.Array(zoneOrgs), pq.Array(zoneNames), pq.Array(zoneGens),
		pq.Array(ids), pq.Array(orgs), pq.Array(kinds), pq.Array(visitorIDs), pq.Array(days), pq.Array(first),
		pq.Array(histIDs), wait,
	}
}

// zoneHints caches organizations' time zones and generations for PostgresCall, which the function then checks.
type zoneHints struct {
	mu    sync.Mutex
	zones map[string]zone
}

// maxHints bounds the cache; past it, it starts again empty.
const maxHints = 10000

var hints = &zoneHints{zones: map[string]zone{}}

func (h *zoneHints) get(ctx context.Context, q ExecQuerier, orgs []string) (map[string]zone, error) {
	out := make(map[string]zone, len(orgs))
	var missing []string
	h.mu.Lock()
	for _, org := range orgs {
		if z, ok := h.zones[org]; ok {
			out[org] = z
		} else {
			missing = append(missing, org)
		}
	}
	h.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	read, err := readZones(ctx, q, dialect.Postgres, missing, sql.LockStrength(""))
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.zones)+len(read) > maxHints {
		clear(h.zones)
	}
	for _, org := range missing {
		z, ok := read[org]
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnknownOrganization, org)
		}
		h.zones[org], out[org] = z, z
	}
	return out, nil
}

func (h *zoneHints) forget() {
	h.mu.Lock()
	clear(h.zones)
	h.mu.Unlock()
}
