package catalogue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	jsonpatch "github.com/evanphx/json-patch/v5"

	"github.com/lockscore/lockscore/internal/jsonstrict"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/models"
)

// SeedEditor is the editor name of changes made by the seed.
const SeedEditor = "seed"

// Service is the catalogue: writes go to the store, reads come from the snapshot.
type Service struct {
	store  *store.Store
	engine *scoring.Engine
	log    *slog.Logger
	now    func() time.Time

	snap      atomic.Pointer[Snapshot]
	refreshMu sync.Mutex
	details   *details
}

// New returns a catalogue service over st. Call Load before serving reads.
func New(st *store.Store, log *slog.Logger) *Service {
	return NewWithEngine(st, log, scoring.Default)
}

// NewWithEngine is New with another scoring engine; the catalogue stores
// that engine's assessments (tests use it to build an older release's data).
func NewWithEngine(st *store.Store, log *slog.Logger, engine *scoring.Engine) *Service {
	return &Service{store: st, engine: engine, log: log, now: func() time.Time { return time.Now().UTC() }, details: newDetails(st)}
}

// Store returns the service's store.
func (s *Service) Store() *store.Store { return s.store }

// Engine returns the scoring engine the catalogue uses.
func (s *Service) Engine() *scoring.Engine { return s.engine }

// Snapshot returns the current snapshot, or nil before Load.
func (s *Service) Snapshot() *Snapshot { return s.snap.Load() }

// Load recomputes stale stored assessments, then builds the snapshot from
// the whole catalogue.
func (s *Service) Load(ctx context.Context) error {
	if err := s.RecomputeStale(ctx); err != nil {
		return err
	}
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	changed, rev, err := s.store.LockHeadsChangedSince(ctx, 0)
	if err != nil {
		return err
	}
	next := buildSnapshot(nil, changed, rev)
	next.details = s.details
	s.snap.Store(next)
	return nil
}

// Refresh brings the snapshot up to the database's catalogue revision,
// loading only the records changed since the snapshot's own revision.
func (s *Service) Refresh(ctx context.Context) error {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	cur := s.snap.Load()
	if cur == nil {
		return errors.New("catalogue: not loaded")
	}
	rev, err := s.store.CatalogueRevision(ctx)
	if err != nil || rev == cur.Revision {
		return err
	}
	changed, rev, err := s.store.LockHeadsChangedSince(ctx, cur.Revision)
	if err != nil {
		return err
	}
	next := buildSnapshot(cur, changed, rev)
	next.details = s.details
	s.snap.Store(next)
	// The rankings readers asked for lately are rebuilt for the new snapshot
	// at once, so the first reader after a change finds one ready or under way.
	for _, rc := range cur.recentContexts() {
		go next.Ranking(s.engine, &rc.ctx, rc.key)
	}
	return nil
}

// Sync refreshes the snapshot every interval until ctx ends, so that changes
// made through other replicas are served here too.
func (s *Service) Sync(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("catalogue refresh failed", "err", err)
			}
		}
	}
}

// RecomputeStale recomputes every stored assessment whose methodology
// version or content hash is not the engine's.
func (s *Service) RecomputeStale(ctx context.Context) error {
	v := s.engine.Methodology().Version
	n, err := s.store.StaleSummaries(ctx, v, s.engine.Fingerprint())
	if err != nil || n == 0 {
		return err
	}
	done, err := s.store.UpdateSummaries(ctx, func(m *models.LockModel) { s.assess(m) })
	if err == nil {
		s.log.Info("recomputed stored assessments", "locks", done, "methodology_version", v)
	}
	return err
}

func (s *Service) assess(m *models.LockModel) {
	sum, _ := s.engine.Summarise(&m.Lock, &scoring.Context{})
	m.SetSummary(sum)
	m.MethodologyHash = s.engine.Fingerprint()
}

// afterWrite makes this replica serve its own write at once.
func (s *Service) afterWrite(ctx context.Context) {
	// The write is committed; a failed refresh only delays it until the next sync.
	if err := s.Refresh(context.WithoutCancel(ctx)); err != nil {
		s.log.Warn("catalogue refresh after write failed", "err", err)
	}
}

func snapshotJSON(r *Record) string {
	b, _ := json.Marshal(r)
	return string(b)
}

func checkVersion(cur *models.LockModel, ifMatch *int) error {
	if ifMatch != nil && *ifMatch != cur.Version {
		return &models.Error{Kind: models.KindPreconditionFailed,
			Message:        fmt.Sprintf("If-Match names version %d but the lock model is at version %d", *ifMatch, cur.Version),
			CurrentVersion: &cur.Version, CurrentETag: ETag(cur.Version)}
	}
	return nil
}

