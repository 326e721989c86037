package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	goversion "go/version"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lockscore/lockscore/api"
	"github.com/lockscore/lockscore/internal/apikeys"
	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/config"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/models"
	"github.com/lockscore/lockscore/seed"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// toolchain is go.mod's toolchain line (a test keeps them equal): the Go in
// which the standard-library advisories this code reaches are fixed.
const toolchain = "go1.27.3"

// toolchainWarning says what is wrong when the binary was built with a Go
// older than want (a GOTOOLCHAIN=local build on an older machine), else "".
func toolchainWarning(have, want string) string {
	if !goversion.IsValid(have) || goversion.Compare(have, want) >= 0 {
		return ""
	}
	return fmt.Sprintf("built with %s, older than go.mod's toolchain %s, which fixes standard-library vulnerabilities this server reaches; rebuild with GOTOOLCHAIN=%s go build", have, want, want)
}

const usage = `lockscore: smart locks rated on one question, "if the lock goes wrong,
can the household still get in through the main entrance?"

Usage:
  lockscore serve [flags]        run the API (migrates and seeds the database first)
  lockscore migrate [flags]      bring the database schema up to date
  lockscore seed [flags]         load the embedded catalogue (never overwrites an editor's change)
  lockscore assess [FILE] [flags] assess one lock (its attributes, or a POST /assessments body, on FILE or stdin) without a server
  lockscore assess --slug SLUG [flags]  assess a catalogue lock from the local database, or the embedded seed without one
  lockscore catalogue report [--format json] [--db]  the data-quality report (embedded seed, or the database)
  lockscore apikey create --name NAME --scope write|admin
  lockscore apikey list
  lockscore apikey revoke NAME
  lockscore version              print the version
  lockscore healthcheck [--url URL]  exit 0 when the server answers /healthz (for containers)

'lockscore COMMAND --help' shows a command's own flags.

Configuration (flag, environment variable, default):
`

// run is the whole program: it returns the exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage+config.Usage())
		return 0
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, rest, getenv, stderr)
	case "migrate":
		err = withStore(ctx, rest, getenv, stderr, func(st *store.Store, log *slog.Logger) error {
			v, err := st.SchemaVersion(ctx)
			if err == nil {
				fmt.Fprintf(stdout, "schema at version %d\n", v)
			}
			return err
		})
	case "seed":
		err = withStore(ctx, rest, getenv, stderr, func(st *store.Store, log *slog.Logger) error {
			svc := catalogue.New(st, log)
			rep, err := seed.Load(ctx, svc)
			if err == nil {
				fmt.Fprintf(stdout, "seed: %d created, %d updated, %d unchanged, %d kept (changed by an editor)\n", rep.Created, rep.Updated, rep.Unchanged, rep.KeptEdited)
			}
			return err
		})
	case "assess":
		return assess(ctx, rest, getenv, stdin, stdout, stderr)
	case "catalogue":
		err = catalogueCmd(ctx, rest, getenv, stdout, stderr)
	case "apikey":
		err = apikey(ctx, rest, getenv, stdout, stderr)
	case "version":
		if len(rest) > 0 && isHelp(rest[0]) {
			fmt.Fprint(stdout, commandHelp["version"])
			return 0
		}
		fmt.Fprintf(stdout, "lockscore %s (methodology %s)\n", version, scoring.Default.Methodology().Version)
		return 0
	case "healthcheck":
		err = healthcheck(ctx, rest, getenv, stdout)
	default:
		fmt.Fprintf(stderr, "lockscore: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		if h, ok := commandHelp[cmd]; ok {
			fmt.Fprint(stdout, h)
		}
		return 0
	}
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "lockscore:", err)
			fmt.Fprintf(stderr, "see 'lockscore %s --help'\n", cmd)
			return 2
		}
		fmt.Fprintln(stderr, "lockscore:", err)
		return 1
	}
	return 0
}

type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func loadConfig(args []string, getenv func(string) string) (config.Config, error) {
	cfg, err := config.Load(getenv, args)
	if err != nil {
		return cfg, usageError{err}
	}
	return cfg, nil
}

// openStore opens and migrates the configured database.
func openStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func withStore(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, fn func(*store.Store, *slog.Logger) error) error {
	cfg, err := loadConfig(args, getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st, log)
}

