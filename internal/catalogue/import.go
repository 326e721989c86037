package catalogue

import (
	"context"
	"fmt"

	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/models"
)

// ImportRow is one row of an import: its 1-based number in the file, and
// either a decoded record or the errors that stopped it decoding.
type ImportRow struct {
	Row    int
	Record Record
	Errors []models.FieldError
	// Valid says Record was validated when decoded (DecodeRecord), so the
	// import need not validate it again.
	Valid bool
}

// Import results per row.
const (
	ResultCreated   = "created"
	ResultUpdated   = "updated"
	ResultUnchanged = "unchanged"
	ResultInvalid   = "invalid"
)

// ImportResult says what an import did, or would do, with one row.
type ImportResult struct {
	Row    int                 `json:"row" example:"1"`
	Slug   string              `json:"slug" example:"yale-conexis-l2"`
	Result string              `json:"result" enums:"created,updated,unchanged,invalid" example:"created"`
	Errors []models.FieldError `json:"errors,omitempty"`
}

// ImportReport is the outcome of an import.
type ImportReport struct {
	DryRun    bool           `json:"dry_run"`
	Total     int            `json:"total" example:"2"`
	Created   int            `json:"created" example:"1"`
	Updated   int            `json:"updated" example:"1"`
	Unchanged int            `json:"unchanged" example:"0"`
	Invalid   int            `json:"invalid" example:"0"`
	Rows      []ImportResult `json:"rows"`
}

// Import creates or updates lock models by slug, all or nothing, in one
// transaction. With dryRun nothing is written. When any row is invalid,
// nothing is written and the error is unprocessable, carrying the report.
func (s *Service) Import(ctx context.Context, rows []ImportRow, dryRun bool, editor string) (ImportReport, error) {
	rep := ImportReport{DryRun: dryRun, Total: len(rows), Rows: make([]ImportResult, len(rows))}
	seen := map[string]int{}
	for i := range rows {
		r := &rows[i]
		res := &rep.Rows[i]
		res.Row, res.Slug = r.Row, r.Record.Slug
		if len(r.Errors) == 0 && !r.Valid {
			r.Errors = r.Record.Validate()
		}
		if prev, dup := seen[r.Record.Slug]; dup && r.Record.Slug != "" {
			r.Errors = append(r.Errors, models.FieldError{Field: "slug", Message: fmt.Sprintf("repeats the slug of row %d", prev)})
		}
		if r.Record.Slug != "" {
			seen[r.Record.Slug] = r.Row
		}
		if len(r.Errors) > 0 {
			res.Result, res.Errors = ResultInvalid, r.Errors
			for j := range res.Errors {
				res.Errors[j].Row = r.Row
			}
			rep.Invalid++
		}
	}
	if rep.Invalid > 0 && !dryRun {
		return rep, s.invalidImport(rep)
	}
	errDryRun := fmt.Errorf("dry run")
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		existing, err := tx.AllLocks()
		if err != nil {
			return err
		}
		var fresh []models.LockModel
		var freshRevs []models.Revision
		for i := range rows {
			r, res := &rows[i], &rep.Rows[i]
			if res.Result == ResultInvalid {
				continue
			}
			cur, ok := existing[r.Record.Slug]
			switch {
			case !ok:
				res.Result = ResultCreated
				if dryRun {
					continue
				}
				var m models.LockModel
				r.Record.ToModel(&m)
				m.CreatedAt = s.now()
				s.stamp(&m, editor)
				fresh = append(fresh, m)
				freshRevs = append(freshRevs, s.revision(&r.Record, models.ActionImport, "imported", editor))
			case cur.DeletedAt == nil && RecordOf(&cur).Equal(&r.Record):
				res.Result = ResultUnchanged
			default:
				res.Result = ResultUpdated
				if cur.DeletedAt != nil {
					res.Result = ResultCreated
				}
				if dryRun {
					continue
				}
				old := RecordOf(&cur)
				out := cur
				r.Record.ToModel(&out)
				out.DeletedAt = nil
				s.stamp(&out, editor)
				if err := tx.UpdateLock(&out, cur.Version, s.revision(&r.Record, models.ActionImport, "imported: "+ChangeSummary(&old, &r.Record), editor)); err != nil {
					return err
				}
			}
		}
		if dryRun {
			return errDryRun // roll back the (empty) transaction
		}
		if err := tx.InsertLocks(fresh, freshRevs); err != nil {
			return err
		}
		rep.count()
		// An idempotent request's answer commits with the import it answers.
		return tx.Answer(ctx, rep)
	})
	if err != nil && err != errDryRun {
		return rep, err
	}
	rep.count()
	if !dryRun {
		s.afterWrite(ctx)
	}
	return rep, nil
}

// count sets the totals from the rows' results.
func (rep *ImportReport) count() {
	rep.Created, rep.Updated, rep.Unchanged = 0, 0, 0
	for _, r := range rep.Rows {
		switch r.Result {
		case ResultCreated:
			rep.Created++
		case ResultUpdated:
			rep.Updated++
		case ResultUnchanged:
			rep.Unchanged++
		}
	}
}

func (s *Service) invalidImport(rep ImportReport) error {
	var fields []models.FieldError
	for _, r := range rep.Rows {
		fields = append(fields, r.Errors...)
	}
	return &models.Error{Kind: models.KindUnprocessable,
		Message: fmt.Sprintf("%d of %d rows are invalid; nothing was imported", rep.Invalid, rep.Total),
		Fields:  fields, Report: rep}
}

// SeedReport says what seeding did.
type SeedReport struct {
	Created, Updated, Unchanged, KeptEdited int
}

// Seed loads the embedded catalogue: a record missing from the database is
// created; one the seed wrote last is updated when the seed file changed;
// one an editor changed (or deleted) is never touched. Running it again
// changes nothing.
func (s *Service) Seed(ctx context.Context, recs []Record) (SeedReport, error) {
	var rep SeedReport
	slugs := make([]string, len(recs))
	for i := range recs {
		slugs[i] = recs[i].Slug
	}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		existing, err := tx.LocksBySlug(slugs)
		if err != nil {
			return err
		}
		var fresh []models.LockModel
		var freshRevs []models.Revision
		for i := range recs {
			rec := &recs[i]
			if fields := rec.Validate(); len(fields) > 0 {
				return fmt.Errorf("catalogue: seed record %q is invalid: %v", rec.Slug, fields)
			}
			cur, ok := existing[rec.Slug]
			switch {
			case !ok:
				var m models.LockModel
				rec.ToModel(&m)
				m.CreatedAt = s.now()
				s.stamp(&m, SeedEditor)
				fresh = append(fresh, m)
				freshRevs = append(freshRevs, s.revision(rec, models.ActionSeed, "seeded", SeedEditor))
				rep.Created++
			case cur.LastEditor != SeedEditor || cur.DeletedAt != nil:
				rep.KeptEdited++
			case RecordOf(&cur).Equal(rec):
				rep.Unchanged++
			default:
				old := RecordOf(&cur)
				out := cur
				rec.ToModel(&out)
				s.stamp(&out, SeedEditor)
				if err := tx.UpdateLock(&out, cur.Version, s.revision(rec, models.ActionSeed, "seed update: "+ChangeSummary(&old, rec), SeedEditor)); err != nil {
					return err
				}
				rep.Updated++
			}
		}
		return tx.InsertLocks(fresh, freshRevs)
	})
	if err != nil {
		return rep, err
	}
	if s.Snapshot() != nil {
		s.afterWrite(ctx)
	}
	return rep, nil
}
