// Command loadtest is the performance harness of BENCHMARKS.md. It builds
// lockscore and a bare-Echo baseline, loads synthetic catalogues, drives each
// scenario with wrk on loopback for a fixed time, and prints throughput and
// latency with each scenario's ratio to the baseline serving the same bytes.
// Run it through scripts/bench.sh.
package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/lockscore/lockscore/internal/synth"
	"github.com/lockscore/lockscore/seed"
)

var (
	duration    = flag.Duration("duration", 8*time.Second, "how long wrk drives each scenario")
	connections = flag.Int("connections", 32, "wrk connections")
	small       = flag.Int("n", 10_000, "catalogue size for scenarios 1, 4 and 6")
	large       = flag.Int("n-large", 100_000, "catalogue size for scenarios 2, 3 and 5")
	pgURL       = flag.String("postgres", os.Getenv("LOCKSCORE_BENCH_POSTGRES_URL"), "PostgreSQL server URL for scenario 6 (a database lockscore_bench is created)")
	outDir      = flag.String("out", "bench-results", "where profiles and the report go")
)

type result struct {
	name, target     string
	rps, p50, p99    float64 // requests/s, ms
	baseRPS          float64
	baseP50, baseP99 float64
	note             string
}

var results []result
var work string

func main() {
	flag.Parse()
	start := time.Now()
	var err error
	work, err = os.MkdirTemp("", "lockscore-bench-")
	check(err)
	defer os.RemoveAll(work)
	check(os.MkdirAll(*outDir, 0o755))
	step("building lockscore and the baseline")
	run("go", "build", "-o", filepath.Join(work, "lockscore"), ".")
	run("go", "build", "-o", filepath.Join(work, "baseline"), "./internal/loadtest/baseline")
	sample, err := seed.Records()
	check(err)
	gen := synth.New(sample)

	// Scenario 5, then 2 and 3, on the large catalogue.
	large5(gen)
	// Scenarios 1 and 4 on the small catalogue, with the baseline and a profile.
	small14(gen)
	// Scenario 6 on PostgreSQL.
	replicas6(gen)

	report(time.Since(start))
}

func step(s string) { fmt.Fprintf(os.Stderr, "\n== %s\n", s) }

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(name string, args ...string) string {
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	check(err)
	return string(out)
}

// server is a running lockscore process.
type server struct {
	cmd  *exec.Cmd
	base string
	db   string
	log  string
}

func startServer(port int, db string, extra ...string) (*server, time.Duration) {
	logPath := filepath.Join(work, fmt.Sprintf("server-%d.log", port))
	logf, err := os.Create(logPath)
	check(err)
	cmd := exec.Command(filepath.Join(work, "lockscore"), "serve")
	cmd.Env = append(os.Environ(), "LOCKSCORE_ADDR=127.0.0.1:"+strconv.Itoa(port), "LOCKSCORE_DATABASE_URL="+db,
		"LOCKSCORE_RATE_LIMIT_RPS=0", "LOCKSCORE_IMPORT_BODY_LIMIT=1GiB", "LOCKSCORE_SNAPSHOT_POLL=200ms")
	cmd.Env = append(cmd.Env, extra...)
	cmd.Stdout, cmd.Stderr = logf, logf
	t0 := time.Now()
	check(cmd.Start())
	s := &server{cmd: cmd, base: "http://127.0.0.1:" + strconv.Itoa(port), db: db, log: logPath}
	for {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s, time.Since(t0)
			}
		}
		if time.Since(t0) > 2*time.Minute {
			check(fmt.Errorf("server on %d did not become ready; see %s", port, logPath))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	_ = s.cmd.Wait()
}

