package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/models"
)

func (s *Server) editor(c echo.Context) string { return keyName(c) }

// createLock godoc
//
//	@Summary		Create a lock model
//	@Description	Adds a lock model at version 1 and keeps it as its first revision. Unknown fields, wrong types and invalid values are a 400 with one entry per field. A slug that is taken is a 409.
//	@ID				createLock
//	@Tags			editing
//	@Accept			json
//	@Produce		json,application/problem+json
//	@Security		BearerAuth
//	@Param			body	body		catalogue.Record	true	"The new lock model"
//	@Param			Idempotency-Key	header	string	false	"Makes a retry safe: the first successful answer to this key is replayed for a day (same key, different request: 422; first still running: 409)"	minlength(1)	maxlength(255)	example(7d7c2e9a-4f0b-4b8e-9a51-2f1c6f0f9a10)
//	@Success		201		{object}	catalogue.LockRecord
//	@Header			201		{string}	Location		"URL of the new lock model"
//	@Header			201		{string}	ETag			"Version tag, \"v1\""
//	@Header			201		{string}	X-Request-ID	"Request id"
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		409		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		422	{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Header			201	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			201	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			201	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Header			201	{string}	Idempotent-Replayed	"true when this is the stored answer to an earlier request with the same Idempotency-Key"
//	@Router			/api/v1/locks [post]
func (s *Server) createLock(c echo.Context) error {
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	if err := cleanText(body); err != nil {
		return err
	}
	rec, err := catalogue.DecodeRecord(body)
	if err != nil {
		return err
	}
	location := "/api/v1/locks/" + rec.Slug
	out, err := s.cat.Create(answerWith(c, http.StatusCreated, location), rec, s.editor(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, location)
	return sendAnswer(c, http.StatusCreated, catalogue.ETag(out.Version), out)
}

func ifMatch(c echo.Context) (*int, error) {
	return catalogue.ParseIfMatch(c.Request().Header.Get("If-Match"))
}

// replaceLock godoc
//
//	@Summary		Replace a lock model
//	@Description	Writes the whole record (the slug may be left out of the body). If-Match with the current ETag guards against lost updates (412 when it is stale, with the current version in the body); without If-Match the write is allowed. An identical record changes nothing.
//	@ID				replaceLock
//	@Tags			editing
//	@Accept			json
//	@Produce		json,application/problem+json
//	@Security		BearerAuth
//	@Param			slug		path		string				true	"Lock model slug"	extensions(x-example=yale-conexis-l2)
//	@Param			If-Match	header		string				false	"ETag of the version being replaced"	example("v3")
//	@Param			body		body		catalogue.Record	true	"The whole lock model"
//	@Success		200			{object}	catalogue.LockRecord
//	@Header			200			{string}	ETag			"New version tag"
//	@Header			200			{string}	X-Request-ID	"Request id"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		413			{object}	Problem
//	@Failure		415			{object}	Problem
//	@Failure		429			{object}	Problem
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Header			200	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			200	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Router			/api/v1/locks/{slug} [put]
func (s *Server) replaceLock(c echo.Context) error {
	slug := c.Param("slug")
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	if err := cleanText(body); err != nil {
		return err
	}
	body = withSlug(body, slug)
	rec, err := catalogue.DecodeRecord(body)
	if err != nil {
		return err
	}
	out, err := s.cat.Replace(c.Request().Context(), slug, rec, version, s.editor(c))
	if err != nil {
		return err
	}
	return sendWrite(c, http.StatusOK, catalogue.ETag(out.Version), out)
}

// withSlug adds the URL's slug to a JSON object that has none.
func withSlug(body []byte, slug string) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil || m == nil {
		return body
	}
	if _, ok := m["slug"]; ok {
		return body
	}
	m["slug"], _ = json.Marshal(slug)
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return out
}

// patchLock godoc
//
//	@Summary		Change some fields of a lock model
//	@Description	An RFC 7396 JSON merge patch: fields present replace the current ones, null sets a scoring attribute to unknown (and removes optional fields). The result is validated as a whole. If-Match as for PUT.
//	@ID				patchLock
//	@Tags			editing
//	@Accept			json
//	@Produce		json,application/problem+json
//	@Security		BearerAuth
//	@Param			slug		path		string				true	"Lock model slug"	extensions(x-example=yale-conexis-l2)
//	@Param			If-Match	header		string				false	"ETag of the version being changed"	example("v3")
//	@Param			body		body		LockPatch	true	"Merge patch: any subset of the record's fields"
//	@Success		200			{object}	catalogue.LockRecord
//	@Header			200			{string}	ETag			"New version tag"
//	@Header			200			{string}	X-Request-ID	"Request id"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		413			{object}	Problem
//	@Failure		415			{object}	Problem
//	@Failure		429			{object}	Problem
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Header			200	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			200	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Router			/api/v1/locks/{slug} [patch]
func (s *Server) patchLock(c echo.Context) error {
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	if t := bytes.TrimSpace(body); len(t) == 0 || t[0] != '{' {
		return models.Invalid("the merge patch must be a JSON object", []models.FieldError{{Field: "", Message: "must be a JSON object"}})
	}
	if err := cleanText(body); err != nil {
		return err
	}
	out, err := s.cat.Patch(c.Request().Context(), c.Param("slug"), body, version, s.editor(c))
	if err != nil {
		return err
	}
	return sendWrite(c, http.StatusOK, catalogue.ETag(out.Version), out)
}

// deleteLock godoc
//
//	@Summary		Delete a lock model
//	@Description	A soft delete kept as a revision: the lock then answers 404 and leaves lists and rankings; restoring an earlier revision brings it back. If-Match as for PUT.
//	@ID				deleteLock
//	@Tags			editing
//	@Produce		json,application/problem+json
//	@Security		BearerAuth
//	@Param			slug		path	string	true	"Lock model slug"	extensions(x-example=yale-conexis-l2)
//	@Param			If-Match	header	string	false	"ETag of the version being deleted"	example("v3")
//	@Success		204
//	@Header			204	{string}	X-Request-ID	"Request id"
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		412	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Header			204	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			204	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			204	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Router			/api/v1/locks/{slug} [delete]
func (s *Server) deleteLock(c echo.Context) error {
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	if err := s.cat.Delete(c.Request().Context(), c.Param("slug"), version, s.editor(c)); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.NoContent(http.StatusNoContent)
}

// listRevisions godoc
//
//	@Summary		List a lock model's revisions
//	@Description	Every kept version of the lock model, newest first, each with the full snapshot, the API key name that made it, the time and a change summary. Works for deleted lock models too.
//	@ID				listRevisions
//	@Tags			editing
//	@Produce		json,application/problem+json
//	@Security		BearerAuth
//	@Param			slug	path		string	true	"Lock model slug"	extensions(x-example=yale-conexis-l2)
//	@Success		200		{object}	RevisionList
//	@Header			200		{string}	ETag			"Strong entity tag"
//	@Header			200		{string}	X-Request-ID	"Request id"
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Success		304	{string}	string	"Not modified: If-None-Match matched the ETag"
//	@Header			304	{string}	ETag	"Strong entity tag"
//	@Header			200	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			200	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Header			304	{string}	X-Request-ID	"Request id"
//	@Header			304	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			304	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			304	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Router			/api/v1/locks/{slug}/revisions [get]
func (s *Server) listRevisions(c echo.Context) error {
	slug := c.Param("slug")
	revs, err := s.cat.Revisions(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	r, err := jsonResponse(http.StatusOK, RevisionList{Slug: slug, Items: revs})
	if err != nil {
		return err
	}
	return s.sendPrivate(c, r)
}

// restoreRevision godoc
//
//	@Summary		Restore a revision
//	@Description	Makes the content of an earlier version current again as a new version (a deleted lock model comes back). If-Match, when sent, must name the current version.
//	@ID				restoreRevision
//	@Tags			editing
//	@Produce		json,application/problem+json
//	@Security		BearerAuth
//	@Param			slug		path		string	true	"Lock model slug"	extensions(x-example=yale-conexis-l2)
//	@Param			version		path		int		true	"Version to restore"	extensions(x-example=1)
//	@Param			If-Match	header		string	false	"ETag of the current version"	example("v3")
//	@Param			Idempotency-Key	header	string	false	"Makes a retry safe: the first successful answer to this key is replayed for a day (same key, different request: 422; first still running: 409)"	minlength(1)	maxlength(255)	example(7d7c2e9a-4f0b-4b8e-9a51-2f1c6f0f9a10)
//	@Success		200			{object}	catalogue.LockRecord
//	@Header			200			{string}	ETag			"New version tag"
//	@Header			200			{string}	X-Request-ID	"Request id"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		409			{object}	Problem
//	@Failure		412			{object}	Problem
//	@Failure		422	{object}	Problem
//	@Failure		429			{object}	Problem
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Header			200	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			200	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Header			200	{string}	Idempotent-Replayed	"true when this is the stored answer to an earlier request with the same Idempotency-Key"
//	@Router			/api/v1/locks/{slug}/revisions/{version}/restore [post]
func (s *Server) restoreRevision(c echo.Context) error {
	version, err := strconv.Atoi(c.Param("version"))
	if err != nil || version < 1 {
		return models.Invalid("invalid version", []models.FieldError{{Field: "version", Message: "must be a whole number of 1 or more"}})
	}
	cur, err := ifMatch(c)
	if err != nil {
		return err
	}
	out, err := s.cat.Restore(answerWith(c, http.StatusOK, ""), c.Param("slug"), version, cur, s.editor(c))
	if err != nil {
		return err
	}
	return sendAnswer(c, http.StatusOK, catalogue.ETag(out.Version), out)
}

// importLocks godoc
//
//	@Summary		Import lock models
//	@Description	A JSON array of records, or a CSV file (Content-Type: text/csv) with the columns documented in the README (a /locks CSV export imports unchanged: its read-only assessment columns are ignored), created or updated by slug, all or nothing in one transaction. dry_run=true reports per row created / updated / unchanged / invalid without writing. Any invalid row makes the whole import a 422 that names each invalid row and field; nothing is written.
//	@ID				importLocks
//	@Tags			editing
//	@Accept			json,text/csv
//	@Produce		json,application/problem+json
//	@Security		BearerAuth
//	@Param			dry_run	query		boolean				false	"Report without writing"	example(true)
//	@Param			body	body		[]catalogue.Record	true	"Records (or CSV text)"
//	@Param			Idempotency-Key	header	string	false	"Makes a retry safe: the first successful answer to this key is replayed for a day (same key, different request: 422; first still running: 409)"	minlength(1)	maxlength(255)	example(7d7c2e9a-4f0b-4b8e-9a51-2f1c6f0f9a10)
//	@Success		200		{object}	catalogue.ImportReport
//	@Header			200		{string}	X-Request-ID	"Request id"
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		409		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		422		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Header			200	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			200	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Header			200	{string}	Idempotent-Replayed	"true when this is the stored answer to an earlier request with the same Idempotency-Key"
//	@Router			/api/v1/locks/import [post]
func (s *Server) importLocks(c echo.Context) error {
	q := newQuery(c, []string{"dry_run"})
	dry := q.boolean("dry_run")
	if err := q.err(); err != nil {
		return err
	}
	rows, err := readImport(c)
	if err != nil {
		return err
	}
	rep, err := s.cat.Import(answerWith(c, http.StatusOK, ""), rows, dry != nil && *dry, s.editor(c))
	if err != nil {
		return err
	}
	return sendAnswer(c, http.StatusOK, "", rep)
}
