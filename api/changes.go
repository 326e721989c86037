package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/models"
)

const (
	defaultChangeLimit = 100
	maxChangeLimit     = 1000
)

// ChangeFeed is one page of the change feed.
type ChangeFeed struct {
	Items []catalogue.Change `json:"items"`
	// Revision is the catalogue revision the page was read at. After the last
	// page (next_cursor null), ask again later with since=revision.
	Revision int64 `json:"revision" example:"41"`
	// NextCursor continues the walk; null on the last page.
	NextCursor *string `json:"next_cursor" example:"eyJyIjo0MSwiayI6Inlhb" extensions:"x-nullable"`
}

// listChanges godoc
//
//	@Summary		Change feed: what changed since a catalogue revision
//	@Description	For mirrors of the catalogue. Every lock model changed after catalogue revision since, each once at its latest change, in (revision, slug) order; a deleted lock model appears as a tombstone (deleted: true). Start with since=0 for everything, follow next_cursor to the last page, keep its revision, and later ask with since=revision: no change is ever skipped, because every write raises the revision in order. Then fetch /locks/{slug} for the ones you need. A since or cursor ahead of the catalogue's revision (a replaced or restored database) is a 400 telling the mirror to start again from 0.
//	@ID				listChanges
//	@Tags			locks
//	@Produce		json,application/problem+json
//	@Param			since	query		integer	false	"Catalogue revision already seen (default 0: everything)"	minimum(0)	example(0)
//	@Param			cursor	query		string	false	"Opaque cursor from next_cursor (instead of since)"	maxlength(512)	example(eyJyIjo0MSwiayI6Inlhb)
//	@Param			limit	query		integer	false	"Page size 1-1000 (default 100)"	minimum(1)	maximum(1000)	example(100)
//	@Success		200		{object}	ChangeFeed
//	@Header			200		{string}	ETag					"Strong entity tag"
//	@Header			200		{string}	Link					"Next page, rel=next"
//	@Header			200		{string}	X-Request-ID			"Request id"
//	@Header			200		{string}	X-RateLimit-Limit		"Requests allowed in a burst"
//	@Header			200		{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200		{string}	X-RateLimit-Reset		"Unix time the burst is full again"
//	@Failure		400		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Failure		503	{object}	Problem
//	@Failure		503		{object}	Problem
//	@Success		304		{string}	string	"Not modified: If-None-Match matched the ETag"
//	@Header			304		{string}	ETag	"Strong entity tag"
//	@Header			304		{string}	X-Request-ID	"Request id"
//	@Header			304		{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			304		{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			304		{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Router			/api/v1/changes [get]
func (s *Server) listChanges(c echo.Context) error {
	q := newQuery(c, []string{"since", "cursor", "limit"})
	var from catalogue.ChangePosition
	if v := q.one("since"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			q.fail("since", "must be a catalogue revision: a whole number of 0 or more")
		}
		from.Revision = n
	}
	if v := q.one("cursor"); v != "" {
		if q.has("since") {
			q.fail("cursor", "give since or cursor, not both: the cursor already says where the walk stands")
		} else if p, err := catalogue.DecodeChangePosition(v); err != nil {
			q.fail("cursor", err.Error())
		} else {
			from = p
		}
	}
	limit := defaultChangeLimit
	if v := q.one("limit"); v != "" || q.has("limit") {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxChangeLimit {
			q.fail("limit", "must be a whole number from 1 to 1000")
		}
		limit = n
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.cat.Changes(c.Request().Context(), from, limit)
	if err != nil {
		return err
	}
	if from.Revision > page.Revision {
		// Revisions only grow, so this position came from another or a restored
		// database; an empty page would let the mirror believe it is up to date.
		field := "since"
		if from.Slug != "" {
			field = "cursor"
		}
		return models.Invalid("invalid query parameters", []models.FieldError{{Field: field,
			Message: fmt.Sprintf("is ahead of the catalogue, which is at revision %d: the catalogue was replaced or restored; mirror it again from since=0", page.Revision)}})
	}
	body := ChangeFeed{Items: page.Items, Revision: page.Revision}
	if page.Next != nil {
		next := page.Next.Encode()
		body.NextCursor = &next
	}
	r, err := jsonResponse(http.StatusOK, body)
	if err != nil {
		return err
	}
	if body.NextCursor != nil {
		r.headers = map[string]string{"Link": "<" + nextLink(c, *body.NextCursor, "since") + `>; rel="next"`}
	}
	return s.send(c, r)
}
