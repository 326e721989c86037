// Package testutil opens real databases for tests: a SQLite file under
// t.TempDir() always, and a fresh schema in the PostgreSQL named by
// LOCKSCORE_TEST_POSTGRES_URL when that is set. No database is mocked.
package testutil

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for schema set-up

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/seed"
)

// PostgresEnv names the variable holding the test PostgreSQL URL.
const PostgresEnv = "LOCKSCORE_TEST_POSTGRES_URL"

// Engine is one database a test can run against.
type Engine struct {
	Name string
	// DSN returns a new, empty database for one test.
	DSN func(t testing.TB) string
}

// Engines returns SQLite, and PostgreSQL when its URL is set (with a log line
// saying it is skipped otherwise).
func Engines(t testing.TB) []Engine {
	out := []Engine{{Name: "sqlite", DSN: func(t testing.TB) string { return filepath.Join(t.TempDir(), "lockscore.db") }}}
	if base := os.Getenv(PostgresEnv); base != "" {
		out = append(out, Engine{Name: "postgres", DSN: func(t testing.TB) string { return PostgresSchema(t, base) }})
	} else {
		t.Logf("PostgreSQL cases skipped: set %s to run them", PostgresEnv)
	}
	return out
}

// PostgresSchema creates a schema of its own for one test and returns a URL
// whose search_path points at it; the schema is dropped when the test ends.
func PostgresSchema(t testing.TB, base string) string {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Logger discards logs.
func Logger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// OpenStore opens and migrates a store on dsn, closed when the test ends.
func OpenStore(t testing.TB, dsn string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

// Catalogue opens a migrated store on dsn and returns a loaded catalogue
// service, seeded with the embedded catalogue when seeded is true.
func Catalogue(t testing.TB, dsn string, seeded bool) *catalogue.Service {
	t.Helper()
	ctx := context.Background()
	svc := catalogue.New(OpenStore(t, dsn), Logger())
	if seeded {
		if _, err := seed.Load(ctx, svc); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.Load(ctx); err != nil {
		t.Fatal(err)
	}
	return svc
}
