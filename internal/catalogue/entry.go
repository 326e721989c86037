package catalogue

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

// Entry is one live lock model in a snapshot: what lists, filters, sorts,
// facets and rankings read, and nothing else. Its one pointer is its text;
// the rest is codes and numbers, so a garbage collection marks two objects
// a model and scans one word of each (BenchmarkGCWithSnapshot). The cold
// fields (price, URLs, sources, incidents, notes) stay in the database and
// come back through Snapshot.Records for the few records a response shows.
type Entry struct {
	// text is the slug, brand, model and variant back to back, then the
	// lower-cased search text; ends[i] is where the i-th of the four ends.
	text string
	ends [4]uint16
	// codes are the §7 attributes (scoring.Codes).
	codes scoring.Codes
	// Indexes into the shared string and list tables (see table).
	formFactor, status, confidence, band, label, methodology uint32
	markets, doorTypes                                       uint32
	// verdict is 1 + the table index of the intrinsic verdict, 0 until
	// first asked for: a snapshot of many models need not pay for verdicts
	// nobody reads. Two readers may both compute it; they store the same.
	verdict     atomic.Uint32
	provisional bool
	releaseYear uint16 // 0: unknown
	version     int32
	score       float64
	scoreUpper  float64
	createdAt   int64 // Unix nanoseconds, UTC
	updatedAt   int64
	// Prepared is the lock's bounds, ready for scoring.Engine.Rate.
	Prepared scoring.Prepared
}

func newEntry(m *models.LockModel) *Entry {
	e := &Entry{}
	var b strings.Builder
	b.Grow(2*(len(m.Slug)+len(m.Brand)+len(m.Model)+len(m.Variant)) + 3)
	for i, s := range []string{m.Slug, m.Brand, m.Model, m.Variant} {
		b.WriteString(s)
		e.ends[i] = uint16(b.Len())
	}
	b.WriteString(strings.ToLower(m.Brand + " " + m.Model + " " + m.Variant + " " + m.Slug))
	e.text = b.String()
	e.codes = scoring.Pack(&m.Lock)
	e.formFactor, e.status, e.confidence = strs.index(m.FormFactor), strs.index(m.Status), strs.index(m.DataConfidence)
	e.band, e.label, e.methodology = strs.index(m.Band), strs.index(m.Label), strs.index(m.MethodologyVersion)
	e.markets, e.doorTypes = lists.index(m.Markets), lists.index(m.DoorTypes)
	e.provisional = m.Provisional
	if m.ReleaseYear != nil && *m.ReleaseYear > 0 && *m.ReleaseYear < 1<<16 {
		e.releaseYear = uint16(*m.ReleaseYear)
	}
	e.version = int32(m.Version)
	e.score, e.scoreUpper = m.Score, m.ScoreUpper
	e.createdAt, e.updatedAt = m.CreatedAt.UnixNano(), m.UpdatedAt.UnixNano()
	e.Prepared = scoring.Prepare(&m.Lock)
	return e
}

// Slug is the lock model's slug.
func (e *Entry) Slug() string { return e.text[:e.ends[0]] }

// Brand is the lock model's brand.
func (e *Entry) Brand() string { return e.text[e.ends[0]:e.ends[1]] }

// Model is the lock model's model name.
func (e *Entry) Model() string { return e.text[e.ends[1]:e.ends[2]] }

// Variant is the lock model's variant ("" when none).
func (e *Entry) Variant() string { return e.text[e.ends[2]:e.ends[3]] }

// search is the lower-cased brand, model, variant and slug for q.
func (e *Entry) search() string { return e.text[e.ends[3]:] }

// Markets lists the markets; the slice is shared: never write to it.
func (e *Entry) Markets() []string { return lists.get(e.markets) }

// DoorTypes lists the door types; the slice is shared: never write to it.
func (e *Entry) DoorTypes() []string { return lists.get(e.doorTypes) }

// FormFactor is the lock's form factor.
func (e *Entry) FormFactor() string { return strs.get(e.formFactor) }

// Status is the lock model's market status.
func (e *Entry) Status() string { return strs.get(e.status) }

// DataConfidence is the record's data confidence.
func (e *Entry) DataConfidence() string { return strs.get(e.confidence) }

