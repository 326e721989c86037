package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/models"
)

// Problem is an RFC 9457 problem details body, the shape of every 4xx and
// 5xx response.
type Problem struct {
	Type      string              `json:"type" example:"/problems/invalid-request"`
	Title     string              `json:"title" example:"Invalid request"`
	Status    int                 `json:"status" example:"400"`
	Detail    string              `json:"detail" example:"unknown query parameter"`
	Instance  string              `json:"instance" example:"/api/v1/locks?brnad=Yale"`
	RequestID string              `json:"request_id,omitempty" example:"b7e4c1d2a9f04e11"`
	Errors    []models.FieldError `json:"errors"`
	// ErrorsOmitted counts the errors left out of errors[], which lists at most 20.
	ErrorsOmitted int `json:"errors_omitted,omitempty" example:"0"`
	// CurrentVersion is the lock model's version, on a 412.
	CurrentVersion *int `json:"current_version,omitempty" example:"4"`
	// CurrentETag is the lock model's ETag, on a 412.
	CurrentETag string `json:"current_etag,omitempty" example:"\"v4\""`
	// Report is the per-row import report, on a 422 from an import.
	Report any `json:"report,omitempty"`
}

var problemTypes = map[int]struct{ slug, title string }{
	400: {"invalid-request", "Invalid request"},
	401: {"unauthorized", "Missing or unknown API key"},
	403: {"forbidden", "API key not allowed"},
	404: {"not-found", "Not found"},
	405: {"method-not-allowed", "Method not allowed"},
	406: {"not-acceptable", "Not acceptable"},
	408: {"request-timeout", "Request timeout"},
	409: {"conflict", "Conflict"},
	412: {"precondition-failed", "Precondition failed"},
	413: {"payload-too-large", "Request body too large"},
	414: {"uri-too-long", "URI too long"},
	415: {"unsupported-media-type", "Unsupported media type"},
	422: {"unprocessable", "Unprocessable content"},
	429: {"rate-limited", "Too many requests"},
	431: {"headers-too-large", "Request header fields too large"},
	500: {"internal", "Internal server error"},
	503: {"unavailable", "Service unavailable"},
}

// refusal lists the statuses that answer a request without reading its body.
var refusal = map[int]bool{401: true, 403: true, 413: true, 414: true, 415: true, 429: true, 431: true, 503: true}

var kindStatus = map[models.ErrorKind]int{
	models.KindInvalid:            http.StatusBadRequest,
	models.KindNotFound:           http.StatusNotFound,
	models.KindConflict:           http.StatusConflict,
	models.KindPreconditionFailed: http.StatusPreconditionFailed,
	models.KindUnauthorized:       http.StatusUnauthorized,
	models.KindForbidden:          http.StatusForbidden,
	models.KindUnprocessable:      http.StatusUnprocessableEntity,
	models.KindUnavailable:        http.StatusServiceUnavailable,
	models.KindUnsupportedMedia:   http.StatusUnsupportedMediaType,
}

// isClientError reports whether err is the request's fault (a 4xx): the
// same request gets the same answer, so it may be cached.
func isClientError(err error) bool {
	var me *models.Error
	var fe scoring.FieldErrors
	switch {
	case errors.As(err, &me):
		status := kindStatus[me.Kind]
		return status >= 400 && status < 500
	case errors.As(err, &fe):
		return true
	}
	return false
}

// handleError is the one place error bodies are written.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if status := clientFault(c, err); status != 0 {
		s.clientAborted(c, status)
		return
	}
	p := Problem{Status: http.StatusInternalServerError, Detail: "the server failed to handle the request", Errors: []models.FieldError{}}
	var me *models.Error
	var he *echo.HTTPError
	var fe scoring.FieldErrors
	switch {
	case errors.As(err, &me):
		p.Status = kindStatus[me.Kind]
		if p.Status == 0 {
			p.Status = http.StatusInternalServerError
		}
		p.Detail = me.Message
		if me.Fields != nil {
			p.Errors = me.Fields
		}
		p.CurrentVersion, p.CurrentETag, p.Report = me.CurrentVersion, me.CurrentETag, me.Report
	case errors.As(err, &fe):
		p.Status, p.Detail = http.StatusBadRequest, "the request is invalid"
		p.Errors = append(p.Errors, fe...)
	case errors.As(err, &he):
		p.Status = he.Code
		p.Detail = httpErrorDetail(he)
		if he.Code == http.StatusRequestEntityTooLarge {
			p.Detail += " (" + fmtBytes(s.bodyLimit(c)) + ")"
		}
		if he.Code == http.StatusTooManyRequests {
			c.Response().Header().Set("Retry-After", fmt.Sprint(s.retryAfterSeconds()))
		}
	}
	if p.Status == http.StatusInternalServerError && store.Unavailable(err) {
		// The database cannot be reached: a fault with its own answer, not a bug.
		p.Status, p.Detail = http.StatusServiceUnavailable, "the database cannot be reached just now; retry after the seconds in Retry-After"
		c.Response().Header().Set("Retry-After", "1")
		s.log.Warn("database unavailable", "err", err, "method", c.Request().Method, "route", c.Path(), "request_id", requestID(c))
	} else if p.Status >= 500 {
		s.log.Error("request failed", "err", err, "method", c.Request().Method, "path", c.Path(), "request_id", requestID(c))
		if p.Status == http.StatusServiceUnavailable && he != nil {
			p.Detail = httpErrorDetail(he)
		}
	}
	if refusal[p.Status] && c.Request().ContentLength != 0 {
		// Refused before its body was read: close rather than read the
		// rest first (net/http would, to reuse the connection).
		c.Response().Header().Set("Connection", "close")
	}
	if p.Status == http.StatusServiceUnavailable && c.Response().Header().Get("Retry-After") == "" {
		c.Response().Header().Set("Retry-After", "1")
	}
	t := problemTypes[p.Status]
	if t.slug == "" {
		t.slug, t.title = "error", http.StatusText(p.Status)
	}
	p.Type, p.Title = "/problems/"+t.slug, t.title
	p.Instance = c.Request().URL.EscapedPath()
	p.RequestID = requestID(c)
	bound(&p)
	body, _ := json.Marshal(p)
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Del("ETag")
	c.Response().WriteHeader(p.Status)
	if c.Request().Method != http.MethodHead {
		_, _ = c.Response().Write(body)
	}
}

