package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// response is a serialized body with its strong ETag, ready to send or
// cache. Its header values are built once, when it is made, so a cached
// response is sent without allocating them again.
type response struct {
	status      int
	contentType string
	body        []byte
	etag        string
	headers     map[string]string

	etagH, lengthH, typeH []string
	// extra is headers with canonical keys and header values.
	extra []headerValue
}

type headerValue struct {
	key   string
	value []string
}

// ready builds the header values; call it once the fields are final.
func (r *response) ready() *response {
	r.etagH = []string{r.etag}
	r.lengthH = []string{strconv.Itoa(len(r.body))}
	r.typeH = []string{r.contentType}
	r.extra = nil
	for k, v := range r.headers {
		r.extra = append(r.extra, headerValue{textproto.CanonicalMIMEHeaderKey(k), []string{v}})
	}
	return r
}

func jsonResponse(status int, v any) (*response, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("api: encode response: %w", err)
	}
	return &response{status: status, contentType: echo.MIMEApplicationJSON, body: b, etag: bodyETag(b)}, nil
}

func bodyETag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// varyAll names every request header a GET response depends on.
var varyAll = []string{"Origin, Accept, Accept-Encoding"}

// send writes r as a public, cacheable GET response, answering 304 when the
// client's If-None-Match already names its ETag.
func (s *Server) send(c echo.Context, r *response) error {
	return s.sendWith(c, r, s.publicCache)
}

var privateNoStore = []string{"private, no-store"}

func (s *Server) sendPrivate(c echo.Context, r *response) error {
	return s.sendWith(c, r, privateNoStore)
}

func (s *Server) sendWith(c echo.Context, r *response, cacheControl []string) error {
	if r.etagH == nil {
		r.ready()
	}
	h := c.Response().Header()
	h["Etag"] = r.etagH
	h["Cache-Control"] = cacheControl
	h[echo.HeaderVary] = varyAll
	if r.status == http.StatusOK && etagMatches(reqHeader(c.Request(), "If-None-Match"), r.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	if len(r.extra) == len(r.headers) {
		// What h.Set would store, built once per response.
		for _, kv := range r.extra {
			h[kv.key] = kv.value
		}
	} else {
		for k, v := range r.headers {
			h.Set(k, v)
		}
	}
	// A known length lets net/http send the body in one write, unchunked.
	h["Content-Length"] = r.lengthH
	h["Content-Type"] = r.typeH
	resp := c.Response()
	resp.WriteHeader(r.status)
	_, err := resp.Write(r.body)
	return err
}

// etagMatches applies If-None-Match's weak comparison (RFC 9110 §13.1.2).
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	if strings.TrimSpace(header) == "*" {
		return true
	}
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if part == etag {
			return true
		}
	}
	return false
}

// sendWrite writes the result of a write: no caching, with an ETag when given.
func sendWrite(c echo.Context, status int, etag string, v any) error {
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	if etag != "" {
		h.Set("ETag", etag)
	}
	return c.JSON(status, v)
}

// maxCachedBody is the largest response kept in a snapshot's cache.
const maxCachedBody = 256 << 10

// cached serves a GET whose answer depends only on the snapshot and the
// request's normalized query, computing it once per snapshot revision.
func (s *Server) cached(c echo.Context, key string, build func() (*response, error)) error {
	snap := s.cat.Snapshot()
	type result struct {
		r   *response
		err error
	}
	v, _ := snap.Cache.GetOrCompute(key, func() any {
		r, err := build()
		if r != nil {
			r.ready()
		}
		return result{r, err}
	})
	res := v.(result)
	if res.err != nil {
		if !isClientError(res.err) {
			// A failure of the server's own (the database unreachable for
			// a record's cold fields) must not stand for the snapshot's life.
			snap.Cache.Forget(key)
		}
		return res.err
	}
	if len(res.r.body) > maxCachedBody {
		snap.Cache.Forget(key) // a CSV of the whole catalogue is made again when asked
	}
	return s.send(c, res.r)
}

// sendNoStore writes a GET response that must not be cached (health,
// readiness, the index) but still carries an ETag.
func (s *Server) sendNoStore(c echo.Context, v any) error {
	r, err := jsonResponse(http.StatusOK, v)
	if err != nil {
		return err
	}
	return s.sendWith(c, r, noStore)
}
