package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lockscore/lockscore/internal/catalogue"
)

// The stored answer commits with the write it answers (issue 12 #1). A
// crash between the write and a separately stored answer left the claim
// "in progress": the retry was refused 409 for five minutes, then ran
// again (a create answered "already exists", a restore ran twice). Here the
// answer's store fails the way a crash would leave it: the write must not
// stay without its answer, and the retry must run it exactly once.
func TestIdempotentAnswerCommitsWithTheWrite(t *testing.T) {
	h := sqliteHarness(t)
	db := h.svc.Store().WriteDB()
	ctx := context.Background()
	crash := func(on bool) {
		t.Helper()
		stmt := "DROP TRIGGER IF EXISTS crash_before_answer"
		if on {
			stmt = "CREATE TRIGGER crash_before_answer BEFORE UPDATE OF status ON idempotency_keys BEGIN SELECT RAISE(ABORT, 'crash before the answer was stored'); END"
		}
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	revisions := func(slug string) int {
		t.Helper()
		revs, err := h.svc.Revisions(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		return len(revs)
	}

	t.Run("create", func(t *testing.T) {
		body, _ := json.Marshal(newLock("idem-crash"))
		crash(true)
		first := h.serve(authedKey(h, "POST", "/api/v1/locks", string(body), "crash-create"))
		crash(false)
		retry := h.do("POST", "/api/v1/locks", body, h.auth(), "Idempotency-Key: crash-create")
		if retry.Code != 201 {
			t.Fatalf("first attempt %d; the retry: %d %s, want 201", first.Code, retry.Code, retry.Body.String())
		}
		if n := revisions("idem-crash"); n != 1 {
			t.Fatalf("%d revisions, want 1", n)
		}
		again := h.do("POST", "/api/v1/locks", body, h.auth(), "Idempotency-Key: crash-create")
		if again.Code != 201 || again.Header().Get("Idempotent-Replayed") != "true" || again.Body.String() != retry.Body.String() {
			t.Fatalf("second retry: %d replayed=%q", again.Code, again.Header().Get("Idempotent-Replayed"))
		}
	})
	t.Run("restore", func(t *testing.T) {
		wantStatus(t, h.do("PATCH", "/api/v1/locks/idem-crash", `{"notes":"v2"}`, h.auth()), 200)
		crash(true)
		first := h.serve(authedKey(h, "POST", "/api/v1/locks/idem-crash/revisions/1/restore", "", "crash-restore"))
		crash(false)
		retry := h.do("POST", "/api/v1/locks/idem-crash/revisions/1/restore", nil, h.auth(), "Idempotency-Key: crash-restore")
		if retry.Code != 200 {
			t.Fatalf("first attempt %d; the retry: %d %s", first.Code, retry.Code, retry.Body.String())
		}
		again := h.do("POST", "/api/v1/locks/idem-crash/revisions/1/restore", nil, h.auth(), "Idempotency-Key: crash-restore")
		if again.Header().Get("Idempotent-Replayed") != "true" {
			t.Fatalf("second retry not replayed: %d", again.Code)
		}
		if n := revisions("idem-crash"); n != 3 {
			t.Fatalf("%d revisions after create, patch and one restore, want 3: the restore ran %d times", n, n-2)
		}
	})
	t.Run("a claim left by a crashed server is taken over once the request could no longer be running", func(t *testing.T) {
		body, _ := json.Marshal(newLock("idem-orphan"))
		// What a server killed after claiming the key, before writing, leaves behind.
		var hash string
		probe := h.do("POST", "/api/v1/locks", body, h.auth(), "Idempotency-Key: orphan-probe")
		wantStatus(t, probe, 201)
		if err := db.QueryRowContext(ctx, "SELECT request_hash FROM idempotency_keys WHERE idem_key = 'orphan-probe'").Scan(&hash); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, h.do("DELETE", "/api/v1/locks/idem-orphan", nil, h.auth()), 204)
		stale := time.Now().UTC().Add(-time.Minute)
		if _, err := db.ExecContext(ctx, "INSERT INTO idempotency_keys (api_key_name, idem_key, request_hash, status, created_at) VALUES ('editor', 'orphan', ?, 0, ?)", hash, stale); err != nil {
			t.Fatal(err)
		}
		rec := h.do("POST", "/api/v1/locks", body, h.auth(), "Idempotency-Key: orphan")
		if rec.Code != 201 {
			t.Fatalf("retry after a crashed claim a minute old (request timeout 30s): %d %s", rec.Code, rec.Body.String())
		}
		got := decode[catalogue.LockRecord](t, rec)
		if got.Slug != "idem-orphan" {
			t.Fatalf("%+v", got)
		}
	})
}

func authedKey(h *harness, method, target, body, key string) *httpRequest {
	req := newRequest(method, target, body)
	req.Header.Set("Authorization", "Bearer "+h.key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Idempotency-Key", key)
	return req
}

type httpRequest = http.Request

func newRequest(method, target, body string) *http.Request {
	if body == "" {
		return httptest.NewRequest(method, target, nil)
	}
	return httptest.NewRequest(method, target, strings.NewReader(body))
}
