package api

import (
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/methoddoc"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

// This file serves the documents people read beside the API: the
// methodology explained, and one page per problem type, which is where
// every problem's "type" URL leads (as Stripe's doc_url does).

// MethodologyDocument is the methodology as data, with a link to the same
// methodology explained for people.
type MethodologyDocument struct {
	// Documentation is the URL of the methodology explained: its tables are generated from this value.
	Documentation string `json:"documentation" example:"/docs/methodology"`
	scoring.Methodology
}

// methodologyDocument links m to its explanation: the page of the
// methodology in force, or of the version asked for.
func (s *Server) methodologyDocument(m *scoring.Methodology) MethodologyDocument {
	doc := methoddoc.Path
	if m.Version != s.engine.Methodology().Version {
		doc += "?version=" + m.Version
	}
	return MethodologyDocument{Documentation: doc, Methodology: *m}
}

// ProblemType explains one problem type: what it means and what to do.
type ProblemType struct {
	// Type is the URL that problems of this type carry in "type".
	Type   string `json:"type" example:"/problems/invalid-request"`
	Title  string `json:"title" example:"Invalid request"`
	Status int    `json:"status" example:"400"`
	// Description says when the API answers with this problem.
	Description string `json:"description"`
	// Fix says what a client can do about it.
	Fix string `json:"fix"`
}

// ProblemTypeList is every problem type the API sends.
type ProblemTypeList struct {
	Items []ProblemType `json:"items"`
}

// problemHelp explains each problem type of problemTypes (errors.go), by
// slug; a test fails when a type has no explanation.
var problemHelp = map[string]struct{ description, fix string }{
	"invalid-request": {"A query parameter, path value or body field is unknown, repeated, of the wrong type or outside its vocabulary. errors[] names every such field (field, message); nothing was changed.",
		"Correct the fields named in errors[]. Filter values are case-insensitive; lists are comma-separated; the OpenAPI document at /openapi.json lists each parameter's values."},
	"unauthorized": {"The operation needs an API key and the request had none, or one the server does not know.",
		"Send Authorization: Bearer YOUR_KEY with a key made by `lockscore apikey create` on the server's machine. Reads need no key."},
	"forbidden": {"The API key is known but revoked, or its scope does not allow the operation.",
		"Ask the server's operator for a key with the write (or admin) scope."},
	"not-found": {"The path, or the lock model it names, does not exist (a deleted lock model is not found either).",
		"Check the slug with GET /api/v1/locks?q=WORDS, or the path in /swagger/index.html."},
	"method-not-allowed": {"The path exists but does not take this HTTP method.",
		"See the path's operations in /swagger/index.html."},
	"not-acceptable": {"The Accept header asks for a format this endpoint cannot send.",
		"Accept application/json (or text/csv on /locks and /rankings)."},
	"request-timeout": {"The request body did not arrive in time (LOCKSCORE_BODY_TIMEOUT plus its size at LOCKSCORE_BODY_MIN_RATE); nothing was changed.",
		"Send the body as soon as the headers; on a slow link, send less at a time."},
	"conflict": {"The request conflicts with the catalogue's state: the slug exists already, or the same Idempotency-Key is still being processed.",
		"Choose another slug, or retry the idempotent request after a moment."},
	"precondition-failed": {"If-Match named a version that is no longer current: someone changed the lock model since you read it. current_version and current_etag say what it is now.",
		"Read the lock model again, reapply your change, and send it with the new ETag in If-Match."},
	"payload-too-large": {"The request body is larger than this endpoint accepts (see LOCKSCORE_BODY_LIMIT and LOCKSCORE_IMPORT_BODY_LIMIT; detail states the limit).",
		"Send a smaller body; split a large import into several."},
	"uri-too-long": {"The request's query string is longer than the server accepts (8 KB), so it was refused before any handler read it.",
		"Send fewer or shorter parameters; a long list of slugs or filters can be split over several requests."},
	"headers-too-large": {"The request's header fields are larger than the server accepts, so it was refused before any handler read it.",
		"Send fewer or smaller headers (large cookies are the usual cause)."},
	"unsupported-media-type": {"The body's Content-Type is not one this endpoint reads.",
		"Send application/json (application/merge-patch+json for PATCH, text/csv for imports)."},
	"unprocessable": {"The body is well-formed but cannot be applied: an import with invalid rows (report lists each row and field), or an Idempotency-Key reused for a different request.",
		"Fix the rows named in the report and import again (nothing was written), or use a new Idempotency-Key."},
	"rate-limited": {"Too many requests from this API key or client address in a short time.",
		"Wait the number of seconds in Retry-After; X-RateLimit-Remaining and X-RateLimit-Reset show the budget."},
	"internal": {"The server failed to handle the request. The response never says why; the server's log does, under the request_id.",
		"Retry later; if it persists, report the request_id to the server's operator."},
	"unavailable": {"The server is starting, stopping, or cannot reach its database; it is already running an import; or the request did not finish in time.",
		"Retry after the number of seconds in Retry-After."},
	"error": {"A response status without a more specific problem type.", "See status, title and detail."},
}

// problemTypeList is every type the error handler can emit, in status order.
func problemTypeList() []ProblemType {
	out := make([]ProblemType, 0, len(problemTypes)+1)
	for status, t := range problemTypes {
		h := problemHelp[t.slug]
		out = append(out, ProblemType{Type: "/problems/" + t.slug, Title: t.title, Status: status, Description: h.description, Fix: h.fix})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Status < out[j].Status })
	h := problemHelp["error"]
	return append(out, ProblemType{Type: "/problems/error", Title: "Error", Status: 0, Description: h.description, Fix: h.fix})
}

