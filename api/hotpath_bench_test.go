package api_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/api"
	"github.com/lockscore/lockscore/internal/apikeys"
	"github.com/lockscore/lockscore/internal/config"
	"github.com/lockscore/lockscore/internal/testutil"
)

// loadtestServer is lockscore wired as the load harness runs it: rate
// limiting off, the JSON access log written straight to w.
func loadtestServer(tb testing.TB, w io.Writer, opts ...option) *api.Server {
	tb.Helper()
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.RateLimitRPS = 0
	for _, o := range opts {
		o(&cfg)
	}
	svc := testutil.Catalogue(tb, testutil.Engines(tb)[0].DSN(tb), true)
	log := slog.New(slog.NewJSONHandler(w, nil))
	return api.New(cfg, svc, apikeys.New(svc.Store()), log, api.WithJSONAccessLog(w))
}

// serveLoopback serves h on a loopback port until the test ends.
func serveLoopback(tb testing.TB, h http.Handler) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	tb.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// rawClient speaks HTTP/1.1 over one kept-alive connection with as little
// work of its own as it can, as wrk does, so the server's cost dominates.
type rawClient struct {
	c   net.Conn
	r   *bufio.Reader
	req []byte
}

func dialRaw(tb testing.TB, addr, path string) *rawClient {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	return &rawClient{c: c, r: bufio.NewReaderSize(c, 64<<10), req: []byte("GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\n\r\n")}
}

// do sends the request and reads the answer, returning its status and body size.
func (rc *rawClient) do() (status, n int, err error) {
	if _, err = rc.c.Write(rc.req); err != nil {
		return
	}
	line, err := rc.r.ReadSlice('\n')
	if err != nil {
		return
	}
	if len(line) < 12 {
		return 0, 0, fmt.Errorf("bad status line %q", line)
	}
	status, _ = strconv.Atoi(string(line[9:12]))
	length, chunked := -1, false
	for {
		line, err = rc.r.ReadSlice('\n')
		if err != nil {
			return
		}
		if len(line) <= 2 {
			break
		}
		if k, v, ok := bytes.Cut(line, []byte(": ")); ok {
			switch string(k) {
			case "Content-Length":
				length, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
			case "Transfer-Encoding":
				chunked = true
			}
		}
	}
	if !chunked {
		_, err = rc.r.Discard(length)
		return status, length, err
	}
	for {
		line, err = rc.r.ReadSlice('\n')
		if err != nil {
			return
		}
		size, perr := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
		if perr != nil {
			return 0, 0, perr
		}
		if _, err = rc.r.Discard(int(size) + 2); err != nil {
			return
		}
		if size == 0 {
			return status, n, nil
		}
		n += int(size)
	}
}

// benchLoopback drives addr with conns kept-alive connections from the
// benchmark's goroutines, the way the load harness's wrk does.
func benchLoopback(b *testing.B, addr, path string, conns int) {
	var mu sync.Mutex
	var clients []*rawClient
	for range conns {
		clients = append(clients, dialRaw(b, addr, path))
	}
	b.Cleanup(func() {
		for _, c := range clients {
			c.c.Close()
		}
	})
	b.SetParallelism((conns + 1) / 2)
	b.ReportAllocs()
	cpu0 := processCPU()
	defer func() { b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op") }()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		mu.Lock()
		rc := clients[0]
		clients = clients[1:]
		mu.Unlock()
		defer func() { mu.Lock(); clients = append(clients, rc); mu.Unlock() }()
		for pb.Next() {
			if st, _, err := rc.do(); err != nil || st != 200 {
				b.Errorf("status %d, %v", st, err)
				return
			}
		}
	})
}

// processCPU is the process's user and system CPU time in ns: on a shared
// machine, CPU per request varies less than wall time per request.
func processCPU() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkServeCachedRankingLoopback is scenario 1 through a real
// net/http server over loopback: unlike e.ServeHTTP it pays net/http's
// header cloning, sorting and writing, and the socket. Compare its ns/op
// with BenchmarkServeCachedRankingLoopbackBaseline's: their ratio is the
// load harness's ratio in miniature.
func BenchmarkServeCachedRankingLoopback(b *testing.B) {
	srv := loadtestServer(b, io.Discard)
	benchLoopback(b, serveLoopback(b, srv.Echo()), "/api/v1/rankings?limit=20", 8)
}

// BenchmarkServeCachedRankingLoopbackBaseline is internal/loadtest/baseline
// in-process: bare Echo writing lockscore's exact bytes.
func BenchmarkServeCachedRankingLoopbackBaseline(b *testing.B) {
	srv := loadtestServer(b, io.Discard)
	addr := serveLoopback(b, srv.Echo())
	rc := dialRaw(b, addr, "/api/v1/rankings?limit=20")
	body := fetchBody(b, addr, "/api/v1/rankings?limit=20")
	rc.c.Close()
	e := echo.New()
	h := func(c echo.Context) error { return c.Blob(200, "application/json", body) }
	e.GET("/*", h)
	benchLoopback(b, serveLoopback(b, e), "/api/v1/rankings?limit=20", 8)
}

