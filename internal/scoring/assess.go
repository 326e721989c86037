package scoring

import (
	"encoding/json"
	"math/bits"
	"strings"
	"sync"
)

// Assessment is everything methodology §8 returns for one lock in one context.
type Assessment struct {
	// Score is the lower bound (unknowns at their worst), capped by the gates.
	Score float64 `json:"score" example:"53.3"`
	// ScoreUpper is the upper bound (unknowns at their best), capped by its own gates.
	ScoreUpper float64 `json:"score_upper" example:"53.3"`
	// ScoreUncapped is the lower bound before the gates' caps.
	ScoreUncapped    float64          `json:"score_uncapped" example:"53.3"`
	Band             string           `json:"band" enums:"A,B,C,D,E" example:"D"`
	Label            string           `json:"label" enums:"Recommended,Conditional,Not recommended,Unsuitable" example:"Not recommended"`
	Provisional      bool             `json:"provisional"`
	DataCompleteness float64          `json:"data_completeness" example:"0.82"`
	Gates            []GateResult     `json:"gates"`
	Components       Components       `json:"components"`
	Scenarios        []ScenarioResult `json:"scenarios"`
	Missing          []string         `json:"missing"`
	Assumptions      []string         `json:"assumptions"`
	Notes            []string         `json:"notes"`
	// Verdict is one plain-English sentence for a person at the door.
	Verdict string `json:"verdict" example:"Not recommended for a main entrance (D): if the electronics fail there is no key to open this door."`
	// Advice lists the changes or checks that would raise the band, best first.
	Advice []Advice `json:"advice"`
	// Fits says whether the catalogue lists the context's door type for this
	// lock: null when unknown, when no door_type is given, or for a what-if.
	Fits               *bool  `json:"fits" extensions:"x-nullable"`
	MethodologyVersion string `json:"methodology_version" example:"2"`
}

// Advice is one change a household or installer can make, or one fact to
// confirm, with the headline band and score the assessment would then have.
type Advice struct {
	ID         string  `json:"id" example:"keep_other_keyed_door"`
	Action     string  `json:"action" example:"Keep another door that opens with a key from outside, with its key on a separate ring."`
	BandAfter  string  `json:"band_after" enums:"A,B,C,D,E" example:"D"`
	ScoreAfter float64 `json:"score_after" example:"54.9"`
}

// GateResult is a gate that fired on the lower bound, with its cap and reason.
type GateResult struct {
	ID      string `json:"id" example:"G1"`
	CapBand string `json:"cap_band" example:"D"`
	// Basis is known when the gate fires whatever the missing facts turn out
	// to be, unknown when it fires only because a fact is unknown.
	Basis  string `json:"basis" enums:"known,unknown" example:"known"`
	Reason string `json:"reason"`
	Source string `json:"source" example:"https://owenthelocksmith.co.uk/why-your-smart-lock-needs-a-key-backup"`
}

// Components are the three parts of the uncapped score.
type Components struct {
	Coverage  Component `json:"coverage"`
	Detection Component `json:"detection"`
	Evidence  Component `json:"evidence"`
}

// Component is one part of the score: Points = Weight × Value.
type Component struct {
	Weight float64 `json:"weight" example:"75"`
	Value  float64 `json:"value" example:"0.484"`
	Points float64 `json:"points" example:"36.3"`
}

// ScenarioResult explains one failure scenario on the lower bound.
type ScenarioResult struct {
	ID   string `json:"id" example:"S1"`
	Name string `json:"name" example:"Lock batteries flat"`
	// Weight is the scenario's share of 100 after context multipliers and renormalisation.
	Weight float64 `json:"weight" example:"25"`
	// BestPath is the best surviving way in, or null when none survives.
	BestPath  PathRef  `json:"best_path" swaggertype:"string" example:"key" extensions:"x-nullable"`
	Quality   float64  `json:"quality" example:"1"`
	Points    float64  `json:"points" example:"18.75"`
	LostPaths []string `json:"lost_paths"`
	Why       string   `json:"why" example:"Batteries flat: the mechanical key override still opens the door."`
}

