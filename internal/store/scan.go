package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

// lockColumns is the column list of scanLocks, in its Scan order.
const lockColumns = `id, slug, brand, model, variant, markets, form_factor, door_types, status, release_year,
	price_amount, price_currency, price_as_of, product_url, image_url,
	key_override, key_override_needs_emergency_cylinder, override_cylinder_rating, emergency_power, interior_egress,
	motorised, keypad, fingerprint, rfid, phone_local, phone_cloud, low_battery_on_device, low_battery_remote,
	low_battery_reserve, jam_alert, bhma_a156_40_grade, en_durability_class, electronic_standard,
	a156_33_battery_verified, works_without_account, update_support_declared, recovery_without_vendor, known_defect,
	sources, incidents, notes, data_confidence, version, catalogue_revision, last_editor, created_at, updated_at, deleted_at,
	score, score_upper, band, label, provisional, methodology_version`

// rawLock holds one row as scanned, before its JSON columns are decoded.
type rawLock struct {
	m                                  models.LockModel
	markets, doorTypes, sources, incid []byte
	enums                              [8]sql.NullString
	bools                              [15]sql.NullBool
}

// scanLocks reads lock rows with database/sql rather than GORM's
// reflection: start-up reads every row, and this is several times faster.
// The JSON columns are decoded on every core.
func scanLocks(db *gorm.DB, where string, args ...any) ([]models.LockModel, error) {
	rows, err := db.Raw("SELECT "+lockColumns+" FROM lock_models WHERE "+where+" ORDER BY slug", args...).Rows()
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
		e, b := &r.enums, &r.bools
		if err := rows.Scan(&m.ID, &m.Slug, &m.Brand, &m.Model, &m.Variant, &r.markets, &m.FormFactor, &r.doorTypes, &m.Status, &release,
			&price, &cur, &asOf, &product, &image,
			&e[0], &b[0], &e[1], &e[2], &e[3],
			&b[1], &b[2], &b[3], &b[4], &b[5], &b[6], &b[7], &b[8],
			&e[4], &b[9], &e[5], &e[6], &e[7],
			&b[10], &b[11], &b[12], &b[13], &b[14],
			&r.sources, &r.incid, &m.Notes, &m.DataConfidence, &m.Version, &m.CatalogueRevision, &m.LastEditor, &created, &updated, &deleted,
			&m.Score, &m.ScoreUpper, &m.Band, &m.Label, &m.Provisional, &m.MethodologyVersion); err != nil {
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
	parallel(len(raws), func(i int) {
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
		if err := json.Unmarshal(c.raw, c.dst); err != nil {
			return fmt.Errorf("store: lock model %q: %w", m.Slug, err)
		}
	}
	// Attributes are set through the shared, interned values (see scoring.Intern).
	enumAttrs := [8]string{"key_override", "override_cylinder_rating", "emergency_power", "interior_egress",
		"low_battery_reserve", "bhma_a156_40_grade", "en_durability_class", "electronic_standard"}
	for i, name := range enumAttrs {
		if r.enums[i].Valid {
			v := r.enums[i].String
			scoring.AttributeByName(name).Set(&m.Lock, &v)
		}
	}
	boolAttrs := [15]string{"key_override_needs_emergency_cylinder", "motorised", "keypad", "fingerprint", "rfid", "phone_local",
		"phone_cloud", "low_battery_on_device", "low_battery_remote", "jam_alert", "a156_33_battery_verified",
		"works_without_account", "update_support_declared", "recovery_without_vendor", "known_defect"}
	for i, name := range boolAttrs {
		if r.bools[i].Valid {
			v := "false"
			if r.bools[i].Bool {
				v = "true"
			}
			scoring.AttributeByName(name).Set(&m.Lock, &v)
		}
	}
	return nil
}

func nullString(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

// parallel runs fn(i) for i in [0, n) on every core.
func parallel(n int, fn func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / max(workers, 1)
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				fn(i)
			}
		}()
	}
	wg.Wait()
}
