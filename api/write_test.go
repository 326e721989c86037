package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/lockscore/lockscore/api"
	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/testutil"
)

// eachEngine runs fn on SQLite, and on PostgreSQL when it is configured.
func eachEngine(t *testing.T, seeded bool, fn func(t *testing.T, h *harness)) {
	for _, eng := range testutil.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) { fn(t, newHarness(t, eng.DSN(t), seeded)) })
	}
}

func TestWriteLifecycle(t *testing.T) {
	eachEngine(t, true, func(t *testing.T, h *harness) {
		// Create.
		rec := h.do("POST", "/api/v1/locks", newLock("acme-one"), h.auth())
		wantStatus(t, rec, 201)
		if rec.Header().Get("Location") != "/api/v1/locks/acme-one" || rec.Header().Get("ETag") != `"v1"` {
			t.Fatalf("Location %q ETag %q", rec.Header().Get("Location"), rec.Header().Get("ETag"))
		}
		created := decode[catalogue.LockRecord](t, rec)
		if created.Version != 1 || created.Assessment.Band == "" {
			t.Fatalf("created %+v", created)
		}
		wantProblem(t, h.do("POST", "/api/v1/locks", newLock("acme-one"), h.auth()), 409, "")
		wantStatus(t, h.do("GET", "/api/v1/locks/acme-one", nil), 200)
		if got := decode[api.LockList](t, h.do("GET", "/api/v1/locks?brand=Testbrand", nil)); got.Total != 1 {
			t.Fatalf("new lock not listed: %d", got.Total)
		}

		// PATCH: null makes an attribute unknown; a false persists as false.
		rec = h.do("PATCH", "/api/v1/locks/acme-one", `{"keypad":null,"phone_local":false,"notes":"patched"}`, h.auth(), `If-Match: "v1"`)
		wantStatus(t, rec, 200)
		patched := decode[catalogue.LockRecord](t, rec)
		if patched.Version != 2 || patched.Keypad != nil || patched.PhoneLocal == nil || *patched.PhoneLocal || patched.Notes != "patched" {
			t.Fatalf("patched %+v", patched)
		}
		if rec.Header().Get("ETag") != `"v2"` {
			t.Fatalf("ETag after patch %q", rec.Header().Get("ETag"))
		}
		// Stale If-Match: 412 with the current version.
		p := wantProblem(t, h.do("PATCH", "/api/v1/locks/acme-one", `{"notes":"late"}`, h.auth(), `If-Match: "v1"`), 412, "")
		if p.CurrentVersion == nil || *p.CurrentVersion != 2 {
			t.Fatalf("412 without current version: %+v", p)
		}
		wantProblem(t, h.do("PATCH", "/api/v1/locks/acme-one", `{"notes":"x"}`, h.auth(), `If-Match: v2`), 400, "If-Match")
		wantProblem(t, h.do("PATCH", "/api/v1/locks/acme-one", `{"key_override":"sometimes"}`, h.auth()), 400, "key_override")
		wantProblem(t, h.do("PATCH", "/api/v1/locks/acme-one", `{"slug":"renamed"}`, h.auth()), 400, "slug")
		wantProblem(t, h.do("PATCH", "/api/v1/locks/acme-one", `[1]`, h.auth()), 400, "")

		// PUT without If-Match is allowed (scripts); the slug may be left out.
		body := newLock("acme-one")
		delete(body, "slug")
		body["model"] = "Replaced"
		rec = h.do("PUT", "/api/v1/locks/acme-one", body, h.auth())
		wantStatus(t, rec, 200)
		if r := decode[catalogue.LockRecord](t, rec); r.Version != 3 || r.Model != "Replaced" {
			t.Fatalf("replaced %+v", r)
		}
		// The same record again changes nothing.
		rec = h.do("PUT", "/api/v1/locks/acme-one", body, h.auth())
		if r := decode[catalogue.LockRecord](t, rec); r.Version != 3 {
			t.Fatalf("identical PUT made version %d", r.Version)
		}
		wantProblem(t, h.do("PUT", "/api/v1/locks/acme-one", map[string]any{"slug": "acme-one", "brnd": "x"}, h.auth()), 400, "brnd")

		// Delete: 204, then 404 and gone from lists and rankings.
		wantProblem(t, h.do("DELETE", "/api/v1/locks/acme-one", nil, h.auth(), `If-Match: "v1"`), 412, "")
		wantStatus(t, h.do("DELETE", "/api/v1/locks/acme-one", nil, h.auth(), `If-Match: "v3"`), 204)
		wantProblem(t, h.do("GET", "/api/v1/locks/acme-one", nil), 404, "")
		if got := decode[api.LockList](t, h.do("GET", "/api/v1/locks?brand=Testbrand", nil)); got.Total != 0 {
			t.Fatal("deleted lock still listed")
		}
		if got := decode[api.Ranking](t, h.do("GET", "/api/v1/rankings?q=acme", nil)); got.Total != 0 {
			t.Fatal("deleted lock still ranked")
		}

		// Revisions keep every version; restore brings version 2 back as version 5.
		rec = h.do("GET", "/api/v1/locks/acme-one/revisions", nil, h.auth())
		wantStatus(t, rec, 200)
		revs := decode[api.RevisionList](t, rec)
		if len(revs.Items) != 4 || revs.Items[0].Action != "delete" || revs.Items[3].Action != "create" || revs.Items[0].APIKeyName != "editor" {
			t.Fatalf("revisions %+v", revs.Items)
		}
		if revs.Items[2].Summary == "" || revs.Items[2].Snapshot.Notes != "patched" {
			t.Fatalf("revision 2: %+v", revs.Items[2])
		}
		rec = h.do("POST", "/api/v1/locks/acme-one/revisions/2/restore", nil, h.auth())
		wantStatus(t, rec, 200)
		restored := decode[catalogue.LockRecord](t, rec)
		if restored.Version != 5 || restored.Notes != "patched" || restored.Model != "Model acme-one" {
			t.Fatalf("restored %+v", restored)
		}
		wantStatus(t, h.do("GET", "/api/v1/locks/acme-one", nil), 200)
		wantProblem(t, h.do("POST", "/api/v1/locks/acme-one/revisions/99/restore", nil, h.auth()), 404, "")
		wantProblem(t, h.do("POST", "/api/v1/locks/acme-one/revisions/x/restore", nil, h.auth()), 400, "version")
	})
}

