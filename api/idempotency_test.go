package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/lockscore/lockscore/api"
	"github.com/lockscore/lockscore/internal/catalogue"
)

func TestIdempotencyKeyMakesRetriesSafe(t *testing.T) {
	eachEngine(t, true, func(t *testing.T, h *harness) {
		ctx := context.Background()
		revisions := func() int64 {
			n, err := h.svc.Store().CountRevisions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := revisions()

		// A retried create gets the first answer again and creates nothing more.
		body, _ := json.Marshal(newLock("idem-one"))
		first := h.do("POST", "/api/v1/locks", body, h.auth(), "Idempotency-Key: k-create")
		wantStatus(t, first, 201)
		again := h.do("POST", "/api/v1/locks", body, h.auth(), "Idempotency-Key: k-create")
		wantStatus(t, again, 201)
		if again.Header().Get("Idempotent-Replayed") != "true" || first.Header().Get("Idempotent-Replayed") != "" {
			t.Fatalf("Idempotent-Replayed: first %q, retry %q", first.Header().Get("Idempotent-Replayed"), again.Header().Get("Idempotent-Replayed"))
		}
		if again.Body.String() != first.Body.String() || again.Header().Get("Location") != first.Header().Get("Location") ||
			again.Header().Get("ETag") != first.Header().Get("ETag") || again.Header().Get("Content-Type") != first.Header().Get("Content-Type") {
			t.Fatalf("the replay differs:\n%s\n%s", first.Body.String(), again.Body.String())
		}
		if got := revisions(); got != before+1 {
			t.Fatalf("%d revisions after a create and its retry, want %d", got, before+1)
		}

		// The same key for another request is refused; another API key's keys are its own.
		other, _ := json.Marshal(newLock("idem-two"))
		wantProblem(t, h.do("POST", "/api/v1/locks", other, h.auth(), "Idempotency-Key: k-create"), 422, "Idempotency-Key")
		wantProblem(t, h.do("POST", "/api/v1/locks", body, "Authorization: Bearer "+h.adminKey, "Idempotency-Key: k-create"), 409, "")

		// A failed request is not kept: the corrected request may reuse its key.
		wantProblem(t, h.do("POST", "/api/v1/locks", `{"slug":"idem-two"}`, h.auth(), "Idempotency-Key: k-fix"), 400, "brand")
		wantStatus(t, h.do("POST", "/api/v1/locks", other, h.auth(), "Idempotency-Key: k-fix"), 201)

		// A retried restore makes one new version, not two.
		wantStatus(t, h.do("PATCH", "/api/v1/locks/idem-one", `{"notes":"v2"}`, h.auth()), 200)
		r1 := h.do("POST", "/api/v1/locks/idem-one/revisions/1/restore", nil, h.auth(), "Idempotency-Key: k-restore")
		r2 := h.do("POST", "/api/v1/locks/idem-one/revisions/1/restore", nil, h.auth(), "Idempotency-Key: k-restore")
		wantStatus(t, r2, 200)
		if v := decode[catalogue.LockRecord](t, r2).Version; v != 3 || r1.Body.String() != r2.Body.String() {
			t.Fatalf("restore and its retry: version %d", v)
		}
		if got := decode[catalogue.LockRecord](t, h.do("GET", "/api/v1/locks/idem-one", nil)); got.Version != 3 {
			t.Fatalf("version %d after one restore and its retry", got.Version)
		}

		// An import's report is replayed too.
		rows := `[` + string(body) + `]`
		i1 := h.do("POST", "/api/v1/locks/import", rows, h.auth(), "Idempotency-Key: k-import")
		i2 := h.do("POST", "/api/v1/locks/import", rows, h.auth(), "Idempotency-Key: k-import")
		if i1.Code != 200 || i2.Body.String() != i1.Body.String() || i2.Header().Get("Idempotent-Replayed") != "true" {
			t.Fatalf("import replay: %d %s / %s", i1.Code, i1.Body.String(), i2.Body.String())
		}

		// Keys must be visible ASCII, at most 255 characters.
		wantProblem(t, h.do("POST", "/api/v1/locks", body, h.auth(), "Idempotency-Key: "+strings.Repeat("k", 256)), 400, "Idempotency-Key")
		wantProblem(t, h.do("POST", "/api/v1/locks", body, h.auth(), "Idempotency-Key: caf\u00e9"), 400, "Idempotency-Key")
	})
}

// Ten clients send the same create with the same key at once: one lock and
// one revision are made, and every client gets either that answer or a 409
// while it is still being made.
func TestIdempotencyKeyUnderConcurrentRetries(t *testing.T) {
	eachEngine(t, true, func(t *testing.T, h *harness) {
		ctx := context.Background()
		before, _ := h.svc.Store().CountRevisions(ctx)
		body, _ := json.Marshal(newLock("idem-race"))
		var wg sync.WaitGroup
		codes := make([]int, 10)
		bodies := make([]string, 10)
		for i := range codes {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				rec := h.do("POST", "/api/v1/locks", body, h.auth(), "Idempotency-Key: k-race")
				codes[i], bodies[i] = rec.Code, rec.Body.String()
			}(i)
		}
		wg.Wait()
		var created string
		for i, code := range codes {
			switch code {
			case 201:
				if created != "" && bodies[i] != created {
					t.Fatalf("two different 201 answers:\n%s\n%s", created, bodies[i])
				}
				created = bodies[i]
			case 409:
				var p api.Problem
				if json.Unmarshal([]byte(bodies[i]), &p) != nil || len(p.Errors) == 0 || p.Errors[0].Field != "Idempotency-Key" {
					t.Fatalf("a 409 that is not the in-progress answer: %s", bodies[i])
				}
			default:
				t.Fatalf("status %d: %s", code, bodies[i])
			}
		}
		if created == "" {
			t.Fatal("no client got the 201")
		}
		if after, _ := h.svc.Store().CountRevisions(ctx); after != before+1 {
			t.Fatalf("%d revisions from ten identical retries, want 1", after-before)
		}
	})
}
