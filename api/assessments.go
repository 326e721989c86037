package api

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/scoring"
)

// postAssessment godoc
//
//	@Summary		Assess any lock (what-if)
//	@Description	The full assessment of a lock that need not be in the catalogue. The body is {"lock": {attributes}, "context": {door and household}} ([the methodology](/docs/methodology#attributes) lists the attributes, [the methodology](/docs/methodology#context) the context); every attribute is optional and null means unknown. An unknown field, a wrong type or a value outside the vocabulary is a 400 naming the field.
//	@ID				postAssessment
//	@Tags			assessments
//	@Accept			json
//	@Produce		json,application/problem+json
//	@Param			body	body		scoring.Request	true	"Lock attributes and optional context"
//	@Success		200		{object}	scoring.Assessment
//	@Header			200		{string}	X-Request-ID	"Request id"
//	@Failure		400		{object}	Problem
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500	{object}	Problem
//	@Header			200	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			200	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Router			/api/v1/assessments [post]
func (s *Server) postAssessment(c echo.Context) error {
	// The route takes no query parameters; an empty query has none to
	// refuse, and parsing it would allocate.
	if c.Request().URL.RawQuery != "" {
		if err := newQuery(c).err(); err != nil {
			return err
		}
	}
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	// The request, its assessment and the answer's bytes are dropped when
	// the handler returns (Blob writes the body, gzip included, before it
	// returns), so they live in pooled storage: less garbage a request, and
	// each collection marks the whole catalogue snapshot.
	w := whatIfs.Get().(*whatIf)
	defer whatIfs.Put(w)
	if err := scoring.DecodeRequestInto(&w.req, body); err != nil {
		return err
	}
	a := s.engine.AssessInto(&w.scratch, &w.req.Lock, &w.req.Context)
	w.out = a.AppendJSON(w.out[:0])
	h := c.Response().Header()
	h["Cache-Control"] = noStore
	h["Content-Length"] = []string{strconv.Itoa(len(w.out))}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, w.out)
}

// whatIf is the storage of one what-if request.
type whatIf struct {
	req     scoring.Request
	scratch scoring.Scratch
	out     []byte
}

var (
	noStore = []string{"no-store"}
	whatIfs = sync.Pool{New: func() any { return &whatIf{out: make([]byte, 0, 4096)} }}
)