func TestWriteValidation(t *testing.T) {
	h := sqliteHarness(t)
	bad := newLock("Bad Slug!")
	bad["markets"] = []string{"Mars"}
	bad["sources"] = []map[string]any{{"url": "ftp://example.com/x"}}
	bad["keypad"] = "yes"
	rec := h.do("POST", "/api/v1/locks", bad, h.auth())
	p := wantProblem(t, rec, 400, "keypad")
	// Type errors are reported before vocabulary checks; fix the type and see every remaining field.
	bad["keypad"] = true
	rec = h.do("POST", "/api/v1/locks", bad, h.auth())
	p = wantProblem(t, rec, 400, "slug")
	fields := map[string]bool{}
	for _, e := range p.Errors {
		fields[e.Field] = true
	}
	for _, f := range []string{"slug", "markets[0]", "sources[0].url"} {
		if !fields[f] {
			t.Errorf("no error for %s: %+v", f, p.Errors)
		}
	}
	noSource := newLock("no-source")
	delete(noSource, "sources")
	wantProblem(t, h.do("POST", "/api/v1/locks", noSource, h.auth()), 400, "sources")
	wantProblem(t, h.do("POST", "/api/v1/locks", `{"slug":`, h.auth()), 400, "")
	wantProblem(t, h.do("POST", "/api/v1/locks", "x", h.auth(), "Content-Type: text/plain"), 415, "")
}

// A repeated field is refused wherever JSON comes in, never resolved by
// letting the last one win, and nothing is written.
func TestRepeatedFieldsAreRefused(t *testing.T) {
	h := sqliteHarness(t)
	before := dumpCatalogue(t, h)
	body, _ := json.Marshal(newLock("twice"))
	twice := `{"keypad":false,` + string(body[1:])
	wantProblem(t, h.do("POST", "/api/v1/locks", twice, h.auth()), 400, "keypad")
	wantProblem(t, h.do("PUT", "/api/v1/locks/yale-conexis-l2", twice, h.auth()), 400, "keypad")
	wantProblem(t, h.do("PATCH", "/api/v1/locks/yale-conexis-l2", `{"notes":"a","notes":"b"}`, h.auth()), 400, "notes")
	rec := h.do("POST", "/api/v1/locks/import", "["+string(body)+","+twice+"]", h.auth())
	p := wantProblem(t, rec, 422, "keypad")
	if p.Errors[0].Row != 2 {
		t.Fatalf("errors %+v, want row 2", p.Errors)
	}
	wantProblem(t, h.do("POST", "/api/v1/assessments", `{"lock":{"keypad":true,"keypad":false}}`), 400, "lock.keypad")
	wantProblem(t, h.do("POST", "/api/v1/assessments", `{"lock":{},"context":{"key_safe":true,"key_safe":false}}`), 400, "context.key_safe")
	wantProblem(t, h.do("POST", "/api/v1/assessments", `{"lock":{},"lock":{}}`), 400, "lock")
	if after := dumpCatalogue(t, h); after != before {
		t.Fatal("a refused body changed the database")
	}
}