// findAt loads a lock model for a write and checks If-Match against it.
func findAt(tx *store.Tx, slug string, includeDeleted bool, ifMatch *int) (models.LockModel, error) {
	cur, err := tx.FindLock(slug, includeDeleted)
	if err != nil {
		return cur, err
	}
	return cur, checkVersion(&cur, ifMatch)
}

// ETag is the strong entity tag of a lock model version.
func ETag(version int) string { return fmt.Sprintf(`"v%d"`, version) }

// ParseIfMatch reads an If-Match header: nil when absent or "*", else the version it names.
func ParseIfMatch(h string) (*int, error) {
	h = strings.TrimSpace(h)
	if h == "" || h == "*" {
		return nil, nil
	}
	var v int
	if _, err := fmt.Sscanf(h, `"v%d"`, &v); err != nil || ETag(v) != h {
		return nil, &models.Error{Kind: models.KindInvalid, Message: "If-Match must be an ETag this API gave, such as \"v3\"",
			Fields: []models.FieldError{{Field: "If-Match", Message: "must look like \"v3\""}}}
	}
	return &v, nil
}

// Create adds a new lock model at version 1. A slug that belonged to a
// deleted model brings it back with the new content. Returns a conflict
// error when a live model has the slug.
func (s *Service) Create(ctx context.Context, rec Record, editor string) (LockRecord, error) {
	rec.normalise() // a caller in Go may leave lists nil
	if fields := rec.Validate(); len(fields) > 0 {
		return LockRecord{}, models.Invalid("the lock model is invalid", fields)
	}
	var out models.LockModel
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		cur, err := tx.FindLock(rec.Slug, true)
		switch {
		case err == nil && cur.DeletedAt == nil:
			return models.Errorf(models.KindConflict, "a lock model with slug %q already exists", rec.Slug)
		case err == nil:
			out = cur
			rec.ToModel(&out)
			out.DeletedAt = nil
			s.stamp(&out, editor)
			if err := tx.UpdateLock(&out, cur.Version, s.revision(&rec, models.ActionCreate, "created again after deletion", editor)); err != nil {
				return err
			}
			return tx.Answer(ctx, LockRecordOf(&out))
		case models.KindOf(err) != models.KindNotFound:
			return err
		}
		rec.ToModel(&out)
		out.CreatedAt = s.now()
		s.stamp(&out, editor)
		if err := tx.InsertLock(&out, s.revision(&rec, models.ActionCreate, "created", editor)); err != nil {
			return err
		}
		// An idempotent request's answer commits with the write it answers.
		return tx.Answer(ctx, LockRecordOf(&out))
	})
	if err != nil {
		return LockRecord{}, err
	}
	s.afterWrite(ctx)
	return LockRecordOf(&out), nil
}

func (s *Service) stamp(m *models.LockModel, editor string) {
	m.UpdatedAt = s.now()
	m.LastEditor = editor
	s.assess(m)
}

func (s *Service) revision(rec *Record, action, summary, editor string) models.Revision {
	return models.Revision{Action: action, Summary: summary, APIKeyName: editor, Snapshot: snapshotJSON(rec), CreatedAt: s.now()}
}

// Replace writes rec over the live lock model with slug. ifMatch, when set,
// must be its current version. An identical record changes nothing.
func (s *Service) Replace(ctx context.Context, slug string, rec Record, ifMatch *int, editor string) (LockRecord, error) {
	return s.update(ctx, slug, ifMatch, editor, models.ActionReplace, func(*Record) (Record, error) { return rec, nil })
}

// Patch applies an RFC 7396 JSON merge patch to the live lock model with slug.
func (s *Service) Patch(ctx context.Context, slug string, patch []byte, ifMatch *int, editor string) (LockRecord, error) {
	if dup, ok := jsonstrict.DuplicateName(patch); ok {
		return LockRecord{}, models.Invalid("the merge patch is invalid", []models.FieldError{{Field: dup, Message: jsonstrict.Message}})
	}
	return s.update(ctx, slug, ifMatch, editor, models.ActionPatch, func(cur *Record) (Record, error) {
		doc, _ := json.Marshal(cur)
		merged, err := jsonpatch.MergePatch(doc, patch)
		if err != nil {
			return Record{}, models.Invalid("the merge patch is not valid JSON", []models.FieldError{{Field: "", Message: err.Error()}})
		}
		return DecodeRecord(merged)
	})
}

