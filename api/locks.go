package api

import (
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

var (
	filterParams  = []string{"q", "brand", "market", "form_factor", "door_type", "key_override", "emergency_power", "band", "label", "min_score", "provisional", "updated_since"}
	pageParams    = []string{"limit", "cursor", "format"}
	bandValues    = []string{"A", "B", "C", "D", "E"}
	labelValues   = []string{"Recommended", "Conditional", "Not recommended", "Unsuitable", "recommended", "conditional", "not_recommended", "unsuitable"}
	keyOverrides  = append(append([]string{}, scoring.Attributes[0].Values...), catalogue.Unknown)
	powerValues   = append(append([]string{}, scoring.AttributeByName("emergency_power").Values...), catalogue.Unknown)
	sortValues    = []string{"score", "-score", "brand", "-brand", "model", "-model", "updated_at", "-updated_at"}
	maxPageLimit  = 100
	defaultLimit  = 20
	limitAllValue = -1
)

// parseFilter reads the /locks filters; in rankings door_type is a context
// field instead (skipDoorType).
func parseFilter(q *query, skipDoorType bool) catalogue.Filter {
	var f catalogue.Filter
	if s := q.one("q"); s != "" {
		if len(s) > 200 {
			q.fail("q", "must be at most 200 characters")
		}
		f.Words = strings.Fields(strings.ToLower(s))
	}
	f.Brands = q.list("brand", nil)
	f.Markets = q.list("market", models.Markets)
	f.FormFactors = q.list("form_factor", models.FormFactors)
	if !skipDoorType {
		f.DoorTypes = q.list("door_type", models.DoorTypes)
	}
	f.KeyOverrides = q.list("key_override", keyOverrides)
	f.EmergencyPowers = q.list("emergency_power", powerValues)
	f.Bands = q.list("band", bandValues)
	f.Labels = q.list("label", labelValues)
	f.MinScore = q.number("min_score", 0, 100)
	f.Provisional = q.boolean("provisional")
	f.UpdatedSince = q.timestamp("updated_since")
	return f
}

// wantsCSV reads ?format= or, without it, the Accept header.
func wantsCSV(c echo.Context, q *query) bool {
	switch q.one("format") {
	case "csv":
		return true
	case "json":
		return false
	case "":
		accept := c.Request().Header.Get(echo.HeaderAccept)
		return strings.Contains(accept, "text/csv") && !strings.Contains(accept, "application/json")
	}
	q.fail("format", "must be json or csv")
	return false
}

func parseLimit(q *query, csv bool) int {
	s := q.one("limit")
	if s == "" {
		if q.has("limit") {
			q.fail("limit", "must be a whole number from 1 to 100")
		}
		return defaultLimit
	}
	if s == "all" {
		if !csv {
			q.fail("limit", "all is allowed only for CSV (format=csv or Accept: text/csv)")
		}
		return limitAllValue
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxPageLimit {
		q.fail("limit", "must be a whole number from 1 to 100 (or all, for CSV)")
		return defaultLimit
	}
	return n
}

// nextLink builds the URL of the next page: the same query with the new
// cursor, less the parameters the cursor replaces.
func nextLink(c echo.Context, cursor string, replaced ...string) string {
	u := *c.Request().URL
	vals := u.Query()
	for _, name := range replaced {
		vals.Del(name)
	}
	vals.Set("cursor", cursor)
	u.RawQuery = vals.Encode()
	return (&url.URL{Path: u.Path, RawQuery: u.RawQuery}).String()
}

// listLocks godoc
//
//	@Summary		List lock models
//	@Description	Lock models with their intrinsic assessment summary (/locks shows each lock's intrinsic assessment, /rankings the in-context one; door_type=X here means the lock fits X), filtered, sorted and paged with an opaque keyset cursor. Ties are broken by slug, so walking the pages returns each matching lock exactly once. An unknown parameter or a bad value is a 400 naming it. Send Accept: text/csv or format=csv for RFC 4180 CSV (limit=all allowed there).
//	@ID				listLocks
//	@Tags			locks
//	@Produce		json,text/csv,application/problem+json
//	@Param			q				query		string		false	"Words that must all appear in brand, model, variant or slug"	maxlength(200)	example(yale)
//	@Param			brand			query		[]string	false	"Brand, case-insensitive; repeatable or comma-separated"		collectionFormat(csv)	example(Yale)
//	@Param			market			query		[]string	false	"Market"																collectionFormat(csv)	Enums(UK,IE,EU,DE,FR,NL,CH,Nordics,US,CA,AU,NZ,JP,KR,BR,Asia,global)	example(UK)
//	@Param			form_factor		query		[]string	false	"Form factor"															collectionFormat(csv)	Enums(deadbolt,retrofit,euro_cylinder_motorised,euro_cylinder_electronic,mortise,rim_nightlatch,handle,other)	example(retrofit)
//	@Param			door_type		query		[]string	false	"Door type the lock is sold for"										collectionFormat(csv)	Enums(uk_multipoint,us_deadbolt,uk_timber,euro_cylinder,other)	example(uk_multipoint)
//	@Param			key_override	query		[]string	false	"Key override (unknown matches null)"									collectionFormat(csv)	Enums(independent,backdrives_actuator,none,unknown)	example(independent)
//	@Param			emergency_power	query		[]string	false	"Emergency power (unknown matches null)"								collectionFormat(csv)	Enums(none,terminal_9v,usb_c,usb_micro,contacts,internal_reserve,unknown)	example(terminal_9v)
//	@Param			band			query		[]string	false	"Band of the intrinsic assessment"									collectionFormat(csv)	Enums(A,B,C,D,E)	example(B)
//	@Param			label			query		[]string	false	"Label of the intrinsic assessment"									collectionFormat(csv)	Enums(Recommended,Conditional,Not recommended,Unsuitable)	example(Recommended)
//	@Param			min_score		query		number		false	"Lowest score (lower bound)"											minimum(0)	maximum(100)	example(70)
//	@Param			provisional		query		boolean		false	"Only provisional (true) or only settled (false) assessments"			example(false)
//	@Param			updated_since	query		string		false	"Only lock models changed at or after this RFC 3339 time"				format(date-time)	example(2026-01-01T00:00:00Z)
//	@Param			sort			query		string		false	"Sort key; - prefix for descending; ties by slug"						Enums(score,-score,brand,-brand,model,-model,updated_at,-updated_at)	default(-score)	example(-score)
//	@Param			limit			query		string		false	"Page size 1-100 (default 20); all for CSV only"						example(20)
//	@Param			cursor			query		string		false	"Opaque cursor from next_cursor"	maxlength(1024)	example(eyJzIjoiLXNjb3JlIn0)
//	@Param			format			query		string		false	"Response format"														Enums(json,csv)	example(json)
//	@Param			fields	query	[]string	false	"Only these fields of the answer: comma-separated JSON names, dotted for nesting (total,items.slug,items.assessment.band); an unknown one is a 400 naming it. JSON only"	collectionFormat(csv)	example(total,items.slug)
//	@Success		200				{object}	LockList
//	@Header			200				{string}	ETag					"Strong entity tag of the response"
//	@Header			200				{string}	Link					"URL of the next page, rel=next"
//	@Header			200				{string}	X-Request-ID			"Request id"
//	@Header			200				{string}	X-RateLimit-Limit		"Requests allowed in a burst"
//	@Header			200				{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200				{string}	X-RateLimit-Reset		"Unix time the burst is full again"
//	@Header			200				{string}	Content-Disposition		"attachment; filename=locks.csv (CSV only)"
//	@Failure		400				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Success		304	{string}	string	"Not modified: If-None-Match matched the ETag"
//	@Header			304	{string}	ETag	"Strong entity tag"
//	@Header			304	{string}	X-Request-ID	"Request id"
//	@Header			304	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			304	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			304	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Router			/api/v1/locks [get]
func (s *Server) listLocks(c echo.Context) error {
	return s.cached(c, "locks?"+c.Request().URL.RawQuery+"|"+c.Request().Header.Get(echo.HeaderAccept), func() (*response, error) {
		q := newQuery(c, filterParams, pageParams, []string{"sort", "fields"})
		csv := wantsCSV(c, q)
		sel := parseFields(q, reflect.TypeOf(LockList{}), false)
		fieldsWithCSV(q, csv)
		f := parseFilter(q, false)
		limit := parseLimit(q, csv)
		sortName := q.one("sort")
		if sortName == "" {
			sortName = "-score"
			f.ExactFirst = true // a search lists exact matches before typo matches
		}
		if !slices.Contains(sortValues, sortName) {
			q.fail("sort", "must be one of: "+strings.Join(sortValues, ", "))
		}
		var after *catalogue.Cursor
		if cur := q.one("cursor"); cur != "" && len(q.errs) == 0 {
			var err error
			if after, err = catalogue.DecodeCursor(cur, sortName, f.Key()); err != nil {
				q.fail("cursor", err.Error())
			}
		}
		if err := q.err(); err != nil {
			return nil, err
		}
		key := catalogue.SortKeyNames[strings.TrimPrefix(sortName, "-")]
		page := s.cat.Snapshot().List(&f, key, strings.HasPrefix(sortName, "-"), limit, sortName, after)
		if csv {
			full, err := s.cat.Snapshot().Records(c.Request().Context(), page.Items)
			if err != nil {
				return nil, err
			}
			return locksCSV(full)
		}
		body := LockList{Items: make([]LockListItem, len(page.Items)), Total: page.Total}
		for i, e := range page.Items {
			body.Items[i] = listItem(e)
		}
		body.NextCursor = encodeCursor(page.Next)
		r, err := pagedResponse(c, body, body.NextCursor)
		if err != nil {
			return nil, err
		}
		return withFields(r, sel)
	})
}

func encodeCursor(c *catalogue.Cursor) *string {
	if c == nil {
		return nil
	}
	s := c.Encode()
	return &s
}

// pagedResponse serializes a page and adds the Link header of the next one.
func pagedResponse(c echo.Context, body any, next *string) (*response, error) {
	r, err := jsonResponse(http.StatusOK, body)
	if err == nil && next != nil {
		r.headers = map[string]string{"Link": "<" + nextLink(c, *next) + `>; rel="next"`}
	}
	return r, err
}

func listItem(e *catalogue.Entry) LockListItem {
	return LockListItem{Slug: e.Slug(), Brand: e.Brand(), Model: e.Model(), Variant: e.Variant(), FormFactor: e.FormFactor(),
		Markets: e.Markets(), DoorTypes: e.DoorTypes(), Status: e.Status(), UpdatedAt: e.UpdatedAt().Format(time.RFC3339), Assessment: e.Summary()}
}

// getLock godoc
//
//	@Summary		Get a lock model
//	@Description	The whole record: catalogue fields, every scoring attribute ([the methodology](/docs/methodology#attributes); null where unknown), sources, incidents, version and the intrinsic assessment summary. The ETag is the record's version, usable in If-Match on writes.
//	@ID				getLock
//	@Tags			locks
//	@Produce		json,application/problem+json
//	@Param			slug	path		string	true	"Lock model slug"	extensions(x-example=yale-conexis-l2)
//	@Param			fields	query	[]string	false	"Only these fields of the answer: comma-separated JSON names, dotted for nesting (slug,key_override,sources.url); an unknown one is a 400 naming it. JSON only"	collectionFormat(csv)	example(slug,key_override)
//	@Success		200		{object}	catalogue.LockRecord
//	@Header			200		{string}	ETag			"Version tag, e.g. \"v3\""
//	@Header			200		{string}	X-Request-ID	"Request id"
//	@Failure		400		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		429		{object}	Problem
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
//	@Router			/api/v1/locks/{slug} [get]
func (s *Server) getLock(c echo.Context) error {
	q := newQuery(c, []string{"fields"})
	sel := parseFields(q, reflect.TypeOf(catalogue.LockRecord{}), false)
	if err := q.err(); err != nil {
		return err
	}
	e, err := s.lookup(c.Param("slug"))
	if err != nil {
		return err
	}
	rec, err := s.cat.Snapshot().Record(c.Request().Context(), e)
	if err != nil {
		return err
	}
	r, err := jsonResponse(http.StatusOK, rec)
	if err == nil {
		r, err = withFields(r, sel)
	}
	if err != nil {
		return err
	}
	// The version is the ETag of every selection, so If-Match works with any.
	r.etag = catalogue.ETag(rec.Version)
	return s.send(c, r)
}

func (s *Server) lookup(slug string) (*catalogue.Entry, error) {
	if !catalogue.ValidSlug(slug) {
		return nil, models.NotFound("lock model %q not found", slug)
	}
	e, ok := s.cat.Snapshot().Lookup(slug)
	if !ok {
		return nil, models.NotFound("lock model %q not found", slug)
	}
	return e, nil
}

// getAssessment godoc
//
//	@Summary		Assess a catalogue lock
//	@Description	The full assessment for one lock model ([the methodology](/docs/methodology)): score interval, gates with their basis, scenarios, verdict and advice, intrinsic or in the context of the door and household given by the query parameters ([the methodology](/docs/methodology#context)). With door_type, fits says whether the catalogue lists that door type for the lock (null when its door types are unknown). sensitivity=true adds a report of which ±20% changes to a weight or path quality would change the band.
//	@ID				getLockAssessment
//	@Tags			assessments
//	@Produce		json,application/problem+json
//	@Param			slug						path		string		true	"Lock model slug"	extensions(x-example=yale-conexis-l2)
//	@Param			door_type					query		string		false	"Door type"	Enums(uk_multipoint,us_deadbolt,uk_timber,euro_cylinder,other)	example(uk_multipoint)
//	@Param			cylinder_rating				query		string		false	"Rating of the euro cylinder in the door (unset: unknown)"	Enums(ts007_3star,ts007_1star_2star_hardware,ss312_diamond,ts007_1star,unrated)	example(ts007_3star)
//	@Param			other_keyed_door			query		boolean		false	"Another door can be opened from outside with a key"	example(true)
//	@Param			other_door_same_keyring		query		boolean		false	"That door's key is on the same ring"	example(false)
//	@Param			cylinder_emergency_function	query		boolean		false	"The door's cylinder has the emergency function (unset: assumed)"	example(true)
//	@Param			key_safe					query		boolean		false	"A key safe holds the override key"	example(false)
//	@Param			keyholder_nearby			query		boolean		false	"A keyholder lives nearby"	example(false)
//	@Param			remote_helper				query		boolean		false	"A household member can unlock remotely"	example(false)
//	@Param			occupants					query		[]string	false	"Household"	collectionFormat(csv)	Enums(tech_averse,children_let_themselves_in,lives_alone)	example(lives_alone)
//	@Param			sensitivity					query		boolean		false	"Add the sensitivity report"	example(true)
//	@Success		200							{object}	LockAssessment
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
//	@Router			/api/v1/locks/{slug}/assessment [get]
func (s *Server) getAssessment(c echo.Context) error {
	return s.cached(c, "assessment:"+c.Param("slug")+"?"+c.Request().URL.RawQuery, func() (*response, error) {
		q := newQuery(c, scoring.ContextFields, []string{"sensitivity"})
		ctx := q.context()
		sens := q.boolean("sensitivity")
		if err := q.err(); err != nil {
			return nil, err
		}
		e, err := s.lookup(c.Param("slug"))
		if err != nil {
			return nil, err
		}
		lock := e.Lock()
		out := LockAssessment{Slug: e.Slug(), Assessment: s.engine.Assess(&lock, &ctx), Context: ctx}
		out.Fits = fitsOf(e, &ctx)
		if sens != nil && *sens {
			rep := s.engine.Sensitivity(&lock, &ctx)
			out.Sensitivity = &rep
		}
		return jsonResponse(http.StatusOK, out)
	})
}