// The editing routes take no query parameters: a typo is named, not ignored.
func TestWritesRefuseUnknownQueryParameters(t *testing.T) {
	h := sqliteHarness(t)
	before := dumpCatalogue(t, h)
	wantProblem(t, h.do("POST", "/api/v1/locks?dryrun=true", newLock("typo"), h.auth()), 400, "dryrun")
	wantProblem(t, h.do("PATCH", "/api/v1/locks/yale-conexis-l2?force=1", `{"notes":"x"}`, h.auth()), 400, "force")
	wantProblem(t, h.do("DELETE", "/api/v1/locks/yale-conexis-l2?hard=true", nil, h.auth()), 400, "hard")
	wantProblem(t, h.do("GET", "/api/v1/locks/yale-conexis-l2/revisions?limit=1", nil, h.auth()), 400, "limit")
	wantProblem(t, h.do("POST", "/api/v1/locks/yale-conexis-l2/revisions/1/restore?x=1", nil, h.auth()), 400, "x")
	p := wantProblem(t, h.do("POST", "/api/v1/locks/import?dryrun=true", `[]`, h.auth()), 400, "dryrun")
	if !strings.Contains(p.Errors[0].Message, "dry_run") {
		t.Errorf("no suggestion: %+v", p.Errors)
	}
	wantProblem(t, h.do("DELETE", "/api/v1/locks/yale-conexis-l2?hard=true", nil), 401, "")
	if after := dumpCatalogue(t, h); after != before {
		t.Fatal("a refused write changed the database")
	}
}

func TestAuthentication(t *testing.T) {
	h := sqliteHarness(t)
	body := newLock("auth-lock")
	wantProblem(t, h.do("POST", "/api/v1/locks", body), 401, "")
	wantProblem(t, h.do("POST", "/api/v1/locks", body, "Authorization: Bearer lsk_nottherightkey"), 401, "")
	wantProblem(t, h.do("POST", "/api/v1/locks", body, "Authorization: Basic abc"), 401, "")
	wantProblem(t, h.do("GET", "/api/v1/locks/yale-conexis-l2/revisions", nil), 401, "")
	if err := h.svc.Store().RevokeAPIKey(context.Background(), "editor", timeNow()); err != nil {
		t.Fatal(err)
	}
	wantProblem(t, h.do("POST", "/api/v1/locks", body, h.auth()), 403, "")
	wantStatus(t, h.do("POST", "/api/v1/locks", body, "Authorization: Bearer "+h.adminKey), 201)
	// Public reads ignore a bad key.
	wantStatus(t, h.do("GET", "/api/v1/locks", nil, "Authorization: Bearer nonsense"), 200)
}

func TestSecretsNeverLeak(t *testing.T) {
	h := sqliteHarness(t)
	h.do("POST", "/api/v1/locks", newLock("leak-check"), h.auth())
	h.do("GET", "/api/v1/locks/leak-check/revisions", nil, h.auth())
	h.do("PATCH", "/api/v1/locks/leak-check", `{"notes":"x"}`, "Authorization: Bearer "+h.adminKey)
	h.do("POST", "/api/v1/locks", newLock("leak-check-2"), "Authorization: Bearer lsk_wrongwrongwrong")
	h.do("GET", "/metrics", nil)
	logs := h.logs.String()
	if !strings.Contains(logs, `"api_key":"editor"`) {
		t.Fatalf("access log should name the key, not its secret:\n%s", logs)
	}
	for _, secret := range []string{h.key, h.adminKey, "lsk_wrongwrongwrong"} {
		if strings.Contains(logs, secret) {
			t.Fatal("a secret appears in the logs")
		}
		for _, s := range h.seen {
			if strings.Contains(s, secret) {
				t.Fatal("a secret appears in a response")
			}
		}
	}
	keys, err := h.svc.Store().ListAPIKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if strings.Contains(k.SecretHash, "lsk_") || len(k.SecretHash) != 64 {
			t.Fatalf("stored key is not a SHA-256 hex digest: %q", k.SecretHash)
		}
	}
}

