//go:build faults

package faults

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lockscore/lockscore/internal/synth"
	"github.com/lockscore/lockscore/seed"
)

const sqlitePort = 18083

func importBody(t *testing.T, prefix string, n int) []byte {
	t.Helper()
	sample, err := seed.Records()
	if err != nil {
		t.Fatal(err)
	}
	gen := synth.New(sample)
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i := 0; i < n; i++ {
		if i > 0 {
			buf.WriteByte(',')
		}
		r := gen.Record(7, i)
		r.Slug = fmt.Sprintf("%s%06d", prefix, i)
		b, _ := json.Marshal(r)
		buf.Write(b)
	}
	buf.WriteByte(']')
	return buf.Bytes()
}

// kill -9 during imports: every import is all or nothing and the file
// passes PRAGMA integrity_check. One import runs uninterrupted first, for
// its time and the server's peak RSS.
func TestKillDuringImport(t *testing.T) {
	rows, rounds := 25000, 8
	if testing.Short() {
		rows, rounds = 5000, 2
	}
	db := filepath.Join(t.TempDir(), "lockscore.db")
	env := map[string]string{"LOCKSCORE_DATABASE_URL": db, "LOCKSCORE_REQUEST_TIMEOUT": "5m"}
	key := apiKey(t, db, "importer")
	slow := &http.Client{Timeout: 5 * time.Minute}

	p := serve(t, sqlitePort, env)
	before := p.status("VmHWM")
	start := time.Now()
	if code, _, b, err := call(slow, "POST", p.base+"/api/v1/locks/import", key, importBody(t, "whole-", rows)); err != nil || code != 200 {
		t.Fatalf("import: %d %v %.300s", code, err, b)
	}
	took := time.Since(start)
	figure(t, "import of %d rows: %v; server peak RSS %d MB before, %d MB after", rows, took.Round(time.Millisecond), before/1024, p.status("VmHWM")/1024)
	p.kill()

	all, none := 0, 0
	for round := 0; round < rounds; round++ {
		prefix := fmt.Sprintf("crash%d-", round)
		body := importBody(t, prefix, rows)
		p := serve(t, sqlitePort, env)
		at := time.Duration(float64(took) * (0.2 + 1.1*float64(round)/float64(max(1, rounds-1))))
		go func() { _, _, _, _ = call(slow, "POST", p.base+"/api/v1/locks/import", key, body) }()
		time.Sleep(at)
		p.kill()
		ok, n := sqliteCheck(t, db, prefix)
		if ok != "ok" {
			t.Fatalf("round %d: integrity_check %q", round, ok)
		}
		switch n {
		case rows:
			all++
		case 0:
			none++
		default:
			t.Fatalf("round %d: killed after %v, %d of %d rows imported", round, at, n, rows)
		}
	}
	figure(t, "kill -9 during a %d-row import, %d times: all-or-nothing %d/%d (%d whole, %d none), integrity_check ok %d/%d", rows, rounds, all+none, rounds, all, none, rounds, rounds)
}

// kill -9 during a stream of PATCHes: every acknowledged write is present.
func TestKillDuringPatchStream(t *testing.T) {
	rounds, runFor := 6, 2*time.Second
	if testing.Short() {
		rounds, runFor = 2, time.Second
	}
	db := filepath.Join(t.TempDir(), "lockscore.db")
	env := map[string]string{"LOCKSCORE_DATABASE_URL": db}
	key := apiKey(t, db, "patcher")
	p := serve(t, sqlitePort, env)
	for w := 0; w < 4; w++ {
		mustCall(t, 201, "POST", p.base+"/api/v1/locks", key, lock(fmt.Sprintf("patch-%d", w)))
	}
	p.kill()
	acked, total := 0, 0
	for round := 0; round < rounds; round++ {
		p := serve(t, sqlitePort, env)
		var mu sync.Mutex
		ack := map[string]bool{}
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				c := &http.Client{Timeout: 5 * time.Second}
				for i := 0; i < 100000; i++ {
					note := fmt.Sprintf("r%d-w%d-%d", round, w, i)
					code, _, _, err := call(c, "PATCH", fmt.Sprintf("%s/api/v1/locks/patch-%d", p.base, w), key, []byte(`{"notes":"`+note+`"}`))
					if err != nil {
						return
					}
					if code == 200 {
						mu.Lock()
						ack[note] = true
						mu.Unlock()
					}
				}
			}(w)
		}
		time.Sleep(runFor + time.Duration(rand.IntN(500))*time.Millisecond)
		p.kill()
		wg.Wait()
		if ok, _ := sqliteCheck(t, db, "patch-"); ok != "ok" {
			t.Fatalf("round %d: integrity_check %q", round, ok)
		}
		p = serve(t, sqlitePort, env)
		found := 0
		for w := 0; w < 4; w++ {
			_, b := mustCall(t, 200, "GET", fmt.Sprintf("%s/api/v1/locks/patch-%d/revisions", p.base, w), key, nil)
			var revs struct {
				Items []struct {
					Snapshot struct {
						Notes string `json:"notes"`
					} `json:"snapshot"`
				} `json:"items"`
			}
			_ = json.Unmarshal(b, &revs)
			for _, r := range revs.Items {
				if ack[r.Snapshot.Notes] {
					found++
				}
			}
		}
		if found != len(ack) {
			t.Fatalf("round %d: %d writes acknowledged, %d present", round, len(ack), found)
		}
		acked += len(ack)
		total++
		p.kill()
	}
	figure(t, "kill -9 during PATCH streams (4 writers), %d times: %d acknowledged, %d present", total, acked, acked)
}

