// Command client-check drives a running lockscore through the official Go
// client (clients/go, generated from docs/openapi.json by oapi-codegen,
// which this module pins as a tool). It walks the three users' journeys
// through the generated types, so a document that a generator cannot turn
// into a working client, or a response that does not decode into the
// generated types, fails CI.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"

	ls "github.com/lockscore/lockscore/clients/go"
)

func ptr[T any](v T) *T { return &v }

var failures int

// check records a failed expectation and reports whether it held.
func check(ok bool, format string, a ...any) bool {
	if !ok {
		failures++
		fmt.Printf("FAIL: "+format+"\n", a...)
	}
	return ok
}

func main() {
	api := flag.String("api", "http://127.0.0.1:8080", "base URL")
	key := flag.String("key", "", "API key with write scope")
	flag.Parse()
	ctx := context.Background()
	c, err := ls.NewClientWithResponses(*api)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	frontEnd(ctx, c)
	installer(ctx, c)
	editor(ctx, c, *key)
	if failures > 0 {
		fmt.Printf("%d checks failed\n", failures)
		os.Exit(1)
	}
	fmt.Println("generated client: every check passed")
}

func frontEnd(ctx context.Context, c *ls.ClientWithResponses) {
	seen := map[string]bool{}
	var cursor *string
	total := -1
	for pages := 0; pages < 100; pages++ {
		r, err := c.ListLocksWithResponse(ctx, &ls.ListLocksParams{Market: &[]ls.ListLocksParamsMarket{"UK"}, Sort: ptr(ls.ListLocksParamsSort("-score")), Limit: ptr("7"), Cursor: cursor})
		if err != nil || r.JSON200 == nil {
			check(false, "list locks: %v %d %s", err, r.StatusCode(), r.Body)
			return
		}
		total = r.JSON200.Total
		for _, it := range r.JSON200.Items {
			check(!seen[it.Slug], "lock %s seen twice", it.Slug)
			seen[it.Slug] = true
			check(it.Assessment.Band != "", "lock %s has no band", it.Slug)
		}
		if r.JSON200.NextCursor == nil {
			break
		}
		cursor = r.JSON200.NextCursor
	}
	check(total > 0 && len(seen) == total, "walked %d UK locks, total says %d", len(seen), total)

	g, err := c.GetLockWithResponse(ctx, "yale-conexis-l2", nil)
	check(err == nil && g.JSON200 != nil && g.JSON200.Slug == "yale-conexis-l2" && len(g.JSON200.Sources) > 0, "get lock: %v %s", err, g.Body)
	etag := g.HTTPResponse.Header.Get("ETag")
	again, err := c.GetLockWithResponse(ctx, "yale-conexis-l2", nil, func(_ context.Context, req *http.Request) error {
		req.Header.Set("If-None-Match", etag)
		return nil
	})
	check(err == nil && again.StatusCode() == http.StatusNotModified, "conditional GET: %v %d", err, again.StatusCode())

	missing, err := c.GetLockWithResponse(ctx, "no-such-lock", nil)
	check(err == nil && missing.ApplicationproblemJSON404 != nil && missing.ApplicationproblemJSON404.Status == 404, "404 as a problem: %v %s", err, missing.Body)
	bad, err := c.ListLocksWithResponse(ctx, &ls.ListLocksParams{Limit: ptr("1000")})
	check(err == nil && bad.ApplicationproblemJSON400 != nil && len(bad.ApplicationproblemJSON400.Errors) == 1 && bad.ApplicationproblemJSON400.Errors[0].Field == "limit",
		"400 naming limit: %v %s", err, bad.Body)

	f, err := c.GetFacetsWithResponse(ctx, &ls.GetFacetsParams{Market: &[]ls.GetFacetsParamsMarket{"UK"}})
	check(err == nil && f.JSON200 != nil && f.JSON200.Total == total, "facets: %v %s", err, f.Body)
	cm, err := c.CompareLocksWithResponse(ctx, &ls.CompareLocksParams{Slugs: []string{"yale-conexis-l2", "nuki-smart-lock-4th-gen"}})
	check(err == nil && cm.JSON200 != nil && len(cm.JSON200.Locks) == 2 && len(cm.JSON200.Scenarios) == 8, "compare: %v %s", err, cm.Body)
	mirrored := 0
	var next *string
	for pages := 0; pages < 100; pages++ {
		params := &ls.ListChangesParams{Limit: ptr(25), Cursor: next}
		if next == nil {
			params.Since = ptr(0)
		}
		ch, err := c.ListChangesWithResponse(ctx, params)
		if err != nil || ch.JSON200 == nil {
			check(false, "change feed: %v %d %s", err, ch.StatusCode(), ch.Body)
			break
		}
		mirrored += len(ch.JSON200.Items)
		if next = ch.JSON200.NextCursor; next == nil {
			break
		}
	}
	all, err := c.ListLocksWithResponse(ctx, &ls.ListLocksParams{Limit: ptr("1")})
	check(err == nil && all.JSON200 != nil && mirrored >= all.JSON200.Total, "the change feed from 0 gave %d locks: %v", mirrored, err)
	m, err := c.GetMethodologyWithResponse(ctx, &ls.GetMethodologyParams{})
	check(err == nil && m.JSON200 != nil && m.JSON200.Version != "" && len(m.JSON200.Scenarios) == 8 && m.JSON200.Documentation == "/docs/methodology", "methodology: %v %s", err, m.Body)
}