// 50 writers PATCH one lock with the same If-Match: exactly one wins.
func TestConcurrentPatchesWithTheSameIfMatch(t *testing.T) {
	eachEngine(t, false, func(t *testing.T, h *harness) {
		wantStatus(t, h.do("POST", "/api/v1/locks", newLock("contended"), h.auth()), 201)
		var wg sync.WaitGroup
		codes := make([]int, 50)
		for i := range codes {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				rec := h.do("PATCH", "/api/v1/locks/contended", fmt.Sprintf(`{"notes":"writer %d"}`, i), h.auth(), `If-Match: "v1"`)
				codes[i] = rec.Code
			}(i)
		}
		wg.Wait()
		ok, failed := 0, 0
		for _, c := range codes {
			switch c {
			case 200:
				ok++
			case 412:
				failed++
			default:
				t.Fatalf("unexpected status %d", c)
			}
		}
		if ok != 1 || failed != 49 {
			t.Fatalf("%d succeeded, %d got 412; want 1 and 49", ok, failed)
		}
		revs := decode[api.RevisionList](t, h.do("GET", "/api/v1/locks/contended/revisions", nil, h.auth()))
		if len(revs.Items) != 2 || revs.Items[0].Version != 2 || !strings.HasPrefix(revs.Items[0].Snapshot.Notes, "writer ") {
			t.Fatalf("revisions %+v", revs.Items)
		}
		cur := decode[catalogue.LockRecord](t, h.do("GET", "/api/v1/locks/contended", nil))
		if cur.Notes != revs.Items[0].Snapshot.Notes {
			t.Fatalf("record %q, revision %q", cur.Notes, revs.Items[0].Snapshot.Notes)
		}
	})
}

// 20 writers update different locks while readers list: no "database is
// locked", and every acknowledged write is there afterwards.
func TestConcurrentWritersAndReaders(t *testing.T) {
	eachEngine(t, false, func(t *testing.T, h *harness) {
		for i := 0; i < 20; i++ {
			wantStatus(t, h.do("POST", "/api/v1/locks", newLock(fmt.Sprintf("busy-%02d", i)), h.auth()), 201)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		acked := map[string]string{}
		errs := make(chan string, 1000)
		stop := make(chan struct{})
		for r := 0; r < 4; r++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if rec := h.do("GET", "/api/v1/locks?limit=100&brand=Testbrand", nil); rec.Code != 200 {
						errs <- rec.Body.String()
					}
				}
			}()
		}
		var writers sync.WaitGroup
		for i := 0; i < 20; i++ {
			writers.Add(1)
			go func(i int) {
				defer writers.Done()
				slug := fmt.Sprintf("busy-%02d", i)
				for n := 0; n < 5; n++ {
					note := fmt.Sprintf("%s edit %d", slug, n)
					rec := h.do("PATCH", "/api/v1/locks/"+slug, fmt.Sprintf(`{"notes":%q}`, note), h.auth())
					if rec.Code != 200 {
						errs <- rec.Body.String()
						continue
					}
					mu.Lock()
					acked[slug] = note
					mu.Unlock()
				}
			}(i)
		}
		writers.Wait()
		close(stop)
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Errorf("request failed: %s", e)
		}
		for slug, note := range acked {
			r := decode[catalogue.LockRecord](t, h.do("GET", "/api/v1/locks/"+slug, nil))
			if r.Notes != note || r.Version != 6 {
				t.Errorf("%s: notes %q version %d, want %q version 6", slug, r.Notes, r.Version, note)
			}
		}
		if strings.Contains(h.logs.String(), "database is locked") {
			t.Error(`"database is locked" in the logs`)
		}
	})
}

func importRows(n int, badAt int) []map[string]any {
	rows := make([]map[string]any, n)
	for i := range rows {
		rows[i] = newLock(fmt.Sprintf("imported-%05d", i))
		if i == badAt {
			rows[i]["emergency_power"] = "nuclear"
		}
	}
	return rows
}

