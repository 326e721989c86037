package api

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	echoSwagger "github.com/swaggo/echo-swagger"

	"github.com/lockscore/lockscore/docs"
	"github.com/lockscore/lockscore/internal/apikeys"
	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/config"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/internal/web"
)

// Server holds what the handlers need.
type Server struct {
	cfg     config.Config
	cat     *catalogue.Service
	keys    *apikeys.Keys
	engine  *scoring.Engine
	log     *slog.Logger
	limiter *rateLimiter
	metrics *metrics
	echo    *echo.Echo
	// publicCache is the Cache-Control value of public GET responses.
	publicCache []string
	// access, when set, writes access lines instead of log.
	access *jsonAccessLog
	// routes are the registered route patterns, the only route labels
	// metrics take besides "unmatched", with their metrics' shortcuts.
	routes    map[string]*routeObs
	unmatched *routeObs
	// gzip and limitBody are Echo's middlewares, which edge runs only for
	// the requests they have work for.
	gzip, limitBody echo.MiddlewareFunc
	// imports holds a token per import running on this replica.
	imports chan struct{}
}

// New builds the fully wired Echo server: middleware, routes, error handler.
func New(cfg config.Config, cat *catalogue.Service, keys *apikeys.Keys, log *slog.Logger, opts ...Option) *Server {
	s := &Server{cfg: cfg, cat: cat, keys: keys, engine: cat.Engine(), log: log}
	for _, o := range opts {
		o(s)
	}
	s.limiter = newRateLimiter(cfg.RateLimitRPS, cfg.RateLimitBurst, cfg.RateLimitBuckets)
	s.publicCache = []string{"public, max-age=" + strconv.Itoa(int(cfg.CacheMaxAge.Seconds()))}
	s.metrics = newMetrics(cat)
	e := echo.New()
	e.HideBanner, e.HidePort, e.Debug = true, true, false
	e.HTTPErrorHandler = s.handleError
	// Echo v4's default trusts spoofable X-Forwarded-For (GO-2026-6872):
	// use the connection's address unless a trusted proxy says otherwise.
	if len(cfg.TrustedProxies) > 0 {
		opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range cfg.TrustedProxies {
			opts = append(opts, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	} else {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	e.Server.ReadHeaderTimeout = 5 * time.Second
	e.Server.ReadTimeout = 60 * time.Second
	e.Server.WriteTimeout = cfg.RequestTimeout + 10*time.Second
	e.Server.IdleTimeout = 120 * time.Second
	s.echo = e

	// "/api/v1/locks/" is the same resource as "/api/v1/locks", as curl users expect.
	e.Pre(middleware.RemoveTrailingSlash())
	// edge also recovers panics, compresses (Echo's Gzip), answers errors
	// inside the gzip layer, so problem bodies are compressed like every
	// other answer, limits bodies (Echo's BodyLimit) and admits.
	e.Use(s.edge)
	s.gzip = middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024, Skipper: gzipSkipped})
	s.limitBody = middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: sizeString(cfg.BodyLimit), Skipper: func(c echo.Context) bool {
		return c.Path() == importPath
	}})
	// The request deadline guards the routes that wait on the database;
	// reads served from the snapshot never wait, and a deadline costs four
	// allocations per request.
	dbWork := middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: cfg.RequestTimeout})

	// The chooser's pages; GET / stays the JSON index unless a browser asks for HTML.
	web.Mount(e, s.cat, s.index)
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz, dbWork)
	e.GET("/metrics", s.metrics.handler())
	e.GET("/openapi.json", openAPI3)
	docs.SwaggerInfo.Host = ""
	e.GET("/swagger", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/swagger/index.html") })
	// Swagger UI shows the OpenAPI 3 document, the one clients are generated from.
	e.GET("/swagger/*", echoSwagger.EchoWrapHandler(func(c *echoSwagger.Config) { c.URLs = []string{"/openapi.json"} }))
	e.GET("/docs/methodology", s.methodologyPage)
	e.GET("/problems", s.listProblemTypes)
	e.GET("/problems/:type", s.getProblemType)

	v1 := e.Group("/api/v1")
	// Every public GET also answers HEAD (net/http sends the headers, no body).
	get := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		v1.GET(path, h, m...)
		v1.HEAD(path, h, m...)
	}
	keyed := func(next echo.HandlerFunc) echo.HandlerFunc { return dbWork(s.requireKey(next)) }
	// The editing routes take no query parameters, except import's dry_run,
	// which its handler reads strictly.
	write := func(next echo.HandlerFunc) echo.HandlerFunc { return keyed(noQueryParameters(cleanParams(next))) }
	// The editing POSTs, which are not idempotent by themselves, honour Idempotency-Key.
	writePOST := func(next echo.HandlerFunc) echo.HandlerFunc { return write(s.idempotent(next)) }
	get("/locks", s.listLocks)
	v1.POST("/locks", s.createLock, writePOST)
	s.imports = make(chan struct{}, max(1, cfg.MaxImports))
	v1.POST(strings.TrimPrefix(importPath, "/api/v1"), s.importLocks, middleware.BodyLimit(sizeString(cfg.ImportBodyLimit)),
		func(next echo.HandlerFunc) echo.HandlerFunc { return keyed(s.importSlot(s.idempotent(next))) })
	get("/locks/:slug", s.getLock)
	v1.PUT("/locks/:slug", s.replaceLock, write)
	v1.PATCH("/locks/:slug", s.patchLock, write)
	v1.DELETE("/locks/:slug", s.deleteLock, write)
	get("/locks/:slug/assessment", s.getAssessment)
	v1.GET("/locks/:slug/revisions", s.listRevisions, write)
	v1.POST("/locks/:slug/revisions/:version/restore", s.restoreRevision, writePOST)
	v1.POST("/assessments", s.postAssessment)
	get("/rankings", s.rankings)
	get("/compare", s.compare)
	get("/methodology", s.methodology)
	get("/facets", s.facets)
	get("/catalogue/stats", s.catalogueStats)
	get("/changes", s.listChanges, dbWork)
	s.routes = map[string]*routeObs{}
	for _, r := range e.Routes() {
		if s.routes[r.Path] == nil {
			s.routes[r.Path] = &routeObs{}
		}
	}
	s.unmatched = &routeObs{}
	return s
}

