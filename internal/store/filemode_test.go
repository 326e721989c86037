package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lockscore/lockscore/internal/testutil"
)

// The SQLite file, its WAL and its shared-memory index hold API key hashes
// and stored answers: only the server's user may read them (issue 12 #8).
func TestSQLiteFilesArePrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lockscore.db")
	st := testutil.OpenStore(t, path)
	ctx := context.Background()
	// A write makes SQLite create the WAL and the SHM.
	if err := st.WriteDB().PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CountRevisions(ctx); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"lockscore.db", "lockscore.db-wal", "lockscore.db-shm"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if m := fi.Mode().Perm(); m != 0o600 {
			t.Errorf("%s has mode %o, want 600", name, m)
		}
	}
}

// A database made by an older version with mode 0644 is made private when opened.
func TestSQLiteExistingFileMadePrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "old.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	testutil.OpenStore(t, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Errorf("existing database left with mode %o, want 600", m)
	}
}
