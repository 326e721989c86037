package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
)

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
