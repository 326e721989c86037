package api_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/lockscore/lockscore/api"
	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
)

func TestListLocksDefaultOrder(t *testing.T) {
	h := sqliteHarness(t)
	rec := h.do("GET", "/api/v1/locks", nil)
	wantStatus(t, rec, 200)
	list := decode[api.LockList](t, rec)
	if list.Total != seededCount(t) || len(list.Items) != 20 || list.NextCursor == nil {
		t.Fatalf("total %d, %d items, next %v", list.Total, len(list.Items), list.NextCursor)
	}
	if link := rec.Header().Get("Link"); !strings.Contains(link, `rel="next"`) || !strings.Contains(link, "cursor=") {
		t.Errorf("Link header %q", link)
	}
	for i := 1; i < len(list.Items); i++ {
		a, b := list.Items[i-1], list.Items[i]
		if a.Assessment.Score < b.Assessment.Score || (a.Assessment.Score == b.Assessment.Score && a.Slug > b.Slug) {
			t.Fatalf("not ordered by -score, slug: %s %v then %s %v", a.Slug, a.Assessment.Score, b.Slug, b.Assessment.Score)
		}
	}
}

func TestListLocksFilters(t *testing.T) {
	h := sqliteHarness(t)
	all := map[string]catalogue.LockRecord{}
	snap := h.svc.Snapshot()
	recs, err := snap.Records(context.Background(), snap.Entries)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		all[r.Slug] = r
	}
	tests := []struct {
		query string
		keep  func(r catalogue.LockRecord) bool
	}{
		{"q=yale+linus", func(r catalogue.LockRecord) bool {
			s := strings.ToLower(r.Brand + " " + r.Model + " " + r.Slug)
			return strings.Contains(s, "yale") && strings.Contains(s, "linus")
		}},
		{"brand=yale", func(r catalogue.LockRecord) bool { return strings.EqualFold(r.Brand, "Yale") }},
		{"brand=Nuki,Schlage", func(r catalogue.LockRecord) bool { return r.Brand == "Nuki" || r.Brand == "Schlage" }},
		{"market=UK", func(r catalogue.LockRecord) bool { return contains(r.Markets, "UK") }},
		{"form_factor=retrofit", func(r catalogue.LockRecord) bool { return r.FormFactor == "retrofit" }},
		{"door_type=uk_multipoint", func(r catalogue.LockRecord) bool { return contains(r.DoorTypes, "uk_multipoint") }},
		{"key_override=none", func(r catalogue.LockRecord) bool { return r.KeyOverride != nil && *r.KeyOverride == "none" }},
		{"key_override=unknown", func(r catalogue.LockRecord) bool { return r.KeyOverride == nil }},
		{"emergency_power=terminal_9v&emergency_power=usb_c", func(r catalogue.LockRecord) bool {
			return r.EmergencyPower != nil && (*r.EmergencyPower == "terminal_9v" || *r.EmergencyPower == "usb_c")
		}},
		{"band=D,E", func(r catalogue.LockRecord) bool { return r.Assessment.Band == "D" || r.Assessment.Band == "E" }},
		{"label=Recommended", func(r catalogue.LockRecord) bool { return r.Assessment.Label == "Recommended" }},
		{"label=not_recommended", func(r catalogue.LockRecord) bool { return r.Assessment.Label == "Not recommended" }},
		{"min_score=75", func(r catalogue.LockRecord) bool { return r.Assessment.Score >= 75 }},
		{"provisional=true", func(r catalogue.LockRecord) bool { return r.Assessment.Provisional }},
		{"updated_since=2000-01-01T00:00:00Z", func(r catalogue.LockRecord) bool { return true }},
		{"updated_since=2999-01-01T00:00:00Z", func(r catalogue.LockRecord) bool { return false }},
		{"market=US&band=B&key_override=independent", func(r catalogue.LockRecord) bool {
			return contains(r.Markets, "US") && r.Assessment.Band == "B" && r.KeyOverride != nil && *r.KeyOverride == "independent"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			want := map[string]bool{}
			for slug, r := range all {
				if tt.keep(r) {
					want[slug] = true
				}
			}
			got := walk(t, h, "/api/v1/locks?limit=100&"+tt.query)
			if len(got) != len(want) {
				t.Fatalf("got %d locks, want %d", len(got), len(want))
			}
			for _, s := range got {
				if !want[s] {
					t.Fatalf("%s should not match", s)
				}
			}
		})
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// page fetches one page of /locks or /rankings: its slugs, total and next cursor.
func page(t testing.TB, h *harness, target string) ([]string, int, *string) {
	t.Helper()
	rec := h.do("GET", target, nil)
	wantStatus(t, rec, 200)
	var items []string
	if strings.Contains(target, "/rankings") {
		r := decode[api.Ranking](t, rec)
		for _, it := range r.Items {
			items = append(items, it.Slug)
		}
		return items, r.Total, r.NextCursor
	}
	l := decode[api.LockList](t, rec)
	for _, it := range l.Items {
		items = append(items, it.Slug)
	}
	return items, l.Total, l.NextCursor
}

// withCursor sets the cursor parameter of target.
func withCursor(target, cursor string) string {
	u, _ := url.Parse(target)
	q := u.Query()
	q.Set("cursor", cursor)
	u.RawQuery = q.Encode()
	return u.String()
}

// walk follows next_cursor from target to the end and returns the slugs in order.
func walk(t testing.TB, h *harness, target string) []string {
	t.Helper()
	var slugs []string
	seen := map[string]bool{}
	total := -1
	for n := 0; ; n++ {
		if n > 1000 {
			t.Fatal("too many pages")
		}
		items, tot, next := page(t, h, target)
		total = tot
		for _, s := range items {
			if seen[s] {
				t.Fatalf("%s returned twice", s)
			}
			seen[s] = true
		}
		slugs = append(slugs, items...)
		if next == nil {
			break
		}
		target = withCursor(target, *next)
	}
	if total >= 0 && total != len(slugs) {
		t.Fatalf("total %d but walked %d", total, len(slugs))
	}
	return slugs
}

func TestEverySortWalksEveryLockOnceInOrder(t *testing.T) {
	h := sqliteHarness(t)
	for _, sort := range []string{"score", "-score", "brand", "-brand", "model", "-model", "updated_at", "-updated_at"} {
		t.Run(sort, func(t *testing.T) {
			got := walk(t, h, "/api/v1/locks?limit=7&sort="+sort)
			if len(got) != seededCount(t) {
				t.Fatalf("walked %d locks, want %d", len(got), seededCount(t))
			}
			key := catalogue.SortKeyNames[strings.TrimPrefix(sort, "-")]
			desc := strings.HasPrefix(sort, "-")
			snap := h.svc.Snapshot()
			for i := 1; i < len(got); i++ {
				a, _ := snap.Lookup(got[i-1])
				b, _ := snap.Lookup(got[i])
				c := catalogue.Compare(key, a, b)
				if desc {
					// descending on the key, ascending on slug for ties
					if k := catalogue.Compare(key, b, a); k != 0 && (k > 0) == (c > 0) {
						t.Fatalf("order broken at %s, %s", got[i-1], got[i])
					}
				}
				if !desc && c > 0 {
					t.Fatalf("order broken at %s, %s", got[i-1], got[i])
				}
			}
		})
	}
}

func TestPagesStayConsistentWhileLocksAreCreated(t *testing.T) {
	h := sqliteHarness(t)
	for ci, base := range []string{"/api/v1/locks?limit=5", "/api/v1/rankings?limit=5&other_keyed_door=true", "/api/v1/locks?limit=4&sort=brand&band=B,C"} {
		t.Run(base, func(t *testing.T) {
			before := map[string]bool{}
			for _, s := range walk(t, h, strings.Replace(base, "limit=5", "limit=100", 1)) {
				before[s] = true
			}
			seen := map[string]bool{}
			target := base
			for n := 0; ; n++ {
				items, _, next := page(t, h, target)
				for _, s := range items {
					if seen[s] {
						t.Fatalf("%s twice", s)
					}
					seen[s] = true
				}
				// A new lock between every two page requests.
				rec2 := h.do("POST", "/api/v1/locks", newLock(fmt.Sprintf("zz-new-%d-%d", ci, n)), h.auth())
				wantStatus(t, rec2, 201)
				if next == nil {
					break
				}
				target = withCursor(target, *next)
			}
			for s := range before {
				if !seen[s] {
					t.Errorf("%s, present throughout, was never returned", s)
				}
			}
		})
	}
}

func newLock(slug string) map[string]any {
	return map[string]any{
		"slug": slug, "brand": "Testbrand", "model": "Model " + slug, "markets": []string{"UK"}, "form_factor": "deadbolt",
		"door_types": []string{"us_deadbolt"}, "status": "current", "data_confidence": "low",
		"key_override": "independent", "keypad": true, "interior_egress": "mechanical",
		"sources": []map[string]any{{"url": "https://example.com/" + slug, "title": "Example", "supports": []string{"key_override"}}},
	}
}

func TestBadQueryParametersAreNamed(t *testing.T) {
	h := sqliteHarness(t)
	for _, tt := range []struct{ target, field string }{
		{"/api/v1/locks?brnad=Yale", "brnad"},
		{"/api/v1/locks?band=F", "band"},
		{"/api/v1/locks?limit=0", "limit"},
		{"/api/v1/locks?limit=101", "limit"},
		{"/api/v1/locks?limit=all", "limit"},
		{"/api/v1/locks?sort=price", "sort"},
		{"/api/v1/locks?min_score=abc", "min_score"},
		{"/api/v1/locks?min_score=101", "min_score"},
		{"/api/v1/locks?provisional=maybe", "provisional"},
		{"/api/v1/locks?updated_since=yesterday", "updated_since"},
		{"/api/v1/locks?cursor=garbage", "cursor"},
		{"/api/v1/locks?market=Mars", "market"},
		{"/api/v1/locks?format=xml", "format"},
		{"/api/v1/rankings?door_type=castle", "door_type"},
		{"/api/v1/rankings?occupants=cats", "occupants"},
		{"/api/v1/rankings?other_keyed_door=perhaps", "other_keyed_door"},
		{"/api/v1/rankings?limit=5&cursor=" + (catalogue.Cursor{Sort: "-score", Filter: "x", Slug: "a"}).Encode(), "cursor"},
		{"/api/v1/locks/yale-conexis-l2/assessment?door=uk_multipoint", "door"},
		{"/api/v1/compare?slugs=yale-conexis-l2", "slugs"},
		{"/api/v1/compare", "slugs"},
		{"/api/v1/facets?band=Z", "band"},
		{"/api/v1/methodology?x=1", "x"},
		{"/api/v1/locks/yale-conexis-l2?expand=all", "expand"},
	} {
		t.Run(tt.target, func(t *testing.T) {
			wantProblem(t, h.do("GET", tt.target, nil), http.StatusBadRequest, tt.field)
		})
	}
}

func TestGetLockAndConditionalRequests(t *testing.T) {
	h := sqliteHarness(t)
	rec := h.do("GET", "/api/v1/locks/yale-conexis-l2", nil)
	wantStatus(t, rec, 200)
	r := decode[catalogue.LockRecord](t, rec)
	if r.Slug != "yale-conexis-l2" || len(r.Sources) == 0 || r.KeyOverride == nil || r.Assessment.Band == "" {
		t.Fatalf("record %+v", r)
	}
	if !strings.Contains(rec.Body.String(), `"emergency_power":null`) {
		t.Error("unknown attributes must be present as null")
	}
	etag := rec.Header().Get("ETag")
	if etag != `"v1"` || rec.Header().Get("Cache-Control") != "public, max-age=60" {
		t.Fatalf("ETag %q Cache-Control %q", etag, rec.Header().Get("Cache-Control"))
	}
	wantStatus(t, h.do("GET", "/api/v1/locks/yale-conexis-l2", nil, "If-None-Match: "+etag), 304)
	wantStatus(t, h.do("GET", "/api/v1/locks/yale-conexis-l2", nil, `If-None-Match: "other"`), 200)
	for _, target := range []string{"/api/v1/locks?band=B", "/api/v1/rankings?door_type=uk_multipoint", "/api/v1/methodology", "/api/v1/facets",
		"/api/v1/compare?slugs=yale-conexis-l2,nuki-smart-lock-4th-gen", "/api/v1/locks/nuki-smart-lock-4th-gen/assessment?door_type=uk_multipoint"} {
		first := h.do("GET", target, nil)
		wantStatus(t, first, 200)
		tag := first.Header().Get("ETag")
		if !strings.HasPrefix(tag, `"`) {
			t.Fatalf("%s: ETag %q", target, tag)
		}
		wantStatus(t, h.do("GET", target, nil, "If-None-Match: "+tag), 304)
	}
	wantProblem(t, h.do("GET", "/api/v1/locks/no-such-lock", nil), 404, "")
	wantProblem(t, h.do("GET", "/api/v1/locks/Not_A_Slug!", nil), 404, "")
}

func TestAssessmentEndpointsMatchTheEngine(t *testing.T) {
	h := sqliteHarness(t)
	e, _ := h.svc.Snapshot().Lookup("nuki-smart-lock-4th-gen")
	ctx := scoring.Context{DoorType: scoring.Ptr(scoring.DoorUKMultipoint), OtherKeyedDoor: scoring.Ptr(true),
		Occupants: []scoring.Occupant{scoring.OccupantLivesAlone, scoring.OccupantTechAverse}}
	rec := h.do("GET", "/api/v1/locks/nuki-smart-lock-4th-gen/assessment?door_type=uk_multipoint&other_keyed_door=true&occupants=lives_alone,tech_averse&sensitivity=true", nil)
	wantStatus(t, rec, 200)
	got := decode[api.LockAssessment](t, rec)
	want := scoring.Assess(e.Lock(), ctx)
	want.Fits = e.Fits("uk_multipoint")
	if !reflect.DeepEqual(got.Assessment, want) {
		t.Fatalf("GET assessment differs from Assess:\n%+v\n%+v", got.Assessment, want)
	}
	if got.Sensitivity == nil || len(got.Sensitivity.Perturbations) != 38 {
		t.Fatalf("sensitivity report missing or incomplete")
	}
	body := map[string]any{"lock": map[string]any{"key_override": "none", "keypad": true, "phone_local": true, "emergency_power": "terminal_9v", "interior_egress": "mechanical"},
		"context": map[string]any{"other_keyed_door": true, "other_door_same_keyring": true}}
	rec = h.do("POST", "/api/v1/assessments", body)
	wantStatus(t, rec, 200)
	posted := decode[scoring.Assessment](t, rec)
	want = scoring.Assess(scoring.Lock{KeyOverride: scoring.Ptr(scoring.KeyNone), Keypad: scoring.Ptr(true), PhoneLocal: scoring.Ptr(true),
		EmergencyPower: scoring.Ptr(scoring.PowerTerminal9V), InteriorEgress: scoring.Ptr(scoring.EgressMechanical)},
		scoring.Context{OtherKeyedDoor: scoring.Ptr(true), OtherDoorSameKeyring: scoring.Ptr(true)})
	if !reflect.DeepEqual(posted, want) {
		t.Fatalf("POST /assessments differs from Assess")
	}
	p := wantProblem(t, h.do("POST", "/api/v1/assessments", `{"lock":{"key_overide":"none"}}`), 400, "lock.key_overide")
	if !strings.Contains(p.Errors[0].Message, "key_override") {
		t.Errorf("no suggestion: %+v", p.Errors)
	}
	wantProblem(t, h.do("POST", "/api/v1/assessments", `{"lock":{"keypad":"yes","emergency_power":"solar"},"context":{"door_type":"barn"}}`), 400, "lock.emergency_power")
	wantProblem(t, h.do("POST", "/api/v1/assessments", `{"context":{}}`), 400, "lock")
	wantProblem(t, h.do("POST", "/api/v1/assessments", `not json`), 400, "")
}

func TestRankingsRespectTheGates(t *testing.T) {
	h := sqliteHarness(t)
	usable := func(r scoring.Lock, ctx scoring.Context) bool {
		if r.KeyOverride == nil || *r.KeyOverride == scoring.KeyNone {
			return false
		}
		needs := r.KeyOverrideNeedsEmergencyCylinder == nil || *r.KeyOverrideNeedsEmergencyCylinder
		return !(needs && ctx.CylinderEmergencyFunction != nil && !*ctx.CylinderEmergencyFunction)
	}
	for _, tt := range []struct {
		query string
		ctx   scoring.Context
		limit string
	}{
		{"other_keyed_door=true", scoring.Context{OtherKeyedDoor: scoring.Ptr(true)}, "C"},
		{"other_keyed_door=true&cylinder_emergency_function=false", scoring.Context{OtherKeyedDoor: scoring.Ptr(true), CylinderEmergencyFunction: scoring.Ptr(false)}, "C"},
		{"", scoring.Context{}, "D"},
		{"door_type=uk_multipoint", scoring.Context{}, "D"},
		{"door_type=uk_multipoint&include_unfitting=true", scoring.Context{}, "D"},
	} {
		t.Run(tt.query, func(t *testing.T) {
			rec := h.do("GET", "/api/v1/rankings?limit=100&"+tt.query, nil)
			wantStatus(t, rec, 200)
			r := decode[api.Ranking](t, rec)
			want := seededCount(t)
			if strings.Contains(tt.query, "door_type") && !strings.Contains(tt.query, "include_unfitting") {
				want = 0
				for _, e := range h.svc.Snapshot().Entries {
					if f := e.Fits("uk_multipoint"); f == nil || *f {
						want++
					}
				}
			}
			if r.Total != want {
				t.Fatalf("total %d, want %d", r.Total, want)
			}
			for i, row := range r.Items {
				if row.Rank != i+1 {
					t.Fatalf("rank %d at position %d", row.Rank, i)
				}
				if i > 0 {
					p := r.Items[i-1]
					// Methodology v2 §8a: score, score_uncapped, score_upper, slug.
					if p.Score < row.Score || p.Score == row.Score && (p.ScoreUncapped < row.ScoreUncapped ||
						p.ScoreUncapped == row.ScoreUncapped && (p.ScoreUpper < row.ScoreUpper || p.ScoreUpper == row.ScoreUpper && p.Slug > row.Slug)) {
						t.Fatalf("order broken at %s", row.Slug)
					}
				}
				e, _ := h.svc.Snapshot().Lookup(row.Slug)
				if !usable(e.Lock(), tt.ctx) && row.Band < tt.limit {
					t.Errorf("%s has no usable key path but is band %s", row.Slug, row.Band)
				}
				if len(row.Gates) > 0 && (row.GateReason == nil || *row.GateReason == "") {
					t.Errorf("%s: gates %v without a reason", row.Slug, row.Gates)
				}
			}
		})
	}
}

func TestCSVExports(t *testing.T) {
	h := sqliteHarness(t)
	for _, tt := range []struct {
		target, accept string
		rows           int
	}{
		{"/api/v1/locks?format=csv&limit=all", "", seededCount(t)},
		{"/api/v1/locks?limit=all", "text/csv", seededCount(t)},
		{"/api/v1/locks?format=csv&limit=10", "", 10},
		{"/api/v1/rankings?format=csv&limit=all&door_type=uk_multipoint&include_unfitting=true", "", seededCount(t)},
		{"/api/v1/rankings?limit=5", "text/csv", 5},
	} {
		var hdr []string
		if tt.accept != "" {
			hdr = append(hdr, "Accept: "+tt.accept)
		}
		rec := h.do("GET", tt.target, nil, hdr...)
		wantStatus(t, rec, 200)
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("%s: content type %q", tt.target, ct)
		}
		if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
			t.Fatalf("%s: Content-Disposition %q", tt.target, cd)
		}
		records, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
		if err != nil {
			t.Fatalf("%s: not RFC 4180: %v", tt.target, err)
		}
		if len(records) != tt.rows+1 {
			t.Fatalf("%s: %d rows, want %d and a header", tt.target, len(records)-1, tt.rows)
		}
		if !strings.Contains(rec.Body.String(), "\r\n") {
			t.Errorf("%s: RFC 4180 lines end in CRLF", tt.target)
		}
	}
}

