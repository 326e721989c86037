package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

// ---- results ----

type resultRow struct {
	Rank        int
	Slug        string
	Name        string
	Brand       string
	FormFactor  string
	FormWords   string
	Band, Label string
	Score       float64
	ScoreUpper  float64
	Provisional bool
	Verdict     string
	Reason      string // the first gate's reason, when there is no verdict to say it
	Advice      string
	HasKey      string // yes, no or unknown
	Href        string
	Hidden      bool // left out by the brand or form filter (JavaScript can show it again)
	FitUnknown  bool // a door type is given but the catalogue does not say which doors the lock fits
}

type resultsPage struct {
	page
	C           checklist
	Summary     []string
	ChangeHref  string
	Rows        []resultRow
	Shown       int
	Unfitting   int
	Brands      []option
	FormFactors []option
	Hidden      [][2]string // the context and market, kept by the filter and compare forms
}

func (h *Handler) results(c echo.Context) error {
	f := newForm(c.Request().URL.RawQuery, checklistParams, filterParams)
	cl := f.checklist()
	if len(f.errs) > 0 {
		return h.badRequest(c, f.errs, withQuery("/", c.Request().URL.RawQuery))
	}
	snap, err := h.snapshot(c)
	if snap == nil {
		return err
	}
	return h.cachedRender(c, snap, "results?"+c.Request().URL.RawQuery, "results", func() any { return h.resultsPage(snap, cl) })
}

// resultsPage ranks every lock for the checklist's context, keeps the ones
// that fit the door and are sold in the market, and marks the ones the
// brand and form filters leave out.
func (h *Handler) resultsPage(snap *catalogue.Snapshot, cl checklist) resultsPage {
	pairs := ctxPairs(&cl.Ctx)
	ctxQ := encodePairs(pairs)
	hidden := pairs
	if cl.Market != "" {
		hidden = append(append([][2]string{}, pairs...), [2]string{"market", cl.Market})
	}
	p := resultsPage{page: page{Title: "Locks for your door", Active: "results"}, C: cl, Summary: ctxSummary(&cl.Ctx),
		ChangeHref: withQuery("/", encodePairs(hidden)), Hidden: hidden}
	if cl.Market != "" {
		p.Summary = append(p.Summary, "Sold in: "+marketLabels[cl.Market])
	}
	// The same ranking GET /api/v1/rankings uses (and caches) for this context.
	ctxKey := cl.Ctx.Key()
	all := snap.Ranking(h.engine, &cl.Ctx, ctxKey)
	// Unfitting locks are kept here only to be counted.
	filter := catalogue.Filter{IncludeUnfitting: true}
	if cl.Ctx.DoorType != nil {
		filter.Fit = string(*cl.Ctx.DoorType)
	}
	if cl.Market != "" {
		filter.Markets = []string{cl.Market}
	}
	page := catalogue.Rank(h.engine, all, &filter, 0, "rank:"+ctxKey, nil)
	brands := map[string]bool{}
	forms := map[string]bool{}
	for i := range page.Rows {
		r := &page.Rows[i]
		e := r.Entry
		if r.Fits != nil && !*r.Fits {
			p.Unfitting++
			continue
		}
		lock := e.Lock()
		a := h.engine.Assess(&lock, &cl.Ctx)
		row := resultRow{Rank: len(p.Rows) + 1, Slug: e.Slug(), Name: entryName(e), Brand: e.Brand(), FormFactor: e.FormFactor(),
			FormWords: formFactorLabels[e.FormFactor()], Band: a.Band, Label: a.Label, Score: a.Score, ScoreUpper: a.ScoreUpper,
			Provisional: a.Provisional, Verdict: a.Verdict, HasKey: hasKey(&lock), Href: withQuery("/locks/"+e.Slug(), ctxQ)}
		if len(a.Gates) > 0 && a.Verdict == "" {
			row.Reason = a.Gates[0].Reason
		}
		if len(a.Advice) > 0 {
			row.Advice = a.Advice[0].Action
		}
		row.FitUnknown = cl.Ctx.DoorType != nil && r.Fits == nil
		row.Hidden = (cl.Brand != "" && !strings.EqualFold(cl.Brand, e.Brand())) || (cl.FormFactor != "" && cl.FormFactor != e.FormFactor())
		if !row.Hidden {
			p.Shown++
		}
		brands[e.Brand()] = true
		forms[e.FormFactor()] = true
		p.Rows = append(p.Rows, row)
	}
	for b := range brands {
		p.Brands = append(p.Brands, option{b, b})
	}
	slices.SortFunc(p.Brands, func(a, b option) int { return strings.Compare(strings.ToLower(a.Value), strings.ToLower(b.Value)) })
	for _, ff := range models.FormFactors {
		if forms[ff] {
			p.FormFactors = append(p.FormFactors, option{ff, formFactorLabels[ff]})
		}
	}
	return p
}

