package catalogue

import (
	"context"
	"encoding/json"
	"fmt"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/models"
)

// detailCacheSize is how many records' cold fields a catalogue keeps in
// memory: about 2.4 kB each, so 4,096 of them are about 10 MB.
const detailCacheSize = 4096

// details reads the cold fields of lock models (price, URLs, sources,
// incidents, notes) from the store, and keeps recently read ones in an LRU
// keyed by (slug, version): a version never changes, so the cache is never
// stale, and a popular lock costs one database read per change.
type details struct {
	store *store.Store
	cache *lru.Cache[detailKey, *cold]
}

type detailKey struct {
	slug    string
	version int
}

// cold is the part of a record a snapshot does not keep.
type cold struct {
	price      *Price
	productURL *string
	imageURL   *string
	sources    []models.Source
	incidents  []models.Incident
	notes      string
}

func newDetails(st *store.Store) *details {
	c, _ := lru.New[detailKey, *cold](detailCacheSize)
	return &details{store: st, cache: c}
}

func coldOf(r *Record) *cold {
	return &cold{price: r.Price, productURL: r.ProductURL, imageURL: r.ImageURL, sources: r.Sources, incidents: r.Incidents, notes: r.Notes}
}

func (c *cold) fill(r *Record) {
	r.Price, r.ProductURL, r.ImageURL = c.price, c.productURL, c.imageURL
	r.Sources, r.Incidents, r.Notes = c.sources, c.incidents, c.notes
}

// Record is the entry's whole record, cold fields included (see Records).
func (s *Snapshot) Record(ctx context.Context, e *Entry) (LockRecord, error) {
	out, err := s.Records(ctx, []*Entry{e})
	if err != nil {
		return LockRecord{}, err
	}
	return out[0], nil
}

// Records returns the entries' whole records, in order. Cold fields come
// from the detail cache, else from the database in one query: the stored
// row when it is still at the entry's version, else the revision kept for
// that version. A record whose version's revision is gone (the model changed
// after this snapshot, and the revision was never written) is served as the
// database holds it now: newer, and whole. A snapshot built without a store
// (in tests) returns the hot fields only.
func (s *Snapshot) Records(ctx context.Context, entries []*Entry) ([]LockRecord, error) {
	out := make([]LockRecord, len(entries))
	var missing []int
	for i, e := range entries {
		out[i] = e.head()
		if s.details == nil {
			continue
		}
		if c, ok := s.details.cache.Get(detailKey{e.Slug(), e.Version()}); ok {
			c.fill(&out[i].Record)
			continue
		}
		missing = append(missing, i)
	}
	if len(missing) == 0 {
		return out, nil
	}
	slugs := make([]string, len(missing))
	for k, i := range missing {
		slugs[k] = entries[i].Slug()
	}
	rows, err := s.details.store.LocksBySlugs(ctx, slugs)
	if err != nil {
		return nil, err
	}
	// A read of many records (an export, the catalogue report) would only
	// push the popular ones out of the cache, so it does not fill it.
	add := func(key detailKey, c *cold) {
		if len(missing) <= detailCacheSize/4 {
			s.details.cache.Add(key, c)
		}
	}
	bySlug := make(map[string]*models.LockModel, len(rows))
	for i := range rows {
		bySlug[rows[i].Slug] = &rows[i]
	}
	for _, i := range missing {
		e := entries[i]
		key := detailKey{e.Slug(), e.Version()}
		m := bySlug[key.slug]
		if m != nil && m.Version == key.version {
			rec := RecordOf(m)
			c := coldOf(&rec)
			add(key, c)
			c.fill(&out[i].Record)
			continue
		}
		snapshot, ok, err := s.details.store.RevisionSnapshot(ctx, key.slug, key.version)
		if err != nil {
			return nil, err
		}
		if ok {
			var rec Record
			if err := json.Unmarshal([]byte(snapshot), &rec); err != nil {
				return nil, fmt.Errorf("catalogue: revision %d of %q: %w", key.version, key.slug, err)
			}
			rec.normalise()
			c := coldOf(&rec)
			add(key, c)
			c.fill(&out[i].Record)
			continue
		}
		if m == nil {
			return nil, models.Errorf(models.KindUnavailable, "lock model %q changed while it was read; try again", key.slug)
		}
		out[i] = LockRecordOf(m)
	}
	return out, nil
}
