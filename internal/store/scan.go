package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/lockscore/lockscore/internal/parallel"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

// The column list of scanLocks, in its Scan order: the scoring attributes
// come from the attribute table (one column each, under its public name),
// so adding an attribute needs no change here.
const (
	lockColumnsBefore = `id, slug, brand, model, variant, markets, form_factor, door_types, status, release_year,
	price_amount, price_currency, price_as_of, product_url, image_url`
	lockColumnsAfter = `sources, incidents, notes, data_confidence, version, catalogue_revision, last_editor, created_at, updated_at, deleted_at,
	score, score_upper, band, label, provisional, methodology_version, methodology_hash`
)

var lockColumns = lockColumnsBefore + ", " + strings.Join(scoring.AttributeNames(), ", ") + ",\n\t" + lockColumnsAfter

// lockHeadColumns is lockColumns with the cold columns read as empty
// values: price, URLs, sources, incidents and notes (scanLockHeads).
var lockHeadColumns = strings.NewReplacer(
	"price_amount, price_currency, price_as_of, product_url, image_url", "NULL, NULL, NULL, NULL, NULL",
	"sources, incidents, notes,", "'[]', '[]', '',",
).Replace(lockColumns)

// rawLock holds one row as scanned, before its JSON columns are decoded.
type rawLock struct {
	m                                  models.LockModel
	markets, doorTypes, sources, incid []byte
	// attrs holds each scoring attribute's column as text (booleans read
	// as true/false), indexed like scoring.Attributes.
	attrs [len(scoring.Attributes)]nullAttr
}

// nullAttr scans an attribute column of either kind: a boolean (bool, or
// SQLite's integer) or an enum's text.
type nullAttr struct {
	v     string
	valid bool
}

// Scan implements sql.Scanner.
func (n *nullAttr) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		n.valid = false
		return nil
	case bool:
		n.v = strconv.FormatBool(x)
	case int64:
		n.v = strconv.FormatBool(x != 0)
	case string:
		n.v = x
	case []byte:
		n.v = string(x)
	default:
		return fmt.Errorf("store: attribute column holds %T", src)
	}
	n.valid = true
	return nil
}

// scanLocks reads lock rows with database/sql rather than GORM's
// reflection: start-up reads every row, and this is several times faster.
// The JSON columns are decoded on every core.
func scanLocks(db *gorm.DB, where string, args ...any) ([]models.LockModel, error) {
	return scanWith(db, lockColumns, where, args...)
}

// scanLockHeads is scanLocks without the cold columns (see lockHeadColumns).
func scanLockHeads(db *gorm.DB, where string, args ...any) ([]models.LockModel, error) {
	return scanWith(db, lockHeadColumns, where, args...)
}

func scanWith(db *gorm.DB, columns, where string, args ...any) ([]models.LockModel, error) {
	rows, err := db.Raw("SELECT "+columns+" FROM lock_models WHERE "+where+" ORDER BY slug", args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var raws []*rawLock
	for rows.Next() {
		r := &rawLock{}
		m := &r.m
		var release sql.NullInt64
		var price sql.NullFloat64
		var cur, asOf, product, image sql.NullString
		var created, updated time.Time
		var deleted sql.NullTime
		dst := make([]any, 0, 15+len(r.attrs)+17)
		dst = append(dst, &m.ID, &m.Slug, &m.Brand, &m.Model, &m.Variant, &r.markets, &m.FormFactor, &r.doorTypes, &m.Status, &release,
			&price, &cur, &asOf, &product, &image)
		for i := range r.attrs {
			dst = append(dst, &r.attrs[i])
		}
		dst = append(dst, &r.sources, &r.incid, &m.Notes, &m.DataConfidence, &m.Version, &m.CatalogueRevision, &m.LastEditor, &created, &updated, &deleted,
			&m.Score, &m.ScoreUpper, &m.Band, &m.Label, &m.Provisional, &m.MethodologyVersion, &m.MethodologyHash)
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("store: scan lock model: %w", err)
		}
		if release.Valid {
			v := int(release.Int64)
			m.ReleaseYear = &v
		}
		if price.Valid {
			m.PriceAmount = &price.Float64
		}
		m.PriceCurrency, m.PriceAsOf, m.ProductURL, m.ImageURL = nullString(cur), nullString(asOf), nullString(product), nullString(image)
		m.CreatedAt, m.UpdatedAt = created.UTC(), updated.UTC()
		if deleted.Valid {
			t := deleted.Time.UTC()
			m.DeletedAt = &t
		}
		raws = append(raws, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]models.LockModel, len(raws))
	errs := make([]error, len(raws))
	parallel.For(len(raws), func(i int) {
		errs[i] = raws[i].finish()
		out[i] = raws[i].m
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r *rawLock) finish() error {
	m := &r.m
	for _, c := range []struct {
		raw []byte
		dst any
	}{{r.markets, &m.Markets}, {r.doorTypes, &m.DoorTypes}, {r.sources, &m.Sources}, {r.incid, &m.Incidents}} {
		if len(c.raw) == 0 {
			continue // an empty column is an empty list
		}
		if err := json.Unmarshal(c.raw, c.dst); err != nil {
			return fmt.Errorf("store: lock model %q: %w", m.Slug, err)
		}
	}
	for i := range r.attrs {
		if !r.attrs[i].valid {
			continue
		}
		a := &scoring.Attributes[i]
		if !a.Allows(r.attrs[i].v) {
			return fmt.Errorf("store: lock model %q: %s holds %q", m.Slug, a.Name, r.attrs[i].v)
		}
		a.Set(&m.Lock, &r.attrs[i].v)
	}
	// Share the attribute values between locks (see scoring.Intern).
	scoring.Intern(&m.Lock)
	return nil
}

func nullString(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}
