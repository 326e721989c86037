package api_test

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"testing"
	"time"
)

// signalReader reports its first Read, then blocks until released.
type signalReader struct {
	started chan struct{}
	r       io.Reader
	once    bool
}

func (s *signalReader) Read(p []byte) (int, error) {
	if !s.once {
		s.once = true
		close(s.started)
	}
	return s.r.Read(p)
}

// One import at a time per replica: another is a 503 with Retry-After at
// once, not a second import's memory on top of the first (issue 12 #12).
func TestOneImportAtATime(t *testing.T) {
	h := sqliteHarness(t)
	pr, pw := io.Pipe()
	body := &signalReader{started: make(chan struct{}), r: pr}
	done := make(chan int)
	go func() {
		req := httptest.NewRequest("POST", "/api/v1/locks/import", body)
		done <- h.serve(authed(req, h)).Code
	}()
	select {
	case <-body.started:
	case <-time.After(5 * time.Second):
		t.Fatal("the first import never read its body")
	}
	start := time.Now()
	rec := h.serve(authed(httptest.NewRequest("POST", "/api/v1/locks/import", stringsReader(`[{"slug":"x"}]`)), h))
	if rec.Code != 503 || rec.Header().Get("Retry-After") == "" || time.Since(start) > time.Second {
		t.Fatalf("a second import while one runs: status %d, Retry-After %q after %v; want 503 at once", rec.Code, rec.Header().Get("Retry-After"), time.Since(start))
	}
	go func() {
		_, _ = pw.Write([]byte(`[` + mustJSON(newLock("gate-one")) + `]`))
		pw.Close()
	}()
	if code := <-done; code != 200 {
		t.Fatalf("the first import: %d", code)
	}
	// The slot is free again.
	wantStatus(t, h.do("POST", "/api/v1/locks/import", `[`+mustJSON(newLock("gate-two"))+`]`, h.auth()), 200)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
