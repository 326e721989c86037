package api_test

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func decodeAny(t testing.TB, rec *httptest.ResponseRecorder) any {
	t.Helper()
	var v any
	d := json.NewDecoder(strings.NewReader(rec.Body.String()))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%v: %s", err, rec.Body.String())
	}
	return v
}

func keysOf(v any) []string {
	m, _ := v.(map[string]any)
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// subDocument checks that part is whole with some object keys left out:
// every value it keeps is whole's value at the same place.
func subDocument(t testing.TB, path string, part, whole any) {
	t.Helper()
	switch p := part.(type) {
	case map[string]any:
		w, ok := whole.(map[string]any)
		if !ok {
			t.Fatalf("%s: an object where the full answer has %v", path, whole)
		}
		for k, v := range p {
			wv, ok := w[k]
			if !ok {
				t.Fatalf("%s.%s is not in the full answer", path, k)
			}
			subDocument(t, path+"."+k, v, wv)
		}
	case []any:
		w, ok := whole.([]any)
		if !ok || len(w) != len(p) {
			t.Fatalf("%s: %d elements, the full answer has %v", path, len(p), whole)
		}
		for i := range p {
			subDocument(t, path+"[]", p[i], w[i])
		}
	default:
		if !reflect.DeepEqual(part, whole) {
			t.Fatalf("%s: %v, the full answer has %v", path, part, whole)
		}
	}
}

// The acceptance example of the issue: a comparison page's rows in one request.
func TestRankingsExpandAndFields(t *testing.T) {
	h := sqliteHarness(t)
	base := "/api/v1/rankings?door_type=uk_multipoint&expand=lock&limit=3"
	full := decodeAny(t, h.do("GET", base, nil)) // contract-checked: expand=lock is documented
	rec := h.do("GET", base+"&fields=items.slug,items.band,items.lock.product_url", nil)
	wantStatus(t, rec, 200)
	part := decodeAny(t, rec)
	if got := keysOf(part); !reflect.DeepEqual(got, []string{"items"}) {
		t.Fatalf("top-level keys %v", got)
	}
	items := part.(map[string]any)["items"].([]any)
	if len(items) != 3 {
		t.Fatalf("%d items", len(items))
	}
	for _, it := range items {
		if got := keysOf(it); !reflect.DeepEqual(got, []string{"band", "lock", "slug"}) {
			t.Fatalf("row keys %v", got)
		}
		if got := keysOf(it.(map[string]any)["lock"]); !reflect.DeepEqual(got, []string{"product_url"}) {
			t.Fatalf("lock keys %v", got)
		}
	}
	subDocument(t, "", part, full)
	if rec.Header().Get("ETag") == h.do("GET", base, nil).Header().Get("ETag") {
		t.Fatal("a projected answer has the full answer's ETag")
	}
	wantStatus(t, h.do("GET", base+"&fields=items.slug,items.band,items.lock.product_url", nil, "If-None-Match: "+rec.Header().Get("ETag")), 304)

	// The expanded lock is the catalogue's record.
	row := full.(map[string]any)["items"].([]any)[0].(map[string]any)
	lock := decodeAny(t, h.do("GET", "/api/v1/locks/"+row["slug"].(string), nil)).(map[string]any)
	for k, v := range row["lock"].(map[string]any) {
		if !reflect.DeepEqual(v, lock[k]) {
			t.Fatalf("lock.%s is %v, the record has %v", k, v, lock[k])
		}
	}
	if got := keysOf(row["lock"]); !reflect.DeepEqual(got, []string{"brand", "door_types", "form_factor", "markets", "model", "price", "product_url", "status"}) {
		t.Fatalf("expanded lock keys %v", got)
	}
	// Without expand there is no lock.
	plain := decodeAny(t, h.do("GET", "/api/v1/rankings?limit=1", nil))
	if _, ok := plain.(map[string]any)["items"].([]any)[0].(map[string]any)["lock"]; ok {
		t.Fatal("a row has a lock without expand=lock")
	}
}

func TestCompareExpandLock(t *testing.T) {
	h := sqliteHarness(t)
	c := decodeAny(t, h.do("GET", "/api/v1/compare?slugs=yale-conexis-l2,nuki-smart-lock-4th-gen&expand=lock", nil)).(map[string]any)
	for _, l := range c["locks"].([]any) {
		lock, ok := l.(map[string]any)["lock"].(map[string]any)
		if !ok || lock["brand"] == nil || lock["form_factor"] == nil {
			t.Fatalf("compare row without its lock: %v", l)
		}
	}
	wantProblem(t, h.do("GET", "/api/v1/compare?slugs=yale-conexis-l2,nuki-smart-lock-4th-gen&expand=locks", nil), 400, "expand")
}

func TestFieldsOnLocks(t *testing.T) {
	h := sqliteHarness(t)
	full := decodeAny(t, h.do("GET", "/api/v1/locks?market=UK&limit=4", nil))
	rec := h.do("GET", "/api/v1/locks?market=UK&limit=4&fields=total,items.slug,items.assessment.band", nil)
	part := decodeAny(t, rec)
	if got := keysOf(part); !reflect.DeepEqual(got, []string{"items", "total"}) {
		t.Fatalf("keys %v", got)
	}
	for _, it := range part.(map[string]any)["items"].([]any) {
		if got := keysOf(it.(map[string]any)["assessment"]); !reflect.DeepEqual(got, []string{"band"}) {
			t.Fatalf("assessment keys %v", got)
		}
	}
	subDocument(t, "", part, full)
	if rec.Header().Get("Link") == "" {
		t.Fatal("the next page's Link header went with next_cursor")
	}

	one := decodeAny(t, h.do("GET", "/api/v1/locks/yale-conexis-l2", nil))
	some := decodeAny(t, h.do("GET", "/api/v1/locks/yale-conexis-l2?fields=slug,key_override,sources.url,price", nil))
	if got := keysOf(some); !reflect.DeepEqual(got, []string{"key_override", "price", "slug", "sources"}) {
		t.Fatalf("keys %v", got)
	}
	subDocument(t, "", some, one)

	for _, c := range []struct{ target, mention string }{
		{"/api/v1/locks?fields=items.slg", `"items.slg"`},
		{"/api/v1/locks/yale-conexis-l2?fields=sorces", `"sorces"`},
		{"/api/v1/rankings?fields=items.bnd", `"items.bnd"`},
		{"/api/v1/rankings?fields=items.lock.brand", "expand=lock"},
		{"/api/v1/locks?fields=items.slug&format=csv", "CSV"},
		{"/api/v1/locks?fields=", "empty"},
	} {
		p := wantProblem(t, h.do("GET", c.target, nil), 400, "fields")
		if !strings.Contains(p.Errors[0].Message, c.mention) {
			t.Errorf("%s: %q does not mention %s", c.target, p.Errors[0].Message, c.mention)
		}
	}
}
