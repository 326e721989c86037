package api_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/lockscore/lockscore/api"
)

// walkChanges follows the change feed from since to its last page and
// returns every item in order and the revision to ask from next time.
func walkChanges(t *testing.T, h *harness, since int64, limit int, between func(page int, soFar []string)) ([]string, map[string]bool, int64) {
	t.Helper()
	var order []string
	deleted := map[string]bool{}
	target := "/api/v1/changes?since=" + strconv.Itoa(int(since)) + "&limit=" + strconv.Itoa(limit)
	var rev int64
	for page := 0; ; page++ {
		rec := h.do("GET", target, nil)
		wantStatus(t, rec, 200)
		feed := decode[api.ChangeFeed](t, rec)
		for _, it := range feed.Items {
			order = append(order, it.Slug)
			deleted[it.Slug] = it.Deleted
		}
		rev = feed.Revision
		if feed.NextCursor == nil {
			if rec.Header().Get("Link") != "" {
				t.Fatal("a Link header on the last page")
			}
			return order, deleted, rev
		}
		if len(feed.Items) != limit {
			t.Fatalf("a short page (%d of %d) before the last", len(feed.Items), limit)
		}
		link := rec.Header().Get("Link")
		if !strings.HasPrefix(link, "</api/v1/changes?") || !strings.Contains(link, "cursor="+url.QueryEscape(*feed.NextCursor)) || strings.Contains(link, "since=") {
			t.Fatalf("Link %q", link)
		}
		if between != nil {
			between(page, order)
		}
		target = strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`)
	}
}

func TestChangeFeedMirrorsTheCatalogue(t *testing.T) {
	eachEngine(t, true, func(t *testing.T, h *harness) {
		// From zero: every seeded lock once.
		order, deleted, rev := walkChanges(t, h, 0, 10, nil)
		if len(order) != seededCount(t) {
			t.Fatalf("%d changes from revision 0, want the %d seeded locks", len(order), seededCount(t))
		}
		seen := map[string]bool{}
		for _, s := range order {
			if seen[s] {
				t.Fatalf("%s twice", s)
			}
			seen[s] = true
			if deleted[s] {
				t.Fatalf("%s is a tombstone", s)
			}
		}
		// Nothing new: an empty feed at the same revision.
		if again, _, r := walkChanges(t, h, rev, 10, nil); len(again) != 0 || r != rev {
			t.Fatalf("no change, yet %v at revision %d (was %d)", again, r, rev)
		}

		// Create, change, delete: the mirror learns each lock's latest state, deletions as tombstones.
		wantStatus(t, h.do("POST", "/api/v1/locks", newLock("feed-kept"), h.auth()), 201)
		wantStatus(t, h.do("POST", "/api/v1/locks", newLock("feed-gone"), h.auth()), 201)
		wantStatus(t, h.do("PATCH", "/api/v1/locks/feed-kept", `{"notes":"changed"}`, h.auth()), 200)
		wantStatus(t, h.do("DELETE", "/api/v1/locks/feed-gone", nil, h.auth()), 204)
		wantStatus(t, h.do("DELETE", "/api/v1/locks/yale-conexis-l2", nil, h.auth()), 204)
		order, deleted, rev2 := walkChanges(t, h, rev, 2, nil)
		if strings.Join(order, ",") != "feed-kept,feed-gone,yale-conexis-l2" {
			t.Fatalf("changes since %d: %v", rev, order)
		}
		if deleted["feed-kept"] || !deleted["feed-gone"] || !deleted["yale-conexis-l2"] {
			t.Fatalf("tombstones %v", deleted)
		}
		if rev2 != rev+5 {
			t.Fatalf("revision %d after five writes from %d", rev2, rev)
		}
		feed := decode[api.ChangeFeed](t, h.do("GET", "/api/v1/changes?since="+strconv.Itoa(int(rev)), nil))
		if kept := feed.Items[0]; kept.Version != 2 || kept.Revision != rev+3 || kept.ChangedAt.IsZero() {
			t.Fatalf("feed-kept %+v", kept)
		}

		// Writes while a mirror walks: every lock still arrives, one changed
		// after it was read arrives again with its new version.
		var touched []string
		order, _, _ = walkChanges(t, h, 0, 7, func(page int, soFar []string) {
			slug := soFar[page] // read already: the first items are seeded locks at revision 1, none deleted
			if page == 0 {
				slug = "nuki-smart-lock-4th-gen" // not read yet
			}
			touched = append(touched, slug)
			wantStatus(t, h.do("PATCH", "/api/v1/locks/"+slug, `{"notes":"touched `+strconv.Itoa(page)+`"}`, h.auth()), 200)
		})
		got := map[string]bool{}
		for _, s := range order {
			got[s] = true
		}
		for s := range seen {
			if !got[s] {
				t.Fatalf("%s never arrived while writes went on", s)
			}
		}
		if last := order[len(order)-1]; last != touched[len(touched)-1] {
			t.Fatalf("the last change %s is not the last write %s", last, touched[len(touched)-1])
		}
	})
}

func TestChangeFeedRefusesBadParameters(t *testing.T) {
	h := sqliteHarness(t)
	feed := decode[api.ChangeFeed](t, h.do("GET", "/api/v1/changes?limit=1", nil))
	for _, tt := range []struct{ target, field string }{
		{"/api/v1/changes?since=-1", "since"},
		{"/api/v1/changes?since=abc", "since"},
		{"/api/v1/changes?limit=0", "limit"},
		{"/api/v1/changes?limit=1001", "limit"},
		{"/api/v1/changes?limit=", "limit"},
		{"/api/v1/changes?cursor=garbage", "cursor"},
		{"/api/v1/changes?since=1&cursor=" + *feed.NextCursor, "cursor"},
		{"/api/v1/changes?after=3", "after"},
		{"/api/v1/changes?since=" + strconv.Itoa(int(feed.Revision)+1), "since"}, // from another or a restored database
	} {
		wantProblem(t, h.do("GET", tt.target, nil), 400, tt.field)
	}
	rec := h.do("GET", "/api/v1/changes", nil)
	etag := rec.Header().Get("ETag")
	wantStatus(t, h.do("GET", "/api/v1/changes", nil, "If-None-Match: "+etag), 304)
}