// rssMB reads the process's resident memory.
func (s *server) rssMB() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	m := regexp.MustCompile(`VmRSS:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	kb, _ := strconv.Atoi(string(m[1]))
	return float64(kb) / 1024
}

func apiKey(db string) string {
	return strings.TrimSpace(run(filepath.Join(work, "lockscore"), "apikey", "create", "--name", fmt.Sprintf("bench-%d", time.Now().UnixNano()), "--scope", "write", "--database-url", db))
}

func importCatalogue(s *server, key string, gen *synth.Generator, n int) time.Duration {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i := 0; i < n; i++ {
		if i > 0 {
			buf.WriteByte(',')
		}
		b, _ := json.Marshal(gen.Record(1, i))
		buf.Write(b)
	}
	buf.WriteByte(']')
	req, _ := http.NewRequest("POST", s.base+"/api/v1/locks/import", &buf)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	t0 := time.Now()
	resp, err := (&http.Client{Timeout: 10 * time.Minute}).Do(req)
	check(err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(t0)
	if resp.StatusCode != 200 {
		check(fmt.Errorf("import: %d %s", resp.StatusCode, body[:min(len(body), 500)]))
	}
	return d
}

func get(u string) ([]byte, string) {
	resp, err := http.Get(u)
	check(err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		check(fmt.Errorf("GET %s: %d %s", u, resp.StatusCode, b))
	}
	return b, resp.Header.Get("Content-Type")
}

func patch(s *server, key, slug, body string) {
	req, _ := http.NewRequest("PATCH", s.base+"/api/v1/locks/"+slug, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	check(err)
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		check(fmt.Errorf("PATCH %s: %d", slug, resp.StatusCode))
	}
}

var (
	rpsRE = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	latRE = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([\d.]+)(us|ms|s)`)
	errRE = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

// wrk drives url (a POST with body when body != "") and returns requests/s, p50 and p99 in ms.
func wrk(target, body string, conns int) (float64, float64, float64) {
	args := []string{"-t2", "-c" + strconv.Itoa(conns), "-d" + duration.String(), "--latency"}
	if body != "" {
		script := filepath.Join(work, "post.lua")
		check(os.WriteFile(script, []byte(fmt.Sprintf("wrk.method = \"POST\"\nwrk.body = %q\nwrk.headers[\"Content-Type\"] = \"application/json\"\n", body)), 0o644))
		args = append(args, "-s", script)
	}
	out := run("wrk", append(args, target)...)
	if m := errRE.FindStringSubmatch(out); m != nil {
		check(fmt.Errorf("wrk %s: %s non-2xx responses\n%s", target, m[1], out))
	}
	m := rpsRE.FindStringSubmatch(out)
	if m == nil {
		check(fmt.Errorf("wrk output: %s", out))
	}
	rps, _ := strconv.ParseFloat(m[1], 64)
	var p50, p99 float64
	for _, l := range latRE.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(l[2], 64)
		switch l[3] {
		case "us":
			v /= 1000
		case "s":
			v *= 1000
		}
		if l[1] == "50" {
			p50 = v
		} else {
			p99 = v
		}
	}
	return rps, p50, p99
}

