package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/models"
)

const (
	ctxAPIKey  = "api_key"
	ctxAuthErr = "auth_error"
)

// validRequestID reports whether a client's X-Request-ID may be kept:
// 1 to 128 of A-Z, a-z, 0-9 and "._:-" (checked without a regexp: it runs
// on every request that sends one).
func validRequestID(id string) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch b := id[i]; {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9', b == '.', b == '_', b == ':', b == '-':
		default:
			return false
		}
	}
	return true
}

// edge is the only middleware after routing: request id, security
// headers, CORS, then what Echo's Recover, Gzip and BodyLimit middlewares
// and two of ours did (inner), then the access log line and metrics of
// whatever the rest of the chain does. It is one function
// rather than nine because Echo builds the chain for every request, and
// each layer costs an allocation and a call.
func (s *Server) edge(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		req := c.Request()
		h := c.Response().Header()
		if v := req.Header[echo.HeaderXRequestID]; len(v) > 0 && v[0] != "" && validRequestID(v[0]) {
			// The client's own id: its header's slice, capped so that an
			// append can never write into the request's header.
			h[echo.HeaderXRequestID] = v[:1:1]
		} else {
			h[echo.HeaderXRequestID] = newRequestIDHeader()
		}
		setSecurityHeaders(req, h)
		err := checkRequest(req)
		if req.Body != nil && req.Body != http.NoBody && req.ContentLength != 0 {
			req.Body = &clientBody{ReadCloser: req.Body}
			// The body has its own deadline, much shorter than the read
			// timeout: a slow client cannot hold a connection for long.
			_ = http.NewResponseController(c.Response().Writer).SetReadDeadline(time.Now().Add(s.bodyDeadline(req)))
		}
		if err == nil && !s.cors(c, h) {
			err = s.inner(c, next)
		}
		if err != nil {
			c.Error(err)
		}
		s.record(c, start)
		return nil
	}
}

// inner is, in this order, Echo's Recover (a panic is logged with its
// stack and answered as a 500), Echo's Gzip (skipped for Swagger and
// metrics), the problem body of an error (written inside the gzip layer),
// Echo's BodyLimit (not for the import route, which has its own) and
// admission. The Echo middlewares run as before where they do work (a
// gzip request, a request with a body); elsewhere inner does what they
// would have done without building them for the request.
func (s *Server) inner(c echo.Context, next echo.HandlerFunc) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = s.recovered(c, r)
		}
	}()
	if !gzipSkipped(c) {
		if strings.Contains(reqHeader(c.Request(), echo.HeaderAcceptEncoding), "gzip") {
			return s.gzip(func(c echo.Context) error { return s.answered(c, next) })(c)
		}
		// What Echo's Gzip adds for every request it does not compress.
		h := c.Response().Header()
		if v := h[echo.HeaderVary]; len(v) == 1 && v[0] == "Origin" {
			h[echo.HeaderVary] = hdrVaryOriginEncoding
		} else {
			h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		}
	}
	return s.answered(c, next)
}

// recovered is Echo's Recover with the server's LogErrorFunc: http.ErrAbortHandler
// goes on to net/http; anything else is logged with this goroutine's stack
// and answered through the error handler.
func (s *Server) recovered(c echo.Context, r any) error {
	if r == http.ErrAbortHandler {
		panic(r)
	}
	err, ok := r.(error)
	if !ok {
		err = fmt.Errorf("%v", r)
	}
	stack := make([]byte, 4<<10)
	stack = stack[:runtime.Stack(stack, false)]
	s.log.Error("panic", "err", err, "stack", string(stack), "request_id", requestID(c))
	c.Error(err)
	return nil
}

func gzipSkipped(c echo.Context) bool {
	return strings.HasPrefix(c.Path(), "/swagger") || c.Path() == "/metrics"
}

// answered writes the problem body of an error the rest of the chain returns.
func (s *Server) answered(c echo.Context, next echo.HandlerFunc) error {
	if err := s.limited(c, next); err != nil {
		c.Error(err)
	}
	return nil
}

