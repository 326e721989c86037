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
	ts  stampCache
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
	b = l.ts.append(b, time.Now())
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
	b = appendMillis(b, d.Microseconds())
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

// stampCache formats times as time.RFC3339Nano does (slog's JSON time),
// reusing the date, the time to the second and the zone, which change at
// most once a second, so a line formats only its fraction.
type stampCache struct {
	sec    int64
	loc    *time.Location
	prefix []byte // "2006-01-02T15:04:05"
	zone   []byte // "Z07:00"
}

func (c *stampCache) append(b []byte, t time.Time) []byte {
	sec := t.Unix()
	if y := t.Year(); y < 0 || y > 9999 {
		return t.AppendFormat(b, time.RFC3339Nano)
	}
	if c.prefix == nil || sec != c.sec || t.Location() != c.loc {
		// A zone's offset changes only at a whole second, so the second
		// and the location fix both parts.
		c.sec, c.loc = sec, t.Location()
		c.prefix = t.AppendFormat(c.prefix[:0], "2006-01-02T15:04:05")
		c.zone = t.AppendFormat(c.zone[:0], "Z07:00")
	}
	b = append(b, c.prefix...)
	if ns := t.Nanosecond(); ns != 0 {
		// ".999999999": nine digits, trailing zeros dropped.
		var f [10]byte
		f[0] = '.'
		for i := 9; i >= 1; i-- {
			f[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 10
		for f[n-1] == '0' {
			n--
		}
		b = append(b, f[:n]...)
	}
	return append(b, c.zone...)
}

// appendMillis appends us microseconds as milliseconds, as
// strconv.AppendFloat(b, float64(us)/1000, 'f', -1, 64) does: below 10^12
// µs the shortest decimal that round-trips is exactly us/1000 (at most 15
// significant digits), so integer arithmetic gives the same digits.
func appendMillis(b []byte, us int64) []byte {
	if us < 0 || us >= 1e12 {
		return strconv.AppendFloat(b, float64(us)/1000, 'f', -1, 64)
	}
	b = strconv.AppendInt(b, us/1000, 10)
	frac := us % 1000
	if frac == 0 {
		return b
	}
	d := [4]byte{'.', byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
	n := 4
	for d[n-1] == '0' {
		n--
	}
	return append(b, d[:n]...)
}
