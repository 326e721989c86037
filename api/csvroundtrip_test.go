package api_test

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/lockscore/lockscore/api"
)

// A /locks CSV export imports again unchanged: it carries every column an
// import reads (sources and incidents as JSON), and the import ignores the
// read-only assessment columns. Both directions are checked.
func TestCSVExportImportsUnchanged(t *testing.T) {
	h := sqliteHarness(t)
	rec := h.do("GET", "/api/v1/locks?format=csv&limit=all", nil)
	wantStatus(t, rec, 200)
	export := rec.Body.String()
	for _, col := range append([]string{"sources", "incidents", "notes", "data_confidence", "price_as_of"}, api.ReadOnlyCSVColumns...) {
		if !strings.Contains(strings.SplitN(export, "\r\n", 2)[0], col) {
			t.Fatalf("export has no %s column", col)
		}
	}
	req := h.do("POST", "/api/v1/locks/import?dry_run=true", export, h.auth(), "Content-Type: text/csv")
	wantStatus(t, req, 200)
	rep := decode[struct {
		Total, Created, Updated, Unchanged, Invalid int
	}](t, req)
	if rep.Total != seededCount(t) || rep.Unchanged != rep.Total || rep.Created+rep.Updated+rep.Invalid != 0 {
		t.Fatalf("re-importing the export: %+v", rep)
	}

	// The other way: a record imported from CSV comes back in the export
	// with the same values.
	body := "slug,brand,model,markets,door_types,form_factor,status,key_override,release_year,price_amount,price_currency,price_as_of,sources,notes,data_confidence,score,verdict\r\n" +
		`csv-trip,Acme,Trip 1,UK;IE,uk_multipoint,retrofit,current,independent,2024,149.5,GBP,2026-11-01,"[{""url"":""https://example.com/trip"",""title"":""Trip"",""supports"":[""key_override""],""accessed"":null}]",checked,low,12,ignored` + "\r\n"
	wantStatus(t, h.do("POST", "/api/v1/locks/import", body, h.auth(), "Content-Type: text/csv"), 200)
	rows, err := csv.NewReader(strings.NewReader(h.do("GET", "/api/v1/locks?format=csv&limit=all&q=csv-trip", nil).Body.String())).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("export after import: %v %d rows", err, len(rows))
	}
	got := map[string]string{}
	for i, name := range rows[0] {
		got[name] = rows[1][i]
	}
	for col, want := range map[string]string{"markets": "UK;IE", "door_types": "uk_multipoint", "key_override": "independent", "release_year": "2024",
		"price_amount": "149.5", "price_currency": "GBP", "price_as_of": "2026-11-01", "notes": "checked", "data_confidence": "low"} {
		if got[col] != want {
			t.Errorf("%s = %q, want %q", col, got[col], want)
		}
	}
	if !strings.Contains(got["sources"], "https://example.com/trip") || got["score"] == "12" {
		t.Errorf("sources %q, score %q (the imported score column must be ignored)", got["sources"], got["score"])
	}
}