// limited applies the body limit to a request that has a body (a request
// without one has nothing to limit), then admit.
func (s *Server) limited(c echo.Context, next echo.HandlerFunc) error {
	if c.Request().ContentLength != 0 && c.Path() != importPath {
		return s.limitBody(func(c echo.Context) error { return s.admitted(c, next) })(c)
	}
	return s.admitted(c, next)
}

// reqHeader is req.Header.Get for a key already in canonical form (as
// net/http stores request headers), without canonicalizing it again.
func reqHeader(req *http.Request, canonicalKey string) string {
	if v := req.Header[canonicalKey]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Caps on what a request may carry besides its body (issue 12 #4, #5).
const (
	maxQueryBytes  = 8 << 10  // the query string, and the path: 414 above
	maxHeaderBytes = 32 << 10 // header names and values: 431 above
	maxQueryParams = 10000    // Go's url.ParseQuery refuses more
)

// checkRequest refuses, before any handler runs, a path or query string
// over the cap (414), headers over theirs (431) and a query string that
// Go's parser cannot read whole (400): Echo drops that error, and the
// handler would then see fewer filters than were sent and answer with
// everything. It allocates nothing.
func checkRequest(req *http.Request) error {
	raw := req.URL.RawQuery
	if len(raw) > maxQueryBytes || len(req.URL.Path) > maxQueryBytes {
		return echo.NewHTTPError(http.StatusRequestURITooLong, fmt.Sprintf("the path and the query string may each be at most %d bytes", maxQueryBytes))
	}
	n := 0
	for k, vs := range req.Header {
		n += len(k)
		for _, v := range vs {
			n += len(v) + 4
		}
	}
	if n > maxHeaderBytes {
		return echo.NewHTTPError(http.StatusRequestHeaderFieldsTooLarge, fmt.Sprintf("the request headers may be at most %d bytes", maxHeaderBytes))
	}
	if raw == "" {
		return nil
	}
	params := 1
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '&':
			params++
		case ';':
			return badQuery("a ; is not a parameter separator; use & (or %3B for a literal ;)")
		case '%':
			if i+2 >= len(raw) || !isHex(raw[i+1]) || !isHex(raw[i+2]) {
				return badQuery("a % must start an escape such as %20 (use %25 for a literal %)")
			}
			i += 2
		}
	}
	if params > maxQueryParams {
		return badQuery(fmt.Sprintf("more than %d parameters", maxQueryParams))
	}
	return nil
}

func badQuery(why string) error {
	return models.Invalid("the query string cannot be parsed: "+why, []models.FieldError{{Field: "", Message: why}})
}

func isHex(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
}

// bodyDeadline is how long a request's body may take to arrive: the body
// timeout, plus its size (or, when not declared, the route's limit) at the
// minimum rate.
func (s *Server) bodyDeadline(req *http.Request) time.Duration {
	size := req.ContentLength
	if size < 0 {
		size = s.cfg.BodyLimit
		if req.URL.Path == importPath {
			size = s.cfg.ImportBodyLimit
		}
	}
	return s.cfg.BodyTimeout + time.Duration(float64(size)/float64(s.cfg.BodyMinRate)*float64(time.Second))
}

// clientBody marks the errors of reading a request body as the client's:
// a stalled or vanished client, not a server fault (issue 12 #7).
type clientBody struct{ io.ReadCloser }

func (b *clientBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		var mbe *http.MaxBytesError
		if !errors.As(err, &mbe) {
			err = &clientError{err}
		}
	}
	return n, err
}

// clientError is a request body the client did not finish sending.
type clientError struct{ err error }

func (e *clientError) Error() string { return "reading the request body: " + e.err.Error() }
func (e *clientError) Unwrap() error { return e.err }

// stalled reports whether the client ran out of time rather than went away.
func (e *clientError) stalled() bool {
	var ne net.Error
	return errors.As(e.err, &ne) && ne.Timeout()
}

// StatusClientClosed is nginx's 499: the client closed the connection
// before the answer. No answer reaches it; the status is for logs and metrics.
const StatusClientClosed = 499

// clientFault maps an error caused by the client's connection to 408 or
// 499, or returns 0.
func clientFault(c echo.Context, err error) int {
	var ce *clientError
	switch {
	case errors.As(err, &ce) && ce.stalled():
		return http.StatusRequestTimeout
	case errors.As(err, &ce):
		return StatusClientClosed
	case errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil:
		return StatusClientClosed
	}
	return 0
}

