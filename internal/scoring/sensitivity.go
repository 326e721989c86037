package scoring

// SensitivityReport says how the headline result of one lock moves when each
// scenario weight and each path quality is moved by ±20% (methodology §9.14).
type SensitivityReport struct {
	Score float64 `json:"score" example:"53.3"`
	Band  string  `json:"band" example:"D"`
	// Perturbations holds one entry per parameter and direction.
	Perturbations []Perturbation `json:"perturbations"`
	// BandChanges counts the perturbations that change the band.
	BandChanges int `json:"band_changes"`
	// Robust is true when no perturbation changes the band.
	Robust bool   `json:"robust"`
	Method string `json:"method"`
}

// Perturbation is one parameter moved by ±20% and what it does to the result.
type Perturbation struct {
	Kind        string  `json:"kind" enums:"scenario_weight,path_quality" example:"scenario_weight"`
	Target      string  `json:"target" example:"S1"`
	Change      string  `json:"change" enums:"+20%,-20%" example:"+20%"`
	From        float64 `json:"from" example:"25"`
	To          float64 `json:"to" example:"29.41"`
	Score       float64 `json:"score" example:"54.1"`
	Band        string  `json:"band" example:"D"`
	ChangesBand bool    `json:"changes_band"`
}

const sensitivityMethod = "Each scenario weight (in effect, after the context) is multiplied by 1.2 and by 0.8 and all weights renormalised to 100; each path quality is multiplied by 1.2 (capped at 1) and by 0.8. From and To are the parameter before and after (weights in points of 100). Score and band are the headline (lower bound) result."

// Sensitivity is Default.Sensitivity.
func Sensitivity(l Lock, c Context) SensitivityReport { return Default.Sensitivity(&l, &c) }

// Sensitivity perturbs every scenario weight and path quality by ±20% and
// reports which moves change the band of l in context c.
func (e *Engine) Sensitivity(l *Lock, c *Context) SensitivityReport {
	base := e.compileContext(c)
	var lo values
	lo.loadAll(l, false)
	var ev evaluation
	e.evaluate(&lo, &base, &ev)
	r := SensitivityReport{Score: ev.score, Band: bandNames[ev.band], Perturbations: []Perturbation{}, Method: sensitivityMethod}
	factors := [...]struct {
		f    float64
		name string
	}{{1.2, "+20%"}, {0.8, "-20%"}}
	record := func(kind, target, change string, from, to float64, cv *ctxValues) {
		var pe evaluation
		e.evaluate(&lo, cv, &pe)
		p := Perturbation{Kind: kind, Target: target, Change: change, From: from, To: to,
			Score: pe.score, Band: bandNames[pe.band], ChangesBand: pe.band != ev.band}
		if p.ChangesBand {
			r.BandChanges++
		}
		r.Perturbations = append(r.Perturbations, p)
	}
	for k := 0; k < numScenarios; k++ {
		for _, f := range factors {
			cv := base
			w := cv.w
			w[k] *= f.f
			cv.w = normalise(w)
			record("scenario_weight", e.m.Scenarios[k].ID, f.name, round2(base.w[k]*100), round2(cv.w[k]*100), &cv)
		}
	}
	for p := 0; p < numPaths; p++ {
		for _, f := range factors {
			cv := base
			cv.q[p] = clamp01(cv.q[p] * f.f)
			record("path_quality", pathIDs[p], f.name, round3(base.q[p]), round3(cv.q[p]), &cv)
		}
	}
	r.Robust = r.BandChanges == 0
	return r
}