// ReleaseYear is the release year, nil when unknown.
func (e *Entry) ReleaseYear() *int {
	if e.releaseYear == 0 {
		return nil
	}
	y := int(e.releaseYear)
	return &y
}

// Version is the record's version.
func (e *Entry) Version() int { return int(e.version) }

// CreatedAt is when the lock model was first created (UTC).
func (e *Entry) CreatedAt() time.Time { return time.Unix(0, e.createdAt).UTC() }

// UpdatedAt is when the lock model last changed (UTC).
func (e *Entry) UpdatedAt() time.Time { return time.Unix(0, e.updatedAt).UTC() }

// Lock is the lock's §7 attributes. Its pointers are shared: treat it as immutable.
func (e *Entry) Lock() scoring.Lock { return e.codes.Unpack() }

// Attribute is §7 attribute i's value (scoring.Attributes order) and whether it is known.
func (e *Entry) Attribute(i int) (string, bool) { return e.codes.Value(i) }

// Score is the intrinsic assessment's lower score.
func (e *Entry) Score() float64 { return e.score }

// Summary is the entry's intrinsic assessment summary, verdict included.
func (e *Entry) Summary() scoring.Summary {
	s := e.summary()
	v := e.verdict.Load()
	if v == 0 {
		l := e.Lock()
		v = strs.index(scoring.Default.Verdict(&l, &scoring.Context{})) + 1
		e.verdict.Store(v)
	}
	s.Verdict = strs.get(v - 1)
	return s
}

// summary is Summary without the verdict.
func (e *Entry) summary() scoring.Summary {
	return scoring.Summary{Score: e.score, ScoreUpper: e.scoreUpper, Band: strs.get(e.band), Label: strs.get(e.label),
		Provisional: e.provisional, MethodologyVersion: strs.get(e.methodology)}
}

// head is the entry's record with its hot fields only: the cold ones
// (price, URLs, sources, incidents, notes) are left empty.
func (e *Entry) head() LockRecord {
	return LockRecord{
		Record: Record{Slug: e.Slug(), Brand: e.Brand(), Model: e.Model(), Variant: e.Variant(), Markets: e.Markets(),
			FormFactor: e.FormFactor(), DoorTypes: e.DoorTypes(), Status: e.Status(), ReleaseYear: e.ReleaseYear(),
			Lock: e.Lock(), Sources: []models.Source{}, Incidents: []models.Incident{}, DataConfidence: e.DataConfidence()},
		Version: e.Version(), CreatedAt: e.CreatedAt(), UpdatedAt: e.UpdatedAt(), Assessment: e.Summary(),
	}
}

// table interns values that repeat across models (form factors, statuses,
// bands, labels, verdicts; market and door-type lists) so an entry holds a
// 4-byte index instead of a pointer. Tables only grow; their size is the
// number of distinct values, not of models. Reads take no lock.
type table[T any] struct {
	mu   sync.Mutex
	at   map[string]uint32
	vals atomic.Pointer[[]T]
	key  func(T) string
	own  func(T) T
}

var (
	strs  = newTable(func(s string) string { return s }, strings.Clone)
	lists = newTable(func(l []string) string { return strings.Join(l, "\x00") }, func(l []string) []string {
		own := make([]string, len(l)) // never nil: an empty list is []
		for i, s := range l {
			own[i] = strings.Clone(s)
		}
		return own
	})
)

// newTable returns a table keyed by key; own copies a value so the table
// never holds on to a caller's memory.
func newTable[T any](key func(T) string, own func(T) T) *table[T] {
	t := &table[T]{at: map[string]uint32{}, key: key, own: own}
	t.vals.Store(&[]T{})
	return t
}

func (t *table[T]) get(i uint32) T { return (*t.vals.Load())[i] }

// index returns v's index, adding it on first sight. Published elements
// are never written again, so readers need no lock.
func (t *table[T]) index(v T) uint32 {
	k := t.key(v)
	t.mu.Lock()
	defer t.mu.Unlock()
	if i, ok := t.at[k]; ok {
		return i
	}
	// Appending within capacity writes past every published length, which
	// no reader looks at until the new length is published.
	old := *t.vals.Load()
	next := append(old, t.own(v))
	t.vals.Store(&next)
	t.at[k] = uint32(len(old))
	return uint32(len(old))
}
