package api

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lockscore/lockscore/models"
)

// A cached answer whose build failed on the server's side (the database
// unreachable) is built again on the next request; a client's error is
// kept, as the same request always gets it.
func TestCachedKeepsOnlyClientErrors(t *testing.T) {
	s := newTestServer(t, &bytes.Buffer{})
	serve := func(key string, build func() (*response, error)) error {
		c := s.echo.NewContext(httptest.NewRequest(http.MethodGet, "/x", nil), httptest.NewRecorder())
		return s.cached(c, key, build)
	}
	ok := func() (*response, error) { return jsonResponse(http.StatusOK, map[string]string{"ok": "yes"}) }
	builds := 0
	failing := func(err error) func() (*response, error) {
		return func() (*response, error) { builds++; return nil, err }
	}
	if err := serve("down", failing(models.Errorf(models.KindUnavailable, "database down"))); err == nil {
		t.Fatal("the failing build's error was not returned")
	}
	if err := serve("down", ok); err != nil {
		t.Fatalf("after the database came back the cached failure still answers: %v", err)
	}
	if err := serve("bad", failing(models.Errorf(models.KindInvalid, "bad query"))); err == nil {
		t.Fatal("the client error was not returned")
	}
	if err := serve("bad", ok); err == nil || builds != 2 {
		t.Fatalf("a client error was built again (builds %d, err %v)", builds, err)
	}
}
