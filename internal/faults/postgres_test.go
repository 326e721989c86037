//go:build faults

package faults

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

const (
	pgPort   = 55432
	pgBin    = "/usr/lib/postgresql/15/bin"
	replicaA = 18084
	replicaB = 18085
)

// cluster is a private PostgreSQL cluster under a temporary directory,
// on its own port, so nothing else on the machine is disturbed.
type cluster struct {
	t   *testing.T
	dir string
	as  string // run PostgreSQL as this user (postgres when we are root)
}

func (c *cluster) run(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(pgBin, name), args...)
	if c.as != "" {
		all := append([]string{"-u", c.as, "--", filepath.Join(pgBin, name)}, args...)
		cmd = exec.Command("runuser", all...)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v\n%s", name, err, out)
	}
	return nil
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	if _, err := os.Stat(filepath.Join(pgBin, "initdb")); err != nil {
		t.Skip("no PostgreSQL 15 binaries in " + pgBin)
	}
	dir, err := os.MkdirTemp("", "lockscore-faults-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{t: t, dir: dir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root without a postgres user")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		c.as = "postgres"
	}
	t.Cleanup(func() {
		_ = c.run("pg_ctl", "-D", filepath.Join(dir, "data"), "-m", "immediate", "-w", "stop")
		os.RemoveAll(dir)
	})
	if err := c.run("initdb", "-D", filepath.Join(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
		t.Fatal(err)
	}
	c.start()
	if err := c.run("psql", "-h", "127.0.0.1", "-p", strconv.Itoa(pgPort), "-U", "postgres", "-q", "-c", "CREATE DATABASE lockscore"); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *cluster) start() {
	c.t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", pgPort, c.dir)
	if err := c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-o", opts, "-l", filepath.Join(c.dir, "log"), "-w", "start"); err != nil {
		c.t.Fatal(err)
	}
}

func (c *cluster) stop() {
	c.t.Helper()
	if err := c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "fast", "-w", "stop"); err != nil {
		c.t.Fatal(err)
	}
}

func (c *cluster) url() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/lockscore?sslmode=disable", pgPort)
}

// waitStatus polls url until it answers want, up to d; it returns how long that took.
func waitStatus(t *testing.T, url string, want int, d time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		code, _, _, _ := call(quick, "GET", url, "", nil)
		if code == want {
			return time.Since(start)
		}
		if time.Since(start) > d {
			t.Fatalf("%s: %d after %v, want %d", url, code, d, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// PostgreSQL stopped and started under two replicas: readiness goes 503
// and back, writes answer 503 with Retry-After: 1 meanwhile (reads from the
// snapshot keep working), and both recover without a restart.
func TestPostgresOutageUnderTwoReplicas(t *testing.T) {
	pg := newCluster(t)
	key := apiKey(t, pg.url(), "replicas")
	env := map[string]string{"LOCKSCORE_DATABASE_URL": pg.url(), "LOCKSCORE_REQUEST_TIMEOUT": "3s"}
	a := serve(t, replicaA, env)
	b := serve(t, replicaB, env)
	mustCall(t, 201, "POST", a.base+"/api/v1/locks", key, lock("pg-before"))

	outage := 10 * time.Second
	if testing.Short() {
		outage = 3 * time.Second
	}
	pg.stop()
	down := time.Now()
	for _, p := range []*proc{a, b} {
		waitStatus(t, p.base+"/readyz", 503, 5*time.Second)
		for _, req := range []struct{ method, path string }{{"POST", "/api/v1/locks"}, {"PATCH", "/api/v1/locks/pg-before"}, {"GET", "/api/v1/changes?since=0"}} {
			var body []byte
			if req.method == "POST" {
				body = lock("pg-during")
			} else if req.method == "PATCH" {
				body = []byte(`{"notes":"during"}`)
			}
			code, h, b, err := call(quick, req.method, p.base+req.path, key, body)
			if err != nil || code != 503 || h.Get("Retry-After") != "1" {
				t.Fatalf("%s %s while PostgreSQL is down: %d %v Retry-After %q: %.300s", req.method, req.path, code, err, h.Get("Retry-After"), b)
			}
		}
		mustCall(t, 200, "GET", p.base+"/api/v1/rankings", "", nil)
	}
	time.Sleep(time.Until(down.Add(outage)))
	pg.start()
	var back time.Duration
	for _, p := range []*proc{a, b} {
		back = max(back, waitStatus(t, p.base+"/readyz", 200, 20*time.Second))
	}
	mustCall(t, 201, "POST", a.base+"/api/v1/locks", key, lock("pg-after-a"))
	mustCall(t, 201, "POST", b.base+"/api/v1/locks", key, lock("pg-after-b"))
	waitStatus(t, b.base+"/api/v1/locks/pg-after-a", 200, 3*time.Second)
	waitStatus(t, a.base+"/api/v1/locks/pg-after-b", 200, 3*time.Second)
	for _, p := range []*proc{a, b} {
		select {
		case <-p.done:
			t.Fatal("a replica exited during the outage")
		default:
		}
	}
	figure(t, "PostgreSQL down %v under two replicas: readiness 503, writes 503 + Retry-After: 1, reads 200; ready again %v after the restart, no replica restarted", outage, back.Round(100*time.Millisecond))
}
