// Package store keeps the catalogue in SQLite or PostgreSQL through GORM:
// opening with the right settings, versioned migrations, lock models with
// their revisions, API keys and the catalogue revision counter. Every write
// happens in one transaction that also records its revision.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/lockscore/lockscore/internal/config"
	"github.com/lockscore/lockscore/models"
)

//go:embed migrations
var migrations embed.FS

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Store is the catalogue's database. Reads use a pool; on SQLite, writes go
// through a single connection so writers queue instead of failing with
// "database is locked".
type Store struct {
	read, write *gorm.DB
	dialect     string
	readSQL     *sql.DB
	writeSQL    *sql.DB
}

// Open connects to dsn: a postgres:// or postgresql:// URL, or a SQLite file path.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg := &gorm.Config{TranslateError: true, Logger: logger.Discard, NowFunc: func() time.Time { return time.Now().UTC() }}
	s := &Store{}
	var err error
	if config.IsPostgres(dsn) {
		s.dialect = Postgres
		if s.read, err = gorm.Open(postgres.Open(dsn), cfg); err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		s.write = s.read
		if s.readSQL, err = s.read.DB(); err != nil {
			return nil, err
		}
		s.writeSQL = s.readSQL
		s.readSQL.SetMaxOpenConns(20)
		s.readSQL.SetMaxIdleConns(10)
		s.readSQL.SetConnMaxIdleTime(3 * time.Minute)
	} else {
		s.dialect = SQLite
		path := strings.TrimPrefix(dsn, "file:")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		if dir := filepath.Dir(path); dir != "" {
			if _, err := os.Stat(dir); err != nil {
				return nil, fmt.Errorf("store: database directory %q: %w", dir, err)
			}
		}
		if err := privateFiles(path); err != nil {
			return nil, err
		}
		// Every per-connection setting is in the DSN, so each pooled
		// connection gets it (code-anchors G2-G5). synchronous=FULL: a write
		// acknowledged to a client survives a power cut too, not only a crash.
		base := "file:" + path + "?_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_synchronous=FULL"
		if s.write, err = gorm.Open(sqlite.Open(base+"&_txlock=immediate"), cfg); err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		if s.writeSQL, err = s.write.DB(); err != nil {
			return nil, err
		}
		s.writeSQL.SetMaxOpenConns(1)
		s.writeSQL.SetMaxIdleConns(1)
		if s.read, err = gorm.Open(sqlite.Open(base), cfg); err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		if s.readSQL, err = s.read.DB(); err != nil {
			return nil, err
		}
		s.readSQL.SetMaxOpenConns(8)
		s.readSQL.SetMaxIdleConns(8)
		s.readSQL.SetConnMaxIdleTime(3 * time.Minute)
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// privateFiles creates the SQLite file with mode 0600 before SQLite opens
// it, and makes an existing one (and its WAL and SHM) private: they hold
// API key hashes and stored answers. SQLite gives the WAL and SHM it
// creates the mode of the database file.
func privateFiles(path string) error {
	if path == "" || path == ":memory:" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: create database file: %w", err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("store: make %s private: %w", p, err)
		}
	}
	return nil
}

// Close closes every pool.
func (s *Store) Close() error {
	var errs []error
	if s.writeSQL != nil {
		errs = append(errs, s.writeSQL.Close())
	}
	if s.readSQL != nil && s.readSQL != s.writeSQL {
		errs = append(errs, s.readSQL.Close())
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.readSQL.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Migrate brings the schema up to date. On PostgreSQL a session advisory
// lock makes replicas that start together migrate one at a time.
func (s *Store) Migrate(ctx context.Context) error { return s.MigrateTo(ctx, 0) }

// MigrateTo brings the schema up to version (0: the latest).
func (s *Store) MigrateTo(ctx context.Context, version int64) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	if version > 0 {
		_, err = p.UpTo(ctx, version)
	} else {
		_, err = p.Up(ctx)
	}
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// RollbackTo undoes the migrations after version; tests use it to turn a
// database back into what an older release left.
func (s *Store) RollbackTo(ctx context.Context, version int64) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return fmt.Errorf("store: roll back: %w", err)
	}
	return nil
}

// Columns lists a table's column names.
func (s *Store) Columns(ctx context.Context, table string) ([]string, error) {
	q := "SELECT name FROM pragma_table_info(?)"
	if s.dialect == Postgres {
		q = "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1"
	}
	rows, err := s.readSQL.QueryContext(ctx, q, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, rows.Err()
}

func (s *Store) migrations() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+s.dialect)
	if err != nil {
		return nil, err
	}
	var opts []goose.ProviderOption
	dialect := goose.DialectSQLite3
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, s.writeSQL, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// SchemaVersion returns the applied migration version.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.readSQL.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&v)
	return v, err
}

