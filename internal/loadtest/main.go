// Command loadtest is the performance harness of BENCHMARKS.md. It builds
// lockscore and a bare-Echo baseline, loads synthetic catalogues of
// real-sized records (internal/synth), drives each scenario with wrk on
// loopback, and prints throughput and latency with each scenario's ratio to
// the baseline serving the same bytes: the median of three interleaved
// pairs. It reports bytes per model on disk and in memory, and CPU profiles
// of scenarios 1 and 4. Run it through scripts/bench.sh.
package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/lockscore/lockscore/internal/synth"
	"github.com/lockscore/lockscore/seed"
)

// Ports, all on 127.0.0.1: this harness's servers use 18092-18099 only.
const (
	portLarge    = 18092 // the -n-large server (scenarios 5, 2, 3)
	portSmall    = 18093 // the -n server (scenarios 1, 4)
	portDebug    = 18094 // pprof of whichever server is profiled
	portBaseline = 18095 // the bare Echo baseline
	portOneCore  = 18096 // a server held to one core; the empty server for memory
	portChooser  = 18097 // the seeded catalogue for the chooser's results page
	portReplicaA = 18098
	portReplicaB = 18099
)

var (
	duration    = flag.Duration("duration", 8*time.Second, "how long wrk drives each scenario")
	connections = flag.Int("connections", 32, "wrk connections")
	small       = flag.Int("n", 10_000, "catalogue size for scenarios 1 and 4 and the replicas")
	large       = flag.Int("n-large", 100_000, "catalogue size for scenarios 2, 3 and 5")
	pgURL       = flag.String("postgres", os.Getenv("LOCKSCORE_BENCH_POSTGRES_URL"), "PostgreSQL server URL for scenario 6 (a database lockscore_bench is created)")
	outDir      = flag.String("out", "bench-results", "where profiles and the report go")
	only        = flag.String("only", "large,small,chooser,replicas", "which parts to run, comma-separated: large (scenarios 5, 2, 3), small (1, 4), chooser (6), replicas")
)

// part reports whether -only names the part.
func part(name string) bool { return slices.Contains(strings.Split(*only, ","), name) }

type result struct {
	name, target     string
	rps, p50, p99    float64 // requests/s, ms (medians of the pairs)
	baseRPS          float64
	baseP50, baseP99 float64
	ratio            float64   // median of the pairs' ratios; 0 when there is no baseline
	ratios           []float64 // each pair's ratio, in the order run
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
	if part("large") {
		large5(gen)
	}
	// Scenarios 1 and 4 on the small catalogue, with the baseline and profiles.
	if part("small") {
		small14(gen)
	}
	// Scenario 6: the chooser's results page on the seeded catalogue.
	if part("chooser") {
		chooser6()
	}
	// Two replicas on PostgreSQL.
	if part("replicas") {
		replicas(gen)
	}

	report(time.Since(start))
}

func step(s string) { fmt.Fprintf(os.Stderr, "\n== %s\n", s) }

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		if work != "" {
			fmt.Fprintln(os.Stderr, "loadtest: the servers' logs are kept in", work)
		}
		for _, c := range running {
			if c.ProcessState == nil {
				_ = c.Process.Kill()
			}
		}
		os.Exit(1)
	}
}

// running holds every process the harness started, so a failure does not
// leave servers behind on the harness's ports.
var running []*exec.Cmd

// portFree fails when something already listens on port: a leftover
// server would otherwise answer the readiness check for the new one.
func portFree(port int) {
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		check(fmt.Errorf("port %d is taken (a server left from an earlier run?): %w", port, err))
	}
	ln.Close()
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
	portFree(port)
	t0 := time.Now()
	check(cmd.Start())
	running = append(running, cmd)
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