func (s *Service) update(ctx context.Context, slug string, ifMatch *int, editor, action string, change func(*Record) (Record, error)) (LockRecord, error) {
	var out models.LockModel
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		cur, err := findAt(tx, slug, false, ifMatch)
		if err != nil {
			return err
		}
		old := RecordOf(&cur)
		rec, err := change(&old)
		if err != nil {
			return err
		}
		rec.normalise()
		if rec.Slug != slug {
			return models.Invalid("the slug cannot change", []models.FieldError{{Field: "slug", Message: "must be " + slug + " (the slug in the URL); renaming is not supported"}})
		}
		if fields := rec.Validate(); len(fields) > 0 {
			return models.Invalid("the lock model is invalid", fields)
		}
		out = cur
		if old.Equal(&rec) {
			return nil
		}
		rec.ToModel(&out)
		s.stamp(&out, editor)
		return tx.UpdateLock(&out, cur.Version, s.revision(&rec, action, ChangeSummary(&old, &rec), editor))
	})
	if err != nil {
		return LockRecord{}, err
	}
	s.afterWrite(ctx)
	return LockRecordOf(&out), nil
}

// Delete soft-deletes the live lock model with slug, recording a revision.
func (s *Service) Delete(ctx context.Context, slug string, ifMatch *int, editor string) error {
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		cur, err := findAt(tx, slug, false, ifMatch)
		if err != nil {
			return err
		}
		rec := RecordOf(&cur)
		out := cur
		now := s.now()
		out.DeletedAt = &now
		out.UpdatedAt = now
		out.LastEditor = editor
		return tx.UpdateLock(&out, cur.Version, s.revision(&rec, models.ActionDelete, "deleted", editor))
	})
	if err != nil {
		return err
	}
	s.afterWrite(ctx)
	return nil
}

// RevisionInfo is one kept version of a lock model.
type RevisionInfo struct {
	Version    int       `json:"version" example:"2"`
	Action     string    `json:"action" enums:"create,replace,patch,delete,restore,import,seed" example:"patch"`
	Summary    string    `json:"summary" example:"changed emergency_power"`
	APIKeyName string    `json:"api_key_name" example:"editor-alice"`
	CreatedAt  time.Time `json:"created_at"`
	// Deleted is true when this version is a deletion.
	Deleted  bool   `json:"deleted"`
	Snapshot Record `json:"snapshot"`
}

// Revisions lists every version of the lock model with slug (deleted or
// not), newest first.
func (s *Service) Revisions(ctx context.Context, slug string) ([]RevisionInfo, error) {
	revs, err := s.store.Revisions(ctx, slug)
	if err != nil {
		return nil, err
	}
	out := make([]RevisionInfo, 0, len(revs))
	for _, r := range revs {
		info := RevisionInfo{Version: r.Version, Action: r.Action, Summary: r.Summary, APIKeyName: r.APIKeyName,
			CreatedAt: r.CreatedAt.UTC(), Deleted: r.Action == models.ActionDelete}
		if err := json.Unmarshal([]byte(r.Snapshot), &info.Snapshot); err != nil {
			return nil, fmt.Errorf("catalogue: revision %d of %q: %w", r.Version, slug, err)
		}
		out = append(out, info)
	}
	return out, nil
}

// Restore makes the content of an earlier version current again, as a new
// version; a deleted lock model comes back.
func (s *Service) Restore(ctx context.Context, slug string, version int, ifMatch *int, editor string) (LockRecord, error) {
	var out models.LockModel
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		cur, err := findAt(tx, slug, true, ifMatch)
		if err != nil {
			return err
		}
		rev, err := tx.FindRevision(cur.ID, version)
		if err != nil {
			return err
		}
		var rec Record
		if err := json.Unmarshal([]byte(rev.Snapshot), &rec); err != nil {
			return fmt.Errorf("catalogue: revision %d of %q: %w", version, slug, err)
		}
		rec.normalise()
		out = cur
		rec.ToModel(&out)
		out.DeletedAt = nil
		s.stamp(&out, editor)
		if err := tx.UpdateLock(&out, cur.Version, s.revision(&rec, models.ActionRestore, fmt.Sprintf("restored version %d", version), editor)); err != nil {
			return err
		}
		return tx.Answer(ctx, LockRecordOf(&out))
	})
	if err != nil {
		return LockRecord{}, err
	}
	s.afterWrite(ctx)
	return LockRecordOf(&out), nil
}

// ChangeSummary names the top-level fields that differ between two records.
func ChangeSummary(old, new *Record) string {
	changed := DiffFields(old, new)
	if len(changed) == 0 {
		return "no change"
	}
	s := "changed " + strings.Join(changed, ", ")
	if len(s) > 480 {
		s = s[:477] + "..."
	}
	return s
}

// DiffFields lists the top-level JSON fields whose values differ, sorted.
func DiffFields(a, b *Record) []string {
	ma, mb := toMap(a), toMap(b)
	var out []string
	for k, va := range ma {
		if string(va) != string(mb[k]) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func toMap(r *Record) map[string]json.RawMessage {
	b, _ := json.Marshal(r)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	return m
}
