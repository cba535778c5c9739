-- marketingos_visitors_v2 records visitor days in the rollup on PostgreSQL, in the caller's transaction and in one
-- round trip; see record.go and doc.go for the algorithm, which the SQLite path runs in Go. The caller computes
-- the days (in Go, like every other reader of the calendar) and passes only the ones its cache does not know.
--
--   zone_orgs, zone_names, zone_gens
--                          the time zone each organization's days were computed in, and the generation of its
--                          rollup that zone's rows belong to: locked FOR KEY SHARE until the transaction ends and
--                          checked, so that a zone change (which locks the organization FOR UPDATE and starts a
--                          new generation) cannot interleave. A zone or generation that is not the organization's
--                          raises SQLSTATE MOSTZ and nothing is written: compute again, retry.
--   wait                   false: an organization locked FOR UPDATE (a zone change) raises lock_not_available
--                          (55P03) at once instead of waiting, so that the caller can store the other
--                          organizations' events meanwhile.
--   ids … firsts           the visitor days, one element each (ids for new visitor_days rows; firsts: the visitor
--                          id was minted for this event, so the visitor has no other day to read or lock).
--   hist_ids               ids for new daily_visitors rows: three per day that is not a first, one per first.
--
-- It returns how many of the days were new. The background rebuild of a generation (rebuild.go) calls it too, with
-- every day of a chunk of visitors: the days already there are skipped, the others counted as any new day is.
--
-- Locks are taken in one order by every caller, so that none can wait for another that waits for it: the
-- organizations (KEY SHARE), the visitor days (the unique index's entries, in key order), the advisory locks of
-- the visitors (ascending), the histogram's rows (in key order). A transaction never waits for an earlier kind of
-- lock while holding a later one. (v1 counted first visits in the histogram before taking the advisory locks: a
-- rebuild holding a visitor's lock and waiting for that histogram row, while the writer holding the row waited for
-- the visitor's lock, deadlocked.)
--
-- The name carries a version: an instance running an older release keeps calling the function it installed while
-- a newer one installs its own. marketingos_visitors_v1, the previous release's, forwards to this one with the
-- organizations' current generations, so that its callers keep working during a rolling upgrade.
CREATE OR REPLACE FUNCTION marketingos_visitors_v2(
    zone_orgs text[], zone_names text[], zone_gens bigint[],
    ids text[], orgs text[], kinds text[], visitors text[], days timestamptz[], firsts boolean[],
    hist_ids text[], wait boolean
) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    locked integer;
    new_days integer;
    -- The days this call added, one element each.
    a_orgs text[];
    a_gens bigint[];
    a_kinds text[];
    a_visitors text[];
    a_days timestamptz[];
    a_firsts boolean[];
BEGIN
    -- KEY SHARE locks only the organizations whose zone and generation are the expected ones; after waiting for a
    -- zone change to commit, the row is checked again, now with the new zone.
    IF wait THEN
        SELECT count(*) INTO locked
        FROM (SELECT 1 FROM organizations AS o
              JOIN unnest(zone_orgs, zone_names, zone_gens) AS z(id, name, gen)
                ON o.id = z.id AND o.timezone = z.name AND o.visitors_generation = z.gen
              ORDER BY o.id FOR KEY SHARE OF o) AS l;
    ELSE
        SELECT count(*) INTO locked
        FROM (SELECT 1 FROM organizations AS o
              JOIN unnest(zone_orgs, zone_names, zone_gens) AS z(id, name, gen)
                ON o.id = z.id AND o.timezone = z.name AND o.visitors_generation = z.gen
              ORDER BY o.id FOR KEY SHARE OF o NOWAIT) AS l;
    END IF;
    IF locked <> cardinality(zone_orgs) THEN
        RAISE EXCEPTION 'visitors: an organization''s time zone is not the one its days were computed in'
            USING ERRCODE = 'MOSTZ';
    END IF;
    IF cardinality(ids) = 0 THEN
        RETURN 0;
    END IF;

    -- The days, in one order for every transaction, so that two of them waiting on each other's uncommitted rows
    -- of the unique index cannot deadlock (a day inserted by a concurrent transaction makes this one wait for it:
    -- a duplicate if it commits, new if it rolls back). A first visit's day is inserted apart: its visitor id was
    -- minted for it, so no other transaction has that key to wait for.
    --
    -- The statements below join nothing by comparing each row with each other one: the planner does not know
    -- how long the arrays are, and a chunk of the rebuild passes thousands of days.
    WITH touch AS (
        SELECT t.*, g.gen FROM unnest(ids, orgs, kinds, visitors, days, firsts) AS t(id, org, kind, visitor, day, first)
        JOIN unnest(zone_orgs, zone_gens) AS g(org, gen) ON g.org = t.org),
    ins_first AS (
        INSERT INTO visitor_days (id, organization_id, generation, kind, visitor_id, day)
        SELECT id, org, gen, kind, visitor, day FROM touch WHERE first
        ORDER BY org COLLATE "C", gen, kind, visitor COLLATE "C", day
        ON CONFLICT (organization_id, generation, kind, visitor_id, day) DO NOTHING
        RETURNING organization_id, generation, kind, visitor_id, day),
    ins AS (
        INSERT INTO visitor_days (id, organization_id, generation, kind, visitor_id, day)
        SELECT id, org, gen, kind, visitor, day FROM touch WHERE NOT first
        ORDER BY org COLLATE "C", gen, kind, visitor COLLATE "C", day
        ON CONFLICT (organization_id, generation, kind, visitor_id, day) DO NOTHING
        RETURNING organization_id, generation, kind, visitor_id, day),
    added AS (
        SELECT *, true AS first FROM ins_first UNION ALL SELECT *, false FROM ins)
    SELECT count(*), array_agg(organization_id), array_agg(generation), array_agg(kind), array_agg(visitor_id),
           array_agg(day), array_agg(first)
    INTO new_days, a_orgs, a_gens, a_kinds, a_visitors, a_days, a_firsts
    FROM added;
    IF new_days = 0 THEN
        RETURN 0;
    END IF;

    -- Transactions that add days to the same visitor read that visitor's days one after the other (each
    -- statement of this function sees what committed before it started): each sees the days the previous one
    -- committed, so their deltas add up to the histogram of all of them. Ascending keys: no deadlock.
    PERFORM pg_advisory_xact_lock(k)
    FROM (SELECT DISTINCT hashtextextended('visitors/' || a.org || '/' || a.kind || '/' || a.visitor, 0) AS k
          FROM unnest(a_orgs, a_kinds, a_visitors, a_firsts) AS a(org, kind, visitor, first) WHERE NOT a.first) AS l
    ORDER BY k;

    -- The histogram's change: for each returning visitor that gained days, the pairs (day, previous day) of all
    -- its days minus those of its days without the new ones; for each first visit, its day with no previous day.
    WITH added AS (
        SELECT * FROM unnest(a_orgs, a_gens, a_kinds, a_visitors, a_days, a_firsts)
            AS a(org, gen, kind, visitor, day, first)),
    returning_visitors AS (
        SELECT DISTINCT org, gen, kind, visitor FROM added WHERE NOT first),
    -- Each visitor's days are looked up in the unique index, whatever the statistics say of the table's size
    -- (OFFSET 0 keeps the planner from turning the lookups into a join that reads all of it).
    all_days AS (
        SELECT r.org, r.gen, r.kind, r.visitor, d.day
        FROM returning_visitors AS r
        CROSS JOIN LATERAL (
            SELECT v.day FROM visitor_days AS v
            WHERE v.organization_id = r.org AND v.generation = r.gen AND v.kind = r.kind AND v.visitor_id = r.visitor
            OFFSET 0) AS d),
    old_days AS (
        SELECT org, gen, kind, visitor, day FROM all_days
        EXCEPT
        SELECT org, gen, kind, visitor, day FROM added WHERE NOT first),
    pairs AS (
        SELECT org, gen, kind, day, lag(day, 1, timestamptz '0001-01-01 00:00:00+00')
                                        OVER (PARTITION BY org, gen, kind, visitor ORDER BY day) AS prev, 1 AS n
        FROM all_days
        UNION ALL
        SELECT org, gen, kind, day, lag(day, 1, timestamptz '0001-01-01 00:00:00+00')
                                        OVER (PARTITION BY org, gen, kind, visitor ORDER BY day), -1
        FROM old_days
        UNION ALL
        SELECT org, gen, kind, day, timestamptz '0001-01-01 00:00:00+00', 1
        FROM added WHERE first),
    delta AS (
        SELECT org, gen, kind, day, prev, sum(n) AS n FROM pairs
        GROUP BY org, gen, kind, day, prev HAVING sum(n) <> 0)
    INSERT INTO daily_visitors (id, organization_id, generation, kind, day, prev_day, visitors)
    SELECT hist_ids[row_number() OVER (ORDER BY org COLLATE "C", gen, kind, day, prev)], org, gen, kind, day, prev, n
    FROM delta
    ORDER BY org COLLATE "C", gen, kind, day, prev
    ON CONFLICT (organization_id, generation, kind, day, prev_day)
        DO UPDATE SET visitors = daily_visitors.visitors + excluded.visitors;

    RETURN new_days;
END
$fn$;

-- marketingos_visitors_v1 is the previous release's function, kept for its instances during a rolling upgrade:
-- their days go to the organizations' current generations, which v2 checks under lock like the zones. Its locks
-- are computed by v2 now (the same keys for every caller).
CREATE OR REPLACE FUNCTION marketingos_visitors_v1(
    zone_orgs text[], zone_names text[],
    ids text[], orgs text[], kinds text[], visitors text[], days timestamptz[], firsts boolean[],
    locks bigint[], hist_ids text[], wait boolean
) RETURNS integer
LANGUAGE sql VOLATILE AS $fn$
    SELECT marketingos_visitors_v2(zone_orgs, zone_names,
        ARRAY(SELECT coalesce(o.visitors_generation, -1)
              FROM unnest(zone_orgs) WITH ORDINALITY AS z(id, n)
              LEFT JOIN organizations AS o ON o.id = z.id
              ORDER BY z.n),
        ids, orgs, kinds, visitors, days, firsts, hist_ids, wait)
$fn$;