// CatalogueRevision returns the counter every catalogue change raises.
func (s *Store) CatalogueRevision(ctx context.Context) (int64, error) {
	var st models.CatalogueState
	if err := s.read.WithContext(ctx).First(&st, 1).Error; err != nil {
		return 0, fmt.Errorf("store: catalogue revision: %w", err)
	}
	return st.Revision, nil
}

// LocksChangedSince returns the lock models (soft-deleted ones included)
// changed after catalogue revision since, and the revision they bring the
// reader to. Both come from one read transaction, so they agree.
func (s *Store) LocksChangedSince(ctx context.Context, since int64) ([]models.LockModel, int64, error) {
	return s.changedSince(ctx, since, scanLocks)
}

// changedSince reads the rows changed after since with scan (whole rows or heads).
func (s *Store) changedSince(ctx context.Context, since int64, scan func(db *gorm.DB, where string, args ...any) ([]models.LockModel, error)) ([]models.LockModel, int64, error) {
	var locks []models.LockModel
	rev, err := s.readAtRevision(ctx, func(tx *gorm.DB, rev int64) (err error) {
		locks, err = scan(tx, "catalogue_revision > ? AND catalogue_revision <= ?", since, rev)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: load catalogue: %w", err)
	}
	return locks, rev, nil
}

// readAtRevision runs fn in one read transaction with the catalogue
// revision read in it, so what fn reads and the revision agree.
func (s *Store) readAtRevision(ctx context.Context, fn func(tx *gorm.DB, rev int64) error) (int64, error) {
	var rev int64
	err := s.read.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var st models.CatalogueState
		if err := tx.First(&st, 1).Error; err != nil {
			return err
		}
		rev = st.Revision
		return fn(tx, rev)
	}, &sql.TxOptions{ReadOnly: s.dialect == Postgres})
	return rev, err
}

// Change is a lock model's latest change: where it stands in the change
// feed (its catalogue revision, then slug), its version and whether that
// change deleted it.
type Change struct {
	Slug              string
	Version           int
	CatalogueRevision int64
	UpdatedAt         time.Time
	DeletedAt         *time.Time
}

// ChangesAfter returns up to limit lock models, soft-deleted ones included,
// whose latest change comes after the position (rev, slug) in the order
// (catalogue_revision, slug), or after all of revision rev when slug is
// empty, and the catalogue revision they were read at.
// Every write raises the revision under one row lock, so revisions commit
// in order and a reader walking forward never skips a change.
func (s *Store) ChangesAfter(ctx context.Context, rev int64, slug string, limit int) ([]Change, int64, error) {
	var out []Change
	current, err := s.readAtRevision(ctx, func(tx *gorm.DB, current int64) error {
		q := tx.Model(&models.LockModel{}).Select("slug, version, catalogue_revision, updated_at, deleted_at")
		if slug == "" { // all of revision rev is behind the reader
			q = q.Where("catalogue_revision > ? AND catalogue_revision <= ?", rev, current)
		} else {
			q = q.Where("(catalogue_revision > ? OR (catalogue_revision = ? AND slug > ?)) AND catalogue_revision <= ?", rev, rev, slug, current)
		}
		return q.Order("catalogue_revision, slug").Limit(limit).Scan(&out).Error
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: changes: %w", err)
	}
	return out, current, nil
}

// FindLock returns the lock model with slug; a soft-deleted one only when
// includeDeleted. Returns a not-found error when there is none.
func (s *Store) FindLock(ctx context.Context, slug string, includeDeleted bool) (models.LockModel, error) {
	return findLock(s.read.WithContext(ctx), slug, includeDeleted, false)
}

func findLock(db *gorm.DB, slug string, includeDeleted, forUpdate bool) (models.LockModel, error) {
	var m models.LockModel
	q := db.Where("slug = ?", slug)
	if !includeDeleted {
		q = q.Where("deleted_at IS NULL")
	}
	if forUpdate && db.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.First(&m).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return m, models.NotFound("lock model %q not found", slug)
	case err != nil:
		return m, fmt.Errorf("store: find lock model %q: %w", slug, err)
	}
	return m, nil
}

// Revisions lists every revision of the lock model with slug, newest first.
func (s *Store) Revisions(ctx context.Context, slug string) ([]models.Revision, error) {
	m, err := s.FindLock(ctx, slug, true)
	if err != nil {
		return nil, err
	}
	var revs []models.Revision
	if err := s.read.WithContext(ctx).Where("lock_id = ?", m.ID).Order("version DESC").Find(&revs).Error; err != nil {
		return nil, fmt.Errorf("store: revisions of %q: %w", slug, err)
	}
	return revs, nil
}

// CountRevisions counts every revision in the catalogue.
func (s *Store) CountRevisions(ctx context.Context) (int64, error) {
	var n int64
	err := s.read.WithContext(ctx).Model(&models.Revision{}).Count(&n).Error
	return n, err
}