// requestIDs are a random per-process prefix and a counter: unique without
// a system call per request.
var (
	requestIDPrefix = func() string {
		var b [8]byte
		_, _ = rand.Read(b[:])
		return hex.EncodeToString(b[:])
	}()
	requestIDCounter atomic.Uint64
)

// requestIDHeader is a generated id and the header value that holds it,
// in one allocation.
type requestIDHeader struct {
	v [1]string
	b [32]byte
}

// newRequestIDHeader returns a new id as a header value ([]string of one).
func newRequestIDHeader() []string {
	n := requestIDCounter.Add(1)
	r := new(requestIDHeader)
	copy(r.b[:16], requestIDPrefix)
	const digits = "0123456789abcdef"
	for i := 31; i >= 16; i-- {
		r.b[i] = digits[n&15]
		n >>= 4
	}
	// The bytes are never written again, so the string may share them.
	r.v[0] = unsafe.String(&r.b[0], len(r.b))
	return r.v[:]
}

// requestID is the id edge put on the response (kept there rather than in
// the context's store, which would cost a map per request).
func requestID(c echo.Context) string {
	if v := c.Response().Header()["X-Request-Id"]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// record writes one access log line for the request and records its metrics.
func (s *Server) record(c echo.Context, start time.Time) {
	route := c.Path()
	ro := s.routes[route]
	if ro == nil {
		route, ro = "unmatched", s.unmatched
	}
	status := c.Response().Status
	d := time.Since(start)
	method, mi := metricMethod(c.Request().Method)
	s.metrics.observe(ro, mi, route, method, status, d)
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	if !s.log.Enabled(c.Request().Context(), level) {
		return
	}
	if s.access != nil {
		s.access.write(c, level.String(), route, status, d)
		return
	}
	{
		s.log.LogAttrs(c.Request().Context(), level, "request", slog.String("method", c.Request().Method),
			slog.String("route", route), slog.String("path", c.Request().URL.Path), slog.Int("status", status),
			slog.Float64("latency_ms", float64(d.Microseconds())/1000), slog.Int64("bytes", c.Response().Size),
			slog.String("request_id", requestID(c)), slog.String("remote_ip", c.RealIP()), slog.String("api_key", keyName(c)))
	}
}

// metricMethod is the method as a metric label, one of a fixed set so
// that invented methods cannot add series, and its index in that set.
func metricMethod(m string) (string, int) {
	switch m {
	case http.MethodGet:
		return m, 0
	case http.MethodHead:
		return m, 1
	case http.MethodPost:
		return m, 2
	case http.MethodPut:
		return m, 3
	case http.MethodPatch:
		return m, 4
	case http.MethodDelete:
		return m, 5
	case http.MethodOptions:
		return m, 6
	}
	return "OTHER", 7
}

// The security headers' values, built once; the keys are canonical already.
var (
	hdrNosniff    = []string{"nosniff"}
	hdrDeny       = []string{"DENY"}
	hdrCSP        = []string{"default-src 'none'; frame-ancestors 'none'"}
	hdrHSTS       = []string{"max-age=31536000"}
	hdrVaryOrigin = []string{"Origin"}
	// What Echo's Gzip makes of hdrVaryOrigin (len == cap: an append copies).
	hdrVaryOriginEncoding = []string{"Origin", "Accept-Encoding"}
	hdrStar               = []string{"*"}
	hdrExpose             = []string{exposeHeaders}
)

func setSecurityHeaders(req *http.Request, h http.Header) {
	h["X-Content-Type-Options"] = hdrNosniff
	h["X-Frame-Options"] = hdrDeny
	if !strings.HasPrefix(req.URL.Path, "/swagger") {
		h["Content-Security-Policy"] = hdrCSP
	}
	if req.TLS != nil || reqHeader(req, "X-Forwarded-Proto") == "https" {
		h["Strict-Transport-Security"] = hdrHSTS
	}
}

var (
	exposeHeaders = "ETag, Link, Location, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-Request-ID, Content-Disposition, Idempotent-Replayed"
	allowHeaders  = "Authorization, Content-Type, Accept, If-Match, If-None-Match, X-Request-ID, Idempotency-Key"
)

// assessmentsPath is the what-if endpoint: a POST that changes nothing, so
// browsers on any origin may call it like a GET.
const assessmentsPath = "/api/v1/assessments"

// cors lets any origin read without credentials (GET, HEAD and the what-if
// POST /assessments) and only configured origins write. It reports whether
// it answered a preflight itself.
func (s *Server) cors(c echo.Context, h http.Header) bool {
	req := c.Request()
	origin := reqHeader(req, echo.HeaderOrigin)
	h[echo.HeaderVary] = hdrVaryOrigin
	if origin == "" {
		return false
	}
	writeAllowed := slices.Contains(s.cfg.CORSOrigins, origin)
	if acrm := reqHeader(req, echo.HeaderAccessControlRequestMethod); req.Method == http.MethodOptions && acrm != "" {
		m := strings.ToUpper(acrm)
		switch {
		case m == http.MethodGet || m == http.MethodHead:
			h.Set(echo.HeaderAccessControlAllowOrigin, "*")
			h.Set(echo.HeaderAccessControlAllowMethods, "GET, HEAD")
		case m == http.MethodPost && req.URL.Path == assessmentsPath && !writeAllowed:
			h.Set(echo.HeaderAccessControlAllowOrigin, "*")
			h.Set(echo.HeaderAccessControlAllowMethods, "POST")
		case writeAllowed:
			h.Set(echo.HeaderAccessControlAllowOrigin, origin)
			h.Set(echo.HeaderAccessControlAllowMethods, "GET, HEAD, POST, PUT, PATCH, DELETE")
		default:
			// No CORS headers: the browser refuses the write.
			_ = c.NoContent(http.StatusNoContent)
			return true
		}
		h.Set(echo.HeaderAccessControlAllowHeaders, allowHeaders)
		h.Set(echo.HeaderAccessControlMaxAge, "600")
		_ = c.NoContent(http.StatusNoContent)
		return true
	}
	switch {
	case writeAllowed && req.Method != http.MethodGet && req.Method != http.MethodHead:
		h.Set(echo.HeaderAccessControlAllowOrigin, origin)
	case req.Method == http.MethodGet || req.Method == http.MethodHead ||
		(req.Method == http.MethodPost && req.URL.Path == assessmentsPath):
		h[echo.HeaderAccessControlAllowOrigin] = hdrStar
	}
	h[echo.HeaderAccessControlExposeHeaders] = hdrExpose
	return false
}

// admitted identifies the caller, then applies the rate limit (per API
// key when a valid one is sent, per client IP otherwise) before next.
// Public routes ignore a failed key; write routes report it through
// requireKey.
func (s *Server) admitted(c echo.Context, next echo.HandlerFunc) error {
	s.identify(c)
	if err := s.rateLimit(c); err != nil {
		return err
	}
	return next(c)
}

func (s *Server) identify(c echo.Context) {
	auth := reqHeader(c.Request(), echo.HeaderAuthorization)
	if auth == "" {
		return
	}
	scheme, secret, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
		c.Set(ctxAuthErr, models.Errorf(models.KindUnauthorized, "Authorization must be \"Bearer <API key>\""))
		return
	}
	key, err := s.keys.Authenticate(c.Request().Context(), strings.TrimSpace(secret), models.ScopeWrite)
	if err != nil {
		c.Set(ctxAuthErr, err)
		return
	}
	c.Set(ctxAPIKey, key)
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

func (s *Server) retryAfterSeconds() int {
	if s.cfg.RateLimitRPS <= 0 {
		return 1
	}
	return int(math.Max(1, math.Ceil(1/s.cfg.RateLimitRPS)))
}

// rateLimit spends a token for everything but health checks and metrics.
func (s *Server) rateLimit(c echo.Context) error {
	{
		if s.cfg.RateLimitRPS <= 0 {
			return nil
		}
		switch c.Path() {
		case "/healthz", "/readyz", "/metrics":
			return nil
		}
		id := clientBucket(c.RealIP())
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
		return nil
	}
}