func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := loadConfig(args, getenv)
	if err != nil {
		return err
	}
	logs := newBufferedLog(stderr, 200*time.Millisecond)
	defer logs.Close()
	log := newLogger(cfg, logs)
	log.Info("starting lockscore", append([]any{"version", version, "go_version", runtime.Version()}, cfg.Masked()...)...)
	if w := toolchainWarning(runtime.Version(), toolchain); w != "" {
		log.Warn(w, "go_version", runtime.Version(), "toolchain", toolchain)
	}
	// A busy port is found before the database is migrated and seeded.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := catalogue.New(st, log)
	rep, err := seed.Load(ctx, svc)
	if err != nil {
		return err
	}
	log.Info("seeded catalogue", "created", rep.Created, "updated", rep.Updated, "unchanged", rep.Unchanged, "kept_edited", rep.KeptEdited)
	if err := svc.Load(ctx); err != nil {
		return err
	}
	snap := svc.Snapshot()
	// Loading leaves the database rows as garbage; hand that memory back now
	// rather than over the next minutes.
	debug.FreeOSMemory()
	log.Info("catalogue loaded", "locks", snap.Len(), "revision", snap.Revision)
	syncCtx, stopSync := context.WithCancel(context.Background())
	defer stopSync()
	go svc.Sync(syncCtx, cfg.SnapshotPoll)

	if cfg.DebugAddr != "" {
		go servePprof(cfg.DebugAddr, log)
	}
	var opts []api.Option
	if cfg.LogFormat == "json" {
		opts = append(opts, api.WithJSONAccessLog(logs))
	}
	srv := api.New(cfg, svc, apikeys.New(st), log, opts...)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	host := cfg.Addr
	if strings.HasPrefix(host, ":") {
		host = "localhost" + host
	}
	log.Info("listening", "addr", cfg.Addr, "swagger_ui", "http://"+host+"/swagger/index.html")
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	stopSync()
	log.Info("stopped")
	return nil
}

// servePprof serves Go's profiler on its own address, off by default.
func servePprof(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Info("pprof listening", "addr", addr)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		log.Error("pprof server stopped", "err", err)
	}
}

func apikey(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{errors.New("apikey needs create, list or revoke")}
	}
	if isHelp(args[0]) {
		return flag.ErrHelp
	}
	sub, rest := args[0], args[1:]
	fs := flagSet("apikey " + sub)
	var name, scope *string
	var synopsis, about string
	switch sub {
	case "create":
		synopsis, about = "lockscore apikey create --name NAME [--scope write|admin] [--database-url URL]",
			"Makes an API key and prints its secret once, alone on stdout (KEY=$(lockscore apikey create --name alice)).\nOnly its SHA-256 is stored."
		name = fs.String("name", "", "key name, unique (required)")
		scope = fs.String("scope", models.ScopeWrite, "write (catalogue edits) or admin")
	case "list":
		synopsis, about = "lockscore apikey list [--database-url URL]", "Lists the API keys: name, scope, created, last used, revoked. Never their secrets."
	case "revoke":
		synopsis, about = "lockscore apikey revoke NAME [--database-url URL]", "Revokes an API key: requests with it get 403 from then on."
		name = fs.String("name", "", "key name (or give it as the argument)")
	default:
		return usageError{fmt.Errorf("unknown apikey command %q (create, list or revoke)", sub)}
	}
	dbURL := fs.String("database-url", "", "database (default: LOCKSCORE_DATABASE_URL or ./lockscore.db)")
	if err := fs.Parse(rest); errors.Is(err, flag.ErrHelp) {
		printHelp(stdout, synopsis, about, fs)
		return nil
	} else if err != nil {
		return usageError{err}
	}
	if name == nil {
		name = new(string)
	}
	if sub == "create" && *name == "" {
		return usageError{errors.New("apikey create needs --name")}
	}
	if sub == "create" && *scope != models.ScopeWrite && *scope != models.ScopeAdmin {
		return usageError{fmt.Errorf("--scope must be %s or %s, not %q", models.ScopeWrite, models.ScopeAdmin, *scope)}
	}
	if sub != "revoke" && fs.NArg() > 0 {
		return usageError{fmt.Errorf("apikey %s takes no argument %q", sub, fs.Arg(0))}
	}
	var cfgArgs []string
	if *dbURL != "" {
		cfgArgs = []string{"--database-url", *dbURL}
	}
	return withStore(ctx, cfgArgs, getenv, stderr, func(st *store.Store, log *slog.Logger) error {
		keys := apikeys.New(st)
		switch sub {
		case "create":
			_, secret, err := keys.Create(ctx, *name, *scope)
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, secret)
			fmt.Fprintf(stderr, "created API key %q (scope %s); the secret above is shown only once\n", *name, *scope)
		case "list":
			list, err := keys.List(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSCOPE\tCREATED\tLAST USED\tREVOKED")
			for _, k := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.Name, k.Scope, k.CreatedAt.UTC().Format(time.RFC3339), fmtTime(k.LastUsedAt), fmtTime(k.RevokedAt))
			}
			return tw.Flush()
		case "revoke":
			target := *name
			if target == "" && fs.NArg() > 0 {
				target = fs.Arg(0)
			}
			if target == "" {
				return usageError{errors.New("apikey revoke needs a key name")}
			}
			if err := keys.Revoke(ctx, target); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "revoked API key %q\n", target)
		}
		return nil
	})
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flagSet("healthcheck")
	addr := getenv("LOCKSCORE_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	if strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
	}
	u := fs.String("url", "http://"+addr+"/healthz", "health URL (its default follows LOCKSCORE_ADDR)")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		printHelp(stdout, "lockscore healthcheck [--url URL]", "Exits 0 when the server answers its health URL with 200, else 1 (for container HEALTHCHECKs).", fs)
		return nil
	} else if err != nil {
		return usageError{err}
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %d", *u, resp.StatusCode)
	}
	return nil
}