// Write runs fn in one write transaction. All of fn's changes, their
// revisions and the catalogue revision commit together or not at all.
func (s *Store) Write(ctx context.Context, fn func(tx *Tx) error) error {
	return s.write.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		return fn(&Tx{db: db})
	})
}

// Tx is a write transaction.
type Tx struct {
	db  *gorm.DB
	rev int64
}

// FindLock is Store.FindLock inside the transaction, locking the row on PostgreSQL.
func (tx *Tx) FindLock(slug string, includeDeleted bool) (models.LockModel, error) {
	return findLock(tx.db, slug, includeDeleted, true)
}

// FindRevision returns one revision of a lock model.
func (tx *Tx) FindRevision(lockID uint64, version int) (models.Revision, error) {
	var r models.Revision
	err := tx.db.Where("lock_id = ? AND version = ?", lockID, version).First(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, models.NotFound("revision %d not found", version)
	}
	return r, err
}

// AllLocks returns every lock model, soft-deleted ones included, keyed by slug.
func (tx *Tx) AllLocks() (map[string]models.LockModel, error) {
	var all []models.LockModel
	if err := tx.db.Find(&all).Error; err != nil {
		return nil, fmt.Errorf("store: all locks: %w", err)
	}
	out := make(map[string]models.LockModel, len(all))
	for _, m := range all {
		out[m.Slug] = m
	}
	return out, nil
}

// LocksBySlug returns the lock models (soft-deleted ones included) with the
// given slugs, keyed by slug.
func (tx *Tx) LocksBySlug(slugs []string) (map[string]models.LockModel, error) {
	out := make(map[string]models.LockModel, len(slugs))
	for start := 0; start < len(slugs); start += 500 {
		var part []models.LockModel
		if err := tx.db.Where("slug IN ?", slugs[start:min(start+500, len(slugs))]).Find(&part).Error; err != nil {
			return nil, fmt.Errorf("store: locks by slug: %w", err)
		}
		for _, m := range part {
			out[m.Slug] = m
		}
	}
	return out, nil
}

// revision raises the catalogue revision once per transaction and returns it.
func (tx *Tx) revision() (int64, error) {
	if tx.rev != 0 {
		return tx.rev, nil
	}
	if err := tx.db.Model(&models.CatalogueState{}).Where("id = 1").
		Update("revision", gorm.Expr("revision + 1")).Error; err != nil {
		return 0, fmt.Errorf("store: raise catalogue revision: %w", err)
	}
	var st models.CatalogueState
	if err := tx.db.First(&st, 1).Error; err != nil {
		return 0, err
	}
	tx.rev = st.Revision
	return tx.rev, nil
}

// InsertLock inserts a new lock model at version 1 with its first revision.
// Returns a conflict error when the slug is taken.
func (tx *Tx) InsertLock(m *models.LockModel, rev models.Revision) error {
	r, err := tx.revision()
	if err != nil {
		return err
	}
	m.ID, m.Version, m.CatalogueRevision = 0, 1, r
	if err := tx.db.Create(m).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return models.Errorf(models.KindConflict, "a lock model with slug %q already exists", m.Slug)
		}
		return fmt.Errorf("store: insert lock model %q: %w", m.Slug, err)
	}
	return tx.insertRevision(m, rev)
}

// UpdateLock writes every column of m over the row with m.ID, provided its
// version is still expectVersion, raises the version and records rev.
// Returns a precondition-failed error when another change came first.
func (tx *Tx) UpdateLock(m *models.LockModel, expectVersion int, rev models.Revision) error {
	r, err := tx.revision()
	if err != nil {
		return err
	}
	m.Version, m.CatalogueRevision = expectVersion+1, r
	res := tx.db.Model(&models.LockModel{}).Where("id = ? AND version = ?", m.ID, expectVersion).
		Select("*").Omit("id", "created_at").Updates(m)
	if res.Error != nil {
		if errors.Is(res.Error, gorm.ErrDuplicatedKey) {
			return models.Errorf(models.KindConflict, "a lock model with slug %q already exists", m.Slug)
		}
		return fmt.Errorf("store: update lock model %q: %w", m.Slug, res.Error)
	}
	if res.RowsAffected == 0 {
		return &models.Error{Kind: models.KindPreconditionFailed, Message: "the lock model changed since that version",
			CurrentVersion: &expectVersion}
	}
	return tx.insertRevision(m, rev)
}

func (tx *Tx) insertRevision(m *models.LockModel, rev models.Revision) error {
	rev.ID, rev.LockID, rev.Version, rev.Slug = 0, m.ID, m.Version, m.Slug
	if rev.CreatedAt.IsZero() {
		rev.CreatedAt = m.UpdatedAt
	}
	if err := tx.db.Create(&rev).Error; err != nil {
		return fmt.Errorf("store: record revision %d of %q: %w", m.Version, m.Slug, err)
	}
	return nil
}

