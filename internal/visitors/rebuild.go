package visitors

import (
	"context"
	stdsql "database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/dailyvisitors"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/ent/visitorday"
	"github.com/marketingos/marketingos/internal/attribution"
)

// rebuildChunk is how many visitors Rebuild reads the events of at once: it holds their days in memory.
const rebuildChunk = 2000

// Rebuild recomputes org's rollup from its events at once, in the caller's transaction tx: the rows of the
// generation of its current time zone, which it then marks complete, dropping the rows of every other
// generation. On PostgreSQL it first locks the organization FOR UPDATE, which waits for the transactions
// recording touches (they hold KEY SHARE) and makes the next ones wait for this one: it holds all of the
// organization's tracking until tx ends, seconds for a million events, and on SQLite every write. It is for
// databases that predate the rollup (Backfill) and for checking the rollup; a time zone change rebuilds in the
// background instead (Rebuilder).
//
// It reads every event of the organization once, a chunk of visitors at a time.
func Rebuild(ctx context.Context, tx ExecQuerier, dialect, orgID string) error {
	zones, err := readZones(ctx, tx, dialect, []string{orgID}, sql.LockUpdate)
	if err != nil {
		return err
	}
	z, ok := zones[orgID]
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownOrganization, orgID)
	}
	for _, t := range []struct{ table, column string }{
		{visitorday.Table, visitorday.FieldOrganizationID},
		{dailyvisitors.Table, dailyvisitors.FieldOrganizationID},
	} {
		query, args := sql.Dialect(dialect).Delete(t.table).Where(sql.EQ(t.column, orgID)).Query()
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("visitors: clear %s: %w", t.table, err)
		}
	}
	query, args := sql.Dialect(dialect).Update(organization.Table).Set(organization.FieldVisitorsRebuilding, false).
		Where(sql.EQ(organization.FieldID, orgID)).Query()
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("visitors: rebuild %s: %w", orgID, err)
	}
	hist := map[histKey]int64{}
	after := "" // visitor ids are never empty
	for {
		ids, err := queryStrings(ctx, tx, sql.Dialect(dialect).
			Select(attributionevent.FieldVisitorID).Distinct().
			From(sql.Table(attributionevent.Table)).
			Where(sql.And(sql.EQ(attributionevent.FieldOrganizationID, orgID),
				sql.GT(attributionevent.FieldVisitorID, after))).
			OrderBy(attributionevent.FieldVisitorID).
			Limit(rebuildChunk))
		if err != nil {
			return fmt.Errorf("visitors: rebuild %s: %w", orgID, err)
		}
		if len(ids) == 0 {
			break
		}
		days, err := activeDays(ctx, tx, dialect, orgID, z, ids[0], ids[len(ids)-1])
		if err != nil {
			return err
		}
		keys := make([]dayKey, 0, len(days))
		for k := range days {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, compareDayKeys)
		// keys are grouped by kind and visitor, each group's days ascending: count each group.
		for start := 0; start < len(keys); {
			end := start + 1
			for end < len(keys) && keys[end].kind == keys[start].kind && keys[end].visitor == keys[start].visitor {
				end++
			}
			group := make([]time.Time, 0, end-start)
			for _, k := range keys[start:end] {
				group = append(group, k.day)
			}
			count(hist, keys[start].kind, group, 1)
			start = end
		}
		if _, err := insertDays(ctx, tx, dialect, keys); err != nil {
			return err
		}
		after = ids[len(ids)-1]
	}
	return addHistogram(ctx, tx, dialect, orgID, z.gen, hist)
}

// activeDays returns the visitor days in z of org's events whose visitor is between first and last.
func activeDays(ctx context.Context, tx ExecQuerier, dia, org string, z zone, first, last string) (map[dayKey]struct{}, error) {
	query, args, err := queryOf(sql.Dialect(dia).
		Select(attributionevent.FieldVisitorID, attributionevent.FieldEventType, attributionevent.FieldCreatedAt).
		From(sql.Table(attributionevent.Table)).
		Where(sql.And(
			sql.EQ(attributionevent.FieldOrganizationID, org),
			sql.GTE(attributionevent.FieldVisitorID, first),
			sql.LTE(attributionevent.FieldVisitorID, last),
			sql.NEQ(attributionevent.FieldEventType, attribution.RefundEvent),
		)))
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("visitors: read events: %w", err)
	}
	defer rows.Close()
	out := map[dayKey]struct{}{}
	for rows.Next() {
		var visitor, eventType string
		var at time.Time
		if err := rows.Scan(&visitor, &eventType, &at); err != nil {
			return nil, err
		}
		if kind, ok := KindOf(eventType); ok {
			out[dayKey{org: org, gen: z.gen, kind: kind, visitor: visitor, day: localDay(at, z.loc)}] = struct{}{}
		}
	}
	return out, rows.Err()
}

// Backfill rebuilds the rollup of every organization that has events but none of it: what a database written by
// a version without the rollup needs once. It is idempotent, and cheap when there is nothing to do; each
// organization is rebuilt in a transaction of its own. It returns how many were.
//
// Run it before serving (store.Migrate does): an organization whose first rollup rows a new writer adds meanwhile
// would be taken as filled.
func Backfill(ctx context.Context, db *stdsql.DB, dialect string) (int, error) {
	o := sql.Dialect(dialect).Table(organization.Table).As("o")
	e := sql.Dialect(dialect).Table(attributionevent.Table).As("e")
	v := sql.Dialect(dialect).Table(visitorday.Table).As("v")
	query, args, err := queryOf(sql.Dialect(dialect).Select(o.C(organization.FieldID)).From(o).
		Where(sql.And(
			sql.Exists(sql.Dialect(dialect).SelectExpr(sql.Raw("1")).From(e).Where(sql.And(
				sql.ColumnsEQ(e.C(attributionevent.FieldOrganizationID), o.C(organization.FieldID)),
				sql.NEQ(e.C(attributionevent.FieldEventType), attribution.RefundEvent)))),
			sql.NotExists(sql.Dialect(dialect).SelectExpr(sql.Raw("1")).From(v).Where(
				sql.ColumnsEQ(v.C(visitorday.FieldOrganizationID), o.C(organization.FieldID)))),
		)).
		OrderBy(o.C(organization.FieldID)))
	if err != nil {
		return 0, err
	}
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("visitors: backfill: %w", err)
	}
	var orgs []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		orgs = append(orgs, id)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, fmt.Errorf("visitors: backfill: %w", err)
	}
	for i, org := range orgs {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return i, err
		}
		if err := Rebuild(ctx, tx, dialect, org); err != nil {
			return i, errors.Join(fmt.Errorf("visitors: backfill %s: %w", org, err), tx.Rollback())
		}
		if err := tx.Commit(); err != nil {
			return i, fmt.Errorf("visitors: backfill %s: %w", org, err)
		}
	}
	return len(orgs), nil
}
