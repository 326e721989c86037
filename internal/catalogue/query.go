package catalogue

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lockscore/lockscore/internal/parallel"
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
	doors := e.DoorTypes()
	if door == "" || len(doors) == 0 {
		return nil
	}
	fits := slices.Contains(doors, door)
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

// Attribute indexes the filters and facets read.
var (
	attrKeyOverride    = scoring.AttributeIndex("key_override")
	attrEmergencyPower = scoring.AttributeIndex("emergency_power")
)

// attrOrUnknown is attribute i's value on e, or Unknown.
func attrOrUnknown(e *Entry, i int) string {
	if v, ok := e.Attribute(i); ok {
		return v
	}
	return Unknown
}

// matchRecord applies every filter that does not depend on the assessment.
func (f *Filter) matchRecord(e *Entry, skip int) bool {
	if len(f.Words) > 0 {
		if ok, _ := f.matchWords(e); !ok {
			return false
		}
	}
	if skip != dimBrand && len(f.Brands) > 0 && !anyFold(f.Brands, e.Brand()) {
		return false
	}
	if skip != dimMarket && len(f.Markets) > 0 && !overlap(f.Markets, e.Markets()) {
		return false
	}
	if skip != dimFormFactor && len(f.FormFactors) > 0 && !slices.Contains(f.FormFactors, e.FormFactor()) {
		return false
	}
	if skip != dimDoorType && len(f.DoorTypes) > 0 && !overlap(f.DoorTypes, e.DoorTypes()) {
		return false
	}
	if skip != dimKeyOverride && len(f.KeyOverrides) > 0 && !slices.Contains(f.KeyOverrides, attrOrUnknown(e, attrKeyOverride)) {
		return false
	}
	if skip != dimEmergencyPower && len(f.EmergencyPowers) > 0 && !slices.Contains(f.EmergencyPowers, attrOrUnknown(e, attrEmergencyPower)) {
		return false
	}
	if f.UpdatedSince != nil && e.UpdatedAt().Before(*f.UpdatedSince) {
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
		if strings.Contains(e.search(), w) {
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
	text := e.search()
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
		probe := cursorEntry(after)
		start = sort.Search(len(order), func(i int) bool { return orderCompare(key, desc, s.Entries[order[i]], probe) > 0 })
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
		for i, at := range order {
			if ok, exact := f.matchWords(s.Entries[at]); !ok {
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
	summary := f.filtersSummary()
	for pass := 0; pass < passes; pass++ {
		for i, at := range order {
			if tiered && int(tier[i]) != pass {
				continue
			}
			e := s.Entries[at]
			if !f.matchRecord(e, dimNone) {
				continue
			}
			if summary && !f.matchSummary(scoring.Ptr(e.summary()), dimNone) {
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
	return strings.Compare(a.Slug(), b.Slug())
}

func cursorFor(key SortKey, sortName, filter string, e *Entry) *Cursor {
	c := &Cursor{Sort: sortName, Filter: filter, Slug: e.Slug()}
	switch key {
	case SortScore:
		c.Score = e.score
	case SortBrand:
		c.Text = e.Brand()
	case SortModel:
		c.Text = e.Model()
	case SortUpdatedAt:
		t := e.UpdatedAt()
		c.Time = &t
	}
	return c
}

// cursorEntry is an entry holding a cursor's sort values, to search an order with.
func cursorEntry(c *Cursor) *Entry {
	e := probeEntry(c.Slug)
	e.text += c.Text + c.Text
	e.ends[1] = uint16(len(c.Slug) + len(c.Text))
	e.ends[2] = uint16(len(e.text))
	e.ends[3] = e.ends[2]
	e.score = c.Score
	if c.Time != nil {
		e.updatedAt = c.Time.UnixNano()
	}
	return e
}

// probeEntry is an entry with only a slug.
func probeEntry(slug string) *Entry {
	e := &Entry{text: slug}
	for i := range e.ends {
		e.ends[i] = uint16(len(slug))
	}
	return e
}

// Ranked is one lock model assessed in a context.
type Ranked struct {
	Entry *Entry
	scoring.Rating
}

// rated is one model of a whole-catalogue ranking: its position in the
// snapshot's Entries instead of a pointer, so a cached ranking is one
// pointer-free array that a collection need not scan.
type rated struct {
	at uint32
	scoring.Rating
}

// Ranking is every live lock model of a snapshot assessed in one context,
// in ranking order.
type Ranking struct {
	snap *Snapshot
	rows []rated
}

// Len is the number of models ranked.
func (r *Ranking) Len() int { return len(r.rows) }

// Ranking returns every live lock model assessed in context c, ordered as
// methodology v2 §8a says: score, then score_uncapped, then score_upper (all
// descending), then slug. It is computed once per snapshot and context.
func (s *Snapshot) Ranking(engine *scoring.Engine, c *scoring.Context, contextKey string) *Ranking {
	v, hit := s.rankings.GetOrCompute(contextKey, func() any {
		cc := engine.CompileContext(c)
		out := make([]rated, len(s.Entries))
		// Rate on every core: each lock's result depends on that lock alone.
		parallel.For(len(out), func(i int) {
			out[i] = rated{at: uint32(i), Rating: engine.Rate(&s.Entries[i].Prepared, &cc)}
		})
		return &Ranking{snap: s, rows: rankSort(out)}
	})
	if !hit {
		s.remember(contextKey, c)
	}
	return v.(*Ranking)
}

// rankSort orders by score, then score_uncapped, then score_upper (all
// descending), then slug. Scores have one decimal, so three stable
// counting-sort passes do it in linear time; the input is in slug order,
// which stability keeps for ties.
func rankSort(in []rated) []rated {
	key := func(f float64) int { return 1000 - int(math.Round(f*10)) } // 0 is the best
	out := make([]rated, len(in))
	pass := func(src, dst []rated, k func(*rated) int) {
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
	pass(in, out, func(r *rated) int { return key(r.ScoreUpper) })
	pass(out, in, func(r *rated) int { return key(r.ScoreUncapped) })
	pass(in, out, func(r *rated) int { return key(r.Score) })
	return out
}

// rankLess orders two ranked models; slugs break ties.
func rankLess(a *scoring.Rating, aSlug string, b *scoring.Rating, bSlug string) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if a.ScoreUncapped != b.ScoreUncapped {
		return a.ScoreUncapped > b.ScoreUncapped
	}
	if a.ScoreUpper != b.ScoreUpper {
		return a.ScoreUpper > b.ScoreUpper
	}
	return aSlug < bSlug
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
func Rank(engine *scoring.Engine, all *Ranking, f *Filter, limit int, sortName string, after *Cursor) RankPage {
	entries := all.snap.Entries
	start := 0
	if after != nil {
		probe := scoring.Rating{Score: after.Score, ScoreUpper: after.Upper, ScoreUncapped: after.Uncapped}
		start = sort.Search(len(all.rows), func(i int) bool {
			r := &all.rows[i]
			return rankLess(&probe, after.Slug, &r.Rating, entries[r.at].Slug())
		})
	}
	page := RankPage{Rows: []RankRow{}}
	for i := range all.rows {
		r := &all.rows[i]
		e := entries[r.at]
		if !f.matchRecord(e, dimNone) {
			continue
		}
		fits := e.Fits(f.Fit)
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
				page.Next = &Cursor{Sort: sortName, Filter: f.Key(), Score: last.Score, Upper: last.ScoreUpper, Uncapped: last.ScoreUncapped, Slug: last.Entry.Slug()}
			}
			continue
		}
		page.Rows = append(page.Rows, RankRow{Rank: page.Total, Ranked: Ranked{Entry: e, Rating: r.Rating}, Summary: engine.SummaryOf(r.Rating), Fits: fits})
	}
	return page
}

// Facets counts lock models per value of each dimension under f, leaving
// each dimension's own filter out of its counts (so a sidebar shows the
// alternatives to what is selected).
func (s *Snapshot) Facets(f *Filter) map[string]map[string]int {
	out, _ := s.facets(f, func(i int) scoring.Summary { return s.Entries[i].summary() })
	return out
}

// FacetsInContext is Facets with the band counts and the assessment filters
// (band, label, min_score, provisional) on the in-context assessment of c,
// as a ranking's sidebar needs; it also returns the number of matching models.
func (s *Snapshot) FacetsInContext(engine *scoring.Engine, c *scoring.Context, contextKey string, f *Filter) (map[string]map[string]int, int) {
	ranked := s.Ranking(engine, c, contextKey)
	ratings := make([]scoring.Rating, len(s.Entries))
	for i := range ranked.rows {
		ratings[ranked.rows[i].at] = ranked.rows[i].Rating
	}
	return s.facets(f, func(i int) scoring.Summary { return engine.SummaryOf(ratings[i]) })
}

func (s *Snapshot) facets(f *Filter, summary func(i int) scoring.Summary) (map[string]map[string]int, int) {
	out := map[string]map[string]int{}
	one := func(v string) []string { return []string{v} }
	dims := []struct {
		name string
		dim  int
		vals func(i int, e *Entry) []string
	}{
		{"brand", dimBrand, func(_ int, e *Entry) []string { return one(e.Brand()) }},
		{"market", dimMarket, func(_ int, e *Entry) []string { return e.Markets() }},
		{"form_factor", dimFormFactor, func(_ int, e *Entry) []string { return one(e.FormFactor()) }},
		{"door_type", dimDoorType, func(_ int, e *Entry) []string { return e.DoorTypes() }},
		{"key_override", dimKeyOverride, func(_ int, e *Entry) []string { return one(attrOrUnknown(e, attrKeyOverride)) }},
		{"emergency_power", dimEmergencyPower, func(_ int, e *Entry) []string { return one(attrOrUnknown(e, attrEmergencyPower)) }},
		{"band", dimBand, func(i int, _ *Entry) []string { return one(summary(i).Band) }},
	}
	for _, d := range dims {
		counts := map[string]int{}
		for i, e := range s.Entries {
			if !f.matchRecord(e, d.dim) {
				continue
			}
			if sum := summary(i); !f.matchSummary(&sum, d.dim) {
				continue
			}
			for _, v := range d.vals(i, e) {
				counts[v]++
			}
		}
		out[d.name] = counts
	}
	total := 0
	for i, e := range s.Entries {
		if !f.matchRecord(e, dimNone) {
			continue
		}
		if sum := summary(i); f.matchSummary(&sum, dimNone) {
			total++
		}
	}
	return out, total
}
