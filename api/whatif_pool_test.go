package api_test

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// The what-if handler assesses into pooled storage and encodes into a
// pooled buffer. Many concurrent requests with different bodies must each
// get exactly the answer the same body gets alone (run it with -race too).
func TestWhatIfPooledAnswersAreNotShared(t *testing.T) {
	h := sqliteHarness(t)
	e := h.srv.Echo()
	bodies := []string{
		`{"lock":{"key_override":"none","keypad":true,"phone_local":true,"emergency_power":"terminal_9v","interior_egress":"mechanical"},"context":{"door_type":"uk_multipoint","other_keyed_door":true}}`,
		`{"lock":{}}`,
		`{"lock":{"key_override":"independent","key_override_needs_emergency_cylinder":true},"context":{"door_type":"uk_multipoint","occupants":["lives_alone","tech_averse"]}}`,
		`{"lock":{"key_override":"backdrives_actuator","interior_egress":"key_only","known_defect":true},"context":{"door_type":"uk_timber","key_safe":true}}`,
		`{"lock":{"key_override":"none","fingerprint":true,"phone_cloud":true,"emergency_power":"usb_c"},"context":{"other_keyed_door":true,"other_door_same_keyring":true,"remote_helper":true}}`,
	}
	post := func(body string) (int, []byte) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/api/v1/assessments", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		e.ServeHTTP(rec, req)
		return rec.Code, rec.Body.Bytes()
	}
	want := make([][]byte, len(bodies))
	for i, b := range bodies {
		code, got := post(b)
		if code != 200 {
			t.Fatalf("body %d: status %d: %s", i, code, got)
		}
		want[i] = got
		for j := 0; j < i; j++ {
			if bytes.Equal(want[i], want[j]) {
				t.Fatalf("bodies %d and %d have the same answer; the test needs different ones", i, j)
			}
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for n := 0; n < 100; n++ {
				i := (g + n) % len(bodies)
				if code, got := post(bodies[i]); code != 200 || !bytes.Equal(got, want[i]) {
					t.Errorf("goroutine %d, request %d (body %d): status %d, answer differs from the serial one", g, n, i, code)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}