// pageCSP lets the documents' inline style through and nothing else.
var pageCSP = []string{"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"}

// wantsHTML is true for browsers: Accept names text/html before any JSON.
func wantsHTML(c echo.Context) bool {
	a := c.Request().Header.Get(echo.HeaderAccept)
	i := strings.Index(a, "text/html")
	if i < 0 {
		return false
	}
	j := strings.Index(a, "json")
	return j < 0 || i < j
}

func htmlResponse(b []byte) *response {
	return &response{status: http.StatusOK, contentType: echo.MIMETextHTMLCharsetUTF8, body: b, etag: bodyETag(b)}
}

// methodologyPage godoc
//
//	@Summary		The methodology explained
//	@Description	The scoring methodology explained for people, as an HTML page (or Markdown with format=markdown). Its tables of weights, ways in, gates and bands are generated from the same value GET /api/v1/methodology serves.
//	@ID				getMethodologyPage
//	@Tags			methodology
//	@Produce		html,text/markdown,application/problem+json
//	@Param			format	query		string	false	"html (default) or markdown"	Enums(html,markdown)	example(html)
//	@Param			version	query		string	false	"Methodology version (default: the one in force)"	Enums(1,2)	example(2)
//	@Success		200		{string}	string	"The methodology explained"
//	@Header			200		{string}	ETag			"Strong entity tag"
//	@Header			200		{string}	X-Request-ID	"Request id"
//	@Header			200		{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			200		{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200		{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Failure		400		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Success		304	{string}	string	"Not modified: If-None-Match matched the ETag"
//	@Header			304	{string}	ETag	"Strong entity tag"
//	@Header			304	{string}	X-Request-ID	"Request id"
//	@Header			304	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			304	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			304	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Router			/docs/methodology [get]
func (s *Server) methodologyPage(c echo.Context) error {
	q := newQuery(c, []string{"format", "version"})
	format := q.one("format")
	if format != "" && format != "html" && format != "markdown" {
		q.fail("format", "must be html or markdown")
	}
	m := q.methodology(s.engine.Methodology())
	if err := q.err(); err != nil {
		return err
	}
	c.Response().Header()["Content-Security-Policy"] = pageCSP
	return s.cached(c, "docs/methodology|"+format+"|"+m.Version, func() (*response, error) {
		md := methoddoc.Markdown(m)
		if format == "markdown" {
			return &response{status: http.StatusOK, contentType: "text/markdown; charset=utf-8", body: md, etag: bodyETag(md)}, nil
		}
		page, err := methoddoc.HTML("How lockscore rates a smart lock", md)
		if err != nil {
			return nil, err
		}
		return htmlResponse(page), nil
	})
}

