package lockscore_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	lockscore "github.com/lockscore/lockscore/clients/go"
)

// A fake API with three pages of locks and a problem for anything else.
func fakeAPI(t *testing.T) *httptest.Server {
	pages := map[string]string{
		"":   `{"items":[{"slug":"a"},{"slug":"b"}],"total":5,"next_cursor":"p2"}`,
		"p2": `{"items":[{"slug":"c"},{"slug":"d"}],"total":5,"next_cursor":"p3"}`,
		"p3": `{"items":[{"slug":"e"}],"total":5,"next_cursor":null}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/locks" {
			if body, ok := pages[r.URL.Query().Get("cursor")]; ok {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(body))
				return
			}
		}
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(400)
		_, _ = w.Write([]byte(`{"type":"/problems/invalid-request","title":"Invalid request","status":400,"detail":"invalid query parameters","instance":"` +
			r.URL.RequestURI() + `","errors":[{"field":"cursor","message":"cursor is not valid"}]}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestLocksWalksEveryPageOnce(t *testing.T) {
	c, err := lockscore.New(fakeAPI(t).URL)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for lock, err := range lockscore.Locks(context.Background(), c, nil) {
		if err != nil {
			t.Fatal(err)
		}
		got += lock.Slug
	}
	if got != "abcde" {
		t.Fatalf("walked %q", got)
	}
	// Breaking out of the loop stops the walk.
	n := 0
	for range lockscore.Locks(context.Background(), c, nil) {
		n++
		break
	}
	if n != 1 {
		t.Fatal("the walk went on after break")
	}
}

func TestProblemsAreErrors(t *testing.T) {
	c, err := lockscore.New(fakeAPI(t).URL, lockscore.WithAPIKey("lsk_test"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.ListLocksWithResponse(context.Background(), &lockscore.ListLocksParams{Cursor: lockscore.Ptr("stale")})
	err = lockscore.Check(r, err)
	var pe *lockscore.Error
	if !errors.As(err, &pe) || pe.StatusCode != 400 || pe.Problem.Type != "/problems/invalid-request" || pe.Problem.Errors[0].Field != "cursor" {
		t.Fatalf("got %v", err)
	}
	if !lockscore.IsStatus(err, 400) || lockscore.IsStatus(err, 404) {
		t.Fatal("IsStatus")
	}
	if want := "lockscore: 400 Invalid request: invalid query parameters; cursor: cursor is not valid"; err.Error() != want {
		t.Fatalf("message %q", err.Error())
	}
	// An error in the middle of a walk is yielded, and ends it.
	var walkErr error
	for _, err := range lockscore.Locks(context.Background(), c, &lockscore.ListLocksParams{Q: lockscore.Ptr("x")}) {
		walkErr = err
	}
	if walkErr != nil {
		t.Fatalf("a walk that succeeds yields no error: %v", walkErr)
	}
	ok, err := c.ListLocksWithResponse(context.Background(), nil)
	if lockscore.Check(ok, err) != nil {
		t.Fatal("a 200 is not an error")
	}
	if lockscore.Check(nil, errors.New("dial")) == nil {
		t.Fatal("a transport error is lost")
	}
}