func importCatalogue(s *server, key string, gen *synth.Generator, n int) (time.Duration, int) {
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
	sent := buf.Len()
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
	return d, sent
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

// load is what one scenario sends: a GET (body == "") or a POST of body,
// with extra request headers ("Name: value").
type load struct {
	path    string // path and query
	body    string
	headers []string
}

// wrk drives base+l and returns requests/s, p50 and p99 in ms.
func wrk(base string, l load, conns int) (float64, float64, float64) {
	args := []string{"-t2", "-c" + strconv.Itoa(conns), "-d" + duration.String(), "--latency"}
	for _, h := range l.headers {
		args = append(args, "-H", h)
	}
	if l.body != "" {
		script := filepath.Join(work, "post.lua")
		check(os.WriteFile(script, []byte(fmt.Sprintf("wrk.method = \"POST\"\nwrk.body = %q\nwrk.headers[\"Content-Type\"] = \"application/json\"\n", l.body)), 0o644))
		args = append(args, "-s", script)
	}
	out := run("wrk", append(args, base+l.path)...)
	if m := errRE.FindStringSubmatch(out); m != nil {
		check(fmt.Errorf("wrk %s: %s non-2xx responses\n%s", l.path, m[1], out))
	}
	m := rpsRE.FindStringSubmatch(out)
	if m == nil {
		check(fmt.Errorf("wrk output: %s", out))
	}
	rps, _ := strconv.ParseFloat(m[1], 64)
	var p50, p99 float64
	for _, x := range latRE.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(x[2], 64)
		switch x[3] {
		case "us":
			v /= 1000
		case "s":
			v *= 1000
		}
		if x[1] == "50" {
			p50 = v
		} else {
			p99 = v
		}
	}
	return rps, p50, p99
}

// fetch sends l once to base and returns the response body and Content-Type.
func fetch(base string, l load) ([]byte, string) {
	method := "GET"
	var rd io.Reader
	if l.body != "" {
		method, rd = "POST", strings.NewReader(l.body)
	}
	req, _ := http.NewRequest(method, base+l.path, rd)
	if l.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range l.headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	resp, err := http.DefaultClient.Do(req)
	check(err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		check(fmt.Errorf("%s %s: %d %s", method, l.path, resp.StatusCode, b[:min(len(b), 500)]))
	}
	return b, resp.Header.Get("Content-Type")
}