func fetchBody(tb testing.TB, addr, path string) []byte {
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// nullWriter is a ResponseWriter that keeps only the status, so the
// in-process benchmark measures the server and not a recorder.
type nullWriter struct {
	h      http.Header
	status int
}

func (w *nullWriter) Header() http.Header         { return w.h }
func (w *nullWriter) WriteHeader(s int)           { w.status = s }
func (w *nullWriter) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkServeCachedRankingLoadtest is scenario 1 through e.ServeHTTP
// with the load harness's configuration (no rate limit, the JSON access
// log) and a writer that costs nothing, so allocations are the server's.
func BenchmarkServeCachedRankingLoadtest(b *testing.B) {
	srv := loadtestServer(b, io.Discard)
	e := srv.Echo()
	req, _ := http.NewRequest("GET", "/api/v1/rankings?limit=20", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	req.Host = "127.0.0.1:18190"
	w := &nullWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		e.ServeHTTP(w, req)
		if w.status != 200 {
			b.Fatal(w.status)
		}
	}
}

// memConn is a connection that holds n copies of one request and throws
// its answers away: net/http serves it exactly as a socket, on one
// goroutine and without system calls, so the time (and the instruction
// count, under callgrind) is the server's own work per request.
type memConn struct {
	mu      sync.Mutex
	req     []byte
	left    int
	off     int
	written int64
	done    chan struct{}
	once    sync.Once
}

func (c *memConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.off == len(c.req) {
		if c.left == 0 {
			return 0, io.EOF
		}
		c.left--
		c.off = 0
	}
	n := copy(p, c.req[c.off:])
	c.off += n
	return n, nil
}

func (c *memConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.written += int64(len(p))
	c.mu.Unlock()
	return len(p), nil
}

func (c *memConn) Close() error                       { c.once.Do(func() { close(c.done) }); return nil }
func (c *memConn) LocalAddr() net.Addr                { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 18190} }
func (c *memConn) RemoteAddr() net.Addr               { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000} }
func (c *memConn) SetDeadline(t time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(t time.Time) error { return nil }

// oneConnListener hands out one connection, then waits to be closed.
type oneConnListener struct {
	c      net.Conn
	handed bool
	closed chan struct{}
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	if !l.handed {
		l.handed = true
		return l.c, nil
	}
	<-l.closed
	return nil, net.ErrClosed
}
func (l *oneConnListener) Close() error   { return nil }
func (l *oneConnListener) Addr() net.Addr { return l.c.LocalAddr() }

// benchMemConn serves b.N requests for path on one kept-alive memConn
// through a net/http server with srv's timeouts and h as its handler.
func benchMemConn(b *testing.B, srv *http.Server, h http.Handler, path string) {
	b.ReportAllocs()
	conn := &memConn{req: []byte("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:18190\r\n\r\n"), left: b.N, done: make(chan struct{})}
	conn.off = len(conn.req)
	ln := &oneConnListener{c: conn, closed: make(chan struct{})}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: srv.ReadHeaderTimeout, ReadTimeout: srv.ReadTimeout, WriteTimeout: srv.WriteTimeout, IdleTimeout: srv.IdleTimeout}
	b.ResetTimer()
	go func() { _ = hs.Serve(ln) }()
	<-conn.done
	b.StopTimer()
	close(ln.closed)
	_ = hs.Close()
	if conn.written < int64(b.N)*1000 {
		b.Fatalf("%d bytes written for %d requests", conn.written, b.N)
	}
}

// BenchmarkServeCachedRankingMemConn is scenario 1 through net/http's
// whole server path (request parsing, header cloning, sorting, writing)
// without the socket: the server's CPU per request.
func BenchmarkServeCachedRankingMemConn(b *testing.B) {
	srv := loadtestServer(b, io.Discard)
	benchMemConn(b, srv.Echo().Server, srv.Echo(), "/api/v1/rankings?limit=20")
}

// BenchmarkServeCachedRankingMemConnBaseline is the same for bare Echo
// writing lockscore's bytes (internal/loadtest/baseline: no timeouts).
func BenchmarkServeCachedRankingMemConnBaseline(b *testing.B) {
	srv := loadtestServer(b, io.Discard)
	addr := serveLoopback(b, srv.Echo())
	body := fetchBody(b, addr, "/api/v1/rankings?limit=20")
	e := echo.New()
	e.GET("/*", func(c echo.Context) error { return c.Blob(200, "application/json", body) })
	benchMemConn(b, &http.Server{}, e, "/api/v1/rankings?limit=20")
}
