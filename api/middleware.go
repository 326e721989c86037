package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/lockscore/lockscore/models"
)

const (
	ctxRequestID = "request_id"
	ctxAPIKey    = "api_key"
	ctxAuthErr   = "auth_error"
)

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// requestIDMiddleware accepts a well-formed X-Request-ID or makes one, and
// returns it on the response.
func (s *Server) requestIDMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !requestIDRE.MatchString(id) {
			var b [16]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Set(ctxRequestID, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func requestID(c echo.Context) string {
	id, _ := c.Get(ctxRequestID).(string)
	return id
}

// observe writes one access log line per request and records its metrics.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		d := time.Since(start)
		s.metrics.observe(route, c.Request().Method, status, d)
		level := s.log.Info
		if status >= 500 {
			level = s.log.Error
		}
		level("request", "method", c.Request().Method, "route", route, "path", c.Request().URL.Path, "status", status,
			"latency_ms", float64(d.Microseconds())/1000, "bytes", c.Response().Size, "request_id", requestID(c),
			"remote_ip", c.RealIP(), "api_key", keyName(c))
		return nil
	}
}

func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		if !strings.HasPrefix(c.Request().URL.Path, "/swagger") {
			h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		}
		if c.Request().TLS != nil || c.Request().Header.Get("X-Forwarded-Proto") == "https" {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

var (
	exposeHeaders = "ETag, Link, Location, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-Request-ID, Content-Disposition"
	allowHeaders  = "Authorization, Content-Type, Accept, If-Match, If-None-Match, X-Request-ID"
)

// cors lets any origin read without credentials and only configured origins write.
func (s *Server) cors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		origin := req.Header.Get(echo.HeaderOrigin)
		h := c.Response().Header()
		h.Add(echo.HeaderVary, echo.HeaderOrigin)
		if origin == "" {
			return next(c)
		}
		writeAllowed := slices.Contains(s.cfg.CORSOrigins, origin)
		if req.Method == http.MethodOptions && req.Header.Get(echo.HeaderAccessControlRequestMethod) != "" {
			m := strings.ToUpper(req.Header.Get(echo.HeaderAccessControlRequestMethod))
			switch {
			case m == http.MethodGet || m == http.MethodHead:
				h.Set(echo.HeaderAccessControlAllowOrigin, "*")
				h.Set(echo.HeaderAccessControlAllowMethods, "GET, HEAD")
			case writeAllowed:
				h.Set(echo.HeaderAccessControlAllowOrigin, origin)
				h.Set(echo.HeaderAccessControlAllowMethods, "GET, HEAD, POST, PUT, PATCH, DELETE")
			default:
				// No CORS headers: the browser refuses the write.
				return c.NoContent(http.StatusNoContent)
			}
			h.Set(echo.HeaderAccessControlAllowHeaders, allowHeaders)
			h.Set(echo.HeaderAccessControlMaxAge, "600")
			return c.NoContent(http.StatusNoContent)
		}
		if req.Method == http.MethodGet || req.Method == http.MethodHead {
			h.Set(echo.HeaderAccessControlAllowOrigin, "*")
		} else if writeAllowed {
			h.Set(echo.HeaderAccessControlAllowOrigin, origin)
		}
		h.Set(echo.HeaderAccessControlExposeHeaders, exposeHeaders)
		return next(c)
	}
}

// identify authenticates a bearer key, when one is sent, so that rate
// limits can count per key. Public routes ignore a failed key; write routes
// report it through requireKey.
func (s *Server) identify(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		auth := c.Request().Header.Get(echo.HeaderAuthorization)
		if auth == "" {
			return next(c)
		}
		scheme, secret, ok := strings.Cut(auth, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
			c.Set(ctxAuthErr, models.Errorf(models.KindUnauthorized, "Authorization must be \"Bearer <API key>\""))
			return next(c)
		}
		key, err := s.keys.Authenticate(c.Request().Context(), strings.TrimSpace(secret), models.ScopeWrite)
		if err != nil {
			c.Set(ctxAuthErr, err)
			return next(c)
		}
		c.Set(ctxAPIKey, key)
		return next(c)
	}
}

// requireKey admits only requests with a valid key of write scope or more.
func (s *Server) requireKey(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := c.Get(ctxAPIKey).(models.APIKey); ok {
			return next(c)
		}
		if err, ok := c.Get(ctxAuthErr).(error); ok {
			if models.KindOf(err) == "" {
				return err
			}
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="lockscore"`)
			return err
		}
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="lockscore"`)
		return models.Errorf(models.KindUnauthorized, "this endpoint needs Authorization: Bearer <API key> with write scope")
	}
}

func keyName(c echo.Context) string {
	if k, ok := c.Get(ctxAPIKey).(models.APIKey); ok {
		return k.Name
	}
	return ""
}

// rateLimiter is a token bucket per API key or client IP, in this replica's memory.
type rateLimiter struct {
	rps   rate.Limit
	burst int
	mu    sync.Mutex
	seen  map[string]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	last time.Time
}

func newRateLimiter(rps float64, burst int) *rateLimiter {
	return &rateLimiter{rps: rate.Limit(rps), burst: burst, seen: map[string]*bucket{}}
}

// take spends one token for id and reports whether it was allowed, the
// tokens left and when the bucket is full again.
func (r *rateLimiter) take(id string, now time.Time) (bool, int, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.seen) > 50_000 {
		for k, b := range r.seen {
			if now.Sub(b.last) > 5*time.Minute {
				delete(r.seen, k)
			}
		}
	}
	b, ok := r.seen[id]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(r.rps, r.burst)}
		r.seen[id] = b
	}
	b.last = now
	allowed := b.lim.AllowN(now, 1)
	left := b.lim.TokensAt(now)
	missing := float64(r.burst) - left
	reset := now.Add(time.Duration(missing / float64(r.rps) * float64(time.Second)))
	return allowed, int(math.Max(0, math.Floor(left))), reset
}

func (s *Server) retryAfterSeconds() int {
	if s.cfg.RateLimitRPS <= 0 {
		return 1
	}
	return int(math.Max(1, math.Ceil(1/s.cfg.RateLimitRPS)))
}

// rateLimit applies the limiter to everything but health checks and metrics.
func (s *Server) rateLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.cfg.RateLimitRPS <= 0 {
			return next(c)
		}
		switch c.Path() {
		case "/healthz", "/readyz", "/metrics":
			return next(c)
		}
		id := "ip:" + c.RealIP()
		if name := keyName(c); name != "" {
			id = "key:" + name
		}
		allowed, left, reset := s.limiter.take(id, time.Now())
		h := c.Response().Header()
		h.Set("X-RateLimit-Limit", strconv.Itoa(s.cfg.RateLimitBurst))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(left))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		if !allowed {
			s.metrics.rateLimited.Inc()
			return echo.NewHTTPError(http.StatusTooManyRequests, fmt.Sprintf("rate limit of %g requests per second exceeded", s.cfg.RateLimitRPS))
		}
		return next(c)
	}
}
