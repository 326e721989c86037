// Package web is the lock chooser: server-rendered pages for a person at a
// door (the checklist, the ranking that follows from it, a lock's page,
// compare and the what-if check) and the <lockscore-verdict> widget that a
// comparison site drops in. It reads the catalogue snapshot and runs the
// scoring engine in-process, as the API handlers do; the templates and
// assets are embedded, so the binary needs nothing else.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// csp is the pages' policy: nothing but this origin's own files, no inline
// script or style, and forms that only submit here.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Handler serves the chooser.
type Handler struct {
	cat    *catalogue.Service
	engine *scoring.Engine
	index  echo.HandlerFunc
	pages  map[string]*template.Template
	assets map[string]asset
	// noCache renders every page afresh (for the cold benchmark).
	noCache bool
}

type asset struct {
	body        []byte
	etag        string
	contentType string
}

// Mount registers the chooser's routes on e. index answers GET / for
// clients that do not ask for HTML, and GET /api/v1.
func Mount(e *echo.Echo, cat *catalogue.Service, index echo.HandlerFunc) *Handler {
	h := New(cat)
	h.index = index
	e.GET("/", h.home)
	e.GET("/results", h.results)
	e.GET("/locks/:slug", h.lock)
	e.GET("/compare", h.compare)
	e.GET("/check", h.check)
	e.GET("/widget.js", h.asset("widget.js"))
	e.GET("/assets/:name", func(c echo.Context) error { return h.asset(c.Param("name"))(c) })
	return h
}

// New parses the templates and loads the assets.
func New(cat *catalogue.Service) *Handler {
	h := &Handler{cat: cat, engine: cat.Engine(), pages: map[string]*template.Template{}, assets: map[string]asset{}}
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html"))
	for _, p := range []string{"home", "results", "lock", "compare", "check", "error"} {
		h.pages[p] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+p+".html"))
	}
	types := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
	_ = fs.WalkDir(assetFS, "assets", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := assetFS.ReadFile(path)
		name := strings.TrimPrefix(path, "assets/")
		ext := name[strings.LastIndexByte(name, '.'):]
		h.assets[name] = asset{body: b, etag: etagOf(b), contentType: types[ext]}
		return nil
	})
	return h
}

var funcs = template.FuncMap{
	"score": func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
	"lower": strings.ToLower,
	// deref shows a nullable catalogue value (only called where it is set).
	"deref": func(v any) any {
		rv := reflect.ValueOf(v)
		if rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				return nil
			}
			return rv.Elem().Interface()
		}
		return v
	},
}

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// wantsHTML reports whether the Accept header prefers text/html to JSON:
// a browser's does, curl's */* does not.
func wantsHTML(accept string) bool {
	qHTML, qJSON := -1.0, -1.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && k == "q" {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		switch strings.ToLower(strings.TrimSpace(mt)) {
		case "text/html":
			qHTML = max(qHTML, q)
		case "application/json":
			qJSON = max(qJSON, q)
		}
	}
	return qHTML > 0 && qHTML > qJSON
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// rendered is a page's body and ETag, as sent and as cached.
type rendered struct {
	body []byte
	etag string
	err  error
}

func (h *Handler) execute(page string, data any) rendered {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := h.pages[page].ExecuteTemplate(buf, "layout", data); err != nil {
		return rendered{err: err}
	}
	body := bytes.Clone(buf.Bytes())
	return rendered{body: body, etag: etagOf(body)}
}

// render executes a page and sends it.
func (h *Handler) render(c echo.Context, status int, page string, data any) error {
	return h.send(c, status, h.execute(page, data))
}

// cachedRender sends the page for key, rendered once per catalogue snapshot:
// like the API's responses, a page depends only on the snapshot and its
// query, which the handler has already checked.
func (h *Handler) cachedRender(c echo.Context, snap *catalogue.Snapshot, key, page string, build func() any) error {
	if h.noCache {
		return h.render(c, http.StatusOK, page, build())
	}
	v, _ := snap.Cache.GetOrCompute("web:"+key, func() any { return h.execute(page, build()) })
	return h.send(c, http.StatusOK, v.(rendered))
}

// send writes a page with its ETag and strict policy, answering 304 when
// the browser already has it.
func (h *Handler) send(c echo.Context, status int, r rendered) error {
	if r.err != nil {
		return r.err
	}
	hdr := c.Response().Header()
	hdr.Set("Content-Security-Policy", csp)
	hdr.Set("Referrer-Policy", "same-origin")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set(echo.HeaderVary, "Origin, Accept, Accept-Encoding")
	hdr.Set("ETag", r.etag)
	if status == http.StatusOK && etagMatches(c.Request().Header.Get("If-None-Match"), r.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(status, "text/html; charset=utf-8", r.body)
}

func etagMatches(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
		if p := strings.TrimPrefix(strings.TrimSpace(part), "W/"); p == etag || p == "*" {
			return true
		}
	}
	return false
}

func (h *Handler) asset(name string) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, ok := h.assets[name]
		if !ok {
			return h.notFound(c, "There is no such file.")
		}
		hdr := c.Response().Header()
		hdr.Set("Cache-Control", "public, max-age=300")
		hdr.Set("ETag", a.etag)
		if etagMatches(c.Request().Header.Get("If-None-Match"), a.etag) {
			return c.NoContent(http.StatusNotModified)
		}
		return c.Blob(http.StatusOK, a.contentType, a.body)
	}
}