func hasKey(l *scoring.Lock) string {
	switch {
	case l.KeyOverride == nil:
		return "unknown"
	case *l.KeyOverride == scoring.KeyNone:
		return "no"
	}
	return "yes"
}

func lockName(r *catalogue.LockRecord) string { return displayName(r.Brand, r.Model, r.Variant) }

func entryName(e *catalogue.Entry) string { return displayName(e.Brand(), e.Model(), e.Variant()) }

func displayName(brand, model, variant string) string {
	n := model
	if !strings.HasPrefix(strings.ToLower(model), strings.ToLower(brand)) {
		n = brand + " " + model
	}
	if variant != "" {
		n += " (" + variant + ")"
	}
	return n
}

// ---- a lock's page and the what-if share the explanation ----

type failure struct {
	When        string
	Text        string
	Works       bool // some way in still works
	ThroughDoor bool // and it is through this door
}

type gateView struct {
	Reason  string
	Source  string
	Unknown bool
}

type explained struct {
	A         scoring.Assessment
	Failures  []failure
	Gates     []gateView
	Questions []string
}

func explain(a scoring.Assessment) explained {
	x := explained{A: a}
	for _, s := range a.Scenarios {
		f := failure{When: scenarioWords[s.ID]}
		if f.When == "" {
			f.When = strings.ToLower(s.Name)
		}
		if s.BestPath == "" {
			f.Text = noWayIn
		} else if w, ok := pathWords[string(s.BestPath)]; ok {
			f.Text, f.Works, f.ThroughDoor = w.Long, true, w.ThroughDoor
		} else {
			f.Text, f.Works, f.ThroughDoor = s.Why, true, true
		}
		x.Failures = append(x.Failures, f)
	}
	for _, g := range a.Gates {
		x.Gates = append(x.Gates, gateView{Reason: g.Reason, Source: g.Source, Unknown: g.Basis == "unknown"})
	}
	for _, m := range a.Missing {
		if q := attributeWords[m].Question; q != "" {
			x.Questions = append(x.Questions, q)
		}
	}
	return x
}

// doorQuestions are the facts about the door itself that would settle a
// lock whose outside key is the door's own cylinder.
func doorQuestions(l *scoring.Lock, c *scoring.Context) []string {
	if c.DoorType == nil || (l.KeyOverride != nil && *l.KeyOverride == scoring.KeyNone) ||
		(l.KeyOverrideNeedsEmergencyCylinder != nil && !*l.KeyOverrideNeedsEmergencyCylinder) {
		return nil
	}
	var out []string
	if c.CylinderRating == nil && *c.DoorType == scoring.DoorUKMultipoint {
		out = append(out, "What rating is stamped on your door's cylinder, next to the keyhole (three stars, or SS312 Diamond)?")
	}
	if c.CylinderEmergencyFunction == nil {
		out = append(out, "Does your door's cylinder have the emergency function (the outside key still turns when a key is left in on the inside)? This lock's key needs it.")
	}
	return out
}

type lockPage struct {
	page
	Rec        *catalogue.LockRecord
	Name       string
	FormWords  string
	Markets    []string
	X          explained
	Fits       *bool
	DoorWords  string
	Summary    []string
	ChangeHref string
	BackHref   string
}

func (h *Handler) lock(c echo.Context) error {
	f := newForm(c.Request().URL.RawQuery, checklistParams)
	cl := f.checklist()
	if len(f.errs) > 0 {
		return h.badRequest(c, f.errs, "/")
	}
	snap, err := h.snapshot(c)
	if snap == nil {
		return err
	}
	slug := c.Param("slug")
	e, ok := snap.Lookup(slug)
	if !catalogue.ValidSlug(slug) || !ok {
		return h.notFound(c, "There is no lock with that name in the catalogue.")
	}
	full, err := snap.Record(c.Request().Context(), e)
	if err != nil {
		return err
	}
	rec := &full
	ctxQ := encodePairs(ctxPairs(&cl.Ctx))
	door := ""
	if cl.Ctx.DoorType != nil {
		door = string(*cl.Ctx.DoorType)
	}
	return h.cachedRender(c, snap, "locks/"+slug+"?"+c.Request().URL.RawQuery, "lock", func() any {
		p := lockPage{page: page{Title: lockName(rec)}, Rec: rec, Name: lockName(rec), FormWords: formFactorLabels[rec.FormFactor],
			X: explain(h.engine.Assess(&rec.Lock, &cl.Ctx)), Fits: e.Fits(door), Summary: ctxSummary(&cl.Ctx),
			ChangeHref: withQuery("/", ctxQ), BackHref: withQuery("/results", ctxQ)}
		if cl.Ctx.DoorType != nil {
			p.DoorWords = labelOf(doorTypeOptions, string(*cl.Ctx.DoorType))
		}
		p.X.Questions = append(doorQuestions(&rec.Lock, &cl.Ctx), p.X.Questions...)
		for _, m := range rec.Markets {
			p.Markets = append(p.Markets, marketLabels[m])
		}
		return p
	})
}