// dumpCatalogue is the content of every table, to compare before and after.
func dumpCatalogue(t *testing.T, h *harness) string {
	t.Helper()
	ctx := context.Background()
	st := h.svc.Store()
	locks, rev, err := st.LocksChangedSince(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.CountRevisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(locks)
	return fmt.Sprintf("%d|%d|%s", rev, n, b)
}

func TestImportIsAllOrNothing(t *testing.T) {
	eachEngine(t, true, func(t *testing.T, h *harness) {
		before := dumpCatalogue(t, h)
		rec := h.do("POST", "/api/v1/locks/import", importRows(10000, 5000), h.auth())
		p := wantProblem(t, rec, 422, "emergency_power")
		if len(p.Errors) != 1 || p.Errors[0].Row != 5001 {
			t.Fatalf("errors %+v, want one naming row 5001", p.Errors)
		}
		if after := dumpCatalogue(t, h); after != before {
			t.Fatal("a failed import changed the database")
		}
		// Dry run: a report, nothing written.
		rec = h.do("POST", "/api/v1/locks/import?dry_run=true", importRows(3, 1), h.auth())
		wantStatus(t, rec, 200)
		rep := decode[catalogue.ImportReport](t, rec)
		if !rep.DryRun || rep.Created != 2 || rep.Invalid != 1 || rep.Rows[1].Result != "invalid" || rep.Rows[1].Errors[0].Field != "emergency_power" {
			t.Fatalf("dry run %+v", rep)
		}
		if after := dumpCatalogue(t, h); after != before {
			t.Fatal("a dry run changed the database")
		}
		// Without the bad row: all 10,000 present, each with a revision.
		rec = h.do("POST", "/api/v1/locks/import", importRows(10000, -1), h.auth())
		wantStatus(t, rec, 200)
		rep = decode[catalogue.ImportReport](t, rec)
		if rep.Created != 10000 || rep.Invalid != 0 {
			t.Fatalf("import %+v", rep.Created)
		}
		if got := decode[api.LockList](t, h.do("GET", "/api/v1/locks?brand=Testbrand&limit=1", nil)); got.Total != 10000 {
			t.Fatalf("%d imported locks listed", got.Total)
		}
		if n, _ := h.svc.Store().CountRevisions(context.Background()); n != int64(seededCount(t)+10000) {
			t.Fatalf("%d revisions, want %d", n, seededCount(t)+10000)
		}
		// Again with one change: one updated, the rest unchanged.
		rows := importRows(10000, -1)
		rows[7]["notes"] = "changed"
		rep = decode[catalogue.ImportReport](t, h.do("POST", "/api/v1/locks/import", rows, h.auth()))
		if rep.Updated != 1 || rep.Unchanged != 9999 {
			t.Fatalf("re-import %+v", rep)
		}
	})
}

func TestImportCSV(t *testing.T) {
	h := sqliteHarness(t)
	csvBody := "slug,brand,model,markets,form_factor,door_types,status,key_override,keypad,interior_egress,sources,data_confidence\r\n" +
		"csv-one,Acme,One,UK;EU,deadbolt,us_deadbolt,current,independent,true,mechanical,https://example.com/a;https://example.com/b,low\r\n" +
		"csv-two,Acme,\"Two, with comma\",US,retrofit,,current,none,,mechanical,https://example.com/c,medium\r\n"
	rec := h.do("POST", "/api/v1/locks/import", csvBody, h.auth(), "Content-Type: text/csv")
	wantStatus(t, rec, 200)
	if rep := decode[catalogue.ImportReport](t, rec); rep.Created != 2 {
		t.Fatalf("csv import %+v", rep)
	}
	r := decode[catalogue.LockRecord](t, h.do("GET", "/api/v1/locks/csv-two", nil))
	if r.Model != "Two, with comma" || r.Keypad != nil || r.KeyOverride == nil || len(r.Sources) != 1 {
		t.Fatalf("csv-two %+v", r)
	}
	bad := "slug,brand,colour\r\nx,y,z\r\n"
	wantProblem(t, h.do("POST", "/api/v1/locks/import", bad, h.auth(), "Content-Type: text/csv"), 400, "colour")
	if p := wantProblem(t, h.do("POST", "/api/v1/locks/import", "", h.auth(), "Content-Type: text/csv"), 400, ""); !strings.Contains(p.Errors[0].Message, "empty") {
		t.Errorf("an empty CSV body: %+v", p.Errors)
	}
	badRow := "slug,brand,model,markets,form_factor,status,keypad,sources,data_confidence\r\n" +
		"ok-row,A,B,UK,deadbolt,current,true,https://example.com,low\r\n" +
		"bad-row,A,B,UK,deadbolt,current,perhaps,https://example.com,low\r\n"
	p := wantProblem(t, h.do("POST", "/api/v1/locks/import", badRow, h.auth(), "Content-Type: text/csv"), 422, "keypad")
	if p.Errors[0].Row != 2 {
		t.Fatalf("row %d, want 2", p.Errors[0].Row)
	}
	wantProblem(t, h.do("GET", "/api/v1/locks/ok-row", nil), 404, "")
}
