// Package dbtest gives each test a database of its own: a fresh schema on the PostgreSQL named by
// TEST_DATABASE_URL when it is set (CI sets it), an SQLite file in the test's temporary directory otherwise.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/marketingos/marketingos/internal/store"
)

// EnvURL names the variable that selects PostgreSQL.
const EnvURL = "TEST_DATABASE_URL"

// Source says where a test database lives, so that a test can start a second process on the same one.
type Source struct {
	Driver string // store.Postgres or store.SQLite
	DSN    string // a postgres URL with its own search_path, or an SQLite file path
}

// Open returns a migrated database that only this test uses; it is dropped when the test ends.
func Open(t testing.TB) (*store.DB, Source) {
	t.Helper()
	src := NewSource(t)
	ctx := context.Background()
	db, err := store.Open(ctx, src.Driver, src.DSN)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	return db, src
}

// NewSource creates an empty database (schema) for this test without opening it.
func NewSource(t testing.TB) Source {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		return Source{Driver: store.SQLite, DSN: filepath.Join(t.TempDir(), "test.db")}
	}
	schema := "t_" + randomHex(8)
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("dbtest: create schema (is PostgreSQL at %s reachable?): %v", EnvURL, err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("postgres", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("dbtest: %s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema) // lib/pq sends unknown parameters as run-time settings
	u.RawQuery = q.Encode()
	return Source{Driver: store.Postgres, DSN: u.String()}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