// Summary is the short form of an assessment used for sorting, filtering and rankings.
type Summary struct {
	Score       float64 `json:"score" example:"53.3"`
	ScoreUpper  float64 `json:"score_upper" example:"53.3"`
	Band        string  `json:"band" enums:"A,B,C,D,E" example:"D"`
	Label       string  `json:"label" example:"Not recommended"`
	Provisional bool    `json:"provisional"`
	// Verdict is the plain-English verdict of this assessment.
	Verdict            string `json:"verdict" example:"Recommended for a main entrance (B): even when the keys are not on you, the keypad still opens the door."`
	MethodologyVersion string `json:"methodology_version" example:"2"`
}

// Assess is Default.Assess: the assessment of l in context c under the methodology in force.
// A zero Context gives the lock's intrinsic assessment.
func Assess(l Lock, c Context) Assessment { return Default.Assess(&l, &c) }

// Verdict returns the verdict of l in context c alone, without the advice
// (which costs a re-assessment per candidate).
func (e *Engine) Verdict(l *Lock, c *Context) string {
	cv := e.compileContext(c)
	var lo, hi values
	lo.loadAll(l, false)
	hi.loadAll(l, true)
	var el, eh evaluation
	e.evaluate(&lo, &cv, &el)
	e.evaluate(&hi, &cv, &eh)
	sum := e.summaryOf(&el, &eh)
	var pr probes
	var missing attrSet
	if sum.Provisional {
		e.probe(&pr, unknownAttrs(l), &cv, &lo, &el)
		missing = e.missing(&pr, &cv, &hi, &el, &eh)
	}
	var buf [512]byte
	return string(e.appendVerdict(buf[:0], l, c, &cv, &el, &eh, sum.Provisional, &pr, missing))
}

// Assess returns the full, explained assessment of l in context c. Its
// lists are the caller's own; AssessInto is the form that reuses storage.
func (e *Engine) Assess(l *Lock, c *Context) Assessment {
	s := scratchPool.Get().(*Scratch)
	a := e.AssessInto(s, l, c).clone()
	scratchPool.Put(s)
	return a
}

// Scratch is the storage behind one assessment: the Assessment and the
// backing arrays of its lists. AssessInto fills it instead of allocating
// about fourteen slices, so a caller that encodes the result and drops it
// (the what-if handler) can keep Scratches in a sync.Pool. The zero value
// is ready to use; it must not be shared between goroutines.
type Scratch struct {
	a           Assessment
	gates       [numGates]GateResult
	scenarios   [numScenarios]ScenarioResult
	lost        [numScenarios * numPaths]string
	missing     [numAttrs]string
	assumptions [4]string
	notes       [3]string
	advice      [maxAdvice]Advice
	verdict     []byte
}

// maxAdvice is the most advice one assessment can give: the five context
// changes and one confirmation per attribute.
const maxAdvice = 5 + numAttrs

// scratchPool serves Assess, which copies the result out before it puts
// the Scratch back.
var scratchPool = sync.Pool{New: func() any { return new(Scratch) }}

// AssessInto is Assess with every list of the result stored in s: the
// result and its lists are valid until s is used again, so the caller
// must be done with them (encoded them, or cloned what it keeps) first.
func (e *Engine) AssessInto(s *Scratch, l *Lock, c *Context) *Assessment {
	cv := e.compileContext(c)
	var lo, hi values
	lo.loadAll(l, false)
	hi.loadAll(l, true)
	var el, eh evaluation
	e.evaluate(&lo, &cv, &el)
	e.evaluate(&hi, &cv, &eh)

	sum := e.summaryOf(&el, &eh)
	unknown := unknownAttrs(l)
	s.a = Assessment{
		Score:              sum.Score,
		ScoreUpper:         sum.ScoreUpper,
		ScoreUncapped:      round1(el.uncapped),
		Band:               sum.Band,
		Label:              sum.Label,
		Provisional:        sum.Provisional,
		DataCompleteness:   completeness(unknown),
		MethodologyVersion: sum.MethodologyVersion,
	}
	a := &s.a
	a.Gates = e.gateResults(s.gates[:0], el.gates, eh.gates, cv.otherDoor)
	a.Components = Components{
		Coverage:  Component{Weight: e.comp[0], Value: round3(el.coverage), Points: round2(e.comp[0] * el.coverage)},
		Detection: Component{Weight: e.comp[1], Value: round3(el.det), Points: round2(e.comp[1] * el.det)},
		Evidence:  Component{Weight: e.comp[2], Value: round3(el.evid), Points: round2(e.comp[2] * el.evid)},
	}
	a.Scenarios = e.scenarioResults(s.scenarios[:], s.lost[:0], &el, &cv)
	var pr probes
	e.probe(&pr, unknown, &cv, &lo, &el)
	missing := e.missing(&pr, &cv, &hi, &el, &eh)
	a.Missing = attrNames(s.missing[:0], missing)
	a.Assumptions = e.assumptions(s.assumptions[:0], l, c, unknown)
	a.Notes = e.notes(s.notes[:0], &lo, &cv)
	s.verdict = e.appendVerdict(s.verdict[:0], l, c, &cv, &el, &eh, a.Provisional, &pr, missing)
	a.Verdict = string(s.verdict)
	a.Advice = e.adviceFor(s.advice[:0], l, c, &cv, &pr, &lo, &el)
	return a
}

