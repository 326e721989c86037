package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/models"
)

const (
	// idempotencyKeep is how long the first answer to a key is kept.
	idempotencyKeep   = 24 * time.Hour
	maxIdempotencyKey = 255
	// spoolAbove is the body size above which an idempotent request's body
	// waits in a temporary file rather than in memory (an import's).
	spoolAbove = 1 << 20
)

// idempotent makes an editing POST safe to retry: sent with an
// Idempotency-Key header, the first successful answer is stored for a day
// and every retry with the same key and request gets it again (with
// Idempotent-Replayed: true) instead of acting twice. The same key with a
// different request is a 422; a retry while the first is still running is
// a 409. A request that fails is not stored, so it can be retried as is.
// Keys belong to the API key that sent them. It runs after requireKey.
//
// The answer is stored in the write's own transaction (store.Claim), so a
// crash leaves either nothing, and the retry runs the request, or the
// write with its answer, and the retry replays it. A claim whose server
// died is taken over once the request could no longer be running (the
// request timeout and a margin), never later.
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		key := req.Header.Get("Idempotency-Key")
		if key == "" {
			return next(c)
		}
		if len(key) > maxIdempotencyKey || !visibleASCII(key) {
			return models.Invalid("invalid Idempotency-Key", []models.FieldError{{Field: "Idempotency-Key", Message: "must be 1 to 255 visible ASCII characters, e.g. a UUID"}})
		}
		hash, body, err := hashRequest(req)
		if err != nil {
			return err
		}
		defer body.Close()
		req.Body = body
		st := s.cat.Store()
		ctx := req.Context()
		lease := s.cfg.RequestTimeout + 5*time.Second
		rec, claimed, err := st.ClaimIdempotencyKey(ctx, keyName(c), key, hash, time.Now().UTC(), idempotencyKeep, lease)
		if err != nil {
			return err
		}
		if !claimed {
			return replay(c, &rec, hash)
		}
		claim := &store.Claim{ID: rec.ID}
		c.SetRequest(req.WithContext(store.WithClaim(ctx, claim)))
		// Releasing or storing goes on even if the client has gone: that is when it retries.
		bg := context.WithoutCancel(ctx)
		faultpoint("after-claim")
		c.Response().Before(func() { faultpoint("before-answer") })
		tee := &teeWriter{ResponseWriter: c.Response().Writer}
		c.Response().Writer = tee
		err = next(c)
		c.Response().Writer = tee.ResponseWriter
		status := c.Response().Status
		if err != nil || status < 200 || status > 299 {
			// Not stored: the client may retry with the same key.
			if relErr := st.ReleaseIdempotencyKey(bg, rec.ID); relErr != nil {
				s.log.Warn("idempotency key not released", "err", relErr, "request_id", requestID(c))
			}
			return err
		}
		if claim.Answered != nil {
			return nil // stored with the write
		}
		// The request wrote nothing (a dry run): store its answer now.
		h := c.Response().Header()
		ans := store.Answer{Status: status, ContentType: h.Get(echo.HeaderContentType), ETag: h.Get("ETag"), Location: h.Get(echo.HeaderLocation), Body: tee.body.Bytes()}
		if err := st.CompleteIdempotencyKey(bg, rec.ID, ans); err != nil {
			s.log.Warn("idempotency key not stored", "err", err, "request_id", requestID(c))
		}
		return nil
	}
}

// answerWith makes the handler's write store its answer in its own
// transaction when the request holds an idempotency claim: status, the
// JSON of the write's result, its ETag when it is a lock model, and
// location. It returns the context for the write.
func answerWith(c echo.Context, status int, location string) context.Context {
	ctx := c.Request().Context()
	if claim := store.ClaimFrom(ctx); claim != nil {
		claim.Render = func(result any) (store.Answer, error) {
			b, err := json.Marshal(result)
			if err != nil {
				return store.Answer{}, err
			}
			a := store.Answer{Status: status, ContentType: echo.MIMEApplicationJSON, Location: location, Body: append(b, '\n')}
			if lr, ok := result.(catalogue.LockRecord); ok {
				a.ETag = catalogue.ETag(lr.Version)
			}
			return a, nil
		}
	}
	return ctx
}

// sendAnswer sends a write's result: the very bytes stored with the write
// when the request is idempotent, else as sendWrite does.
func sendAnswer(c echo.Context, status int, etag string, v any) error {
	if claim := store.ClaimFrom(c.Request().Context()); claim != nil && claim.Answered != nil {
		a := claim.Answered
		h := c.Response().Header()
		h.Set("Cache-Control", "no-store")
		if a.ETag != "" {
			h.Set("ETag", a.ETag)
		}
		if a.Location != "" {
			h.Set(echo.HeaderLocation, a.Location)
		}
		return c.Blob(a.Status, a.ContentType, a.Body)
	}
	return sendWrite(c, status, etag, v)
}

// hashRequest identifies the request a key was first used for, and
// returns its body to read again: in memory, or in a temporary file when
// larger than spoolAbove.
func hashRequest(req *http.Request) (string, io.ReadCloser, error) {
	h := sha256.New()
	for _, part := range []string{req.Method, req.URL.Path, req.URL.RawQuery, req.Header.Get(echo.HeaderContentType), req.Header.Get("If-Match")} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	var buf bytes.Buffer
	n, err := io.CopyN(io.MultiWriter(&buf, h), req.Body, spoolAbove+1)
	if err != nil && err != io.EOF {
		return "", nil, err
	}
	if n <= spoolAbove {
		return hex.EncodeToString(h.Sum(nil)), io.NopCloser(&buf), nil
	}
	f, err := os.CreateTemp("", "lockscore-body-*")
	if err != nil {
		return "", nil, err
	}
	spool := &spooled{File: f}
	if _, err := io.Copy(io.MultiWriter(f, h), io.MultiReader(&buf, req.Body)); err != nil {
		spool.Close()
		return "", nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		spool.Close()
		return "", nil, err
	}
	return hex.EncodeToString(h.Sum(nil)), spool, nil
}

// spooled is a body in a temporary file, removed when closed.
type spooled struct{ *os.File }

func (s *spooled) Close() error {
	err := s.File.Close()
	_ = os.Remove(s.File.Name())
	return err
}

func replay(c echo.Context, rec *models.IdempotencyKey, hash string) error {
	switch {
	case rec.RequestHash != hash:
		return &models.Error{Kind: models.KindUnprocessable, Message: "this Idempotency-Key was used for a different request; use a new key for a new request",
			Fields: []models.FieldError{{Field: "Idempotency-Key", Message: "already used for a different request"}}}
	case rec.Status == 0:
		return &models.Error{Kind: models.KindConflict, Message: "a request with this Idempotency-Key is still in progress; retry later",
			Fields: []models.FieldError{{Field: "Idempotency-Key", Message: "in progress"}}}
	}
	h := c.Response().Header()
	h.Set("Idempotent-Replayed", "true")
	h.Set("Cache-Control", "no-store")
	if rec.ETag != "" {
		h.Set("ETag", rec.ETag)
	}
	if rec.Location != "" {
		h.Set(echo.HeaderLocation, rec.Location)
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(rec.Body)))
	return c.Blob(rec.Status, rec.ContentType, []byte(rec.Body))
}

// teeWriter keeps a copy of the response body as it is written.
type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *teeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *teeWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func visibleASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
