package api

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/docs"
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
		out := Comparison{Context: ctx, Locks: []CompareLock{}, Scenarios: []CompareScenario{}, Differences: []CompareDifference{}}
		assessments := make([]scoring.Assessment, len(entries))
		for i, e := range entries {
			a := s.engine.Assess(&e.Record.Lock, &ctx)
			assessments[i] = a
			gates := make([]string, len(a.Gates))
			for j, g := range a.Gates {
				gates[j] = g.ID
			}
			out.Locks = append(out.Locks, CompareLock{Slug: e.Record.Slug, Brand: e.Record.Brand, Model: e.Record.Model, Gates: gates,
				Fits:       fitsOf(e, &ctx),
				Assessment: scoring.Summary{Score: a.Score, ScoreUpper: a.ScoreUpper, Band: a.Band, Label: a.Label, Provisional: a.Provisional, Verdict: a.Verdict, MethodologyVersion: a.MethodologyVersion}})
			if expand {
				out.Locks[len(out.Locks)-1].Lock = lockSummary(e)
			}
		}
		for k, sc := range assessments[0].Scenarios {
			row := CompareScenario{ID: sc.ID, Name: sc.Name, Weight: sc.Weight}
			for i, e := range entries {
				x := assessments[i].Scenarios[k]
				row.Locks = append(row.Locks, CompareCell{Slug: e.Record.Slug, BestPath: x.BestPath, Quality: x.Quality, Points: x.Points})
			}
			out.Scenarios = append(out.Scenarios, row)
		}
		for i := range scoring.Attributes {
			a := &scoring.Attributes[i]
			vals := make([]CompareValue, 0, len(entries))
			distinct := map[string]bool{}
			for _, e := range entries {
				v, ok := a.Get(&e.Record.Lock)
				if !ok {
					vals = append(vals, CompareValue{Slug: e.Record.Slug})
					distinct["\x00null"] = true
					continue
				}
				vals = append(vals, CompareValue{Slug: e.Record.Slug, Value: &v})
				distinct[v] = true
			}
			if len(distinct) > 1 {
				out.Differences = append(out.Differences, CompareDifference{Attribute: a.Name, Values: vals})
			}
		}
		return jsonResponse(http.StatusOK, out)
	})
}