func get(u string) ([]byte, string) {
	uu, err := url.Parse(u)
	check(err)
	return fetch(uu.Scheme+"://"+uu.Host, load{path: uu.RequestURI()})
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// paired measures l on lockscore (at base) and on a bare Echo server
// writing the same bytes, in three interleaved pairs (lockscore, baseline,
// lockscore, ...), so slow drifts in the shared machine's load fall on
// both; it reports the median of the three ratios and the median figures.
func paired(name string, base string, l load, note func() string) result {
	step(name)
	resp, ct := fetch(base, l)
	f := filepath.Join(work, "baseline-body")
	check(os.WriteFile(f, resp, 0o644))
	addr := "127.0.0.1:" + strconv.Itoa(portBaseline)
	cmd := exec.Command(filepath.Join(work, "baseline"), "-addr", addr, "-body", f, "-content-type", ct)
	portFree(portBaseline)
	check(cmd.Start())
	running = append(running, cmd)
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	for i := 0; i < 200; i++ {
		if c, err := http.Get("http://" + addr + "/up"); err == nil {
			c.Body.Close()
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	var rps, p50, p99, brps, bp50, bp99, ratios []float64
	for i := 0; i < 3; i++ {
		r, a, b := wrk(base, l, *connections)
		br, ba, bb := wrk("http://"+addr, l, *connections)
		rps, p50, p99 = append(rps, r), append(p50, a), append(p99, b)
		brps, bp50, bp99 = append(brps, br), append(bp50, ba), append(bp99, bb)
		ratios = append(ratios, r/br)
		fmt.Fprintf(os.Stderr, "  pair %d: %.0f vs %.0f req/s = %.2f; p99 %.2f vs %.2f ms\n", i+1, r, br, r/br, b, bb)
	}
	res := result{name: name, target: l.path, rps: median(rps), p50: median(p50), p99: median(p99),
		baseRPS: median(brps), baseP50: median(bp50), baseP99: median(bp99), ratio: median(ratios), ratios: ratios}
	res.note = fmt.Sprintf("%d B response", len(resp))
	if note != nil {
		res.note += "; " + note()
	}
	return res
}

// heapBytes forces a collection in the server (through pprof) and returns the
// live heap in bytes (HeapAlloc after it).
func heapBytes() float64 {
	b, _ := get(fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/heap?gc=1&debug=1", portDebug))
	m := regexp.MustCompile(`# HeapAlloc = (\d+)`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(string(m[1]), 64)
	return v
}

// dbBytes is the SQLite database's size on disk, with its WAL.
func dbBytes(db string) float64 {
	var n int64
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return float64(n)
}

var debugEnv = "LOCKSCORE_DEBUG_ADDR=127.0.0.1:" + strconv.Itoa(portDebug)

func large5(gen *synth.Generator) {
	// The empty server's memory, for the per-model figures.
	emptyDB := filepath.Join(work, "empty.db")
	e, _ := startServer(portOneCore, emptyDB, debugEnv)
	time.Sleep(time.Second)
	emptyRSS, emptyHeap, emptyDisk := e.rssMB(), heapBytes(), dbBytes(emptyDB)
	e.stop()

	step(fmt.Sprintf("scenario 5: import %d real-sized models through POST /api/v1/locks/import on SQLite", *large))
	db := filepath.Join(work, "large.db")
	s, _ := startServer(portLarge, db)
	key := apiKey(db)
	took, sent := importCatalogue(s, key, gen, *large)
	s.stop()
	disk := dbBytes(db)
	s, startup := startServer(portLarge, db, debugEnv)
	time.Sleep(2 * time.Second) // let the GC settle
	rss := s.rssMB()
	heap := heapBytes()
	n := float64(*large)
	results = append(results, result{name: "5 import, start-up, memory", note: fmt.Sprintf(
		"import %.1f s (%.0f MB sent, %.0f B a model); start-up %.2f s; database %.0f MB = %.0f B a model; "+
			"RSS after start %.0f MB (empty server %.0f MB) = %.0f B a model; live heap %.0f MB = %.0f B a model",
		took.Seconds(), float64(sent)/1e6, float64(sent)/n, startup.Seconds(), disk/1e6, (disk-emptyDisk)/n,
		rss, emptyRSS, (rss-emptyRSS)*1024*1024/n, heap/1e6, (heap-emptyHeap)/n)})

	l := load{path: "/api/v1/rankings?door_type=uk_multipoint&other_keyed_door=true&occupants=lives_alone&limit=20"}
	var firsts []float64
	for i := 0; i < 7; i++ {
		patch(s, key, fmt.Sprintf("synthetic-%07d", (i*997)%*large), fmt.Sprintf(`{"notes":"bench change %d"}`, i))
		t0 := time.Now()
		fetch(s.base, l)
		firsts = append(firsts, float64(time.Since(t0).Microseconds())/1000)
	}
	sort.Float64s(firsts)
	results = append(results, paired(fmt.Sprintf("2 ranking in context, %d real-sized", *large), s.base, l, func() string {
		return fmt.Sprintf("first request after a change: median %.1f ms, max %.1f ms (7 changes)", firsts[len(firsts)/2], firsts[len(firsts)-1])
	}))

	first, _ := get(s.base + "/api/v1/locks?market=UK&key_override=independent&sort=brand&limit=20")
	var page struct {
		NextCursor string `json:"next_cursor"`
	}
	check(json.Unmarshal(first, &page))
	l = load{path: "/api/v1/locks?market=UK&key_override=independent&sort=brand&limit=20&cursor=" + url.QueryEscape(page.NextCursor)}
	results = append(results, paired(fmt.Sprintf("3 locks, 2 filters + sort + cursor, %d real-sized", *large), s.base, l, func() string {
		return fmt.Sprintf("RSS under load %.0f MB = %.0f B a model", s.rssMB(), (s.rssMB()-emptyRSS)*1024*1024/n)
	}))
	s.stop()
	latencyOneCore("3 same, server on 1 core", db, l)
}

// latencyOneCore repeats a scenario with the server held to one core
// (GOMAXPROCS=1), leaving the other to wrk: on a 2-core machine that shared
// between server and load generator, this separates the server's own
// latency from time spent waiting for a core.
func latencyOneCore(name, db string, l load) {
	step(name)
	s, _ := startServer(portOneCore, db, "GOMAXPROCS=1")
	defer s.stop()
	fetch(s.base, l) // warm the response cache
	rps, p50, p99 := wrk(s.base, l, *connections)
	results = append(results, result{name: name, target: l.path, rps: rps, p50: p50, p99: p99, note: "server GOMAXPROCS=1"})
}

// profile takes a CPU profile of the server on portDebug while wrk drives l.
func profile(name, base string, l load) {
	step("CPU profile of " + name)
	prof := filepath.Join(*outDir, "cpu-"+name+".pprof")
	done := make(chan struct{})
	go func() {
		defer close(done)
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/profile?seconds=%d", portDebug, int(duration.Seconds())-1))
		check(err)
		defer resp.Body.Close()
		f, err := os.Create(prof)
		check(err)
		_, _ = io.Copy(f, resp.Body)
		f.Close()
	}()
	wrk(base, l, *connections)
	<-done
	top := run("go", "tool", "pprof", "-top", "-nodecount=30", filepath.Join(work, "lockscore"), prof)
	check(os.WriteFile(filepath.Join(*outDir, "cpu-"+name+".txt"), []byte(top), 0o644))
}

// whatIf is scenario 4's body: a lock with gaps and a context, so the
// methodology's advice re-assesses its variants.
const whatIf = `{"lock":{"key_override":"none","keypad":true,"phone_local":true,"emergency_power":"terminal_9v","interior_egress":"mechanical"},"context":{"door_type":"uk_multipoint","other_keyed_door":true}}`

func small14(gen *synth.Generator) {
	step(fmt.Sprintf("scenarios 1 and 4 on %d real-sized models", *small))
	db := filepath.Join(work, "small.db")
	s, _ := startServer(portSmall, db, debugEnv)
	importCatalogue(s, apiKey(db), gen, *small)
	l1 := load{path: "/api/v1/rankings?limit=20"}
	results = append(results, paired(fmt.Sprintf("1 ranking, no context, %d real-sized", *small), s.base, l1, nil))
	profile("scenario1", s.base, l1)
	l4 := load{path: "/api/v1/assessments", body: whatIf}
	results = append(results, paired("4 POST /assessments (v2, with advice)", s.base, l4, nil))
	profile("scenario4", s.base, l4)
	s.stop()
	latencyOneCore("1 same, server on 1 core", db, l1)
}

// chooser6 is the chooser's results page (HTML) for a composite-door
// household on the seeded catalogue, the page a person at a door sees.
func chooser6() {
	db := filepath.Join(work, "seed.db")
	run(filepath.Join(work, "lockscore"), "seed", "--database-url", db)
	s, _ := startServer(portChooser, db)
	defer s.stop()
	l := load{path: "/results?door_type=uk_multipoint&other_keyed_door=true&occupants=lives_alone", headers: []string{"Accept: text/html,application/xhtml+xml"}}
	results = append(results, paired("6 chooser results page, seeded catalogue", s.base, l, nil))
}

func replicas(gen *synth.Generator) {
	if *pgURL == "" {
		results = append(results, result{name: "two replicas", note: "skipped: set LOCKSCORE_BENCH_POSTGRES_URL (scripts/bench.sh does)"})
		return
	}
	step("two replicas on one PostgreSQL")
	admin, err := sql.Open("pgx", *pgURL)
	check(err)
	_, _ = admin.Exec("DROP DATABASE IF EXISTS lockscore_bench WITH (FORCE)")
	_, err = admin.Exec("CREATE DATABASE lockscore_bench")
	check(err)
	admin.Close()
	u, _ := url.Parse(*pgURL)
	u.Path = "/lockscore_bench"
	dsn := u.String()
	a, _ := startServer(portReplicaA, dsn)
	key := apiKey(dsn)
	importCatalogue(a, key, gen, *small)
	b, _ := startServer(portReplicaB, dsn)
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
	l := load{path: "/api/v1/rankings?limit=20"}
	one, _, p99one := wrk(a.base, l, *connections)
	// Both replicas at once: two wrk processes, half the connections each.
	type out struct{ rps, p99 float64 }
	ch := make(chan out, 2)
	for _, s := range []*server{a, b} {
		go func(s *server) {
			r, _, p := wrk(s.base, l, *connections/2)
			ch <- out{r, p}
		}(s)
	}
	r1, r2 := <-ch, <-ch
	both := r1.rps + r2.rps
	results = append(results, result{name: "two replicas, PostgreSQL", target: l.path, rps: both, p99: max(r1.p99, r2.p99), baseRPS: one, baseP99: p99one,
		note: fmt.Sprintf("change through A served by B after median %.0f ms, max %.0f ms; both replicas %.0f req/s vs one %.0f req/s = %.2fx (one run, not a baseline ratio)", lags[len(lags)/2], lags[len(lags)-1], both, one, both/one)})
	a.stop()
	b.stop()
}

func report(total time.Duration) {
	var b strings.Builder
	host, _ := os.Hostname()
	cores := strings.Count(run("cat", "/proc/cpuinfo"), "processor\t:")
	mem := regexp.MustCompile(`MemTotal:\s+(\d+)`).FindStringSubmatch(run("cat", "/proc/meminfo"))
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Fprintf(&b, "lockscore load test, %s, host %s, %d cores, %s kB memory, load average at the end %s, wrk -t2 -c%d -d%s, three interleaved pairs per ratio, total %s\n\n",
		time.Now().UTC().Format(time.RFC3339), host, cores, mem[1], strings.Join(strings.Fields(string(load))[:3], " "), *connections, duration, total.Round(time.Second))
	fmt.Fprintln(&b, "| scenario | req/s | p50 ms | p99 ms | baseline req/s | baseline p99 ms | ratio (median) | the three ratios | notes |")
	fmt.Fprintln(&b, "|---|---|---|---|---|---|---|---|---|")
	for _, r := range results {
		ratio, each := "", ""
		if r.ratio > 0 {
			ratio = fmt.Sprintf("%.2f", r.ratio)
			var parts []string
			for _, x := range r.ratios {
				parts = append(parts, fmt.Sprintf("%.2f", x))
			}
			each = strings.Join(parts, ", ")
		}
		num := func(v float64, f string) string {
			if v == 0 {
				return ""
			}
			return fmt.Sprintf(f, v)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.name, num(r.rps, "%.0f"), num(r.p50, "%.2f"), num(r.p99, "%.2f"),
			num(r.baseRPS, "%.0f"), num(r.baseP99, "%.2f"), ratio, each, r.note)
	}
	for _, name := range []string{"scenario1", "scenario4"} {
		fmt.Fprintf(&b, "\nTop of the CPU profile of %s (%s):\n", name, filepath.Join(*outDir, "cpu-"+name+".txt"))
		if top, err := os.ReadFile(filepath.Join(*outDir, "cpu-"+name+".txt")); err == nil {
			sc := bufio.NewScanner(bytes.NewReader(top))
			for i := 0; sc.Scan() && i < 26; i++ {
				fmt.Fprintln(&b, "    "+sc.Text())
			}
		}
	}
	fmt.Print(b.String())
	check(os.WriteFile(filepath.Join(*outDir, "report.md"), []byte(b.String()), 0o644))
}
