package api_test

import (
	"os"
	"strings"
	"testing"

	"github.com/lockscore/lockscore/api"
	"github.com/lockscore/lockscore/internal/config"
)

// Swagger UI loads the OpenAPI 3 document, not swag's Swagger 2.0 one.
func TestSwaggerUILoadsOpenAPI3(t *testing.T) {
	h := sqliteHarness(t)
	rec := h.do("GET", "/swagger/index.html", nil)
	wantStatus(t, rec, 200)
	body := rec.Body.String()
	if !strings.Contains(body, `url: "\/openapi.json"`) || strings.Contains(body, `"doc.json"`) {
		t.Fatalf("Swagger UI does not load /openapi.json alone:\n%s", body[strings.Index(body, "urls:"):][:200])
	}
}

// GET /methodology names the explained methodology, which is served as
// HTML and, as Markdown, is exactly the committed docs/methodology.md.
func TestMethodologyLinksItsDocumentation(t *testing.T) {
	h := sqliteHarness(t)
	m := decode[api.MethodologyDocument](t, h.do("GET", "/api/v1/methodology", nil))
	if m.Documentation != "/docs/methodology" || m.Version == "" || len(m.Gates) == 0 {
		t.Fatalf("documentation %q, version %q", m.Documentation, m.Version)
	}
	rec := h.do("GET", m.Documentation, nil)
	wantStatus(t, rec, 200)
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("content type %q", ct)
	}
	if b := rec.Body.String(); !strings.Contains(b, `<h2 id="gates">`) || !strings.Contains(b, "<table>") {
		t.Fatal("the page has no gates table")
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Fatalf("CSP %q", csp)
	}
	md := h.do("GET", m.Documentation+"?format=markdown", nil)
	wantStatus(t, md, 200)
	committed, err := os.ReadFile("../docs/methodology.md")
	if err != nil {
		t.Fatal(err)
	}
	if md.Body.String() != string(committed) {
		t.Fatal("the served Markdown is not docs/methodology.md")
	}
	wantProblem(t, h.do("GET", m.Documentation+"?format=pdf", nil), 400, "format")
	// An older version links to its own explanation.
	v1 := decode[api.MethodologyDocument](t, h.do("GET", "/api/v1/methodology?version=1", nil))
	if v1.Version != "1" || v1.Documentation != "/docs/methodology?version=1" {
		t.Fatalf("version 1 links %q", v1.Documentation)
	}
	if b := h.do("GET", v1.Documentation, nil).Body.String(); !strings.Contains(b, "(methodology 1)") {
		t.Fatal("the version 1 page is not version 1's")
	}
	wantProblem(t, h.do("GET", "/docs/methodology?version=9", nil), 400, "version")
}

// Every problem type URL the API sends resolves to its explanation, in
// JSON for clients and HTML for browsers: first all the types of the
// index, then the types of real errors provoked here.
func TestEveryProblemTypeResolves(t *testing.T) {
	h := sqliteHarness(t, func(c *config.Config) { c.BodyLimit = 2048 })
	list := decode[api.ProblemTypeList](t, h.do("GET", "/problems", nil))
	if len(list.Items) < 14 {
		t.Fatalf("%d problem types", len(list.Items))
	}
	resolve := func(typ string) {
		t.Helper()
		if !strings.HasPrefix(typ, "/problems/") {
			t.Fatalf("type %q is not under /problems/", typ)
		}
		p := decode[api.ProblemType](t, h.do("GET", typ, nil))
		if p.Type != typ || p.Title == "" || p.Description == "" || p.Fix == "" {
			t.Fatalf("%s explains nothing: %+v", typ, p)
		}
		page := h.do("GET", typ, nil, "Accept: text/html,application/xhtml+xml,*/*;q=0.8")
		wantStatus(t, page, 200)
		if !strings.HasPrefix(page.Header().Get("Content-Type"), "text/html") || !strings.Contains(page.Body.String(), "<h1>"+p.Title) {
			t.Fatalf("%s: no HTML page for browsers", typ)
		}
	}
	for _, p := range list.Items {
		resolve(p.Type)
	}
	big := `{"lock":{"notes":"` + strings.Repeat("x", 4096) + `"}}`
	for _, r := range []struct {
		method, target string
		body           any
		status         int
		headers        []string
	}{
		{"GET", "/api/v1/locks?brnad=Yale", nil, 400, nil},
		{"GET", "/api/v1/locks/no-such-lock", nil, 404, nil},
		{"GET", "/no/such/path", nil, 404, nil},
		{"DELETE", "/api/v1/rankings", nil, 405, nil},
		{"POST", "/api/v1/locks", `{}`, 401, nil},
		{"POST", "/api/v1/assessments", big, 413, nil},
		{"PATCH", "/api/v1/locks/yale-conexis-l2", `{"notes":"x"}`, 412, []string{h.auth(), `If-Match: "v999"`}},
		{"GET", "/problems/no-such-type", nil, 404, nil},
	} {
		p := wantProblem(t, h.do(r.method, r.target, r.body, r.headers...), r.status, "")
		resolve(p.Type)
	}
}
