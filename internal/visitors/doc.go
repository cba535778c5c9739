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
//   - visitor_days holds each (organization, kind, visitor, day) once: the set of active days.
//   - daily_visitors is a histogram of that set: for each (organization, kind, day, prev_day), how many visitors
//     were active on day whose previous active day (of the same kind) was prev_day; 0001-01-01 for none.
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
// An organization's time zone decides its days. On PostgreSQL the recording transaction holds the organization
// FOR KEY SHARE and checks that the zone is the one the days were computed in (the writer takes it from a cache,
// and builds its statement again when the zone changed), and a time zone change locks the organization FOR
// UPDATE and rebuilds its rollup from the events (Rebuild), in the same transaction: a change waits for the
// writers that computed days in the old zone, and writers wait for the rebuilt rollup.
//
// The events that ent creates are recorded by a hook of the schema (RecordEvents); code that bypasses ent calls
// Record itself, or PostgresCall for a statement of its own (the tracking writer). Databases that predate the rollup are filled once by Backfill, which store.Migrate runs.
package visitors
