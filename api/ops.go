package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/docs"
	"github.com/lockscore/lockscore/models"
)

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
		return models.Errorf(models.KindUnavailable, "the catalogue snapshot is not loaded yet")
	}
	if err := s.cat.Store().Ping(c.Request().Context()); err != nil {
		s.log.Warn("readiness: database unreachable", "err", err)
		return models.Errorf(models.KindUnavailable, "the database is unreachable")
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

// apiIndex godoc
//
//	@Summary		API index (under /api/v1)
//	@Description	The API index of GET / at the API's own root: links to the API's documents and main resources.
//	@ID				apiIndex
//	@Tags			operations
//	@Produce		json
//	@Success		200	{object}	Index
//	@Header			200	{string}	X-Request-ID	"Request id"
//	@Header			200	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			200	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Header			200	{string}	ETag			"Strong entity tag"
//	@Router			/api/v1 [get]
func (s *Server) apiIndex(c echo.Context) error { return s.index(c) }

// openAPI3 serves the committed OpenAPI 3.0 document.
func openAPI3(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, docs.OpenAPI3)
}