// ---- compare ----

const maxCompare = 4

type compareCol struct {
	Name, Href, Band, Label, Verdict string
	Score, ScoreUpper                float64
	Provisional                      bool
}

type compareRow struct {
	Label string
	Cells []failure
}

type diffRow struct {
	Label  string
	Values []string
}

type comparePage struct {
	page
	Cols       []compareCol
	Rows       []compareRow
	Diffs      []diffRow
	Summary    []string
	BackHref   string
	ChangeHref string
}

func (h *Handler) compare(c echo.Context) error {
	f := newForm(c.Request().URL.RawQuery, checklistParams, filterParams, []string{"slugs"})
	cl := f.checklist()
	slugs := f.list("slugs")
	ctxQ := encodePairs(ctxPairs(&cl.Ctx))
	back := withQuery("/results", ctxQ)
	switch {
	case len(slugs) < 2:
		f.fail("slugs", "choose two, three or four locks to compare")
	case len(slugs) > maxCompare:
		f.fail("slugs", "choose at most four locks to compare")
	}
	if len(f.errs) > 0 {
		return h.badRequest(c, f.errs, back)
	}
	snap, err := h.snapshot(c)
	if snap == nil {
		return err
	}
	var entries []*catalogue.Entry
	for _, s := range slugs {
		e, ok := snap.Lookup(s)
		if !ok {
			f.fail("slugs", "there is no lock called "+s)
			continue
		}
		entries = append(entries, e)
	}
	if len(f.errs) > 0 {
		return h.badRequest(c, f.errs, back)
	}
	p := comparePage{page: page{Title: "Compare locks"}, Summary: ctxSummary(&cl.Ctx), BackHref: back, ChangeHref: withQuery("/", ctxQ)}
	xs := make([]explained, len(entries))
	for i, e := range entries {
		lock := e.Lock()
		xs[i] = explain(h.engine.Assess(&lock, &cl.Ctx))
		a := &xs[i].A
		p.Cols = append(p.Cols, compareCol{Name: entryName(e), Href: withQuery("/locks/"+e.Slug(), ctxQ),
			Band: a.Band, Label: a.Label, Verdict: a.Verdict, Score: a.Score, ScoreUpper: a.ScoreUpper, Provisional: a.Provisional})
	}
	for k := range xs[0].Failures {
		row := compareRow{Label: "When " + xs[0].Failures[k].When}
		for i := range xs {
			cell := xs[i].Failures[k]
			s := xs[i].A.Scenarios[k]
			if s.BestPath == "" {
				cell.Text = "No way in"
			} else if w, ok := pathWords[string(s.BestPath)]; ok {
				cell.Text = strings.ToUpper(w.Short[:1]) + w.Short[1:]
			}
			row.Cells = append(row.Cells, cell)
		}
		p.Rows = append(p.Rows, row)
	}
	for i := range scoring.Attributes {
		attr := &scoring.Attributes[i]
		var vals []string
		for _, e := range entries {
			v, ok := e.Attribute(i)
			vals = append(vals, valueWords(attr.Name, v, ok))
		}
		if slices.ContainsFunc(vals[1:], func(v string) bool { return v != vals[0] }) {
			p.Diffs = append(p.Diffs, diffRow{Label: attributeWords[attr.Name].Label, Values: vals})
		}
	}
	return h.render(c, http.StatusOK, "compare", p)
}

// ---- check a lock that isn't listed ----

type attrField struct {
	Name, Label string
	Options     []option
	Value       string
}

type checkPage struct {
	page
	Fields    []attrField
	DoorTypes []option
	Door      string
	X         *explained
}

func (h *Handler) check(c echo.Context) error {
	names := scoring.AttributeNames()
	f := newForm(c.Request().URL.RawQuery, names, []string{"door_type"})
	var lock scoring.Lock
	var ctx scoring.Context
	p := checkPage{page: page{Title: "Check a lock that isn't listed", Active: "check"}, DoorTypes: doorTypeOptions}
	p.Door = f.choice("door_type", scoring.DoorTypes)
	if p.Door != "" {
		ctx.DoorType = scoring.Ptr(scoring.DoorType(p.Door))
	}
	for i := range scoring.Attributes {
		attr := &scoring.Attributes[i]
		w := attributeWords[attr.Name]
		fld := attrField{Name: attr.Name, Label: w.Label, Value: f.choice(attr.Name, attr.Values)}
		for _, v := range attr.Values {
			fld.Options = append(fld.Options, option{v, valueWords(attr.Name, v, true)})
		}
		if fld.Value != "" {
			v := fld.Value
			attr.Set(&lock, &v)
		}
		p.Fields = append(p.Fields, fld)
	}
	if len(f.errs) > 0 {
		return h.badRequest(c, f.errs, "/check")
	}
	if c.Request().URL.RawQuery != "" {
		x := explain(h.engine.Assess(&lock, &ctx))
		p.X = &x
	}
	return h.render(c, http.StatusOK, "check", p)
}
