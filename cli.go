package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/pprof"
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

const usage = `lockscore: smart locks rated on one question, "if the lock goes wrong,
can the household still get in through the main entrance?"

Usage:
  lockscore serve [flags]        run the API (migrates and seeds the database first)
  lockscore migrate [flags]      bring the database schema up to date
  lockscore seed [flags]         load the embedded catalogue (never overwrites an editor's change)
  lockscore assess [FILE] [flags] assess one lock (its attributes, or a POST /assessments body, on FILE or stdin) without a server
  lockscore catalogue report [--format json] [--db]  the data-quality report (embedded seed, or the database)
  lockscore apikey create --name NAME --scope write|admin
  lockscore apikey list
  lockscore apikey revoke NAME
  lockscore version              print the version
  lockscore healthcheck [--url URL]  exit 0 when the server answers /healthz (for containers)

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
		return assess(rest, stdin, stdout, stderr)
	case "catalogue":
		err = catalogueCmd(ctx, rest, getenv, stdout, stderr)
	case "apikey":
		err = apikey(ctx, rest, getenv, stdout, stderr)
	case "version":
		fmt.Fprintf(stdout, "lockscore %s (methodology %s)\n", version, scoring.Default.Methodology().Version)
		return 0
	case "healthcheck":
		err = healthcheck(ctx, rest, getenv)
	default:
		fmt.Fprintf(stderr, "lockscore: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage+config.Usage())
		return 0
	}
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "lockscore:", err)
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
	log.Info("starting lockscore", append([]any{"version", version}, cfg.Masked()...)...)
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
	go func() { errc <- srv.Start(cfg.Addr) }()
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
	sub, rest := args[0], args[1:]
	fs := flag.NewFlagSet("apikey "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "key name")
	scope := fs.String("scope", models.ScopeWrite, "write or admin")
	dbURL := fs.String("database-url", "", "database (default: LOCKSCORE_DATABASE_URL or ./lockscore.db)")
	if err := fs.Parse(rest); err != nil {
		return usageError{err}
	}
	if sub == "create" && *name == "" {
		return usageError{errors.New("apikey create needs --name")}
	}
	if sub == "create" && *scope != models.ScopeWrite && *scope != models.ScopeAdmin {
		return usageError{fmt.Errorf("--scope must be %s or %s, not %q", models.ScopeWrite, models.ScopeAdmin, *scope)}
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
		default:
			return usageError{fmt.Errorf("unknown apikey command %q (create, list or revoke)", sub)}
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

func healthcheck(ctx context.Context, args []string, getenv func(string) string) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and --help are reported by run
	addr := getenv("LOCKSCORE_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	if strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
	}
	u := fs.String("url", "http://"+addr+"/healthz", "health URL")
	if err := fs.Parse(args); err != nil {
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