// facets godoc
//
//	@Summary		Facet counts for a filter sidebar
//	@Description	Counts of lock models per brand, market, form_factor, door_type, key_override, emergency_power and band under the /locks filters. Each dimension's counts leave out that dimension's own filter, so the sidebar shows the alternatives to what is selected. With any context parameter (as /rankings takes them) the band counts and the band, label, min_score and provisional filters use the in-context assessment, and a single door_type is also the context's door type; without one they use each lock's intrinsic assessment.
//	@ID				getFacets
//	@Tags			locks
//	@Produce		json,application/problem+json
//	@Param			q				query		string		false	"Words that must all appear in brand, model, variant or slug"	maxlength(200)	example(yale)
//	@Param			brand			query		[]string	false	"Brand"	collectionFormat(csv)	example(Yale)
//	@Param			market			query		[]string	false	"Market"	collectionFormat(csv)	Enums(UK,IE,EU,DE,FR,NL,CH,Nordics,US,CA,AU,NZ,JP,KR,BR,Asia,global)	example(UK)
//	@Param			form_factor		query		[]string	false	"Form factor"	collectionFormat(csv)	Enums(deadbolt,retrofit,euro_cylinder_motorised,euro_cylinder_electronic,mortise,rim_nightlatch,handle,other)	example(retrofit)
//	@Param			door_type		query		[]string	false	"Door type"	collectionFormat(csv)	Enums(uk_multipoint,us_deadbolt,uk_timber,euro_cylinder,other)	example(uk_multipoint)
//	@Param			key_override	query		[]string	false	"Key override"	collectionFormat(csv)	Enums(independent,backdrives_actuator,none,unknown)	example(independent)
//	@Param			emergency_power	query		[]string	false	"Emergency power"	collectionFormat(csv)	Enums(none,terminal_9v,usb_c,usb_micro,contacts,internal_reserve,unknown)	example(terminal_9v)
//	@Param			band			query		[]string	false	"Band"	collectionFormat(csv)	Enums(A,B,C,D,E)	example(B)
//	@Param			label			query		[]string	false	"Label"	collectionFormat(csv)	Enums(Recommended,Conditional,Not recommended,Unsuitable)	example(Recommended)
//	@Param			min_score		query		number		false	"Lowest score"	minimum(0)	maximum(100)	example(70)
//	@Param			provisional		query		boolean		false	"Provisional or not"	example(false)
//	@Param			updated_since	query		string		false	"Changed at or after (RFC 3339)"	format(date-time)	example(2026-01-01T00:00:00Z)
//	@Param			cylinder_rating				query		string		false	"Rating of the euro cylinder in the door (context)"	Enums(ts007_3star,ts007_1star_2star_hardware,ss312_diamond,ts007_1star,unrated)	example(ts007_3star)
//	@Param			other_keyed_door			query		boolean		false	"Another door can be opened from outside with a key (context)"	example(true)
//	@Param			other_door_same_keyring		query		boolean		false	"That door's key is on the same ring (context)"	example(false)
//	@Param			cylinder_emergency_function	query		boolean		false	"The door's cylinder has the emergency function (context)"	example(true)
//	@Param			key_safe					query		boolean		false	"A key safe holds the override key (context)"	example(false)
//	@Param			keyholder_nearby			query		boolean		false	"A keyholder lives nearby (context)"	example(false)
//	@Param			remote_helper				query		boolean		false	"A household member can unlock remotely (context)"	example(false)
//	@Param			occupants					query		[]string	false	"Household (context)"	collectionFormat(csv)	Enums(tech_averse,children_let_themselves_in,lives_alone)	example(lives_alone)
//	@Success		200				{object}	Facets
//	@Header			200				{string}	ETag			"Strong entity tag"
//	@Header			200				{string}	X-Request-ID	"Request id"
//	@Failure		400				{object}	Problem
//	@Failure		429				{object}	Problem
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
//	@Router			/api/v1/facets [get]
func (s *Server) facets(c echo.Context) error {
	return s.cached(c, "facets?"+c.Request().URL.RawQuery, func() (*response, error) {
		q := newQuery(c, filterParams, scoring.ContextFields)
		f := parseFilter(q, false)
		// Any context parameter puts the band counts in context; door_type
		// stays the /locks filter and is the context's door type when it
		// names exactly one.
		inContext := false
		var ctx scoring.Context
		for _, name := range scoring.ContextFields {
			if name != "door_type" && q.has(name) {
				inContext = true
			}
		}
		if inContext {
			ctx = q.contextWithout("door_type")
			if len(f.DoorTypes) == 1 {
				d := scoring.DoorType(f.DoorTypes[0])
				ctx.DoorType = &d
			}
		}
		if err := q.err(); err != nil {
			return nil, err
		}
		snap := s.cat.Snapshot()
		if inContext {
			counts, total := snap.FacetsInContext(s.engine, &ctx, ctx.Key(), &f)
			return jsonResponse(http.StatusOK, Facets{Total: total, Facets: counts, Context: &ctx})
		}
		page := snap.List(&f, catalogue.SortScore, true, 1, "-score", nil)
		return jsonResponse(http.StatusOK, Facets{Total: page.Total, Facets: snap.Facets(&f)})
	})
}

// methodology godoc
//
//	@Summary		The scoring methodology as data
//	@Description	Every weight, path quality, need, scenario, band, gate (with reasons and source), detection and evidence point, context effect, advice candidate and attribute vocabulary that the engine uses: the same value, so nothing is written twice. Version 2 is in force; version=1 returns the previous version, kept for audit.
//	@ID				getMethodology
//	@Tags			methodology
//	@Produce		json,application/problem+json
//	@Param			version	query		string	false	"Methodology version (default: the one in force)"	Enums(1,2)	example(2)
//	@Success		200	{object}	MethodologyDocument
//	@Header			200	{string}	ETag			"Strong entity tag"
//	@Header			200	{string}	X-Request-ID	"Request id"
//	@Failure		400	{object}	Problem
//	@Failure		429	{object}	Problem
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
//	@Router			/api/v1/methodology [get]
func (s *Server) methodology(c echo.Context) error {
	q := newQuery(c, []string{"version"})
	m := s.engine.Methodology()
	if v := q.one("version"); v != "" {
		if m = scoring.MethodologyByVersion(v); m == nil {
			q.fail("version", "must be one of: 1, 2")
		}
	}
	if err := q.err(); err != nil {
		return err
	}
	return s.cached(c, "methodology?"+m.Version, func() (*response, error) {
		return jsonResponse(http.StatusOK, s.methodologyDocument(m))
	})
}