// baseline serves the exact bytes of target (from lockscore) and measures them.
func baseline(target, body string) (float64, float64, float64) {
	var resp []byte
	var ct string
	if body == "" {
		resp, ct = get(target)
	} else {
		r, err := http.Post(target, "application/json", strings.NewReader(body))
		check(err)
		resp, _ = io.ReadAll(r.Body)
		r.Body.Close()
		ct = r.Header.Get("Content-Type")
	}
	f := filepath.Join(work, "baseline-body")
	check(os.WriteFile(f, resp, 0o644))
	cmd := exec.Command(filepath.Join(work, "baseline"), "-addr", "127.0.0.1:18999", "-body", f, "-content-type", ct)
	check(cmd.Start())
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	u, _ := url.Parse(target)
	u.Host = "127.0.0.1:18999"
	for i := 0; i < 200; i++ {
		if c, err := http.Get("http://127.0.0.1:18999/up"); err == nil {
			c.Body.Close()
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	return wrk(u.String(), body, *connections)
}

func large5(gen *synth.Generator) {
	step(fmt.Sprintf("scenario 5: import %d models through POST /api/v1/locks/import on SQLite", *large))
	db := filepath.Join(work, "large.db")
	s, _ := startServer(18101, db)
	key := apiKey(db)
	took := importCatalogue(s, key, gen, *large)
	s.stop()
	s, startup := startServer(18101, db)
	time.Sleep(2 * time.Second) // let the GC settle
	rss := s.rssMB()
	results = append(results, result{name: "5 import", note: fmt.Sprintf("import %.1f s; start-up with %d models %.2f s; RSS after start %.0f MB", took.Seconds(), *large, startup.Seconds(), rss)})

	step("scenario 2: ranking for a context over the large catalogue")
	target := s.base + "/api/v1/rankings?door_type=uk_multipoint&other_keyed_door=true&occupants=lives_alone&limit=20"
	var firsts []float64
	for i := 0; i < 7; i++ {
		patch(s, key, fmt.Sprintf("synthetic-%07d", i*997), fmt.Sprintf(`{"notes":"bench change %d"}`, i))
		t0 := time.Now()
		get(target)
		firsts = append(firsts, float64(time.Since(t0).Microseconds())/1000)
	}
	sort.Float64s(firsts)
	rps, p50, p99 := wrk(target, "", *connections)
	brps, bp50, bp99 := baseline(target, "")
	results = append(results, result{name: "2 ranking in context", target: target, rps: rps, p50: p50, p99: p99, baseRPS: brps, baseP50: bp50, baseP99: bp99,
		note: fmt.Sprintf("first request after a change: median %.1f ms, max %.1f ms (7 changes)", firsts[len(firsts)/2], firsts[len(firsts)-1])})

	step("scenario 3: /locks with two filters, a sort and a cursor")
	first, _ := get(s.base + "/api/v1/locks?market=UK&key_override=independent&sort=brand&limit=20")
	var page struct {
		NextCursor string `json:"next_cursor"`
	}
	check(json.Unmarshal(first, &page))
	target = s.base + "/api/v1/locks?market=UK&key_override=independent&sort=brand&limit=20&cursor=" + url.QueryEscape(page.NextCursor)
	rps, p50, p99 = wrk(target, "", *connections)
	brps, bp50, bp99 = baseline(target, "")
	results = append(results, result{name: "3 locks filtered+sorted+cursor", target: target, rps: rps, p50: p50, p99: p99, baseRPS: brps, baseP50: bp50, baseP99: bp99,
		note: fmt.Sprintf("RSS after the load %.0f MB", s.rssMB())})
	s.stop()
	latencyOneCore("3 locks, server on 1 core", db, 18106, strings.Replace(target, s.base, "", 1))
}

// latencyOneCore repeats a scenario with the server held to one core
// (GOMAXPROCS=1), leaving the other to wrk: on a 2-core machine that shared
// between server and load generator, this separates the server's own
// latency from time spent waiting for a core.
func latencyOneCore(name, db string, port int, path string) {
	step(name)
	s, _ := startServer(port, db, "GOMAXPROCS=1")
	defer s.stop()
	get(s.base + path) // warm the response cache
	rps, p50, p99 := wrk(s.base+path, "", *connections)
	results = append(results, result{name: name, target: path, rps: rps, p50: p50, p99: p99, note: "server GOMAXPROCS=1"})
}

func small14(gen *synth.Generator) {
	step(fmt.Sprintf("scenarios 1 and 4 on %d models", *small))
	db := filepath.Join(work, "small.db")
	s, _ := startServer(18102, db, "LOCKSCORE_DEBUG_ADDR=127.0.0.1:18103")
	importCatalogue(s, apiKey(db), gen, *small)
	target := s.base + "/api/v1/rankings?limit=20"
	rps, p50, p99 := wrk(target, "", *connections)
	brps, bp50, bp99 := baseline(target, "")
	results = append(results, result{name: "1 ranking, no context", target: target, rps: rps, p50: p50, p99: p99, baseRPS: brps, baseP50: bp50, baseP99: bp99})

	step("CPU profile of scenario 1")
	prof := filepath.Join(*outDir, "cpu-scenario1.pprof")
	done := make(chan struct{})
	go func() {
		defer close(done)
		resp, err := http.Get("http://127.0.0.1:18103/debug/pprof/profile?seconds=" + strconv.Itoa(int(duration.Seconds())-1))
		check(err)
		defer resp.Body.Close()
		f, err := os.Create(prof)
		check(err)
		_, _ = io.Copy(f, resp.Body)
		f.Close()
	}()
	wrk(target, "", *connections)
	<-done
	top := run("go", "tool", "pprof", "-top", "-nodecount=25", filepath.Join(work, "lockscore"), prof)
	check(os.WriteFile(filepath.Join(*outDir, "cpu-scenario1.txt"), []byte(top), 0o644))

	step("scenario 4: POST /api/v1/assessments")
	body := `{"lock":{"key_override":"none","keypad":true,"phone_local":true,"emergency_power":"terminal_9v","interior_egress":"mechanical"},"context":{"door_type":"uk_multipoint","other_keyed_door":true}}`
	target = s.base + "/api/v1/assessments"
	rps, p50, p99 = wrk(target, body, *connections)
	brps, bp50, bp99 = baseline(target, body)
	results = append(results, result{name: "4 POST assessments", target: target, rps: rps, p50: p50, p99: p99, baseRPS: brps, baseP50: bp50, baseP99: bp99})
	s.stop()
	latencyOneCore("1 ranking, server on 1 core", db, 18107, "/api/v1/rankings?limit=20")
}

func replicas6(gen *synth.Generator) {
	if *pgURL == "" {
		results = append(results, result{name: "6 two replicas", note: "skipped: set LOCKSCORE_BENCH_POSTGRES_URL (scripts/bench.sh does)"})
		return
	}
	step("scenario 6: two replicas on one PostgreSQL")
	admin, err := sql.Open("pgx", *pgURL)
	check(err)
	_, _ = admin.Exec("DROP DATABASE IF EXISTS lockscore_bench WITH (FORCE)")
	_, err = admin.Exec("CREATE DATABASE lockscore_bench")
	check(err)
	admin.Close()
	u, _ := url.Parse(*pgURL)
	u.Path = "/lockscore_bench"
	dsn := u.String()
	a, _ := startServer(18104, dsn)
	key := apiKey(dsn)
	importCatalogue(a, key, gen, *small)
	b, _ := startServer(18105, dsn)
	var lags []float64
	for i := 0; i < 7; i++ {
		note := fmt.Sprintf("replica change %d %d", i, time.Now().UnixNano())
		slug := fmt.Sprintf("synthetic-%07d", i*31)
		t0 := time.Now()
		patch(a, key, slug, fmt.Sprintf(`{"notes":%q}`, note))
		for {
			body, _ := get(b.base + "/api/v1/locks/" + slug)
			if bytes.Contains(body, []byte(note)) {
				break
			}
			if time.Since(t0) > 5*time.Second {
				check(fmt.Errorf("replica b did not serve the change within 5 s"))
			}
			time.Sleep(5 * time.Millisecond)
		}
		lags = append(lags, float64(time.Since(t0).Microseconds())/1000)
	}
	sort.Float64s(lags)
	target := "/api/v1/rankings?limit=20"
	one, _, p99one := wrk(a.base+target, "", *connections)
	// Both replicas at once: two wrk processes, half the connections each.
	type out struct{ rps, p99 float64 }
	ch := make(chan out, 2)
	for _, s := range []*server{a, b} {
		go func(s *server) {
			r, _, p := wrk(s.base+target, "", *connections/2)
			ch <- out{r, p}
		}(s)
	}
	r1, r2 := <-ch, <-ch
	both := r1.rps + r2.rps
	results = append(results, result{name: "6 two replicas", target: target, rps: both, p99: max(r1.p99, r2.p99), baseRPS: one, baseP99: p99one,
		note: fmt.Sprintf("change through A served by B after median %.0f ms, max %.0f ms; both replicas %.0f req/s vs one %.0f req/s = %.2fx", lags[len(lags)/2], lags[len(lags)-1], both, one, both/one)})
	a.stop()
	b.stop()
}

func report(total time.Duration) {
	var b strings.Builder
	host, _ := os.Hostname()
	cores := strings.Count(run("cat", "/proc/cpuinfo"), "processor\t:")
	mem := regexp.MustCompile(`MemTotal:\s+(\d+)`).FindStringSubmatch(run("cat", "/proc/meminfo"))
	fmt.Fprintf(&b, "lockscore load test, %s, host %s, %d cores, %s kB memory, wrk -t2 -c%d -d%s, total %s\n\n",
		time.Now().UTC().Format(time.RFC3339), host, cores, mem[1], *connections, duration, total.Round(time.Second))
	fmt.Fprintln(&b, "| scenario | req/s | p50 ms | p99 ms | baseline req/s | baseline p99 ms | ratio | notes |")
	fmt.Fprintln(&b, "|---|---|---|---|---|---|---|---|")
	for _, r := range results {
		ratio := ""
		if r.baseRPS > 0 {
			ratio = fmt.Sprintf("%.0f%%", 100*r.rps/r.baseRPS)
		}
		fmt.Fprintf(&b, "| %s | %.0f | %.2f | %.2f | %.0f | %.2f | %s | %s |\n", r.name, r.rps, r.p50, r.p99, r.baseRPS, r.baseP99, ratio, r.note)
	}
	fmt.Fprintln(&b, "\nTop of the CPU profile of scenario 1 ("+filepath.Join(*outDir, "cpu-scenario1.txt")+"):")
	if top, err := os.ReadFile(filepath.Join(*outDir, "cpu-scenario1.txt")); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(top))
		for i := 0; sc.Scan() && i < 22; i++ {
			fmt.Fprintln(&b, "    "+sc.Text())
		}
	}
	fmt.Print(b.String())
	check(os.WriteFile(filepath.Join(*outDir, "report.md"), []byte(b.String()), 0o644))
}