// clone copies a's lists into storage of its own, exactly sized: one
// array for every string list, one for each list of structs.
func (a *Assessment) clone() Assessment {
	out := *a
	n := len(a.Missing) + len(a.Assumptions) + len(a.Notes)
	for i := range a.Scenarios {
		n += len(a.Scenarios[i].LostPaths)
	}
	strs := make([]string, 0, n)
	take := func(list []string) []string {
		start := len(strs)
		strs = append(strs, list...)
		return strs[start:len(strs):len(strs)]
	}
	out.Gates = append(make([]GateResult, 0, len(a.Gates)), a.Gates...)
	out.Scenarios = append(make([]ScenarioResult, 0, len(a.Scenarios)), a.Scenarios...)
	for i := range out.Scenarios {
		out.Scenarios[i].LostPaths = take(a.Scenarios[i].LostPaths)
	}
	out.Missing = take(a.Missing)
	out.Assumptions = take(a.Assumptions)
	out.Notes = take(a.Notes)
	out.Advice = append(make([]Advice, 0, len(a.Advice)), a.Advice...)
	return out
}

// Summarise returns the summary of l in context c without the explanation;
// it is the fast path for rankings over a whole catalogue.
func (e *Engine) Summarise(l *Lock, c *Context) (Summary, []string) {
	cv := e.compileContext(c)
	return e.summarise(l, &cv)
}

// Summarise is Default.Summarise.
func Summarise(l Lock, c Context) (Summary, []string) { return Default.Summarise(&l, &c) }

func (e *Engine) summarise(l *Lock, cv *ctxValues) (Summary, []string) {
	var lo, hi values
	lo.loadAll(l, false)
	hi.loadAll(l, true)
	var el, eh evaluation
	e.evaluate(&lo, cv, &el)
	e.evaluate(&hi, cv, &eh)
	return e.summaryOf(&el, &eh), e.gateIDs(el.gates, eh.gates, cv.otherDoor)
}

// summaryOf builds the summary from the two bounds: the headline is the
// lower bound, provisional when the bounds differ in label or gates.
func (e *Engine) summaryOf(el, eh *evaluation) Summary {
	return Summary{
		Score:              el.score,
		ScoreUpper:         eh.score,
		Band:               bandNames[el.band],
		Label:              e.m.Bands[el.band].Label,
		Provisional:        e.m.Bands[el.band].Label != e.m.Bands[eh.band].Label || el.gates != eh.gates,
		MethodologyVersion: e.m.Version,
	}
}

// gateOrder lists the gates fired at the lower bound. Under v2 the gates
// that also fire at the upper bound (basis known) come first, so the first
// gate, the one a ranking row quotes, is the best-founded; then (and under
// v1 only) the lowest cap first, then the gate id.
func (e *Engine) gateOrder(gates, upper uint8, otherDoor bool) ([numGates]int8, int) {
	col := 0
	if otherDoor {
		col = 1
	}
	var order [numGates]int8
	n := 0
	passes := [2]uint8{gates, 0}
	if e.knownFirst {
		passes = [2]uint8{gates & upper, gates &^ upper}
	}
	for _, set := range passes {
		for capBand := int8(numBands - 1); capBand >= 0; capBand-- {
			for g := 0; g < numGates; g++ {
				if set&(1<<g) != 0 && e.gateCap[g][col] == capBand {
					order[n] = int8(g)
					n++
				}
			}
		}
	}
	return order, n
}

