// Package visitors keeps the rollup the dashboard counts visitors from, so that the distinct visitors of a range
// cost a read of one row per day and distinct previous day instead of a scan of the range's events.
//
// # What is counted
//
// A visitor is active on a day, with kind VISIT, when one of its events other than a purchase or a refund falls on
// that day, and with kind PURCHASE when one of its purchases does. Days are the calendar dates of the
// organization's time zone (period.Location), computed here, in Go, as the dashboard's calendar does.
//
// # The two tables
//
//   - visitor_days holds each (organization, generation, kind, visitor, day) once: the set of active days.
//   - daily_visitors is a histogram of that set: for each (organization, generation, kind, day, prev_day), how
//     many visitors were active on day whose previous active day (of the same kind) was prev_day; 0001-01-01 for
//     none.
//
// A generation is the rollup of one time zone of the organization (see below): the organization's
// visitors_generation is the one tracking writes, and Count reads it unless visitors_rebuilding says it is not
// complete yet.
//
// A day's visitors are the sum of its rows. The distinct visitors of days [d0, dn] are the visitors whose first
// active day in the range has a previous day before d0: the sum, over the range's days, of the rows whose
// prev_day < d0. Both are exact, and one grouped read of the range's rows gives them (Count).
//
// # Keeping it exact
//
// Record runs in the transaction that stores the events, so the rollup commits or rolls back with them. Of a
// visitor's days d1 < … < dn, the histogram holds one count at (d_i, d_{i-1}). A new day changes at most two of
// those pairs, and a day that arrives out of order (an event dated yesterday) is handled the same way: Record
// recomputes the pairs of each visitor that gained a day, with and without the new days, and adds the difference.
// Adding differences (visitors = visitors + excluded.visitors) commutes, so concurrent transactions need no
// coordination beyond reading each other's days: on PostgreSQL the transactions that add days to one visitor
// take a transaction-scoped advisory lock on it before reading those days. A visitor id minted for the event
// itself has no other day: its day is counted without the lock or the read.
//
// On PostgreSQL the writing is done by a function of the database (postgres.sql, installed by store.Migrate), so
// that recording a batch is one statement: the tracking writer stores a batch's events, records their days and
// notifies in a single round trip. On SQLite, which runs one writing transaction at a time, Go does it.
//
// On PostgreSQL the function takes its locks in one order (the organizations, the visitor days' index entries, the
// visitors' advisory locks, the histogram's rows), so that writers and the rebuild below never wait for each
// other in a cycle.
//
// # Time zone changes
//
// An organization's time zone decides its days, so a change needs the rollup built again, from every event: that
// takes seconds for a million events, and must not hold the organization's tracking meanwhile. The change
// (NewGenerationOnTimezoneChange, the schema's hook) only starts a new generation: it locks the organization FOR
// UPDATE, which waits for the writers that computed days in the old zone (they hold it FOR KEY SHARE for a
// statement), and sets the zone, visitors_generation + 1 and visitors_rebuilding, then commits. From then on the
// writers record their days in the new zone and generation: on PostgreSQL the recording statement checks the zone
// and generation under its KEY SHARE lock (the tracking writer takes them from a cache, and builds its statement
// again when they changed, StaleZone); on SQLite, which runs one writer at a time, Record reads them in its
// transaction. Every event is thus either committed before the change or recorded in the new generation.
//
// After the commit a Rebuilder (one per process, started by internal/app) reads the organization's events in
// visitor order, a chunk of whole visitors at a time, and records each chunk's days in the new generation in a
// short transaction of its own, exactly as a writer records new days: days the writers recorded already are
// skipped, the others counted, so concurrent tracking and the rebuild add up to the histogram of all the days. On
// PostgreSQL a chunk is one call of the same function, under the visitors' advisory locks; on SQLite a
// transaction that takes its turn with the tracking writer's (store). When the last visitor is done the
// generation is marked complete (visitors_rebuilding false) and the older generations' rows are deleted, in
// chunks too. Until then Count refuses the generation (ErrRebuilding, Ready) and the dashboard counts visitors
// from the events.
//
// Each rebuild is a JobRun (JobName) of the organization, RUNNING with its progress in its stats (the last visitor
// done): a process that stops leaves it so, and the next one resumes it; a rebuild that fails is recorded FAILED
// and the next pass goes on from its progress; a second change during a rebuild ends it (FAILED, superseded) and
// the Rebuilder starts on the new generation. Generations, not zone names, key the rows, so that changing back to
// an earlier zone never meets that zone's old, possibly half-deleted, rows. Rebuild, the rebuild in the caller's
// transaction that held tracking for its duration, remains for Backfill and for checking the rollup.
//
// The events that ent creates are recorded by a hook of the schema (RecordEvents); code that bypasses ent calls
// Record itself, or PostgresCall for a statement of its own (the tracking writer). Databases that predate the rollup are filled once by Backfill, which store.Migrate runs.
package visitors
