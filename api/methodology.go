package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

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
	m := q.methodology(s.engine.Methodology())
	if err := q.err(); err != nil {
		return err
	}
	return s.cached(c, "methodology?"+m.Version, func() (*response, error) {
		return jsonResponse(http.StatusOK, s.methodologyDocument(m))
	})
}
