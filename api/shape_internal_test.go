package api

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// rankingLike has the shape of an expanded ranking page.
type rankingLike struct {
	Items []struct {
		RankingRow
		Lock *LockSummary `json:"lock,omitempty"`
	} `json:"items"`
	Total int `json:"total"`
}

func TestParseFields(t *testing.T) {
	typ := reflect.TypeOf(rankingLike{})
	q := &query{vals: url.Values{"fields": {"items.slug,items.band", "total"}}}
	sel := parseFields(q, typ, false)
	if q.err() != nil || !sel.children["total"].leaf || !sel.children["items"].children["slug"].leaf || len(sel.children["items"].children) != 2 {
		t.Fatalf("%v %+v", q.err(), sel)
	}
	// A whole value wins over its parts, whatever the order.
	q = &query{vals: url.Values{"fields": {"items.slug,items"}}}
	if sel = parseFields(q, typ, false); !sel.children["items"].leaf {
		t.Fatal("items did not keep the whole rows")
	}
	for _, c := range []struct{ fields, want string }{
		{"items.bnd", `"items.bnd" is not a field of items; did you mean "band"?`},
		{"totl", `"totl" is not a field; did you mean "total"?`},
		{"total.x", `"total.x" is not a field of total`},
		{"items.lock.brand", `"items.lock.brand" needs expand=lock`},
	} {
		q := &query{vals: url.Values{"fields": {c.fields}}}
		parseFields(q, typ, false)
		if len(q.errs) != 1 || q.errs[0].Field != "fields" || !strings.HasPrefix(q.errs[0].Message, c.want) {
			t.Errorf("fields=%s: %+v", c.fields, q.errs)
		}
	}
	q = &query{vals: url.Values{"fields": {"items.lock.product_url"}}}
	if parseFields(q, typ, true); q.err() != nil {
		t.Fatalf("with expand=lock: %v", q.err())
	}
}

func TestProjectKeepsOrderAndValues(t *testing.T) {
	body := `{"items":[{"slug":"a","band":"B","lock":{"brand":"Y","price":null}},{"slug":"b","band":"C","lock":null}],"total":2,"next_cursor":null,"x":1.50}`
	q := &query{vals: url.Values{"fields": {"total,items.lock.price,items.slug,x"}}}
	typ := reflect.TypeOf(struct {
		Items []struct {
			Slug string `json:"slug"`
			Lock *struct {
				Price *int `json:"price"`
			} `json:"lock"`
		} `json:"items"`
		Total int     `json:"total"`
		X     float64 `json:"x"`
	}{})
	sel := parseFields(q, typ, true)
	if err := q.err(); err != nil {
		t.Fatal(err)
	}
	r, err := withFields(&response{contentType: "application/json", body: []byte(body)}, sel)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"items":[{"slug":"a","lock":{"price":null}},{"slug":"b","lock":null}],"total":2,"x":1.50}`
	if string(r.body) != want || r.etag != bodyETag(r.body) {
		t.Fatalf("got %s", r.body)
	}
}
