// Package store opens the database behind MarketingOS — PostgreSQL through lib/pq, or an embedded SQLite file —
// and returns the ent client every other package uses, with the schema's tenancy rules registered.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	"github.com/lib/pq" // PostgreSQL driver, and its errors

	"github.com/marketingos/marketingos/ent"
	_ "github.com/marketingos/marketingos/ent/runtime" // registers the schema's hooks and interceptors (tenancy)
	"github.com/marketingos/marketingos/internal/visitors"
)

// Drivers accepted by Open.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// DB is an open database.
type DB struct {
	Client  *ent.Client
	SQL     *sql.DB
	Dialect string // dialect.Postgres or dialect.SQLite
	// DSN is what Open was given; PostgreSQL's LISTEN/NOTIFY needs a connection of its own to the same place.
	DSN string
}

// Open connects to the database. For SQLite, dsn is a file path; for PostgreSQL, a postgres:// URL.
func Open(ctx context.Context, driver, dsn string) (*DB, error) {
	var (
		db  *sql.DB
		dia string
		err error
	)
	switch driver {
	case Postgres:
		dia = dialect.Postgres
		db, err = sql.Open("postgres", dsn)
		if err == nil {
			db.SetMaxOpenConns(20)
			db.SetMaxIdleConns(10)
			db.SetConnMaxIdleTime(5 * time.Minute)
		}
	case SQLite:
		dia = dialect.SQLite
		// WAL lets readers run beside the single writer; BEGIN IMMEDIATE (below) makes writers queue on
		// busy_timeout instead of failing with SQLITE_BUSY when a read transaction tries to upgrade, and the
		// process's transactions take turns before they begin (turns.go).
		db = sql.OpenDB(newTurnConnector(dsn, sqliteDSN(dsn)))
		db.SetMaxOpenConns(8)
	default:
		return nil, fmt.Errorf("store: unknown driver %q", driver)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", driver, err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", driver, err)
	}
	return &DB{Client: ent.NewClient(ent.Driver(entsql.OpenDB(dia, db))), SQL: db, Dialect: dia, DSN: dsn}, nil
}

func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// migrationLock is an arbitrary constant naming MarketingOS's schema migration among PostgreSQL advisory locks.
const migrationLock = 0x6d6f735f6d6967 // "mos_mig"

// Migrate creates or upgrades the schema (tables, indexes and the visitors rollup's PostgreSQL function), then
// fills the rollups a database written by an older version lacks (visitors.Backfill). On PostgreSQL it holds an
// advisory lock meanwhile, so that several instances starting together migrate one after the other instead of
// racing.
func (d *DB) Migrate(ctx context.Context) error {
	if d.Dialect != dialect.Postgres {
		return d.migrate(ctx)
	}
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("store: migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock) //nolint:errcheck // the session ends with conn anyway
	if err := d.migrate(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

func (d *DB) migrate(ctx context.Context) error {
	if err := d.createSchema(ctx); err != nil {
		return err
	}
	if err := visitors.Install(ctx, d.SQL, d.Dialect); err != nil {
		return err
	}
	_, err := visitors.Backfill(ctx, d.SQL, d.Dialect)
	return err
}

// schemaMu serializes schema creation within the process: ent's migration writes to the generated table
// descriptors (migrate.Tables) that every client shares, so two concurrent Migrate calls race on them.
var schemaMu sync.Mutex

func (d *DB) createSchema(ctx context.Context) error {
	schemaMu.Lock()
	defer schemaMu.Unlock()
	// Indexes the schema no longer declares are dropped, so that an upgraded database does not keep paying for
	// them on every insert (attribution_events lost several to partial ones).
	return d.Client.Schema.Create(ctx, schema.WithDropIndex(true))
}

// Ping reports whether the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.SQL.PingContext(ctx) }

// Close closes the client and its connections.
func (d *DB) Close() error {
	return errors.Join(d.Client.Close(), d.SQL.Close())
}

// DataError reports whether err is PostgreSQL's refusal of the values themselves (SQLSTATE class 22, data
// exception: a NUL character in text, a number out of range), which the same values meet again on every retry,
// and PostgreSQL's description of it (which names no secret).
func DataError(err error) (message string, ok bool) {
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) || pqErr.Code.Class() != "22" {
		return "", false
	}
	return pqErr.Message, true
}

// WithTx runs fn in a transaction of client: committed when fn returns nil, rolled back otherwise.
func WithTx(ctx context.Context, client *ent.Client, fn func(*ent.Tx) error) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}
