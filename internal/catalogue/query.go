package catalogue

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lockscore/lockscore/internal/scoring"
)

// Unknown is the filter and facet value of an attribute that is null.
const Unknown = "unknown"

// Filter selects lock models. Empty fields select everything; a list
// matches any of its values.
type Filter struct {
	Words           []string // lower-cased words that must all appear in brand, model, variant or slug
	Brands          []string // matched case-insensitively
	Markets         []string
	FormFactors     []string
	DoorTypes       []string
	KeyOverrides    []string // §7 values or "unknown"
	EmergencyPowers []string
	Bands           []string
	Labels          []string
	MinScore        *float64
	Provisional     *bool
	UpdatedSince    *time.Time
	// Fit is a ranking's door type (the context's door_type): locks whose
	// door_types are known and do not include it are left out, unless
	// IncludeUnfitting (methodology v2 §8a).
	Fit              string
	IncludeUnfitting bool
}

// Fits says whether the entry fits door: nil when no door is given or the
// entry's door_types are unknown (empty).
func (e *Entry) Fits(door string) *bool {
	if door == "" || len(e.Record.DoorTypes) == 0 {
		return nil
	}
	fits := has(e.Record.DoorTypes, door)
	return &fits
}

// Key is a stable digest of the filter, binding cursors to the filter they came from.
func (f *Filter) Key() string {
	b, _ := json.Marshal(f)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// facet dimensions a Filter can leave out when counting.
const (
	dimNone = iota
	dimBrand
	dimMarket
	dimFormFactor
	dimDoorType
	dimKeyOverride
	dimEmergencyPower
	dimBand
)

// matchRecord applies every filter that does not depend on the assessment.
func (f *Filter) matchRecord(e *Entry, skip int) bool {
	r := &e.Record
	if len(f.Words) > 0 && !e.Matches(f.Words) {
		return false
	}
	if skip != dimBrand && len(f.Brands) > 0 && !anyFold(f.Brands, r.Brand) {
		return false
	}
	if skip != dimMarket && len(f.Markets) > 0 && !overlap(f.Markets, r.Markets) {
		return false
	}
	if skip != dimFormFactor && len(f.FormFactors) > 0 && !has(f.FormFactors, r.FormFactor) {
		return false
	}
	if skip != dimDoorType && len(f.DoorTypes) > 0 && !overlap(f.DoorTypes, r.DoorTypes) {
		return false
	}
	if skip != dimKeyOverride && len(f.KeyOverrides) > 0 && !has(f.KeyOverrides, orUnknown(r.KeyOverride)) {
		return false
	}
	if skip != dimEmergencyPower && len(f.EmergencyPowers) > 0 && !has(f.EmergencyPowers, orUnknown(r.EmergencyPower)) {
		return false
	}
	if f.UpdatedSince != nil && r.UpdatedAt.Before(*f.UpdatedSince) {
		return false
	}
	return true
}

func (f *Filter) filtersSummary() bool {
	return len(f.Bands) > 0 || len(f.Labels) > 0 || f.MinScore != nil || f.Provisional != nil
}

// matchSummary applies the filters on an assessment (intrinsic for /locks,
// in context for /rankings).
func (f *Filter) matchSummary(s *scoring.Summary, skip int) bool {
	if skip != dimBand && len(f.Bands) > 0 && !has(f.Bands, s.Band) {
		return false
	}
	if len(f.Labels) > 0 && !anyFold(f.Labels, s.Label) && !anyFold(f.Labels, strings.ReplaceAll(s.Label, " ", "_")) {
		return false
	}
	if f.MinScore != nil && s.Score < *f.MinScore {
		return false
	}
	if f.Provisional != nil && s.Provisional != *f.Provisional {
		return false
	}
	return true
}

func orUnknown[T ~string](p *T) string {
	if p == nil {
		return Unknown
	}
	return string(*p)
}

func has(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func anyFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func overlap(want, have []string) bool {
	for _, w := range want {
		if has(have, w) {
			return true
		}
	}
	return false
}

// Cursor marks the last item of a page: its sort values and slug, plus the
// sort and filter it belongs to. Clients see it as an opaque string.
type Cursor struct {
	Sort   string  `json:"s"`
	Filter string  `json:"f"`
	Score  float64 `json:"n,omitempty"`
	Upper  float64 `json:"u,omitempty"`
	// Uncapped is a ranking cursor's score_uncapped, the second sort key.
	Uncapped float64    `json:"c,omitempty"`
	Text     string     `json:"t,omitempty"`
	Time     *time.Time `json:"d,omitempty"`
	Slug     string     `json:"k"`
}

// Encode returns the cursor's opaque form.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ErrBadCursor is returned for a cursor that does not decode or belongs to
// another sort or filter.
var ErrBadCursor = errors.New("cursor is not valid for this query; start again without it")

// DecodeCursor reads an opaque cursor and checks it belongs to sort and filter.
func DecodeCursor(s, sort, filter string) (*Cursor, error) {
	if len(s) > 1024 {
		return nil, ErrBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, ErrBadCursor
	}
	var c Cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Sort != sort || c.Filter != filter || c.Slug == "" {
		return nil, ErrBadCursor
	}
	return &c, nil
}

// ListPage is one page of lock models.
type ListPage struct {
	Items []*Entry
	Total int
	Next  *Cursor
}

// List returns the lock models matching f in the order of key (descending
// when desc; ties by slug ascending), after the cursor, at most limit of
// them (limit <= 0: all).
func (s *Snapshot) List(f *Filter, key SortKey, desc bool, limit int, sortName string, after *Cursor) ListPage {
	order := s.Ordered(key, desc)
	start := 0
	if after != nil {
		probe := cursorEntry(key, after)
		start = sort.Search(len(order), func(i int) bool { return orderCompare(key, desc, order[i], probe) > 0 })
	}
	var page ListPage
	page.Items = []*Entry{}
	for i, e := range order {
		if !f.matchRecord(e, dimNone) || !f.matchSummary(&e.Record.Assessment, dimNone) {
			continue
		}
		page.Total++
		if i < start {
			continue
		}
		if limit > 0 && len(page.Items) == limit {
			if page.Next == nil {
				last := page.Items[len(page.Items)-1]
				page.Next = cursorFor(key, sortName, f.Key(), last)
			}
			continue
		}
		page.Items = append(page.Items, e)
	}
	return page
}

func orderCompare(key SortKey, desc bool, a, b *Entry) int {
	c := compareKey(key, a, b)
	if desc {
		c = -c
	}
	if c != 0 {
		return c
	}
	return strings.Compare(a.Record.Slug, b.Record.Slug)
}

func cursorFor(key SortKey, sortName, filter string, e *Entry) *Cursor {
	c := &Cursor{Sort: sortName, Filter: filter, Slug: e.Record.Slug}
	switch key {
	case SortScore:
		c.Score = e.Record.Assessment.Score
	case SortBrand:
		c.Text = e.Record.Brand
	case SortModel:
		c.Text = e.Record.Model
	case SortUpdatedAt:
		t := e.Record.UpdatedAt
		c.Time = &t
	}
	return c
}

func cursorEntry(key SortKey, c *Cursor) *Entry {
	e := &Entry{}
	e.Record.Slug = c.Slug
	e.Record.Assessment.Score = c.Score
	e.Record.Brand, e.Record.Model = c.Text, c.Text
	if c.Time != nil {
		e.Record.UpdatedAt = *c.Time
	}
	return e
}

// Ranked is one lock model assessed in a context, kept compact: a ranking
// holds one per model.
type Ranked struct {
	Entry *Entry
	scoring.Rating
}

// Ranking returns every live lock model assessed in context c, ordered as
// methodology v2 §8a says: score, then score_uncapped, then score_upper (all
// descending), then slug. It is computed once per snapshot and context.
func (s *Snapshot) Ranking(engine *scoring.Engine, c *scoring.Context, contextKey string) []Ranked {
	v, hit := s.rankings.GetOrCompute(contextKey, func() any {
		cc := engine.CompileContext(c)
		out := make([]Ranked, len(s.Entries))
		// Rate in parallel: each lock's result depends on that lock alone.
		workers := runtime.GOMAXPROCS(0)
		chunk := (len(out) + workers - 1) / max(workers, 1)
		var wg sync.WaitGroup
		for lo := 0; lo < len(out); lo += chunk {
			hi := min(lo+chunk, len(out))
			wg.Add(1)
			go func(lo, hi int) {
				defer wg.Done()
				for i := lo; i < hi; i++ {
					e := s.Entries[i]
					out[i] = Ranked{Entry: e, Rating: engine.Rate(&e.Prepared, &cc)}
				}
			}(lo, hi)
		}
		wg.Wait()
		return rankSort(out)
	})
	if !hit {
		s.remember(contextKey, c)
	}
	return v.([]Ranked)
}

// rankSort orders by score, then score_uncapped, then score_upper (all
// descending), then slug. Scores have one decimal, so three stable
// counting-sort passes do it in linear time; the input is in slug order,
// which stability keeps for ties.
func rankSort(in []Ranked) []Ranked {
	key := func(f float64) int { return 1000 - int(math.Round(f*10)) } // 0 is the best
	out := make([]Ranked, len(in))
	pass := func(src, dst []Ranked, k func(*Ranked) int) {
		var count [1002]int
		for i := range src {
			count[k(&src[i])+1]++
		}
		for i := 1; i < len(count); i++ {
			count[i] += count[i-1]
		}
		for i := range src {
			c := k(&src[i])
			dst[count[c]] = src[i]
			count[c]++
		}
	}
	pass(in, out, func(r *Ranked) int { return key(r.ScoreUpper) })
	pass(out, in, func(r *Ranked) int { return key(r.ScoreUncapped) })
	pass(in, out, func(r *Ranked) int { return key(r.Score) })
	return out
}

func rankLess(a, b *Ranked) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if a.ScoreUncapped != b.ScoreUncapped {
		return a.ScoreUncapped > b.ScoreUncapped
	}
	if a.ScoreUpper != b.ScoreUpper {
		return a.ScoreUpper > b.ScoreUpper
	}
	return a.Entry.Record.Slug < b.Entry.Record.Slug
}

// RankRow is a ranked lock with its rank among the filtered ranking.
type RankRow struct {
	Rank int
	Ranked
	Summary scoring.Summary
	// Fits is the lock's fit to the ranking's door type (nil: unknown or none given).
	Fits *bool
}

// RankPage is one page of a ranking.
type RankPage struct {
	Rows  []RankRow
	Total int
	Next  *Cursor
}

// Rank filters a ranking and returns the page after the cursor.
func Rank(engine *scoring.Engine, all []Ranked, f *Filter, limit int, sortName string, after *Cursor) RankPage {
	start := 0
	if after != nil {
		probe := Ranked{Entry: &Entry{}, Rating: scoring.Rating{Score: after.Score, ScoreUpper: after.Upper, ScoreUncapped: after.Uncapped}}
		probe.Entry.Record.Slug = after.Slug
		start = sort.Search(len(all), func(i int) bool { return rankLess(&probe, &all[i]) })
	}
	page := RankPage{Rows: []RankRow{}}
	for i := range all {
		r := &all[i]
		if !f.matchRecord(r.Entry, dimNone) {
			continue
		}
		fits := r.Entry.Fits(f.Fit)
		if fits != nil && !*fits && !f.IncludeUnfitting {
			continue
		}
		if f.filtersSummary() {
			if sum := engine.SummaryOf(r.Rating); !f.matchSummary(&sum, dimNone) {
				continue
			}
		}
		page.Total++
		if i < start {
			continue
		}
		if limit > 0 && len(page.Rows) == limit {
			if page.Next == nil {
				last := page.Rows[len(page.Rows)-1]
				page.Next = &Cursor{Sort: sortName, Filter: f.Key(), Score: last.Score, Upper: last.ScoreUpper, Uncapped: last.ScoreUncapped, Slug: last.Entry.Record.Slug}
			}
			continue
		}
		page.Rows = append(page.Rows, RankRow{Rank: page.Total, Ranked: *r, Summary: engine.SummaryOf(r.Rating), Fits: fits})
	}
	return page
}

// Facets counts lock models per value of each dimension under f, leaving
// each dimension's own filter out of its counts (so a sidebar shows the
// alternatives to what is selected).
func (s *Snapshot) Facets(f *Filter) map[string]map[string]int {
	out, _ := s.facets(f, func(e *Entry) *scoring.Summary { return &e.Record.Assessment })
	return out
}

// FacetsInContext is Facets with the band counts and the assessment filters
// (band, label, min_score, provisional) on the in-context assessment of c,
// as a ranking's sidebar needs; it also returns the number of matching models.
func (s *Snapshot) FacetsInContext(engine *scoring.Engine, c *scoring.Context, contextKey string, f *Filter) (map[string]map[string]int, int) {
	ranked := s.Ranking(engine, c, contextKey)
	sums := make(map[*Entry]*scoring.Summary, len(ranked))
	for i := range ranked {
		sum := engine.SummaryOf(ranked[i].Rating)
		sums[ranked[i].Entry] = &sum
	}
	return s.facets(f, func(e *Entry) *scoring.Summary { return sums[e] })
}

func (s *Snapshot) facets(f *Filter, summary func(*Entry) *scoring.Summary) (map[string]map[string]int, int) {
	out := map[string]map[string]int{}
	dims := []struct {
		name string
		dim  int
		vals func(e *Entry) []string
	}{
		{"brand", dimBrand, func(e *Entry) []string { return []string{e.Record.Brand} }},
		{"market", dimMarket, func(e *Entry) []string { return e.Record.Markets }},
		{"form_factor", dimFormFactor, func(e *Entry) []string { return []string{e.Record.FormFactor} }},
		{"door_type", dimDoorType, func(e *Entry) []string { return e.Record.DoorTypes }},
		{"key_override", dimKeyOverride, func(e *Entry) []string { return []string{orUnknown(e.Record.KeyOverride)} }},
		{"emergency_power", dimEmergencyPower, func(e *Entry) []string { return []string{orUnknown(e.Record.EmergencyPower)} }},
		{"band", dimBand, func(e *Entry) []string { return []string{summary(e).Band} }},
	}
	for _, d := range dims {
		counts := map[string]int{}
		for _, e := range s.Entries {
			if !f.matchRecord(e, d.dim) || !f.matchSummary(summary(e), d.dim) {
				continue
			}
			for _, v := range d.vals(e) {
				counts[v]++
			}
		}
		out[d.name] = counts
	}
	total := 0
	for _, e := range s.Entries {
		if f.matchRecord(e, dimNone) && f.matchSummary(summary(e), dimNone) {
			total++
		}
	}
	return out, total
}
