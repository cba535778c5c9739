package jobs

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"hash/fnv"
	"sync"
	"time"
)

// Locker takes a named lock without waiting. ok is false when someone else holds it. unlock releases it; it is
// safe to call more than once and does not depend on the ctx given to TryLock.
type Locker interface {
	TryLock(ctx context.Context, key string) (unlock func(), ok bool, err error)
}

// unlockTimeout bounds the release of an advisory lock; past it the session is closed instead, which releases it too.
const unlockTimeout = 10 * time.Second

// PostgresLocker is a Locker shared by every process using the same PostgreSQL database: a session-level advisory
// lock, held on a connection set aside from the pool for as long as the lock is held.
type PostgresLocker struct {
	db *sql.DB
}

// NewPostgresLocker returns a Locker using advisory locks on db.
func NewPostgresLocker(db *sql.DB) *PostgresLocker { return &PostgresLocker{db: db} }

// TryLock implements Locker.
func (l *PostgresLocker) TryLock(ctx context.Context, key string) (func(), bool, error) {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("jobs: lock connection: %w", err)
	}
	id := lockID(key)
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", id).Scan(&ok); err != nil {
		// The server may have granted the lock before the error (a cancelled ctx, a broken connection): closing
		// the session is the only way to be sure it is not held by a connection going back to the pool.
		discard(conn)
		return nil, false, fmt.Errorf("jobs: advisory lock %q: %w", key, err)
	}
	if !ok {
		_ = conn.Close() // back to the pool; this session holds nothing
		return nil, false, nil
	}
	var once sync.Once
	unlock := func() {
		once.Do(func() {
			// Not the run's context: a cancelled run must still release its lock.
			ctx, cancel := context.WithTimeout(context.Background(), unlockTimeout)
			defer cancel()
			var released bool
			if err := conn.QueryRowContext(ctx, "SELECT pg_advisory_unlock($1)", id).Scan(&released); err != nil || !released {
				discard(conn)
				return
			}
			_ = conn.Close()
		})
	}
	return unlock, true, nil
}

// discard closes conn's session instead of returning it to the pool: PostgreSQL releases a session's advisory locks
// when the session ends.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // database/sql closes a connection reported bad
	_ = conn.Close()
}

// lockID maps a job name to an advisory lock key. The prefix keeps job locks apart from other advisory locks of
// the application (the schema migration's, for one).
func lockID(key string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("marketingos/jobs/"))
	_, _ = h.Write([]byte(key))
	return int64(h.Sum64()) //nolint:gosec // wrapping to int64 is intended: PostgreSQL's keys are bigint
}

// LocalLocker is a Locker within one process, for SQLite, whose database file serves a single instance.
type LocalLocker struct {
	mu   sync.Mutex
	held map[string]bool
}

// NewLocalLocker returns an in-process Locker.
func NewLocalLocker() *LocalLocker { return &LocalLocker{held: map[string]bool{}} }

// TryLock implements Locker.
func (l *LocalLocker) TryLock(_ context.Context, key string) (func(), bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held[key] {
		return nil, false, nil
	}
	l.held[key] = true
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			delete(l.held, key)
			l.mu.Unlock()
		})
	}, true, nil
}