// Echo returns the wired Echo instance (for e.ServeHTTP in tests and for serving).
func (s *Server) Echo() *echo.Echo { return s.echo }

// Start serves on addr until Shutdown.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve serves on ln until Shutdown, with the configured connection caps;
// serve opens ln first, so that a busy port is reported before any start-up work.
func (s *Server) Serve(ln net.Listener) error {
	s.echo.Listener = newCapListener(ln, s.cfg.MaxConns, s.cfg.MaxConnsPerIP, func(a netip.Addr) bool {
		for _, n := range s.cfg.TrustedProxies {
			if n.Contains(a.AsSlice()) {
				return true
			}
		}
		return false
	})
	return s.echo.Start("")
}

// Shutdown stops accepting connections and waits for in-flight requests.
func (s *Server) Shutdown(ctx context.Context) error { return s.echo.Shutdown(ctx) }

// importPath is the import route, which has its own body limit.
const importPath = "/api/v1/locks/import"

// importSlot runs an import only while fewer than LOCKSCORE_MAX_IMPORTS
// run on this replica; another is refused at once with 503 and Retry-After,
// before its body is read, so imports cannot add up in memory.
func (s *Server) importSlot(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		select {
		case s.imports <- struct{}{}:
		default:
			c.Response().Header().Set("Retry-After", "5")
			return echo.NewHTTPError(http.StatusServiceUnavailable, "another import is running on this server; retry after the seconds in Retry-After")
		}
		defer func() { <-s.imports }()
		return next(c)
	}
}

func sizeString(n int64) string { return strconv.FormatInt(n, 10) + "B" }