// page is what the layout needs.
type page struct {
	Title  string
	Active string
}

type errorPage struct {
	page
	Status  int
	Heading string
	Message string
	Fields  []fieldError
	Back    string
}

func (h *Handler) badRequest(c echo.Context, fields []fieldError, back string) error {
	return h.render(c, http.StatusBadRequest, "error", errorPage{page: page{Title: "Something in the answers needs a look"},
		Status: http.StatusBadRequest, Heading: "Something in the answers needs a look",
		Message: "The page could not use these answers:", Fields: fields, Back: back})
}

func (h *Handler) notFound(c echo.Context, msg string) error {
	return h.render(c, http.StatusNotFound, "error", errorPage{page: page{Title: "Not found"},
		Status: http.StatusNotFound, Heading: "Not found", Message: msg, Back: "/"})
}

// snapshot returns the catalogue snapshot, or nil after answering 503 (the
// error is that answer's) while the catalogue is still loading.
func (h *Handler) snapshot(c echo.Context) (*catalogue.Snapshot, error) {
	snap := h.cat.Snapshot()
	if snap == nil {
		return nil, h.render(c, http.StatusServiceUnavailable, "error", errorPage{page: page{Title: "Starting up"},
			Status: http.StatusServiceUnavailable, Heading: "Starting up", Message: "The catalogue is still loading. Try again in a moment.", Back: "/"})
	}
	return snap, nil
}

// ---- the checklist ----

type checklistPage struct {
	page
	C              checklist
	DoorTypes      []option
	CylinderRating []option
	Occupants      []choice
	Markets        []option
	// The answers as the form shows them.
	Door, Cyl, CEF        string
	OKD, Ring, KS, KH, RH bool
}

type choice struct {
	option
	Checked bool
}

func (h *Handler) home(c echo.Context) error {
	if !wantsHTML(c.Request().Header.Get(echo.HeaderAccept)) {
		c.Response().Header().Set(echo.HeaderVary, "Origin, Accept, Accept-Encoding")
		return h.index(c)
	}
	f := newForm(c.Request().URL.RawQuery, checklistParams, filterParams)
	cl := f.checklist()
	if len(f.errs) > 0 {
		return h.badRequest(c, f.errs, "/")
	}
	return h.render(c, http.StatusOK, "home", h.checklistPage(cl))
}

func (h *Handler) checklistPage(cl checklist) checklistPage {
	p := checklistPage{page: page{Title: "Choose a smart lock for your front door", Active: "home"}, C: cl,
		DoorTypes: doorTypeOptions, CylinderRating: cylinderRatingOptions,
		OKD: isTrue(cl.Ctx.OtherKeyedDoor), Ring: isTrue(cl.Ctx.OtherDoorSameKeyring), KS: isTrue(cl.Ctx.KeySafe),
		KH: isTrue(cl.Ctx.KeyholderNearby), RH: isTrue(cl.Ctx.RemoteHelper)}
	if d := cl.Ctx.DoorType; d != nil {
		p.Door = string(*d)
	}
	if r := cl.Ctx.CylinderRating; r != nil {
		p.Cyl = string(*r)
	}
	if b := cl.Ctx.CylinderEmergencyFunction; b != nil {
		p.CEF = strconv.FormatBool(*b)
	}
	for _, o := range occupantOptions {
		p.Occupants = append(p.Occupants, choice{o, slices.Contains(cl.Ctx.Occupants, scoring.Occupant(o.Value))})
	}
	for _, m := range marketOrder {
		p.Markets = append(p.Markets, option{m, marketLabels[m]})
	}
	return p
}

// marketOrder puts the markets the checklist is mostly used in first.
var marketOrder = []string{"UK", "IE", "EU", "DE", "FR", "NL", "CH", "Nordics", "US", "CA", "AU", "NZ", "JP", "KR", "BR", "Asia"}