// Bounds of a problem body, so that an answer never grows with what the
// request echoes (issue 12 #5).
const (
	maxProblemErrors = 20
	maxEcho          = 200  // an echoed value: a field name, the instance, a quoted value
	maxMessage       = 1000 // a detail or message as a whole
)

// bound cuts what a problem echoes: the instance and field names to 200
// characters, quoted values inside messages to 200, whole messages to
// 1,000, errors[] to 20 entries plus a count of the rest, and the same in
// an import report.
func bound(p *Problem) {
	p.Instance = cut(p.Instance, maxEcho)
	p.Detail = cutMessage(p.Detail)
	if n := len(p.Errors); n > maxProblemErrors {
		p.ErrorsOmitted = n - maxProblemErrors
		p.Errors = p.Errors[:maxProblemErrors]
	}
	p.Errors = boundFields(p.Errors)
	if rep, ok := p.Report.(catalogue.ImportReport); ok {
		rows := make([]catalogue.ImportResult, len(rep.Rows))
		for i, r := range rep.Rows {
			r.Slug = cut(r.Slug, maxEcho)
			r.Errors = boundFields(r.Errors)
			rows[i] = r
		}
		rep.Rows = rows
		p.Report = rep
	}
}

func boundFields(fs []models.FieldError) []models.FieldError {
	var out []models.FieldError
	for i, f := range fs {
		g := models.FieldError{Field: cut(f.Field, maxEcho), Message: cutMessage(f.Message), Row: f.Row}
		if g != f && out == nil {
			out = slices.Clone(fs)
		}
		if out != nil {
			out[i] = g
		}
	}
	if out == nil {
		return fs
	}
	return out
}

// cut shortens s to n characters and an ellipsis.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n {
			return s[:i] + "…"
		}
		count++
	}
	return s
}

// quoted finds the %q-quoted values messages echo.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

func cutMessage(m string) string {
	if len(m) <= maxEcho {
		return m
	}
	m = quoted.ReplaceAllStringFunc(m, func(q string) string {
		if len(q) <= maxEcho+2 {
			return q
		}
		return cut(q[1:len(q)-1], maxEcho) + `"`
	})
	return cut(m, maxMessage)
}

// bodyLimit is the largest body the request's route accepts.
func (s *Server) bodyLimit(c echo.Context) int64 {
	if c.Path() == importPath {
		return s.cfg.ImportBodyLimit
	}
	return s.cfg.BodyLimit
}

// fmtBytes writes a size the way the configuration takes it.
func fmtBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// clientAborted answers a client that stalled (408) or went away (499):
// its own status, counted apart in /metrics, the connection closed.
func (s *Server) clientAborted(c echo.Context, status int) {
	reason := "closed"
	if status == http.StatusRequestTimeout {
		reason = "stalled"
	}
	s.metrics.clientAborted.WithLabelValues(reason).Inc()
	h := c.Response().Header()
	h.Set("Connection", "close")
	if status == StatusClientClosed {
		c.Response().WriteHeader(status)
		return
	}
	t := problemTypes[status]
	p := Problem{Type: "/problems/" + t.slug, Title: t.title, Status: status, Errors: []models.FieldError{},
		Detail: "the request body did not arrive in time", Instance: cut(c.Request().URL.EscapedPath(), maxEcho), RequestID: requestID(c)}
	body, _ := json.Marshal(p)
	h.Set(echo.HeaderContentType, "application/problem+json")
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(status)
	_, _ = c.Response().Write(body)
}

func httpErrorDetail(he *echo.HTTPError) string {
	switch he.Code {
	case http.StatusNotFound:
		return "no such resource; see /swagger/index.html for the API's paths"
	case http.StatusMethodNotAllowed:
		return "this path does not accept that method"
	case http.StatusRequestEntityTooLarge:
		return "the request body is larger than this endpoint accepts"
	case http.StatusTooManyRequests:
		return "rate limit exceeded; retry after the number of seconds in Retry-After"
	case http.StatusServiceUnavailable:
		if he.Message != nil {
			if m, ok := he.Message.(string); ok && !strings.Contains(m, "Service Unavailable") {
				return m
			}
		}
		return "the request did not finish in time or the service is not ready"
	}
	if m, ok := he.Message.(string); ok {
		return m
	}
	return http.StatusText(he.Code)
}
