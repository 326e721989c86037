package api_test

import (
	"strings"
	"testing"

	"github.com/lockscore/lockscore/internal/testutil"
)

// One text rule on both engines: NUL and the other C0 control characters
// (tab, LF and CR only where a field is free text) are refused with a 400
// or 422 naming the field (and the row), on every write path and in CSV.
// SQLite used to store NUL and PostgreSQL to fail with a 500 (issue 12 #2).
func TestHostileTextIsRefusedAlikeOnBothEngines(t *testing.T) {
	type result struct {
		status int
		field  string
		row    int
	}
	results := map[string][]result{}
	var order []string
	for _, eng := range testutil.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			h := newHarness(t, eng.DSN(t), true)
			wantStatus(t, h.do("POST", "/api/v1/locks", newLock("hostile-base"), h.auth()), 201)
			withField := func(k string, v any) map[string]any {
				l := newLock("hostile-new")
				l[k] = v
				return l
			}
			csvHead := "slug,brand,model,markets,form_factor,status,key_override,sources,data_confidence,notes\r\n"
			cases := []struct {
				name, method, target string
				body                 any
				headers              []string
				status               int
				field                string
				row                  int
			}{
				{"POST NUL in brand", "POST", "/api/v1/locks", withField("brand", "Ac\u0000me"), nil, 400, "brand", 0},
				{"POST BEL in notes", "POST", "/api/v1/locks", withField("notes", "a\u0007b"), nil, 400, "notes", 0},
				{"POST ESC in model", "POST", "/api/v1/locks", withField("model", "\u001b[31mred"), nil, 400, "model", 0},
				{"POST tab in model", "POST", "/api/v1/locks", withField("model", "a\tb"), nil, 400, "model", 0},
				{"POST NUL in a source title", "POST", "/api/v1/locks", withField("sources", []map[string]any{{"url": "https://example.com/x", "title": "t\u0000"}}), nil, 400, "sources[0].title", 0},
				{"POST NUL in slug", "POST", "/api/v1/locks", withField("slug", "x\u0000y"), nil, 400, "slug", 0},
				{"PUT NUL in variant", "PUT", "/api/v1/locks/hostile-base", withField("variant", "v\u0000"), nil, 400, "variant", 0},
				{"PATCH NUL in notes", "PATCH", "/api/v1/locks/hostile-base", `{"notes":"x\u0000y"}`, nil, 400, "notes", 0},
				{"PATCH NUL in a field name", "PATCH", "/api/v1/locks/hostile-base", `{"no\u0000tes":"x"}`, nil, 400, "no\u0000tes", 0},
				{"PATCH NUL in an incident", "PATCH", "/api/v1/locks/hostile-base", `{"incidents":[{"summary":"s\u0000","source_url":"https://example.com/i"}]}`, nil, 400, "incidents[0].summary", 0},
				{"PATCH NUL in the slug of the path", "PATCH", "/api/v1/locks/a%00b", `{"notes":"x"}`, nil, 400, "slug", 0},
				{"revisions of a slug with NUL", "GET", "/api/v1/locks/a%00b/revisions", nil, nil, 400, "slug", 0},
				{"JSON import NUL in row 2", "POST", "/api/v1/locks/import", "[" + mustJSON(newLock("hostile-i1")) + "," + mustJSON(withField("brand", "B\u0000")) + "]", nil, 422, "brand", 2},
				{"CSV import NUL in row 1", "POST", "/api/v1/locks/import", csvHead + "hostile-c1,A\x00cme,One,UK,deadbolt,current,independent,https://example.com/c,low,\r\n", []string{"Content-Type: text/csv"}, 422, "brand", 1},
				{"CSV import VT in notes of row 2", "POST", "/api/v1/locks/import", csvHead + "hostile-c2,Acme,One,UK,deadbolt,current,independent,https://example.com/c,low,ok\r\nhostile-c3,Acme,One,UK,deadbolt,current,independent,https://example.com/c,low,\"a\x0bb\"\r\n", []string{"Content-Type: text/csv"}, 422, "notes", 2},
				// Free text keeps its tabs and line breaks.
				{"POST notes with tab, LF, CR", "POST", "/api/v1/locks", withField("notes", "line 1\r\nline 2\tend"), nil, 201, "", 0},
				{"CSV import notes with a line break", "POST", "/api/v1/locks/import", csvHead + "hostile-c4,Acme,One,UK,deadbolt,current,independent,https://example.com/c,low,\"a\nb\tc\"\r\n", []string{"Content-Type: text/csv"}, 200, "", 0},
			}
			for _, tt := range cases {
				rec := h.do(tt.method, tt.target, tt.body, append([]string{h.auth()}, tt.headers...)...)
				got := result{status: rec.Code}
				if rec.Code >= 400 {
					p := wantProblem(t, rec, tt.status, tt.field)
					for _, e := range p.Errors {
						if e.Field == tt.field {
							got.field, got.row = e.Field, e.Row
						}
					}
					if got.row != tt.row {
						t.Errorf("%s: row %d, want %d: %+v", tt.name, got.row, tt.row, p.Errors)
					}
				} else if rec.Code != tt.status {
					t.Errorf("%s: status %d, want %d: %s", tt.name, rec.Code, tt.status, rec.Body.String())
				}
				if len(results[tt.name]) == 0 {
					order = append(order, tt.name)
				}
				results[tt.name] = append(results[tt.name], got)
			}
			// Nothing hostile was stored.
			body := h.do("GET", "/api/v1/locks?limit=all&format=csv", nil).Body.String()
			if strings.ContainsAny(body, "\x00\x07\x0b\x1b") {
				t.Error("a control character reached the catalogue")
			}
		})
	}
	for _, name := range order {
		if rs := results[name]; len(rs) == 2 && rs[0] != rs[1] {
			t.Errorf("%s: SQLite %+v, PostgreSQL %+v", name, rs[0], rs[1])
		}
	}
	t.Logf("%d hostile-text cases on %d engines", len(order), len(testutil.Engines(t)))
}
