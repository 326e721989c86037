package api

import (
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/jsonenc"
)

// jsonAccessLog writes the per-request access line in the same JSON shape
// slog's JSONHandler gives it, without slog's generic machinery: the line
// is written on every request, and formatting it through slog cost more
// than the rest of a cached response.
type jsonAccessLog struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

// WithJSONAccessLog makes the server write access lines straight to w (the
// same writer as its JSON logger) instead of through slog.
func WithJSONAccessLog(w io.Writer) Option {
	return func(s *Server) { s.access = &jsonAccessLog{w: w} }
}

// Option configures a Server.
type Option func(*Server)

func (l *jsonAccessLog) write(c echo.Context, level, route string, status int, d time.Duration) {
	req := c.Request()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buf[:0]
	b = append(b, `{"time":"`...)
	b = time.Now().AppendFormat(b, "2006-01-02T15:04:05.999999999Z07:00")
	b = append(b, `","level":"`...)
	b = append(b, level...)
	b = append(b, `","msg":"request","method":`...)
	b = jsonenc.AppendString(b, req.Method)
	b = append(b, `,"route":`...)
	b = jsonenc.AppendString(b, route)
	b = append(b, `,"path":`...)
	b = jsonenc.AppendString(b, req.URL.Path)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, `,"latency_ms":`...)
	b = strconv.AppendFloat(b, float64(d.Microseconds())/1000, 'f', -1, 64)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, c.Response().Size, 10)
	b = append(b, `,"request_id":`...)
	b = jsonenc.AppendString(b, requestID(c))
	b = append(b, `,"remote_ip":`...)
	b = jsonenc.AppendString(b, c.RealIP())
	b = append(b, `,"api_key":`...)
	b = jsonenc.AppendString(b, keyName(c))
	b = append(b, "}\n"...)
	l.buf = b
	_, _ = l.w.Write(b)
}
