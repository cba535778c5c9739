package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"sync"
	"time"

	"modernc.org/sqlite" // pure-Go SQLite driver: `make run` needs no cgo
)

// SQLite runs one writing transaction at a time, and every transaction of MarketingOS writes (BEGIN IMMEDIATE). A
// transaction that finds the database taken polls it with sleeps that grow to 100ms (busy_timeout): a writer that
// commits and begins again at once, like the tracking writer under load or a rebuild of the visitors rollup
// going chunk after chunk, nearly always gets it before a poller wakes up, so that a poller can wait for seconds
// and fail at busy_timeout although the database was never held for long. Within the process, transactions on
// one SQLite file therefore take turns, first come first served, before they begin: turnConnector's connections
// wait for the file's turn in BeginTx and give it back when the transaction ends. Statements run outside a
// transaction, and other processes, still meet busy_timeout.

// busyTimeout is SQLite's busy_timeout (sqliteDSN), which bounds the wait for a turn too.
const busyTimeout = 10 * time.Second

// turns holds one turn per SQLite file of the process: a channel of one slot, whose blocked senders are served
// in order.
var turns = struct {
	mu    sync.Mutex
	files map[string]chan struct{}
}{files: map[string]chan struct{}{}}

func turnOf(path string) chan struct{} {
	turns.mu.Lock()
	defer turns.mu.Unlock()
	t, ok := turns.files[path]
	if !ok {
		t = make(chan struct{}, 1)
		turns.files[path] = t
	}
	return t
}

// turnConnector opens SQLite connections whose transactions take the file's turn.
type turnConnector struct {
	dsn  string
	turn chan struct{}
	drv  *sqlite.Driver
}

func newTurnConnector(path, dsn string) *turnConnector {
	return &turnConnector{dsn: dsn, turn: turnOf(path), drv: &sqlite.Driver{}}
}

func (c *turnConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(sqliteConn)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("store: the SQLite driver's connection %T lacks a method database/sql uses", conn)
	}
	return &turnConn{sqliteConn: sc, turn: c.turn}, nil
}

func (c *turnConnector) Driver() driver.Driver { return c.drv }

// sqliteConn is what database/sql uses of the driver's connections.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type turnConn struct {
	sqliteConn
	turn chan struct{}
}

// BeginTx waits for the file's turn (until ctx ends, or busyTimeout: then it fails as SQLite does when the
// database stays locked), then begins.
func (c *turnConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	wait := time.NewTimer(busyTimeout)
	defer wait.Stop()
	select {
	case c.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-wait.C:
		return nil, fmt.Errorf("store: database is locked: no turn to write within %v", busyTimeout)
	}
	tx, err := c.sqliteConn.BeginTx(ctx, opts)
	if err != nil {
		<-c.turn
		return nil, err
	}
	return &turnTx{Tx: tx, turn: c.turn}, nil
}

// Begin is BeginTx without a context (database/sql does not call it: the connection has BeginTx).
func (c *turnConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// turnTx gives the turn back when it ends, once.
type turnTx struct {
	driver.Tx
	turn chan struct{}
	once sync.Once
}

func (t *turnTx) Commit() error {
	defer t.release()
	return t.Tx.Commit()
}

func (t *turnTx) Rollback() error {
	defer t.release()
	return t.Tx.Rollback()
}

func (t *turnTx) release() { t.once.Do(func() { <-t.turn }) }
