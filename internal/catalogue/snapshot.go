package catalogue

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

// Snapshot is an immutable view of the live catalogue at one revision.
// Readers hold a pointer to it; writers build a new one and swap it in.
type Snapshot struct {
	Revision int64
	BuiltAt  time.Time
	// Entries are sorted by slug; Lookup searches them.
	Entries []*Entry

	// orders hold positions in Entries, not pointers: a collection need
	// not scan them.
	orderOnce [numSortKeys]sync.Once
	orders    [numSortKeys][]uint32

	// details reads the cold fields of records (nil: a snapshot built
	// without a store, in tests, has none).
	details *details

	// Cache holds values derived from this snapshot (serialized responses,
	// orders); it dies with the snapshot.
	Cache *Cache
	// rankings holds a few whole-catalogue rankings per context: each is
	// 32 bytes a model, so their number is bounded tightly.
	rankings *Cache

	// recent remembers the last contexts ranked, to warm the next snapshot.
	recentMu sync.Mutex
	recent   []rankedContext
}

type rankedContext struct {
	key string
	ctx scoring.Context
}

// warmContexts is how many recent ranking contexts a new snapshot rebuilds ahead of readers.
const warmContexts = 4

func (s *Snapshot) remember(key string, c *scoring.Context) {
	s.recentMu.Lock()
	defer s.recentMu.Unlock()
	for i, r := range s.recent {
		if r.key == key {
			s.recent = append(s.recent[:i], s.recent[i+1:]...)
			break
		}
	}
	s.recent = append(s.recent, rankedContext{key, *c})
	if len(s.recent) > warmContexts {
		s.recent = s.recent[len(s.recent)-warmContexts:]
	}
}

func (s *Snapshot) recentContexts() []rankedContext {
	s.recentMu.Lock()
	defer s.recentMu.Unlock()
	return append([]rankedContext(nil), s.recent...)
}

// Lookup returns the live entry with slug.
func (s *Snapshot) Lookup(slug string) (*Entry, bool) {
	i, ok := slices.BinarySearchFunc(s.Entries, slug, func(e *Entry, slug string) int { return strings.Compare(e.Slug(), slug) })
	if !ok {
		return nil, false
	}
	return s.Entries[i], true
}

// Len is the number of live lock models.
func (s *Snapshot) Len() int { return len(s.Entries) }

// buildSnapshot applies changed models (live or soft-deleted) to base (nil
// for an empty catalogue). It merges two slug-ordered lists, so applying a
// few changes to a large catalogue costs one copy of the pointers.
func buildSnapshot(base *Snapshot, changed []models.LockModel, revision int64) *Snapshot {
	sort.SliceStable(changed, func(i, j int) bool { return changed[i].Slug < changed[j].Slug })
	var old []*Entry
	if base != nil {
		old = base.Entries
	}
	entries := make([]*Entry, 0, len(old)+len(changed))
	i := 0
	for k := range changed {
		m := &changed[k]
		for i < len(old) && old[i].Slug() < m.Slug {
			entries = append(entries, old[i])
			i++
		}
		if i < len(old) && old[i].Slug() == m.Slug {
			i++ // replaced or deleted
		}
		if k+1 < len(changed) && changed[k+1].Slug == m.Slug {
			continue // a later change of the same model wins
		}
		if m.DeletedAt == nil {
			entries = append(entries, newEntry(m))
		}
	}
	entries = append(entries, old[i:]...)
	return &Snapshot{Revision: revision, BuiltAt: time.Now().UTC(), Entries: entries, Cache: newCache(256), rankings: newCache(16)}
}

// SortKey is a catalogue order for GET /locks.
type SortKey int

// Sort keys; each is ascending, and descending reverses it. Ties always
// break by slug ascending, so every order is total.
const (
	SortScore SortKey = iota
	SortBrand
	SortModel
	SortUpdatedAt
	numSortKeys
)

// SortKeyNames maps the sort parameter's names to keys.
var SortKeyNames = map[string]SortKey{"score": SortScore, "brand": SortBrand, "model": SortModel, "updated_at": SortUpdatedAt}

// Compare orders two entries by key (ascending), then by slug.
func Compare(key SortKey, a, b *Entry) int {
	if c := compareKey(key, a, b); c != 0 {
		return c
	}
	return strings.Compare(a.Slug(), b.Slug())
}

func compareKey(key SortKey, a, b *Entry) int {
	switch key {
	case SortScore:
		return cmp.Compare(a.score, b.score)
	case SortBrand:
		return strings.Compare(strings.ToLower(a.Brand()), strings.ToLower(b.Brand()))
	case SortModel:
		return strings.Compare(strings.ToLower(a.Model()), strings.ToLower(b.Model()))
	case SortUpdatedAt:
		return cmp.Compare(a.updatedAt, b.updatedAt)
	}
	return 0
}

// Ordered returns positions in Entries sorted by key with ties broken by
// slug. For a descending order, the primary key is reversed but the slug
// tie-break stays ascending. Built once per snapshot and direction.
func (s *Snapshot) Ordered(key SortKey, desc bool) []uint32 {
	i := key
	s.orderOnce[i].Do(func() {
		out := make([]uint32, len(s.Entries))
		for j := range out {
			out[j] = uint32(j)
		}
		// Entries are in slug order, so a stable sort keeps slug order for ties.
		sort.SliceStable(out, func(a, b int) bool { return compareKey(key, s.Entries[out[a]], s.Entries[out[b]]) < 0 })
		s.orders[i] = out
	})
	if !desc {
		return s.orders[i]
	}
	return s.descending(key)
}

func (s *Snapshot) descending(key SortKey) []uint32 {
	v, _ := s.Cache.GetOrCompute("desc-order:"+string(rune('0'+key)), func() any {
		asc := s.Ordered(key, false)
		out := make([]uint32, 0, len(asc))
		// Walk groups of equal keys from the end; inside a group keep slug order.
		for end := len(asc); end > 0; {
			start := end - 1
			for start > 0 && compareKey(key, s.Entries[asc[start-1]], s.Entries[asc[end-1]]) == 0 {
				start--
			}
			out = append(out, asc[start:end]...)
			end = start
		}
		return out
	})
	return v.([]uint32)
}