func TestCompareFacetsMethodology(t *testing.T) {
	h := sqliteHarness(t)
	rec := h.do("GET", "/api/v1/compare?slugs=yale-conexis-l2,nuki-smart-lock-4th-gen,schlage-encode&door_type=uk_multipoint", nil)
	wantStatus(t, rec, 200)
	c := decode[api.Comparison](t, rec)
	if len(c.Locks) != 3 || len(c.Scenarios) != 8 || len(c.Scenarios[0].Locks) != 3 || len(c.Differences) == 0 {
		t.Fatalf("comparison %+v", c)
	}
	found := false
	for _, d := range c.Differences {
		if d.Attribute == "key_override" {
			found = true
		}
	}
	if !found {
		t.Error("key_override differs but is not listed")
	}
	wantProblem(t, h.do("GET", "/api/v1/compare?slugs=yale-conexis-l2,nope", nil), 404, "slugs")

	rec = h.do("GET", "/api/v1/facets?band=B", nil)
	wantStatus(t, rec, 200)
	f := decode[api.Facets](t, rec)
	bands := 0
	for _, n := range f.Facets["band"] {
		bands += n
	}
	if bands != seededCount(t) || f.Facets["brand"]["Yale"] == 0 || f.Total == 0 {
		t.Fatalf("facets %+v", f)
	}
	for b, n := range f.Facets["brand"] {
		got := decode[api.LockList](t, h.do("GET", "/api/v1/locks?band=B&brand="+url.QueryEscape(b), nil))
		if got.Total != n {
			t.Errorf("brand %s: facet %d, list %d", b, n, got.Total)
		}
	}

	rec = h.do("GET", "/api/v1/methodology", nil)
	wantStatus(t, rec, 200)
	m := decode[scoring.Methodology](t, rec)
	if m.Version != "2" || len(m.Scenarios) != 8 || m.Scenarios[0].Weight != scoring.V2.Scenarios[0].Weight || len(m.Gates) != 5 || len(m.Attributes) != 23 ||
		m.Gates[2].ReasonUnknown == "" || len(m.Advice) == 0 {
		t.Fatalf("methodology %+v", m)
	}
	// Version 1 stays readable for audit, as data.
	v1 := decode[scoring.Methodology](t, h.do("GET", "/api/v1/methodology?version=1", nil))
	if v1.Version != "1" || v1.Detection.FullWhen != scoring.FullDetectionNotMotorised || len(v1.Advice) != 0 {
		t.Fatalf("methodology v1 %+v", v1)
	}
	wantStatus(t, h.do("GET", "/api/v1/methodology?version=3", nil), 400)
}
