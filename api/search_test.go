package api_test

import (
	"net/url"
	"strings"
	"testing"
)

type searchPage struct {
	Total int `json:"total"`
	Items []struct {
		Slug string `json:"slug"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func slugsOf(p searchPage) []string {
	out := make([]string, len(p.Items))
	for i, it := range p.Items {
		out[i] = it.Slug
	}
	return out
}

// q forgives typos: each query word may be 1 edit (4 to 7 letters) or 2
// edits (8 or more) from a word of the brand, model, variant or slug, a
// swap of neighbours counting as one. Tested on typos people make.
func TestSearchForgivesRealTypos(t *testing.T) {
	h := sqliteHarness(t)
	for _, c := range []struct {
		q    string
		want string // every result starts with this slug prefix
		min  int
	}{
		{"conexsis", "yale-conexis-", 2}, // the typo of the issue
		{"nukki", "nuki-", 5},
		{"yael conexis", "yale-conexis-", 2}, // swapped letters
		{"kwickset", "kwikset-", 7},
		{"schalge", "schlage-", 5},
		{"aquara", "aqara-", 3},
		{"lokly", "lockly-", 2},
		{"danalok", "danalock-", 1},
		{"switchbott", "switchbot-", 3},
		{"tedde", "tedee-", 2},
		{"yale conexsis l2", "yale-conexis-l2", 1},
		{"ultralok", "ultraloq-", 1},
	} {
		p := decode[searchPage](t, h.do("GET", "/api/v1/locks?limit=100&q="+url.QueryEscape(c.q), nil))
		if p.Total < c.min {
			t.Errorf("q=%s: %d results, want at least %d", c.q, p.Total, c.min)
		}
		for _, s := range slugsOf(p) {
			if !strings.HasPrefix(s, c.want) {
				t.Errorf("q=%s found %s", c.q, s)
			}
		}
	}
	// No allowance below 4 letters, and no match beyond the allowance.
	for _, q := range []string{"nik", "zzzz", "conxxsss", "nukkki"} {
		if p := decode[searchPage](t, h.do("GET", "/api/v1/locks?q="+q, nil)); p.Total != 0 {
			t.Errorf("q=%s found %v", q, slugsOf(p))
		}
	}
}

// Without sort, exact matches come first ("bolt" is in Level Bolt and
// Wyze Lock Bolt; Bold is one edit away), and paging keeps that order.
func TestSearchRanksExactMatchesFirst(t *testing.T) {
	h := sqliteHarness(t)
	all := decode[searchPage](t, h.do("GET", "/api/v1/locks?q=bolt&limit=100", nil))
	slugs := slugsOf(all)
	if len(slugs) < 4 || slugs[len(slugs)-1] != "bold-smart-cylinder" {
		t.Fatalf("q=bolt: %v, want the typo match bold-smart-cylinder last", slugs)
	}
	// With an explicit sort the typo match is ordered like any other.
	sorted := slugsOf(decode[searchPage](t, h.do("GET", "/api/v1/locks?q=bolt&limit=100&sort=brand", nil)))
	if sorted[0] != "bold-smart-cylinder" {
		t.Fatalf("q=bolt&sort=brand: %v", sorted)
	}
	var walked []string
	target := "/api/v1/locks?q=bolt&limit=1"
	for i := 0; i < 50; i++ {
		p := decode[searchPage](t, h.do("GET", target, nil))
		if p.Total != all.Total {
			t.Fatalf("page %d: total %d, want %d", i, p.Total, all.Total)
		}
		walked = append(walked, slugsOf(p)...)
		if p.NextCursor == nil {
			break
		}
		target = "/api/v1/locks?q=bolt&limit=1&cursor=" + *p.NextCursor
	}
	if strings.Join(walked, ",") != strings.Join(slugs, ",") {
		t.Fatalf("walking the pages gave %v, want %v", walked, slugs)
	}
	// Facets and rankings take the same matching.
	f := decode[struct {
		Total int `json:"total"`
	}](t, h.do("GET", "/api/v1/facets?q=conexsis", nil))
	r := decode[searchPage](t, h.do("GET", "/api/v1/rankings?q=conexsis", nil))
	if f.Total < 2 || r.Total != f.Total {
		t.Fatalf("facets %d, rankings %d", f.Total, r.Total)
	}
}
