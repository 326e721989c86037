package api_test

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/lockscore/lockscore/api"
	"github.com/lockscore/lockscore/internal/scoring"
)

// TestMain raises rapid's default to 1,000 cases per property unless the
// command line asks for another number with -rapid.checks.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if !set {
		_ = flag.Set("rapid.checks", "1000")
	}
	os.Exit(m.Run())
}

// genLockJSON draws a what-if lock as JSON: each attribute unknown (absent)
// or one of its values.
func genLockJSON(t *rapid.T) map[string]any {
	l := map[string]any{}
	for i := range scoring.Attributes {
		a := &scoring.Attributes[i]
		if rapid.IntRange(0, 2).Draw(t, a.Name+"?") == 0 {
			continue
		}
		v := rapid.SampledFrom(a.Values).Draw(t, a.Name)
		if a.Type == "boolean" {
			l[a.Name] = v == "true"
		} else {
			l[a.Name] = v
		}
	}
	return l
}

// genContextQuery draws a context as query parameters.
func genContextQuery(t *rapid.T) url.Values {
	q := url.Values{}
	if rapid.Bool().Draw(t, "door?") {
		q.Set("door_type", rapid.SampledFrom(scoring.DoorTypes).Draw(t, "door_type"))
	}
	if rapid.Bool().Draw(t, "cylinder?") {
		q.Set("cylinder_rating", rapid.SampledFrom(scoring.CylinderRatings).Draw(t, "cylinder_rating"))
	}
	for _, f := range []string{"other_keyed_door", "other_door_same_keyring", "cylinder_emergency_function", "key_safe", "keyholder_nearby", "remote_helper"} {
		switch rapid.IntRange(0, 2).Draw(t, f) {
		case 1:
			q.Set(f, "false")
		case 2:
			q.Set(f, "true")
		}
	}
	var occ []string
	for _, o := range scoring.OccupantValues {
		if rapid.Bool().Draw(t, o) {
			occ = append(occ, o)
		}
	}
	if len(occ) > 0 {
		q.Set("occupants", strings.Join(occ, ","))
	}
	return q
}

// contextBody is the JSON context of the same query parameters.
func contextBody(q url.Values) map[string]any {
	c := map[string]any{}
	for k, v := range q {
		switch k {
		case "door_type", "cylinder_rating":
			c[k] = v[0]
		case "occupants":
			c[k] = strings.Split(v[0], ",")
		default:
			c[k] = v[0] == "true"
		}
	}
	return c
}

// applyAdviceJSON applies one advice item's change alone, as methodology v2
// §8's table says, to a what-if body.
func applyAdviceJSON(lock, ctx map[string]any, id string) (map[string]any, map[string]any) {
	l, c := map[string]any{}, map[string]any{}
	for k, v := range lock {
		l[k] = v
	}
	for k, v := range ctx {
		c[k] = v
	}
	switch id {
	case "fit_rated_cylinder":
		c["cylinder_rating"], c["cylinder_emergency_function"] = "ts007_3star", true
	case "keep_other_keyed_door":
		c["other_keyed_door"], c["other_door_same_keyring"] = true, false
	case "separate_key_ring":
		c["other_door_same_keyring"] = false
	case "key_safe", "keyholder_nearby":
		c[id] = true
	default:
		a := scoring.AttributeByName(strings.TrimPrefix(id, "confirm_"))
		if a.Type == "boolean" {
			l[a.Name] = a.Best == "true"
		} else {
			l[a.Name] = a.Best
		}
	}
	return l, c
}

// Property 16 through the real router: every advice item of POST
// /assessments, applied alone and assessed again through POST
// /assessments, gives exactly its band_after and score_after.
func TestPropertyAdviceThroughTheRouter(t *testing.T) {
	h := sqliteHarness(t)
	rapid.Check(t, func(rt *rapid.T) {
		lock, ctx := genLockJSON(rt), contextBody(genContextQuery(rt))
		rec := h.do("POST", "/api/v1/assessments", map[string]any{"lock": lock, "context": ctx})
		if rec.Code != 200 {
			rt.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
		a := decode[scoring.Assessment](t, rec)
		for _, ad := range a.Advice {
			l2, c2 := applyAdviceJSON(lock, ctx, ad.ID)
			b := decode[scoring.Assessment](t, h.do("POST", "/api/v1/assessments", map[string]any{"lock": l2, "context": c2}))
			if b.Band != ad.BandAfter || b.Score != ad.ScoreAfter {
				rt.Fatalf("%s: advice says %s %v, the API re-assesses %s %v", ad.ID, ad.BandAfter, ad.ScoreAfter, b.Band, b.Score)
			}
			if b.Band >= a.Band { // "A" < "B": a better band is a smaller letter
				rt.Fatalf("%s: %s is not better than %s", ad.ID, b.Band, a.Band)
			}
		}
		if a.Fits != nil {
			rt.Fatalf("a what-if has fits %v, want null", *a.Fits)
		}
	})
}

// Property 18 through the real router: GET /rankings on the seeded
// catalogue is ordered by score, score_uncapped, score_upper (descending)
// and slug; with a door_type and without include_unfitting no row has fits
// false, and include_unfitting keeps every lock.
func TestPropertyRankingOrderThroughTheRouter(t *testing.T) {
	h := sqliteHarness(t)
	all := seededCount(t)
	rapid.Check(t, func(rt *rapid.T) {
		q := genContextQuery(rt)
		include := rapid.Bool().Draw(rt, "include_unfitting")
		if include {
			q.Set("include_unfitting", "true")
		}
		q.Set("limit", "100")
		var rows []api.RankingRow
		total := -1
		for page := 0; page < 10; page++ {
			r := decode[api.Ranking](t, h.do("GET", "/api/v1/rankings?"+q.Encode(), nil))
			rows = append(rows, r.Items...)
			total = r.Total
			if r.NextCursor == nil {
				break
			}
			q.Set("cursor", *r.NextCursor)
		}
		if len(rows) != total {
			rt.Fatalf("walked %d rows, total %d", len(rows), total)
		}
		door := q.Get("door_type")
		want := 0
		for _, e := range h.svc.Snapshot().Entries {
			if f := e.Fits(door); door == "" || include || f == nil || *f {
				want++
			}
		}
		if total != want || (door == "" || include) && total != all {
			rt.Fatalf("total %d, want %d (door %q, include_unfitting %v)", total, want, door, include)
		}
		for i, row := range rows {
			if row.Rank != i+1 {
				rt.Fatalf("rank %d at position %d", row.Rank, i)
			}
			if door == "" && row.Fits != nil {
				rt.Fatalf("%s has fits %v without a door type", row.Slug, *row.Fits)
			}
			if door != "" && !include && row.Fits != nil && !*row.Fits {
				rt.Fatalf("%s does not fit %s but is ranked", row.Slug, door)
			}
			if i == 0 {
				continue
			}
			p := rows[i-1]
			key := func(r api.RankingRow) string {
				return fmt.Sprintf("%06.1f %06.1f %06.1f", 1000-r.Score, 1000-r.ScoreUncapped, 1000-r.ScoreUpper)
			}
			if kp, kr := key(p), key(row); kp > kr || kp == kr && p.Slug > row.Slug {
				rt.Fatalf("order broken at %s after %s", row.Slug, p.Slug)
			}
		}
	})
}
