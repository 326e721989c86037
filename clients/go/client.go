package lockscore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"reflect"
	"strings"
)

// New returns a client of the lockscore API at server, e.g.
// "https://lockscore.example.com". Options are the generated ones
// (WithHTTPClient, WithRequestEditorFn) and WithAPIKey.
func New(server string, opts ...ClientOption) (*ClientWithResponses, error) {
	return NewClientWithResponses(server, opts...)
}

// WithAPIKey sends key as "Authorization: Bearer KEY" on every request;
// only catalogue edits need one.
func WithAPIKey(key string) ClientOption {
	return WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+key)
		return nil
	})
}

// Error is an answer of the API that is not a success: its RFC 9457
// problem details, whose Type URL explains it (GET it from the server).
type Error struct {
	StatusCode int
	Problem    Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "lockscore: %d %s: %s", e.StatusCode, e.Problem.Title, e.Problem.Detail)
	for _, f := range e.Problem.Errors {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	return b.String()
}

// IsStatus reports whether err is an *Error with that HTTP status.
func IsStatus(err error, status int) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == status
}

// Response is what every generated ...WithResponse method returns.
type Response interface {
	StatusCode() int
}

// Check turns a generated call's result into one error: the transport
// error, or an *Error for any 4xx or 5xx answer (nil for 2xx and 304).
//
//	r, err := c.GetLockWithResponse(ctx, "yale-conexis-l2")
//	if err := lockscore.Check(r, err); err != nil { ... }
func Check(r Response, err error) error {
	if err != nil {
		return err
	}
	if v := reflect.ValueOf(r); !v.IsValid() || v.Kind() == reflect.Pointer && v.IsNil() {
		return errors.New("lockscore: no response")
	}
	status := r.StatusCode()
	if status < 400 {
		return nil
	}
	e := &Error{StatusCode: status}
	if body := bodyOf(r); len(body) == 0 || json.Unmarshal(body, &e.Problem) != nil {
		e.Problem = Problem{Status: status, Title: http.StatusText(status), Detail: strings.TrimSpace(string(body))}
	}
	return e
}

// bodyOf returns the raw body every generated response type keeps in its Body field.
func bodyOf(r Response) []byte {
	v := reflect.Indirect(reflect.ValueOf(r))
	if v.Kind() != reflect.Struct {
		return nil
	}
	f := v.FieldByName("Body")
	if !f.IsValid() || f.Kind() != reflect.Slice || f.Type().Elem().Kind() != reflect.Uint8 {
		return nil
	}
	return f.Bytes()
}

// Pages walks a keyset-paged list: fetch gets the page after cursor (nil
// for the first) and returns its items and next cursor. Each item is
// yielded once; the walk stops at the last page, at the first error
// (yielded), or when the loop breaks.
func Pages[T any](ctx context.Context, fetch func(ctx context.Context, cursor *string) ([]T, *string, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var cursor *string
		for {
			items, next, err := fetch(ctx, cursor)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if next == nil || *next == "" {
				return
			}
			cursor = next
		}
	}
}

// Locks walks every lock model that params select, page after page
// (params.Cursor is managed by the walk).
//
//	for lock, err := range lockscore.Locks(ctx, c, &lockscore.ListLocksParams{Q: lockscore.Ptr("yale")}) { ... }
func Locks(ctx context.Context, c ClientWithResponsesInterface, params *ListLocksParams) iter.Seq2[LockListItem, error] {
	p := ListLocksParams{}
	if params != nil {
		p = *params
	}
	return Pages(ctx, func(ctx context.Context, cursor *string) ([]LockListItem, *string, error) {
		p.Cursor = cursor
		r, err := c.ListLocksWithResponse(ctx, &p)
		if err := Check(r, err); err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, fmt.Errorf("lockscore: list locks: unexpected %s answer", r.HTTPResponse.Header.Get("Content-Type"))
		}
		return r.JSON200.Items, r.JSON200.NextCursor, nil
	})
}

// Rankings walks every row of the ranking for the context in params, page
// after page (params.Cursor is managed by the walk).
func Rankings(ctx context.Context, c ClientWithResponsesInterface, params *GetRankingsParams) iter.Seq2[RankingRow, error] {
	p := GetRankingsParams{}
	if params != nil {
		p = *params
	}
	return Pages(ctx, func(ctx context.Context, cursor *string) ([]RankingRow, *string, error) {
		p.Cursor = cursor
		r, err := c.GetRankingsWithResponse(ctx, &p)
		if err := Check(r, err); err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, fmt.Errorf("lockscore: rankings: unexpected %s answer", r.HTTPResponse.Header.Get("Content-Type"))
		}
		return r.JSON200.Items, r.JSON200.NextCursor, nil
	})
}

// Ptr returns a pointer to v, for the optional fields and parameters.
func Ptr[T any](v T) *T { return &v }