func (e *Engine) gateIDs(gates, upper uint8, otherDoor bool) []string {
	if gates == 0 {
		return nil
	}
	order, n := e.gateOrder(gates, upper, otherDoor)
	ids := make([]string, n)
	for i, g := range order[:n] {
		ids[i] = e.m.Gates[g].ID
	}
	return ids
}

// Gate bases (methodology v2 §5).
const (
	BasisKnown   = "known"
	BasisUnknown = "unknown"
)

func (e *Engine) gateResults(out []GateResult, gates, upper uint8, otherDoor bool) []GateResult {
	order, n := e.gateOrder(gates, upper, otherDoor)
	col := 0
	if otherDoor {
		col = 1
	}
	for _, g := range order[:n] {
		def := &e.m.Gates[g]
		known := upper&(1<<g) != 0
		basis := BasisKnown
		if !known {
			basis = BasisUnknown
		}
		out = append(out, GateResult{ID: def.ID, CapBand: bandNames[e.gateCap[g][col]], Basis: basis,
			Reason: e.gateReason(int(g), otherDoor, upper), Source: def.Source})
	}
	return out
}

// gateReason is gate g's reason: the unknown-basis wording when it fires
// only because a fact is unknown, so an unknown is never worded as a fact.
func (e *Engine) gateReason(g int, otherDoor bool, upper uint8) string {
	def := &e.m.Gates[g]
	known := upper&(1<<g) != 0
	switch {
	case !known && g == gateG2 && upper&(1<<gateG1) != 0 && def.ReasonPowerUnknown != "":
		// The key path is known to be unusable; only the power is unknown.
		return def.ReasonPowerUnknown
	case !known && def.ReasonUnknown != "":
		return def.ReasonUnknown
	case otherDoor:
		return def.ReasonWithOtherDoor
	}
	return def.Reason
}

// FirstGate returns the first gate of a rating as gates[] orders it, with
// its reason and basis; ok is false when no gate fired.
func (e *Engine) FirstGate(r Rating, otherDoor bool) (id, reason, basis string, ok bool) {
	if r.Gates == 0 {
		return "", "", "", false
	}
	order, _ := e.gateOrder(uint8(r.Gates), uint8(r.UpperGates), otherDoor)
	g := int(order[0])
	known := r.UpperGates&(1<<g) != 0
	basis = BasisKnown
	if !known {
		basis = BasisUnknown
	}
	return e.m.Gates[g].ID, e.gateReason(g, otherDoor, uint8(r.UpperGates)), basis, true
}

// scenarioResults fills out (one per scenario) and appends every
// scenario's lost paths to lostIDs, one backing array for them all.
func (e *Engine) scenarioResults(out []ScenarioResult, lostIDs []string, ev *evaluation, cv *ctxValues) []ScenarioResult {
	out = out[:numScenarios]
	for k := range out {
		def := &e.m.Scenarios[k]
		r := &out[k]
		*r = ScenarioResult{ID: def.ID, Name: def.Name}
		r.Weight = round2(cv.w[k] * 100)
		r.Quality = ev.s[k]
		r.Points = round2(e.comp[0] * cv.w[k] * ev.s[k])
		lost := ev.present &^ ev.alive[k]
		start := len(lostIDs)
		for p := 0; p < numPaths; p++ {
			if lost&(1<<p) != 0 {
				lostIDs = append(lostIDs, pathIDs[p])
			}
		}
		r.LostPaths = lostIDs[start:len(lostIDs):len(lostIDs)]
		if ev.best[k] >= 0 {
			r.BestPath = PathRef(pathIDs[ev.best[k]])
			r.Why = e.why[k][ev.best[k]]
		} else {
			r.Why = e.noWayIn(k, lost)
		}
	}
	return out
}

// noWayInCache holds the sentences for scenarios nothing survives, keyed by
// engine, scenario and lost paths; there are few, and building them allocates.
var noWayInCache sync.Map

type noWayInKey struct {
	e    *Engine
	k    int
	lost uint16
}

