package api

import (
	"reflect"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
)

// rankings godoc
//
//	@Summary		Main-entrance ranking for a context
//	@Description	Every catalogue lock assessed for the door and household in the context query parameters ([the methodology](/docs/methodology#context); the in-context assessment; /locks shows each lock's intrinsic assessment), ordered by in-context score, then score_uncapped (within a cap, the lock that covers more failures first), then score_upper, then slug. Takes the /locks filters, except that door_type here is the context's door type: it reweights the scenarios, applies the cylinder gate, and leaves out the locks the catalogue says do not fit that door (unless include_unfitting=true); every row carries fits (null when unknown or no door type is given). Band, label, min_score and provisional filter on the in-context assessment. Paged with an opaque cursor; CSV with Accept: text/csv or format=csv.
//	@ID				getRankings
//	@Tags			rankings
//	@Produce		json,text/csv,application/problem+json
//	@Param			door_type					query		string		false	"Door type (context)"	Enums(uk_multipoint,us_deadbolt,uk_timber,euro_cylinder,other)	example(uk_multipoint)
//	@Param			cylinder_rating				query		string		false	"Rating of the euro cylinder in the door (unset: unknown)"	Enums(ts007_3star,ts007_1star_2star_hardware,ss312_diamond,ts007_1star,unrated)	example(ts007_3star)
//	@Param			other_keyed_door			query		boolean		false	"Another door can be opened from outside with a key"	example(true)
//	@Param			other_door_same_keyring		query		boolean		false	"That door's key is on the same ring"	example(false)
//	@Param			cylinder_emergency_function	query		boolean		false	"The door's cylinder has the emergency function (unset: assumed)"	example(true)
//	@Param			key_safe					query		boolean		false	"A key safe holds the override key"	example(false)
//	@Param			keyholder_nearby			query		boolean		false	"A keyholder lives nearby"	example(false)
//	@Param			remote_helper				query		boolean		false	"A household member can unlock remotely"	example(false)
//	@Param			occupants					query		[]string	false	"Household"	collectionFormat(csv)	Enums(tech_averse,children_let_themselves_in,lives_alone)	example(lives_alone)
//	@Param			include_unfitting			query		boolean		false	"Keep the locks known not to fit door_type"	example(false)
//	@Param			q							query		string		false	"Words that must all appear in brand, model, variant or slug"	maxlength(200)	example(yale)
//	@Param			brand						query		[]string	false	"Brand, case-insensitive"	collectionFormat(csv)	example(Yale)
//	@Param			market						query		[]string	false	"Market"	collectionFormat(csv)	Enums(UK,IE,EU,DE,FR,NL,CH,Nordics,US,CA,AU,NZ,JP,KR,BR,Asia,global)	example(UK)
//	@Param			form_factor					query		[]string	false	"Form factor"	collectionFormat(csv)	Enums(deadbolt,retrofit,euro_cylinder_motorised,euro_cylinder_electronic,mortise,rim_nightlatch,handle,other)	example(retrofit)
//	@Param			key_override				query		[]string	false	"Key override"	collectionFormat(csv)	Enums(independent,backdrives_actuator,none,unknown)	example(independent)
//	@Param			emergency_power				query		[]string	false	"Emergency power"	collectionFormat(csv)	Enums(none,terminal_9v,usb_c,usb_micro,contacts,internal_reserve,unknown)	example(terminal_9v)
//	@Param			band						query		[]string	false	"In-context band"	collectionFormat(csv)	Enums(A,B,C,D,E)	example(B)
//	@Param			label						query		[]string	false	"In-context label"	collectionFormat(csv)	Enums(Recommended,Conditional,Not recommended,Unsuitable)	example(Recommended)
//	@Param			min_score					query		number		false	"Lowest in-context score"	minimum(0)	maximum(100)	example(70)
//	@Param			provisional					query		boolean		false	"Provisional or not"	example(false)
//	@Param			updated_since				query		string		false	"Changed at or after (RFC 3339)"	format(date-time)	example(2026-01-01T00:00:00Z)
//	@Param			limit						query		string		false	"Page size 1-100 (default 20); all for CSV only"	example(20)
//	@Param			cursor						query		string		false	"Opaque cursor from next_cursor"	maxlength(1024)	example(eyJzIjoiLXNjb3JlIn0)
//	@Param			format						query		string		false	"Response format"	Enums(json,csv)	example(json)
//	@Param			expand	query	[]string	false	"lock: add each lock's catalogue summary (brand, model, markets, form_factor, door_types, status, price, product_url) to its row"	collectionFormat(csv)	Enums(lock)	example(lock)
//	@Param			fields	query	[]string	false	"Only these fields of the answer: comma-separated JSON names, dotted for nesting (items.slug,items.lock.product_url); an unknown one is a 400 naming it. JSON only"	collectionFormat(csv)	example(items.slug,items.band)
//	@Success		200							{object}	Ranking
//	@Header			200							{string}	ETag					"Strong entity tag"
//	@Header			200							{string}	Link					"Next page, rel=next"
//	@Header			200							{string}	X-Request-ID			"Request id"
//	@Header			200							{string}	X-RateLimit-Limit		"Requests allowed in a burst"
//	@Header			200							{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200							{string}	X-RateLimit-Reset		"Unix time the burst is full again"
//	@Header			200							{string}	Content-Disposition		"attachment; filename=rankings.csv (CSV only)"
//	@Failure		400							{object}	Problem
//	@Failure		429							{object}	Problem
//	@Failure		500							{object}	Problem
//	@Success		304	{string}	string	"Not modified: If-None-Match matched the ETag"
//	@Header			304	{string}	ETag	"Strong entity tag"
//	@Header			304	{string}	X-Request-ID	"Request id"
//	@Header			304	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			304	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			304	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Router			/api/v1/rankings [get]
func (s *Server) rankings(c echo.Context) error {
	return s.cached(c, "rankings?"+c.Request().URL.RawQuery+"|"+c.Request().Header.Get(echo.HeaderAccept), func() (*response, error) {
		q := newQuery(c, filterParams, pageParams, scoring.ContextFields, []string{"include_unfitting", "expand", "fields"})
		csv := wantsCSV(c, q)
		expand := expandLock(q)
		sel := parseFields(q, reflect.TypeOf(Ranking{}), expand)
		fieldsWithCSV(q, csv)
		ctx := q.context()
		f := parseFilter(q, true)
		if ctx.DoorType != nil {
			f.Fit = string(*ctx.DoorType)
		}
		if b := q.boolean("include_unfitting"); b != nil {
			f.IncludeUnfitting = *b
		}
		limit := parseLimit(q, csv)
		ctxKey := ctx.Key()
		var after *catalogue.Cursor
		if cur := q.one("cursor"); cur != "" && len(q.errs) == 0 {
			var err error
			if after, err = catalogue.DecodeCursor(cur, "rank:"+ctxKey, f.Key()); err != nil {
				q.fail("cursor", err.Error())
			}
		}
		if err := q.err(); err != nil {
			return nil, err
		}
		snap := s.cat.Snapshot()
		all := snap.Ranking(s.engine, &ctx, ctxKey)
		page := catalogue.Rank(s.engine, all, &f, limit, "rank:"+ctxKey, after)
		var full []catalogue.LockRecord
		if expand {
			entries := make([]*catalogue.Entry, len(page.Rows))
			for i := range page.Rows {
				entries[i] = page.Rows[i].Entry
			}
			var err error
			if full, err = snap.Records(c.Request().Context(), entries); err != nil {
				return nil, err
			}
		}
		cc := s.engine.CompileContext(&ctx)
		rows := make([]RankingRow, len(page.Rows))
		for i, r := range page.Rows {
			rows[i] = s.rankingRow(&r, cc.OtherDoor())
			lock := r.Entry.Lock()
			rows[i].Verdict = s.engine.Verdict(&lock, &ctx)
			if expand {
				rows[i].Lock = lockSummary(&full[i])
			}
		}
		if csv {
			return rankingsCSV(rows)
		}
		body := Ranking{Items: rows, Total: page.Total, Context: ctx, MethodologyVersion: s.engine.Methodology().Version}
		body.NextCursor = encodeCursor(page.Next)
		r, err := pagedResponse(c, body, body.NextCursor)
		if err != nil {
			return nil, err
		}
		return withFields(r, sel)
	})
}

func (s *Server) rankingRow(r *catalogue.RankRow, otherDoor bool) RankingRow {
	e := r.Entry
	row := RankingRow{Rank: r.Rank, Slug: e.Slug(), Brand: e.Brand(), Model: e.Model(), Score: r.Summary.Score,
		ScoreUpper: r.Summary.ScoreUpper, Band: r.Summary.Band, Label: r.Summary.Label, Provisional: r.Summary.Provisional,
		ScoreUncapped: r.ScoreUncapped, Gates: s.engine.GateIDs(r.Rating, otherDoor), Fits: r.Fits}
	if _, reason, basis, ok := s.engine.FirstGate(r.Rating, otherDoor); ok {
		row.GateReason, row.GateBasis = &reason, &basis
	}
	return row
}
