package catalogue

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lockscore/lockscore/internal/scoring"
)

// Unknown is the filter and facet value of an attribute that is null.
const Unknown = "unknown"

// Filter selects lock models. Empty fields select everything; a list
// matches any of its values.
type Filter struct {
	Words           []string // lower-cased words that must all match brand, model, variant or slug (see matchWords)
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
	// ExactFirst lists the entries that match Words exactly before those
	// that match only within the typo allowance (GET /locks without sort).
	ExactFirst bool `json:",omitempty"`

	// near remembers, per query word, which words of the catalogue's text
	// are within its typo allowance: most text words recur across models.
	near []map[string]bool
}

// Fits says whether the entry fits door: nil when no door is given or the
// entry's door_types are unknown (empty).
func (e *Entry) Fits(door string) *bool {
	if door == "" || len(e.Record.DoorTypes) == 0 {
		return nil
	}
	fits := slices.Contains(e.Record.DoorTypes, door)
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
	if len(f.Words) > 0 {
		if ok, _ := f.matchWords(e); !ok {
			return false
		}
	}
	if skip != dimBrand && len(f.Brands) > 0 && !anyFold(f.Brands, r.Brand) {
		return false
	}
	if skip != dimMarket && len(f.Markets) > 0 && !overlap(f.Markets, r.Markets) {
		return false
	}
	if skip != dimFormFactor && len(f.FormFactors) > 0 && !slices.Contains(f.FormFactors, r.FormFactor) {
		return false
	}
	if skip != dimDoorType && len(f.DoorTypes) > 0 && !overlap(f.DoorTypes, r.DoorTypes) {
		return false
	}
	if skip != dimKeyOverride && len(f.KeyOverrides) > 0 && !slices.Contains(f.KeyOverrides, orUnknown(r.KeyOverride)) {
		return false
	}
	if skip != dimEmergencyPower && len(f.EmergencyPowers) > 0 && !slices.Contains(f.EmergencyPowers, orUnknown(r.EmergencyPower)) {
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
	if skip != dimBand && len(f.Bands) > 0 && !slices.Contains(f.Bands, s.Band) {
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

// maxEdits is the typo allowance of a query word: none below 4 letters
// (too many short words are one edit apart), 1 edit for 4 to 7, 2 from 8.
func maxEdits(n int) int {
	switch {
	case n >= 8:
		return 2
	case n >= 4:
		return 1
	}
	return 0
}

// matchWords reports whether every query word matches the entry's brand,
// model, variant and slug, and whether all did so exactly. A word matches
// exactly when it appears in that text (so "conex" finds Conexis), and
// otherwise when one of the text's words is within its typo allowance
// (maxEdits), counting a swap of two neighbouring letters as one edit:
// "conexsis" finds Conexis, "nukki" Nuki, "yael" Yale.
// A Filter is used by one request at a time, so near needs no lock.
func (f *Filter) matchWords(e *Entry) (ok, exact bool) {
	if f.near == nil {
		f.near = make([]map[string]bool, len(f.Words))
	}
	exact = true
	for i, w := range f.Words {
		if strings.Contains(e.search, w) {
			continue
		}
		if f.near[i] == nil {
			f.near[i] = map[string]bool{}
		}
		if !e.nearWord(w, f.near[i]) {
			return false, false
		}
		exact = false
	}
	return true, exact
}

// maxWord is the longest word, in runes, that typo matching considers.
const maxWord = 40

// nearWord reports whether a word of the entry's text is within the typo
// allowance of w; memo holds the answers for text words seen before.
func (e *Entry) nearWord(w string, memo map[string]bool) bool {
	text := e.search
	for start := 0; start < len(text); {
		end := start
		for end < len(text) {
			r, size := utf8.DecodeRuneInString(text[end:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			end += size
		}
		if end > start {
			t := text[start:end]
			near, seen := memo[t]
			if !seen {
				near = withinAllowance(w, t)
				memo[t] = near
			}
			if near {
				return true
			}
			start = end
			continue
		}
		_, size := utf8.DecodeRuneInString(text[start:])
		start += size
	}
	return false
}

// withinAllowance reports whether text word t is within query word w's typo allowance.
func withinAllowance(w, t string) bool {
	var qb, tb [maxWord]rune
	q, tr := appendRunes(qb[:0], w), appendRunes(tb[:0], t)
	k := maxEdits(len(q))
	return k > 0 && len(q) <= maxWord && len(tr) <= maxWord && withinEdits(q, tr, k)
}

func appendRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}

// withinEdits reports whether a and b (at most maxWord runes each) are at
// most k edits apart: insertions, deletions, substitutions and swaps of
// neighbours (optimal string alignment distance). It stops as soon as a
// whole row of the table exceeds k and allocates nothing, which a
// library's full distance does not; FuzzWithinEditsAgrees checks it
// against github.com/hbollon/go-edlib.
func withinEdits(a, b []rune, k int) bool {
	n, m := len(a), len(b)
	if n-m > k || m-n > k {
		return false
	}
	var r0, r1, r2 [maxWord + 1]int
	prev2, prev, cur := r0[:m+1], r1[:m+1], r2[:m+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= m; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > k {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[m] <= k
}

func orUnknown[T ~string](p *T) string {
	if p == nil {
		return Unknown
	}
	return string(*p)
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
		if slices.Contains(have, w) {
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
	// Tier is 1 past the exact matches of an ExactFirst search.
	Tier int `json:"r,omitempty"`
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
	// An ExactFirst search walks the order twice: exact matches (tier 0),
	// then typo matches (tier 1); a cursor names its tier.
	tiered := f.ExactFirst && len(f.Words) > 0
	keyFilter := f // cursors are bound to the filter as given
	var tier []int8
	passes := 1
	if tiered {
		// Match the words once: tier -1 is no match; the passes then filter without them.
		passes, tier = 2, make([]int8, len(order))
		for i, e := range order {
			if ok, exact := f.matchWords(e); !ok {
				tier[i] = -1
			} else if !exact {
				tier[i] = 1
			}
		}
		rest := *f
		rest.Words = nil
		f = &rest
	}
	lastTier := 0
	for pass := 0; pass < passes; pass++ {
		for i, e := range order {
			if tiered && int(tier[i]) != pass {
				continue
			}
			if !f.matchRecord(e, dimNone) || !f.matchSummary(&e.Record.Assessment, dimNone) {
				continue
			}
			page.Total++
			if after != nil && (pass < after.Tier || pass == after.Tier && i < start) {
				continue
			}
			if limit > 0 && len(page.Items) == limit {
				if page.Next == nil {
					last := page.Items[len(page.Items)-1]
					page.Next = cursorFor(key, sortName, keyFilter.Key(), last)
					page.Next.Tier = lastTier
				}
				continue
			}
			page.Items = append(page.Items, e)
			lastTier = pass
		}
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