func (e *Engine) noWayIn(k int, lost uint16) string {
	key := noWayInKey{e, k, lost}
	if s, ok := noWayInCache.Load(key); ok {
		return s.(string)
	}
	var nouns []string
	for p := 0; p < numPaths; p++ {
		if lost&(1<<p) != 0 {
			nouns = append(nouns, e.m.Paths[p].Noun)
		}
	}
	s := e.m.Scenarios[k].Short + ": "
	switch len(nouns) {
	case 0:
		s += "no known way in survives; the lock has no way in that does not depend on what fails."
	case 1:
		s += "no way in survives, because " + nouns[0] + " fails too."
	default:
		s += "no way in survives, because " + strings.Join(nouns[:len(nouns)-1], ", ") + " and " + nouns[len(nouns)-1] + " all fail too."
	}
	noWayInCache.Store(key, s)
	return s
}

// PathRef is a path id that reads as JSON null when empty (no path survives).
type PathRef string

// MarshalJSON writes the id, or null when there is none.
func (p PathRef) MarshalJSON() ([]byte, error) {
	if p == "" {
		return []byte("null"), nil
	}
	return []byte(`"` + string(p) + `"`), nil
}

// UnmarshalJSON reads an id or null.
func (p *PathRef) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*p = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*p = PathRef(s)
	return nil
}

// stated re-scores the bound behind base with attribute i stated as it is
// in tmpl, every other attribute as in vals: what confirming one fact does.
func (e *Engine) stated(vals *values, cv *ctxValues, base *evaluation, i int, tmpl *Lock) probe {
	v := *vals
	v.load(i, tmpl, v.upper)
	return e.reprobe(&v, cv, base, i)
}

// attrSet is a set of attributes, bit i for attribute i.
type attrSet uint32

// unknownAttrs is the set of attributes l leaves unknown that count towards
// data completeness (all but known_defect, whose null means "none known").
func unknownAttrs(l *Lock) attrSet {
	var s attrSet
	for i := 0; i < numAttrs; i++ {
		if a := &Attributes[i]; a.Completeness {
			if _, known := a.get(l); !known {
				s |= 1 << i
			}
		}
	}
	return s
}

// completeness is DataCompleteness for a lock with these unknowns.
func completeness(unknown attrSet) float64 {
	total := 0
	for i := range Attributes {
		if Attributes[i].Completeness {
			total++
		}
	}
	return round2(float64(total-bits.OnesCount32(uint32(unknown))) / float64(total))
}

// probe is one bound re-scored with one attribute stated: what the
// missing facts, the deciding facts and the advice read of it.
type probe struct {
	score float64
	band  int8
	gates uint8
}

// probes holds the lower bound re-evaluated with each unknown attribute
// stated at its best (as the upper bound takes it). The missing facts, the
// verdict's deciding facts and the advice all ask this of the same
// attributes, so it is worked out once.
type probes struct {
	unknown attrSet
	loBest  [numAttrs]probe
}

func (e *Engine) probe(pr *probes, unknown attrSet, cv *ctxValues, lo *values, el *evaluation) {
	pr.unknown = unknown
	for i := 0; i < numAttrs; i++ {
		if unknown&(1<<i) != 0 {
			pr.loBest[i] = e.stated(lo, cv, el, i, bestTemplate[i])
		}
	}
}

// missing is the set of unknown attributes that moved the result: knowing
// one at its best would change the lower bound, or at its worst the upper bound.
func (e *Engine) missing(pr *probes, cv *ctxValues, hi *values, el, eh *evaluation) attrSet {
	var out attrSet
	for i := 0; i < numAttrs; i++ {
		if pr.unknown&(1<<i) == 0 {
			continue
		}
		p := &pr.loBest[i]
		moved := p.score != el.score || p.gates != el.gates
		if !moved {
			ev := e.stated(hi, cv, eh, i, worstTemplate[i])
			moved = ev.score != eh.score || ev.gates != eh.gates
		}
		if moved {
			out |= 1 << i
		}
	}
	return out
}

// attrNames appends the names of the attributes in set, in §7 order.
func attrNames(out []string, set attrSet) []string {
	for i := 0; i < numAttrs; i++ {
		if set&(1<<i) != 0 {
			out = append(out, Attributes[i].Name)
		}
	}
	return out
}

