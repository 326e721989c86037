package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/quality"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/seed"
)

const catalogueUsage = `usage: lockscore catalogue report [--format text|json] [--db] [--database-url URL]

The data-quality report: the known share of each fact, completeness per lock,
provisional locks, sourced sources and issue 11's targets. It reads the
embedded seed, or with --db (or --database-url) the configured database.
`

// catalogueCmd runs "lockscore catalogue report".
func catalogueCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "report" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(stdout, catalogueUsage)
			return nil
		}
		return usageError{errors.New("catalogue needs a command: report")}
	}
	fs := flag.NewFlagSet("catalogue report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // --help prints below, to stdout as every command's help does
	format := fs.String("format", "text", "text or json")
	useDB := fs.Bool("db", false, "read the configured database instead of the embedded seed")
	dbURL := fs.String("database-url", "", "database to read (implies --db; default: LOCKSCORE_DATABASE_URL or ./lockscore.db)")
	if err := fs.Parse(args[1:]); errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, catalogueUsage)
		return nil
	} else if err != nil {
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("catalogue report takes no arguments, got %q", fs.Arg(0))}
	}
	if *format != "text" && *format != "json" {
		return usageError{fmt.Errorf("--format must be text or json, not %q", *format)}
	}
	write := func(rep quality.Report) error {
		if *format == "json" {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(rep)
		}
		return rep.WriteText(stdout)
	}
	if !*useDB && *dbURL == "" {
		recs, err := seed.Records()
		if err != nil {
			return err
		}
		ptrs := make([]*catalogue.Record, len(recs))
		for i := range recs {
			ptrs[i] = &recs[i]
		}
		// The engine catalogue.New gives the service (a test keeps them the same).
		return write(quality.Compute(ptrs, scoring.Default))
	}
	var cfgArgs []string
	if *dbURL != "" {
		cfgArgs = []string{"--database-url", *dbURL}
	}
	return withStore(ctx, cfgArgs, getenv, stderr, func(st *store.Store, log *slog.Logger) error {
		svc := catalogue.New(st, log)
		if err := svc.Load(ctx); err != nil {
			return err
		}
		rep, err := quality.ComputeSnapshot(ctx, svc.Snapshot(), svc.Engine())
		if err != nil {
			return err
		}
		return write(rep)
	})
}