// listProblemTypes godoc
//
//	@Summary		Problem types
//	@Description	Every problem type the API sends in an error's "type", with what it means and what to do (HTML for browsers, JSON otherwise).
//	@ID				listProblemTypes
//	@Tags			operations
//	@Produce		json,html,application/problem+json
//	@Success		200	{object}	ProblemTypeList
//	@Header			200	{string}	ETag			"Strong entity tag"
//	@Header			200	{string}	X-Request-ID	"Request id"
//	@Header			200	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			200	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Failure		400	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Success		304	{string}	string	"Not modified: If-None-Match matched the ETag"
//	@Header			304	{string}	ETag	"Strong entity tag"
//	@Header			304	{string}	X-Request-ID	"Request id"
//	@Header			304	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			304	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			304	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Router			/problems [get]
func (s *Server) listProblemTypes(c echo.Context) error {
	if err := newQuery(c).err(); err != nil {
		return err
	}
	list := problemTypeList()
	if wantsHTML(c) {
		c.Response().Header()["Content-Security-Policy"] = pageCSP
		return s.sendProblemPage(c, "Problem types", list)
	}
	r, err := jsonResponse(http.StatusOK, ProblemTypeList{Items: list})
	if err != nil {
		return err
	}
	return s.send(c, r)
}

// getProblemType godoc
//
//	@Summary		Explain a problem type
//	@Description	What a problem type means and what to do about it: every error's "type" URL leads here. HTML for browsers (Accept: text/html), JSON otherwise.
//	@ID				getProblemType
//	@Tags			operations
//	@Produce		json,html,application/problem+json
//	@Param			type	path		string	true	"Problem type"	extensions(x-example=invalid-request)
//	@Success		200		{object}	ProblemType
//	@Header			200		{string}	ETag			"Strong entity tag"
//	@Header			200		{string}	X-Request-ID	"Request id"
//	@Header			200		{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			200		{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			200		{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Failure		400		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Success		304	{string}	string	"Not modified: If-None-Match matched the ETag"
//	@Header			304	{string}	ETag	"Strong entity tag"
//	@Header			304	{string}	X-Request-ID	"Request id"
//	@Header			304	{string}	X-RateLimit-Limit	"Requests allowed in a burst"
//	@Header			304	{string}	X-RateLimit-Remaining	"Requests left in the burst"
//	@Header			304	{string}	X-RateLimit-Reset	"Unix time the burst is full again"
//	@Router			/problems/{type} [get]
func (s *Server) getProblemType(c echo.Context) error {
	if err := newQuery(c).err(); err != nil {
		return err
	}
	want := "/problems/" + c.Param("type")
	for _, p := range problemTypeList() {
		if p.Type != want {
			continue
		}
		if wantsHTML(c) {
			c.Response().Header()["Content-Security-Policy"] = pageCSP
			return s.sendProblemPage(c, p.Title, []ProblemType{p})
		}
		r, err := jsonResponse(http.StatusOK, p)
		if err != nil {
			return err
		}
		return s.send(c, r)
	}
	return models.NotFound("no problem type %q; GET /problems lists them", c.Param("type"))
}

var problemPage = template.Must(template.New("problems").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} - lockscore</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#222}code{background:#f4f4f4}</style></head>
<body><h1>{{.Title}}</h1>
{{$many := gt (len .Items) 1}}{{range .Items}}<section id="{{.Type}}">{{if $many}}<h2>{{.Title}}{{if .Status}} ({{.Status}}){{end}}</h2>{{else if .Status}}<p>HTTP status {{.Status}}</p>{{end}}
<p><code>"type": "{{.Type}}"</code></p><p>{{.Description}}</p><p><strong>What to do:</strong> {{.Fix}}</p></section>
{{end}}<p><a href="/problems">All problem types</a> · <a href="/swagger/index.html">API reference</a> · <a href="/docs/methodology">Methodology</a></p>
</body></html>
`))

func (s *Server) sendProblemPage(c echo.Context, title string, items []ProblemType) error {
	var b strings.Builder
	if err := problemPage.Execute(&b, struct {
		Title string
		Items []ProblemType
	}{title, items}); err != nil {
		return err
	}
	return s.send(c, htmlResponse([]byte(b.String())))
}
