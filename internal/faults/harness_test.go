//go:build faults

package faults

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // PRAGMA integrity_check on the server's file
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lockscore-faults-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "lockscore")
	build := exec.Command("go", "build", "-tags", "faults", "-o", binary, ".")
	build.Dir = "../.."
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "faults: build:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// figure logs one measured figure for the README.
func figure(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Logf("FIGURE "+format, args...)
}

// proc is one lockscore serve process.
type proc struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
	logs *bytes.Buffer
	done chan struct{}
}

// serve starts lockscore serve on 127.0.0.1:port with env (LOCKSCORE_*)
// and waits until /healthz answers.
func serve(t *testing.T, port int, env map[string]string) *proc {
	t.Helper()
	cmd := exec.Command(binary, "serve")
	cmd.Env = append(os.Environ(), "LOCKSCORE_ADDR=127.0.0.1:"+strconv.Itoa(port), "LOCKSCORE_LOG_LEVEL=warn", "LOCKSCORE_SNAPSHOT_POLL=100ms")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &proc{t: t, cmd: cmd, base: "http://127.0.0.1:" + strconv.Itoa(port), logs: &bytes.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(p.kill)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if resp, err := quick.Get(p.base + "/healthz"); err == nil {
			resp.Body.Close()
			return p
		}
		select {
		case <-p.done:
			t.Fatalf("server on %d exited:\n%s", port, p.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server on %d did not start:\n%s", port, p.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *proc) kill() {
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-p.done
}

// wait waits up to d for the process to end by itself, reporting whether it did.
func (p *proc) wait(d time.Duration) bool {
	select {
	case <-p.done:
		return true
	case <-time.After(d):
		return false
	}
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// status reads a field of /proc/PID/status in kB (VmRSS, VmHWM).
func (p *proc) status(field string) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid()))
	if err != nil {
		return -1
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == field+":" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return -1
}

func (p *proc) fds() int {
	es, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", p.pid()))
	return len(es)
}

var quick = &http.Client{Timeout: 5 * time.Second}

// apiKey makes a write key in the database at dbURL.
func apiKey(t *testing.T, dbURL, name string) string {
	t.Helper()
	cmd := exec.Command(binary, "apikey", "create", "--name", name, "--scope", "write")
	cmd.Env = append(os.Environ(), "LOCKSCORE_DATABASE_URL="+dbURL)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("apikey create: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// call sends one request; headers are "Name: value".
func call(c *http.Client, method, url, key string, body []byte, headers ...string) (int, http.Header, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, err
}

func mustCall(t *testing.T, want int, method, url, key string, body []byte, headers ...string) (http.Header, []byte) {
	t.Helper()
	code, h, b, err := call(quick, method, url, key, body, headers...)
	if err != nil || code != want {
		t.Fatalf("%s %s: %d %v, want %d: %.400s", method, url, code, err, want, b)
	}
	return h, b
}

func lock(slug string) []byte {
	b, _ := json.Marshal(map[string]any{
		"slug": slug, "brand": "Faultbrand", "model": "Model " + slug, "markets": []string{"UK"}, "form_factor": "deadbolt",
		"door_types": []string{"us_deadbolt"}, "status": "current", "data_confidence": "low",
		"key_override": "independent", "keypad": true, "interior_egress": "mechanical",
		"sources": []map[string]any{{"url": "https://example.com/" + slug, "title": "Example", "supports": []string{"key_override"}}},
	})
	return b
}

// sqliteCheck opens the server's SQLite file (the server stopped) and
// returns PRAGMA integrity_check and the count of lock models whose slug
// starts with prefix.
func sqliteCheck(t *testing.T, path, prefix string) (string, int) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM lock_models WHERE slug LIKE ?", prefix+"%").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return ok, n
}

// dialer dials from a given loopback source address.
func dialer(local string) *net.Dialer {
	return &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 3 * time.Second}
}