// kill -9 between a write's commit and its answer (the faults build's kill
// point), for an idempotent create and a restore: the retry replays the
// answer and the revisions show one write. And kill -9 after the key was
// claimed, before the write: the retry is refused only while the request
// could still be running (request timeout + 5 s), then runs once.
func TestKillBetweenCommitAndAnswer(t *testing.T) {
	db := filepath.Join(t.TempDir(), "lockscore.db")
	key := apiKey(t, db, "idem")
	env := map[string]string{"LOCKSCORE_DATABASE_URL": db, "LOCKSCORE_REQUEST_TIMEOUT": "1s"}
	crashing := map[string]string{"LOCKSCORE_DATABASE_URL": db, "LOCKSCORE_REQUEST_TIMEOUT": "1s", "LOCKSCORE_FAULTPOINT": "before-answer"}
	revisions := func(p *proc, slug string) int {
		_, b := mustCall(t, 200, "GET", p.base+"/api/v1/locks/"+slug+"/revisions", key, nil)
		var revs struct{ Items []json.RawMessage }
		_ = json.Unmarshal(b, &revs)
		return len(revs.Items)
	}
	crashes := 0

	// Create.
	p := serve(t, sqlitePort, crashing)
	if code, _, _, err := call(quick, "POST", p.base+"/api/v1/locks", key, lock("idem-kill"), "Idempotency-Key: kill-create"); err == nil {
		t.Fatalf("the faults build did not die before answering: %d", code)
	}
	if !p.wait(5 * time.Second) {
		t.Fatal("still running")
	}
	crashes++
	p = serve(t, sqlitePort, env)
	h, _ := mustCall(t, 201, "POST", p.base+"/api/v1/locks", key, lock("idem-kill"), "Idempotency-Key: kill-create")
	if h.Get("Idempotent-Replayed") != "true" {
		t.Fatal("the retry of a create committed before the crash was not a replay")
	}
	if n := revisions(p, "idem-kill"); n != 1 {
		t.Fatalf("%d revisions after a create and its retry", n)
	}
	mustCall(t, 200, "PATCH", p.base+"/api/v1/locks/idem-kill", key, []byte(`{"notes":"v2"}`))
	p.kill()

	// Restore.
	p = serve(t, sqlitePort, crashing)
	if _, _, _, err := call(quick, "POST", p.base+"/api/v1/locks/idem-kill/revisions/1/restore", key, nil, "Idempotency-Key: kill-restore"); err == nil {
		t.Fatal("the faults build did not die before answering the restore")
	}
	p.wait(5 * time.Second)
	crashes++
	p = serve(t, sqlitePort, env)
	h, _ = mustCall(t, 200, "POST", p.base+"/api/v1/locks/idem-kill/revisions/1/restore", key, nil, "Idempotency-Key: kill-restore")
	if h.Get("Idempotent-Replayed") != "true" {
		t.Fatal("the retry of a restore committed before the crash was not a replay")
	}
	if n := revisions(p, "idem-kill"); n != 3 {
		t.Fatalf("%d revisions after create, patch and a restore retried: the restore ran %d times", n, n-2)
	}
	p.kill()

	// Killed after the claim, before the write.
	p = serve(t, sqlitePort, map[string]string{"LOCKSCORE_DATABASE_URL": db, "LOCKSCORE_REQUEST_TIMEOUT": "1s", "LOCKSCORE_FAULTPOINT": "after-claim"})
	_, _, _, _ = call(quick, "POST", p.base+"/api/v1/locks", key, lock("idem-claim"), "Idempotency-Key: kill-claim")
	p.wait(5 * time.Second)
	crashes++
	killedAt := time.Now()
	p = serve(t, sqlitePort, env)
	var code int
	for time.Since(killedAt) < 15*time.Second {
		code, _, _, _ = call(quick, "POST", p.base+"/api/v1/locks", key, lock("idem-claim"), "Idempotency-Key: kill-claim")
		if code != 409 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	refused := time.Since(killedAt)
	if code != 201 || refused > 8*time.Second {
		t.Fatalf("retry after a crash between claim and write: %d after %v", code, refused)
	}
	if n := revisions(p, "idem-claim"); n != 1 {
		t.Fatalf("%d revisions", n)
	}
	figure(t, "kill -9 between commit and answer (create, restore) and between claim and write: %d crashes, every retry answered once; a crashed claim refused %v (request timeout 1 s + 5 s)", crashes, refused.Round(100*time.Millisecond))
}
