-- marketingos_visitors_v1 records visitor days in the rollup on PostgreSQL, in the caller's transaction and in one
-- round trip; see record.go and doc.go for the algorithm, which the SQLite path runs in Go. The caller computes
-- the days (in Go, like every other reader of the calendar) and passes only the ones its cache does not know.
--
--   zone_orgs, zone_names  the time zone each organization's days were computed in: locked FOR KEY SHARE until
--                          the transaction ends and checked, so that a zone change (which locks the organization
--                          FOR UPDATE and rebuilds its rollup) cannot interleave. A zone that is not the
--                          organization's raises SQLSTATE MOSTZ and nothing is written: compute again, retry.
--   wait                   false: an organization locked by a zone change raises lock_not_available (55P03) at
--                          once instead of waiting for its rebuild, so that the caller can store the other
--                          organizations' events meanwhile.
--   ids … firsts           the visitor days, one element each (ids for new visitor_days rows; firsts: the visitor
--                          id was minted for this event, so the visitor has no other day to read or lock).
--   locks                  each day's advisory key (its organization, kind and visitor).
--   hist_ids               ids for new daily_visitors rows: three per day that is not a first, one per first.
--
-- It returns how many of the days were new. The name carries a version: an instance running an older release
-- keeps calling the function it installed while a newer one installs its own.
CREATE OR REPLACE FUNCTION marketingos_visitors_v1(
    zone_orgs text[], zone_names text[],
    ids text[], orgs text[], kinds text[], visitors text[], days timestamptz[], firsts boolean[],
    locks bigint[], hist_ids text[], wait boolean
) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    locked integer;
    new_days integer;
    returning_days text[]; -- the new days of visitors that are not first visits
BEGIN
    -- KEY SHARE locks only the organizations whose zone is the expected one; after waiting for a zone change to
    -- commit, the row is checked again, now with the new zone.
    IF wait THEN
        SELECT count(*) INTO locked
        FROM (SELECT 1 FROM organizations AS o
              JOIN unnest(zone_orgs, zone_names) AS z(id, name) ON o.id = z.id AND o.timezone = z.name
              ORDER BY o.id FOR KEY SHARE OF o) AS l;
    ELSE
        SELECT count(*) INTO locked
        FROM (SELECT 1 FROM organizations AS o
              JOIN unnest(zone_orgs, zone_names) AS z(id, name) ON o.id = z.id AND o.timezone = z.name
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
    -- a duplicate if it commits, new if it rolls back); and at once the histogram of first visits, whose day is
    -- one pair with no previous day. hist_ids are taken from the start here, from the end below.
    WITH touch AS (
        SELECT * FROM unnest(ids, orgs, kinds, visitors, days, firsts) AS t(id, org, kind, visitor, day, first)),
    ins AS (
        INSERT INTO visitor_days (id, organization_id, kind, visitor_id, day)
        SELECT id, org, kind, visitor, day FROM touch
        ORDER BY org COLLATE "C", kind, visitor COLLATE "C", day
        ON CONFLICT (organization_id, kind, visitor_id, day) DO NOTHING
        RETURNING id),
    added AS (
        SELECT touch.* FROM ins JOIN touch ON touch.id = ins.id),
    first_visits AS (
        INSERT INTO daily_visitors (id, organization_id, kind, day, prev_day, visitors)
        SELECT hist_ids[row_number() OVER (ORDER BY org COLLATE "C", kind, day)], org, kind, day,
               timestamptz '0001-01-01 00:00:00+00', count(*)
        FROM added WHERE first
        GROUP BY org, kind, day
        ORDER BY org COLLATE "C", kind, day
        ON CONFLICT (organization_id, kind, day, prev_day)
            DO UPDATE SET visitors = daily_visitors.visitors + excluded.visitors)
    SELECT count(*), array_agg(id) FILTER (WHERE NOT first) INTO new_days, returning_days FROM added;
    IF returning_days IS NULL THEN
        RETURN new_days;
    END IF;

    -- Transactions that add days to the same visitor read that visitor's days one after the other (each
    -- statement of this function sees what committed before it started): each sees the days the previous one
    -- committed, so their deltas add up to the histogram of all of them. Ascending keys: no deadlock.
    PERFORM pg_advisory_xact_lock(k)
    FROM (SELECT DISTINCT t.k FROM unnest(ids, locks) AS t(id, k) WHERE t.id = ANY (returning_days)) AS l
    ORDER BY k;

    -- The delta of each returning visitor that gained days: the pairs (day, previous day) of all its days, minus
    -- those of its days without the new ones.
    WITH returning_visitors AS (
        SELECT DISTINCT t.org, t.kind, t.visitor
        FROM unnest(ids, orgs, kinds, visitors) AS t(id, org, kind, visitor)
        WHERE t.id = ANY (returning_days)),
    known AS (
        SELECT d.organization_id AS org, d.kind, d.visitor_id AS visitor, d.day, d.id = ANY (returning_days) AS new
        FROM visitor_days AS d
        JOIN returning_visitors AS r ON d.organization_id = r.org AND d.kind = r.kind AND d.visitor_id = r.visitor),
    pairs AS (
        SELECT org, kind, day, lag(day, 1, timestamptz '0001-01-01 00:00:00+00')
                                   OVER (PARTITION BY org, kind, visitor ORDER BY day) AS prev, 1 AS n
        FROM known
        UNION ALL
        SELECT org, kind, day, lag(day, 1, timestamptz '0001-01-01 00:00:00+00')
                                   OVER (PARTITION BY org, kind, visitor ORDER BY day), -1
        FROM known WHERE NOT new),
    delta AS (
        SELECT org, kind, day, prev, sum(n) AS n FROM pairs GROUP BY org, kind, day, prev HAVING sum(n) <> 0)
    INSERT INTO daily_visitors (id, organization_id, kind, day, prev_day, visitors)
    SELECT hist_ids[cardinality(hist_ids) + 1 - row_number() OVER (ORDER BY org COLLATE "C", kind, day, prev)],
           org, kind, day, prev, n
    FROM delta
    ORDER BY org COLLATE "C", kind, day, prev
    ON CONFLICT (organization_id, kind, day, prev_day)
        DO UPDATE SET visitors = daily_visitors.visitors + excluded.visitors;

    RETURN new_days;
END
$fn$;