func (e *Engine) assumptions(out []string, l *Lock, c *Context, unknown attrSet) []string {
	keyPossible := l.KeyOverride == nil || *l.KeyOverride != KeyNone
	needsCyl := l.KeyOverrideNeedsEmergencyCylinder == nil || *l.KeyOverrideNeedsEmergencyCylinder
	if c.CylinderEmergencyFunction == nil && keyPossible && needsCyl {
		out = append(out, "The door's cylinder is assumed to have the emergency function the manufacturer requires for the key override; set cylinder_emergency_function to false if it does not.")
	}
	cefUsable := c.CylinderEmergencyFunction == nil || *c.CylinderEmergencyFunction
	if e.cylinderFromDoor && c.CylinderRating == nil && keyPossible && needsCyl && cefUsable && c.DoorType != nil && *c.DoorType == DoorUKMultipoint {
		out = append(out, "The rating of the door's euro cylinder is not given (cylinder_rating): score takes it at its worst (unrated) and score_upper at its best (TS 007 3-star).")
	}
	if unknown != 0 {
		out = append(out, "Unknown attributes are taken at their worst for score and at their best for score_upper.")
	}
	if l.KnownDefect == nil {
		out = append(out, "No known defect is recorded for this model (known_defect is null).")
	}
	return out
}

func (e *Engine) notes(out []string, lo *values, cv *ctxValues) []string {
	if lo.key == 1 {
		out = append(out, "The key override back-drives the motor, so it is lost when the motor jams.")
	}
	if lo.egress == 1 {
		out = append(out, "Opening from inside needs a key: keep one by the door and make sure there is another escape route.")
	}
	if cv.doorType == DoorUKTimber {
		out = append(out, "A smart conversion of a timber-door nightlatch or mortice lock may over-burden the motor.")
	}
	return out
}

// ScoreAll summarises every lock in one context; each lock's result depends
// on that lock alone, never on the others (the scale is absolute).
func ScoreAll(locks []Lock, c Context) []Summary {
	cv := Default.compileContext(&c)
	out := make([]Summary, len(locks))
	for i := range locks {
		out[i], _ = Default.summarise(&locks[i], &cv)
	}
	return out
}

// Prepared is a lock resolved into its two bounds once, so that scoring it in
// many contexts (rankings over a whole catalogue) skips that work.
type Prepared struct {
	lo, hi values
}

// Prepare resolves l's bounds.
func Prepare(l *Lock) Prepared {
	var p Prepared
	p.lo.loadAll(l, false)
	p.hi.loadAll(l, true)
	return p
}

// CompiledContext is a context compiled against an engine, reusable across locks.
type CompiledContext struct {
	cv ctxValues
}

// CompileContext compiles c for repeated use with Rate.
func (e *Engine) CompileContext(c *Context) CompiledContext {
	return CompiledContext{cv: e.compileContext(c)}
}

// OtherDoor reports whether the context has another keyed door (it changes gate caps and reasons).
func (cc *CompiledContext) OtherDoor() bool { return cc.cv.otherDoor }

// GateSet is the set of gates that fired on a lower bound.
type GateSet uint8

// Rating is the result of Rate, compact for holding many in memory.
type Rating struct {
	Score         float64
	ScoreUpper    float64
	ScoreUncapped float64
	Provisional   bool
	// Gates fired at the lower bound; UpperGates at the upper bound.
	Gates, UpperGates GateSet
}

// Rate rates a prepared lock in a compiled context without allocating;
// SummaryOf expands the result.
func (e *Engine) Rate(p *Prepared, cc *CompiledContext) Rating {
	var el, eh evaluation
	e.evaluate(&p.lo, &cc.cv, &el)
	e.evaluate(&p.hi, &cc.cv, &eh)
	return Rating{Score: el.score, ScoreUpper: eh.score, ScoreUncapped: round1(el.uncapped), Gates: GateSet(el.gates), UpperGates: GateSet(eh.gates),
		Provisional: e.m.Bands[el.band].Label != e.m.Bands[eh.band].Label || el.gates != eh.gates}
}

// SummaryOf expands a Rating into a Summary.
func (e *Engine) SummaryOf(r Rating) Summary {
	b := e.bandOf(r.Score)
	return Summary{Score: r.Score, ScoreUpper: r.ScoreUpper, Band: bandNames[b], Label: e.m.Bands[b].Label,
		Provisional: r.Provisional, MethodologyVersion: e.m.Version}
}

// GateIDs lists the lower-bound gates of r as an assessment orders them.
func (e *Engine) GateIDs(r Rating, otherDoor bool) []string {
	ids := e.gateIDs(uint8(r.Gates), uint8(r.UpperGates), otherDoor)
	if ids == nil {
		return []string{}
	}
	return ids
}
