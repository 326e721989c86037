package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/quality"
)

// catalogueStats godoc
//
//	@Summary		The catalogue's data-quality report
//	@Description	How much of the live catalogue is known: the model count; the known share of each scoring attribute ([the methodology](/docs/methodology#attributes)) and of door_types, markets, status, release_year, product_url and price; completeness per lock (mean, minimum, the five least complete; a retrofit whose key is the door's own cylinder counts override_cylinder_rating as known); how many locks are provisional with no context and on a UK multipoint door, and the bands in both; how many sources name what they support; and issue 11's targets, met or not. Provisional counts use the catalogue's scoring engine, so they follow the methodology in force. `lockscore catalogue report` prints the same for the embedded seed or a database.
//	@ID				getCatalogueStats
//	@Tags			locks
//	@Produce		json,application/problem+json
//	@Success		200	{object}	quality.Report
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
//	@Router			/api/v1/catalogue/stats [get]
func (s *Server) catalogueStats(c echo.Context) error {
	if err := newQuery(c).err(); err != nil {
		return err
	}
	// Computed once per snapshot revision.
	return s.cached(c, "catalogue/stats", func() (*response, error) {
		rep, err := quality.ComputeSnapshot(c.Request().Context(), s.cat.Snapshot(), s.engine)
		if err != nil {
			return nil, err
		}
		return jsonResponse(http.StatusOK, rep)
	})
}