// postAssessment godoc
//
//	@Summary		Assess any lock (what-if)
//	@Description	The full assessment of a lock that need not be in the catalogue. The body is {"lock": {attributes}, "context": {door and household}} ([the methodology](/docs/methodology#attributes) lists the attributes, [the methodology](/docs/methodology#context) the context); every attribute is optional and null means unknown. An unknown field, a wrong type or a value outside the vocabulary is a 400 naming the field.
//	@ID				postAssessment
//	@Tags			assessments
//	@Accept			json
//	@Produce		json,application/problem+json
//	@Param			body	body		scoring.Request	true	"Lock attributes and optional context"
//	@Success		200		{object}	scoring.Assessment
//	@Header			200		{string}	X-Request-ID	"Request id"
//	@Failure		400		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500	{object}	Problem
//	@Header			200	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			200	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Router			/api/v1/assessments [post]
func (s *Server) postAssessment(c echo.Context) error {
	if err := newQuery(c).err(); err != nil {
		return err
	}
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	req, err := scoring.DecodeRequest(body)
	if err != nil {
		return err
	}
	a := s.engine.Assess(&req.Lock, &req.Context)
	// The body is written before Blob returns (gzip included), so its
	// buffer is reused: 3 kB less garbage a request, and each collection
	// marks the whole catalogue snapshot.
	buf := assessmentBufs.Get().(*[]byte)
	defer assessmentBufs.Put(buf)
	out := a.AppendJSON((*buf)[:0])
	*buf = out
	h := c.Response().Header()
	h["Cache-Control"] = noStore
	h["Content-Length"] = []string{strconv.Itoa(len(out))}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, out)
}

var (
	noStore        = []string{"no-store"}
	assessmentBufs = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}
)

// readJSONBody reads a request body that must be JSON.
func readJSONBody(c echo.Context) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if ct != "" && !strings.HasPrefix(ct, echo.MIMEApplicationJSON) && !strings.HasPrefix(ct, "application/merge-patch+json") {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "the body must be application/json")
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, err
	}
	return body, nil
}

// healthz godoc
//
//	@Summary		Liveness
//	@Description	200 while the process is alive.
//	@ID				healthz
//	@Tags			operations
//	@Produce		json
//	@Success		200	{object}	Health
//	@Header			200	{string}	X-Request-ID	"Request id"
//	@Header			200	{string}	ETag			"Strong entity tag"
//	@Router			/healthz [get]
func (s *Server) healthz(c echo.Context) error {
	return s.sendNoStore(c, Health{Status: "ok"})
}

// readyz godoc
//
//	@Summary		Readiness
//	@Description	200 when the database answers and the catalogue snapshot is loaded, else 503.
//	@ID				readyz
//	@Tags			operations
//	@Produce		json,application/problem+json
//	@Success		200	{object}	Health
//	@Header			200	{string}	X-Request-ID	"Request id"
//	@Header			200	{string}	ETag			"Strong entity tag"
//	@Failure		503	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/readyz [get]
func (s *Server) readyz(c echo.Context) error {
	snap := s.cat.Snapshot()
	if snap == nil {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "the catalogue snapshot is not loaded yet")
	}
	if err := s.cat.Store().Ping(c.Request().Context()); err != nil {
		s.log.Warn("readiness: database unreachable", "err", err)
		return echo.NewHTTPError(http.StatusServiceUnavailable, "the database is unreachable")
	}
	return s.sendNoStore(c, Health{Status: "ready", Revision: snap.Revision, Locks: snap.Len()})
}

// index godoc
//
//	@Summary		API index
//	@Description	Links to the API's documents and main resources.
//	@ID				index
//	@Tags			operations
//	@Produce		json
//	@Success		200	{object}	Index
//	@Header			200	{string}	X-Request-ID	"Request id"
//	@Header			200	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			200	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Header			200	{string}	ETag			"Strong entity tag"
//	@Router			/ [get]
func (s *Server) index(c echo.Context) error {
	return s.sendNoStore(c, Index{Name: "lockscore",
		Description: "If the lock goes wrong, can the household still get in through the main entrance? Smart lock models rated on failure resilience.",
		Links: map[string]string{"swagger_ui": "/swagger/index.html", "openapi3": "/openapi.json", "swagger2": "/swagger/doc.json",
			"locks": "/api/v1/locks", "rankings": "/api/v1/rankings", "methodology": "/api/v1/methodology", "facets": "/api/v1/facets",
			"compare": "/api/v1/compare?slugs=yale-conexis-l2,nuki-smart-lock-4th-gen", "changes": "/api/v1/changes?since=0", "assessments": "/api/v1/assessments"}})
}

// openAPI3 serves the committed OpenAPI 3.0 document.
func openAPI3(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, docs.OpenAPI3)
}

// fitsOf is the entry's fit to the context's door type (nil without one).
func fitsOf(e *catalogue.Entry, c *scoring.Context) *bool {
	if c.DoorType == nil {
		return nil
	}
	return e.Fits(string(*c.DoorType))
}
