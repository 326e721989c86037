package api

import (
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
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
	b = appendJSONString(b, req.Method)
	b = append(b, `,"route":`...)
	b = appendJSONString(b, route)
	b = append(b, `,"path":`...)
	b = appendJSONString(b, req.URL.Path)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, `,"latency_ms":`...)
	b = strconv.AppendFloat(b, float64(d.Microseconds())/1000, 'f', -1, 64)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, c.Response().Size, 10)
	b = append(b, `,"request_id":`...)
	b = appendJSONString(b, requestID(c))
	b = append(b, `,"remote_ip":`...)
	b = appendJSONString(b, c.RealIP())
	b = append(b, `,"api_key":`...)
	b = appendJSONString(b, keyName(c))
	b = append(b, "}\n"...)
	l.buf = b
	_, _ = l.w.Write(b)
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s for JSON; the fields logged are ASCII in
// practice (methods, routes, ids), but a path may hold anything.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