func installer(ctx context.Context, c *ls.ClientWithResponses) {
	rk, err := c.GetRankingsWithResponse(ctx, &ls.GetRankingsParams{DoorType: ptr(ls.GetRankingsParamsDoorType("uk_multipoint")), OtherKeyedDoor: ptr(true),
		Occupants: &[]ls.GetRankingsParamsOccupants{"lives_alone"}, Limit: ptr("5")})
	check(err == nil && rk.JSON200 != nil && len(rk.JSON200.Items) == 5 && rk.JSON200.Items[0].Rank == 1, "rankings: %v %s", err, rk.Body)

	// A comparison page's rows in one request: expand=lock and fields=.
	page, err := c.GetRankingsWithResponse(ctx, &ls.GetRankingsParams{DoorType: ptr(ls.GetRankingsParamsDoorType("uk_multipoint")),
		Expand: &[]ls.GetRankingsParamsExpand{"lock"}, Fields: &[]string{"items.slug", "items.band", "items.lock.product_url"}, Limit: ptr("3")})
	check(err == nil && page.JSON200 != nil && len(page.JSON200.Items) == 3 && page.JSON200.Items[0].Lock != nil && page.JSON200.Items[0].Score == 0,
		"rankings with expand=lock and fields: %v %s", err, page.Body)

	csv, err := c.GetRankings(ctx, &ls.GetRankingsParams{Format: ptr(ls.GetRankingsParamsFormat("csv")), Limit: ptr("all")})
	if check(err == nil, "rankings CSV: %v", err); err == nil {
		check(strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv"), "rankings CSV content type %q", csv.Header.Get("Content-Type"))
		csv.Body.Close()
	}

	la, err := c.GetLockAssessmentWithResponse(ctx, "yale-conexis-l2", &ls.GetLockAssessmentParams{DoorType: ptr(ls.GetLockAssessmentParamsDoorType("uk_multipoint")), Sensitivity: ptr(true)})
	check(err == nil && la.JSON200 != nil && len(la.JSON200.Scenarios) == 8 && la.JSON200.Sensitivity != nil, "lock assessment: %v %s", err, la.Body)

	// The what-if assessment of a keyless keypad lock on a composite door with a keyed back door.
	a, err := c.PostAssessmentWithResponse(ctx, ls.Request{
		Lock: ls.Lock{KeyOverride: ptr(ls.KeyOverride("none")), Keypad: ptr(true), PhoneLocal: ptr(true),
			EmergencyPower: ptr(ls.EmergencyPower("terminal_9v")), InteriorEgress: ptr(ls.InteriorEgress("mechanical"))},
		Context: &ls.Context{DoorType: ptr(ls.DoorType("uk_multipoint")), OtherKeyedDoor: ptr(true)},
	})
	if check(err == nil && a.JSON200 != nil, "what-if: %v %s", err, a.Body); a.JSON200 != nil {
		gates := []string{}
		for _, g := range a.JSON200.Gates {
			gates = append(gates, g.Id)
		}
		check(len(a.JSON200.Scenarios) == 8 && strings.Contains(strings.Join(gates, ","), "G1"), "what-if: gates %v", gates)
	}
	typo, err := c.PostAssessmentWithBodyWithResponse(ctx, "application/json", strings.NewReader(`{"lock":{"key_overide":"none"}}`))
	check(err == nil && typo.ApplicationproblemJSON400 != nil && typo.ApplicationproblemJSON400.Errors[0].Field == "lock.key_overide", "typo: %v %s", err, typo.Body)
}

func editor(ctx context.Context, c *ls.ClientWithResponses, key string) {
	auth := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+key)
		return nil
	}
	rec := ls.Record{Slug: "client-check-lock", Brand: "Acme", Model: "Client Check", Markets: &[]ls.RecordMarkets{"UK"},
		FormFactor: "deadbolt", Status: "current", DataConfidence: "low", KeyOverride: ptr(ls.KeyOverride("independent")),
		Sources: []ls.Source{{Url: "https://example.com/client-check"}}}
	idem := &ls.CreateLockParams{IdempotencyKey: ptr("client-check-create")}
	created, err := c.CreateLockWithResponse(ctx, idem, rec, auth)
	if !check(err == nil && created.JSON201 != nil && created.JSON201.Version == 1, "create: %v %s", err, created.Body) {
		return
	}
	retried, err := c.CreateLockWithResponse(ctx, idem, rec, auth)
	check(err == nil && retried.JSON201 != nil && retried.HTTPResponse.Header.Get("Idempotent-Replayed") == "true" && string(retried.Body) == string(created.Body),
		"a retried create is replayed: %v %d %s", err, retried.StatusCode(), retried.Body)
	noKey, err := c.CreateLockWithResponse(ctx, &ls.CreateLockParams{}, rec)
	check(err == nil && noKey.ApplicationproblemJSON401 != nil, "create without a key: %v %d", err, noKey.StatusCode())
	patched, err := c.PatchLockWithResponse(ctx, rec.Slug, &ls.PatchLockParams{IfMatch: ptr(`"v1"`)}, ls.LockPatch{"emergency_power": "usb_c"}, auth)
	check(err == nil && patched.JSON200 != nil && patched.JSON200.Version == 2 && patched.JSON200.EmergencyPower != nil && *patched.JSON200.EmergencyPower == "usb_c",
		"patch: %v %s", err, patched.Body)
	stale, err := c.PatchLockWithResponse(ctx, rec.Slug, &ls.PatchLockParams{IfMatch: ptr(`"v1"`)}, ls.LockPatch{"notes": "late"}, auth)
	check(err == nil && stale.ApplicationproblemJSON412 != nil && stale.ApplicationproblemJSON412.CurrentVersion != nil && *stale.ApplicationproblemJSON412.CurrentVersion == 2,
		"stale If-Match: %v %s", err, stale.Body)
	revs, err := c.ListRevisionsWithResponse(ctx, rec.Slug, auth)
	check(err == nil && revs.JSON200 != nil && len(revs.JSON200.Items) == 2, "revisions: %v %s", err, revs.Body)
	restored, err := c.RestoreRevisionWithResponse(ctx, rec.Slug, 1, &ls.RestoreRevisionParams{}, auth)
	check(err == nil && restored.JSON200 != nil && restored.JSON200.Version == 3 && restored.JSON200.EmergencyPower == nil, "restore: %v %s", err, restored.Body)
	report, err := c.ImportLocksWithResponse(ctx, &ls.ImportLocksParams{DryRun: ptr(true)}, []ls.Record{rec}, auth)
	check(err == nil && report.JSON200 != nil && report.JSON200.DryRun && report.JSON200.Total == 1, "import dry run: %v %s", err, report.Body)
	deleted, err := c.DeleteLockWithResponse(ctx, rec.Slug, &ls.DeleteLockParams{}, auth)
	check(err == nil && deleted.StatusCode() == http.StatusNoContent, "delete: %v %d", err, deleted.StatusCode())
	gone, err := c.GetLockWithResponse(ctx, rec.Slug, nil)
	check(err == nil && gone.ApplicationproblemJSON404 != nil, "deleted lock: %v %d", err, gone.StatusCode())
}
