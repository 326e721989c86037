package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

// compare godoc
//
//	@Summary		Compare locks side by side
//	@Description	2 to 10 catalogue locks: each one's assessment summary (in the optional context of the door and household, [the methodology](/docs/methodology#context)), a scenario × lock matrix with the best surviving way in, its quality and points, and the lock attributes whose values differ.
//	@ID				compareLocks
//	@Tags			rankings
//	@Produce		json,application/problem+json
//	@Param			slugs						query		[]string	true	"2 to 10 slugs, comma-separated or repeated"	collectionFormat(csv)	example(yale-conexis-l2,nuki-smart-lock-4th-gen)
//	@Param			door_type					query		string		false	"Door type"	Enums(uk_multipoint,us_deadbolt,uk_timber,euro_cylinder,other)	example(uk_multipoint)
//	@Param			cylinder_rating				query		string		false	"Rating of the euro cylinder in the door (unset: unknown)"	Enums(ts007_3star,ts007_1star_2star_hardware,ss312_diamond,ts007_1star,unrated)	example(ts007_3star)
//	@Param			other_keyed_door			query		boolean		false	"Another door can be opened from outside with a key"	example(true)
//	@Param			other_door_same_keyring		query		boolean		false	"That door's key is on the same ring"	example(false)
//	@Param			cylinder_emergency_function	query		boolean		false	"The door's cylinder has the emergency function"	example(true)
//	@Param			key_safe					query		boolean		false	"A key safe holds the override key"	example(false)
//	@Param			keyholder_nearby			query		boolean		false	"A keyholder lives nearby"	example(false)
//	@Param			remote_helper				query		boolean		false	"A household member can unlock remotely"	example(false)
//	@Param			occupants					query		[]string	false	"Household"	collectionFormat(csv)	Enums(tech_averse,children_let_themselves_in,lives_alone)	example(lives_alone)
//	@Param			expand	query	[]string	false	"lock: add each lock's catalogue summary (brand, model, markets, form_factor, door_types, status, price, product_url) to its row"	collectionFormat(csv)	Enums(lock)	example(lock)
//	@Success		200							{object}	Comparison
//	@Header			200							{string}	ETag			"Strong entity tag"
//	@Header			200							{string}	X-Request-ID	"Request id"
//	@Failure		400							{object}	Problem
//	@Failure		404							{object}	Problem
//	@Failure		429							{object}	Problem
//	@Failure		500	{object}	Problem
//	@Success		304	{string}	string	"Not modified: If-None-Match matched the ETag"
//	@Header			304	{string}	ETag	"Strong entity tag"
//	@Header			200	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			200	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Header			304	{string}	X-Request-ID	"Request id"
//	@Header			304	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			304	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			304	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Router			/api/v1/compare [get]
func (s *Server) compare(c echo.Context) error {
	return s.cached(c, "compare?"+c.Request().URL.RawQuery, func() (*response, error) {
		q := newQuery(c, []string{"slugs", "expand"}, scoring.ContextFields)
		expand := expandLock(q)
		ctx := q.context()
		slugs := q.list("slugs", nil)
		if !q.has("slugs") {
			q.fail("slugs", "is required: 2 to 10 lock slugs, comma-separated")
		} else if len(slugs) < 2 || len(slugs) > 10 {
			q.fail("slugs", "must name 2 to 10 different locks")
		}
		if err := q.err(); err != nil {
			return nil, err
		}
		var entries []*catalogue.Entry
		var missing []models.FieldError
		for _, slug := range slugs {
			e, err := s.lookup(slug)
			if err != nil {
				missing = append(missing, models.FieldError{Field: "slugs", Message: "no lock model " + slug})
				continue
			}
			entries = append(entries, e)
		}
		if len(missing) > 0 {
			return nil, &models.Error{Kind: models.KindNotFound, Message: "some locks to compare are not in the catalogue", Fields: missing}
		}
		var full []catalogue.LockRecord
		if expand {
			var err error
			if full, err = s.cat.Snapshot().Records(c.Request().Context(), entries); err != nil {
				return nil, err
			}
		}
		out := Comparison{Context: ctx, Locks: []CompareLock{}, Scenarios: []CompareScenario{}, Differences: []CompareDifference{}}
		assessments := make([]scoring.Assessment, len(entries))
		for i, e := range entries {
			lock := e.Lock()
			a := s.engine.Assess(&lock, &ctx)
			assessments[i] = a
			gates := make([]string, len(a.Gates))
			for j, g := range a.Gates {
				gates[j] = g.ID
			}
			out.Locks = append(out.Locks, CompareLock{Slug: e.Slug(), Brand: e.Brand(), Model: e.Model(), Gates: gates,
				Fits:       fitsOf(e, &ctx),
				Assessment: scoring.Summary{Score: a.Score, ScoreUpper: a.ScoreUpper, Band: a.Band, Label: a.Label, Provisional: a.Provisional, Verdict: a.Verdict, MethodologyVersion: a.MethodologyVersion}})
			if expand {
				out.Locks[len(out.Locks)-1].Lock = lockSummary(&full[i])
			}
		}
		for k, sc := range assessments[0].Scenarios {
			row := CompareScenario{ID: sc.ID, Name: sc.Name, Weight: sc.Weight}
			for i, e := range entries {
				x := assessments[i].Scenarios[k]
				row.Locks = append(row.Locks, CompareCell{Slug: e.Slug(), BestPath: x.BestPath, Quality: x.Quality, Points: x.Points})
			}
			out.Scenarios = append(out.Scenarios, row)
		}
		for i := range scoring.Attributes {
			a := &scoring.Attributes[i]
			vals := make([]CompareValue, 0, len(entries))
			distinct := map[string]bool{}
			for _, e := range entries {
				v, ok := e.Attribute(i)
				if !ok {
					vals = append(vals, CompareValue{Slug: e.Slug()})
					distinct["\x00null"] = true
					continue
				}
				vals = append(vals, CompareValue{Slug: e.Slug(), Value: &v})
				distinct[v] = true
			}
			if len(distinct) > 1 {
				out.Differences = append(out.Differences, CompareDifference{Attribute: a.Name, Values: vals})
			}
		}
		return jsonResponse(http.StatusOK, out)
	})
}

// fitsOf is the entry's fit to the context's door type (nil without one).
func fitsOf(e *catalogue.Entry, c *scoring.Context) *bool {
	if c.DoorType == nil {
		return nil
	}
	return e.Fits(string(*c.DoorType))
}
