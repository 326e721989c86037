package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/models"
)

const (
	// idempotencyKeep is how long the first answer to a key is kept.
	idempotencyKeep = 24 * time.Hour
	// idempotencyAbandoned is when a claim still in progress is taken to
	// belong to a server that stopped mid-request.
	idempotencyAbandoned = 5 * time.Minute
	maxIdempotencyKey    = 255
)

// idempotent makes an editing POST safe to retry: sent with an
// Idempotency-Key header, the first successful answer is stored for a day
// and every retry with the same key and request gets it again (with
// Idempotent-Replayed: true) instead of acting twice. The same key with a
// different request is a 422; a retry while the first is still running is
// a 409. A request that fails is not stored, so it can be retried as is.
// Keys belong to the API key that sent them. It runs after requireKey.
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
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		st := s.cat.Store()
		ctx := req.Context()
		hash := requestHash(req, body)
		rec, claimed, err := st.ClaimIdempotencyKey(ctx, keyName(c), key, hash, time.Now().UTC(), idempotencyKeep, idempotencyAbandoned)
		if err != nil {
			return err
		}
		if !claimed {
			return replay(c, &rec, hash)
		}
		// The answer is stored even if the client has gone: that is when it retries.
		ctx = context.WithoutCancel(ctx)
		tee := &teeWriter{ResponseWriter: c.Response().Writer}
		c.Response().Writer = tee
		err = next(c)
		c.Response().Writer = tee.ResponseWriter
		status := c.Response().Status
		if err != nil || status < 200 || status > 299 {
			// Not stored: the client may retry with the same key.
			if relErr := st.ReleaseIdempotencyKey(ctx, rec.ID); relErr != nil {
				s.log.Warn("idempotency key not released", "err", relErr, "request_id", requestID(c))
			}
			return err
		}
		h := c.Response().Header()
		if err := st.CompleteIdempotencyKey(ctx, rec.ID, status, h.Get(echo.HeaderContentType), h.Get("ETag"), h.Get(echo.HeaderLocation), tee.body.Bytes()); err != nil {
			// The write itself succeeded and was answered; a retry would see its effect.
			s.log.Warn("idempotency key not stored", "err", err, "request_id", requestID(c))
		}
		return nil
	}
}

// requestHash identifies the request a key was first used for.
func requestHash(req *http.Request, body []byte) string {
	h := sha256.New()
	for _, part := range []string{req.Method, req.URL.Path, req.URL.RawQuery, req.Header.Get(echo.HeaderContentType), req.Header.Get("If-Match")} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
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
