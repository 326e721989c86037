package api_test

import (
	"strings"
	"testing"
)

// Every enum filter is case-insensitive, as brand is: market=uk is
// market=UK, on /locks, /facets and /rankings (whose door_type and
// occupants are the context's), and a value in no case is still a 400.
func TestEnumFiltersIgnoreCase(t *testing.T) {
	h := sqliteHarness(t)
	type page struct {
		Total int `json:"total"`
		Items []struct {
			Slug  string  `json:"slug"`
			Score float64 `json:"score"`
		} `json:"items"`
	}
	same := func(canonical, folded string) {
		t.Helper()
		want := decode[page](t, h.do("GET", canonical, nil))
		got := decode[page](t, h.do("GET", folded, nil))
		if want.Total == 0 {
			t.Fatalf("%s matches nothing: a useless comparison", canonical)
		}
		if got.Total != want.Total || len(got.Items) != len(want.Items) {
			t.Fatalf("%s: %d, but %s: %d", folded, got.Total, canonical, want.Total)
		}
		for i := range got.Items {
			if got.Items[i] != want.Items[i] {
				t.Fatalf("%s differs from %s at item %d", folded, canonical, i)
			}
		}
	}
	for _, c := range []struct{ name, canonical, folded string }{
		{"market", "UK", "uk"},
		{"form_factor", "retrofit", "RETROFIT"},
		{"door_type", "uk_multipoint", "UK_Multipoint"},
		{"key_override", "independent", "Independent"},
		{"emergency_power", "usb_c", "USB_C"},
		{"band", "E", "e"},
		{"label", "Unsuitable", "UNSUITABLE"},
	} {
		same("/api/v1/locks?"+c.name+"="+c.canonical, "/api/v1/locks?"+c.name+"="+c.folded)
		if c.name != "door_type" {
			same("/api/v1/rankings?"+c.name+"="+c.canonical, "/api/v1/rankings?"+c.name+"="+c.folded)
		}
	}
	same("/api/v1/rankings?door_type=uk_multipoint&occupants=lives_alone,tech_averse", "/api/v1/rankings?door_type=UK_MULTIPOINT&occupants=Lives_Alone,TECH_AVERSE")
	// A folded value reaches the context itself, not just the filter.
	a := h.do("GET", "/api/v1/locks/yale-conexis-l2/assessment?door_type=UK_MULTIPOINT", nil)
	wantStatus(t, a, 200)
	if !strings.Contains(a.Body.String(), `"door_type":"uk_multipoint"`) {
		t.Fatal("door_type=UK_MULTIPOINT did not become the context uk_multipoint")
	}
	// The canonical spelling also binds cursors: a page of market=uk continues with market=UK's cursor.
	first := h.do("GET", "/api/v1/locks?market=UK&limit=2", nil)
	next := decode[struct {
		NextCursor string `json:"next_cursor"`
	}](t, first).NextCursor
	wantStatus(t, h.do("GET", "/api/v1/locks?market=uk&limit=2&cursor="+next, nil), 200)
	wantProblem(t, h.do("GET", "/api/v1/locks?market=mars", nil), 400, "market")
	wantProblem(t, h.do("GET", "/api/v1/rankings?door_type=castle", nil), 400, "door_type")
	wantProblem(t, h.do("GET", "/api/v1/facets?band=z", nil), 400, "band")
}