// UpdateSummaries rewrites the stored assessment of every lock model without
// a new version: it follows a methodology change, not an edit. fn returns
// the new summary columns for one model.
func (s *Store) UpdateSummaries(ctx context.Context, fn func(m *models.LockModel)) (int, error) {
	n := 0
	err := s.Write(ctx, func(tx *Tx) error {
		var all []models.LockModel
		if err := tx.db.Find(&all).Error; err != nil {
			return err
		}
		r, err := tx.revision()
		if err != nil {
			return err
		}
		for i := range all {
			m := &all[i]
			fn(m)
			if err := tx.db.Model(&models.LockModel{}).Where("id = ?", m.ID).Updates(map[string]any{
				"score": m.Score, "score_upper": m.ScoreUpper, "band": m.Band, "label": m.Label,
				"provisional": m.Provisional, "methodology_version": m.MethodologyVersion, "methodology_hash": m.MethodologyHash, "catalogue_revision": r,
			}).Error; err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// StaleSummaries counts lock models whose stored assessment is not from the
// methodology with this version and content hash.
func (s *Store) StaleSummaries(ctx context.Context, version, hash string) (int64, error) {
	var n int64
	err := s.read.WithContext(ctx).Model(&models.LockModel{}).Where("methodology_version <> ? OR methodology_hash <> ?", version, hash).Count(&n).Error
	return n, err
}

// InsertLocks inserts many new lock models at version 1 in batches, with
// one revision each (revs[i] belongs to ms[i]).
func (tx *Tx) InsertLocks(ms []models.LockModel, revs []models.Revision) error {
	if len(ms) == 0 {
		return nil
	}
	r, err := tx.revision()
	if err != nil {
		return err
	}
	for i := range ms {
		ms[i].ID, ms[i].Version, ms[i].CatalogueRevision = 0, 1, r
	}
	if err := tx.db.CreateInBatches(ms, 200).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return models.Errorf(models.KindConflict, "a slug in the batch already exists")
		}
		return fmt.Errorf("store: insert lock models: %w", err)
	}
	for i := range revs {
		if ms[i].ID == 0 {
			return fmt.Errorf("store: insert lock models: no id returned for %q", ms[i].Slug)
		}
		revs[i].ID, revs[i].LockID, revs[i].Version, revs[i].Slug = 0, ms[i].ID, 1, ms[i].Slug
	}
	if err := tx.db.CreateInBatches(revs, 200).Error; err != nil {
		return fmt.Errorf("store: record revisions: %w", err)
	}
	return nil
}

// ReadDB returns the read pool (the only pool on PostgreSQL), for metrics.
func (s *Store) ReadDB() *sql.DB { return s.readSQL }

// WriteDB returns the write pool, for metrics.
func (s *Store) WriteDB() *sql.DB { return s.writeSQL }

// RawCreateRevision inserts a revision as given; tests use it to check that
// the database itself enforces foreign keys.
func (tx *Tx) RawCreateRevision(r models.Revision) error {
	return tx.db.Create(&r).Error
}

// LockHeadsChangedSince is LocksChangedSince without the cold columns
// (price, URLs, sources, incidents, notes, which come back empty): what
// a catalogue snapshot keeps. Start-up reads every row, so it skips
// decoding what the snapshot would drop.
func (s *Store) LockHeadsChangedSince(ctx context.Context, since int64) ([]models.LockModel, int64, error) {
	return s.changedSince(ctx, since, scanLockHeads)
}

// LocksBySlugs returns the whole stored lock models (soft-deleted ones
// included) with the given slugs, in slug order.
func (s *Store) LocksBySlugs(ctx context.Context, slugs []string) ([]models.LockModel, error) {
	var out []models.LockModel
	for start := 0; start < len(slugs); start += 500 {
		part, err := scanLocks(s.read.WithContext(ctx), "slug IN ?", slugs[start:min(start+500, len(slugs))])
		if err != nil {
			return nil, fmt.Errorf("store: locks by slug: %w", err)
		}
		out = append(out, part...)
	}
	return out, nil
}

// RevisionSnapshot returns the record kept for version of the lock model
// with slug, as JSON; ok is false when there is none.
func (s *Store) RevisionSnapshot(ctx context.Context, slug string, version int) (snapshot string, ok bool, err error) {
	var revs []models.Revision
	if err := s.read.WithContext(ctx).Where("slug = ? AND version = ?", slug, version).Order("id DESC").Limit(1).Find(&revs).Error; err != nil {
		return "", false, fmt.Errorf("store: revision %d of %q: %w", version, slug, err)
	}
	if len(revs) == 0 {
		return "", false, nil
	}
	return revs[0].Snapshot, true, nil
}
