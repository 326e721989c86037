package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/lockscore/lockscore/internal/config"
)

// Each command's own --help: its synopsis, what it does and its flags,
// printed on stdout with exit status 0, as a real tool does.

// configHelp is the help of the commands that take every setting.
func configHelp(synopsis, about string) string {
	return "usage: " + synopsis + "\n\n" + about + "\n\nFlags (each also an environment variable; flags win):\n" + config.Usage()
}

var commandHelp = map[string]string{
	"serve": configHelp("lockscore serve [flags]",
		"Runs the API. It first checks that it can listen on --addr, then migrates and seeds the database,\n"+
			"loads the catalogue and serves until SIGINT or SIGTERM, letting in-flight requests finish."),
	"migrate": configHelp("lockscore migrate [flags]",
		"Brings the database schema up to date and prints its version. Running it again changes nothing."),
	"seed": configHelp("lockscore seed [flags]",
		"Loads the embedded catalogue into the database: creates missing lock models and updates those\n"+
			"the seed wrote last; never touches a lock model an editor has changed or deleted."),
	"version": "usage: lockscore version\n\nPrints the version and the methodology version.\n",
	"apikey": `usage: lockscore apikey create|list|revoke [flags]

Manages API keys in the database of LOCKSCORE_DATABASE_URL (or --database-url), on the server's machine.

Commands:
  create --name NAME [--scope write|admin]  make a key; its secret is printed once, alone on stdout
  list                                       list the keys (never their secrets)
  revoke NAME                                revoke a key; requests with it get 403

'lockscore apikey COMMAND --help' shows a command's flags.
`,
}

// flagSet is a flag set whose errors and help run reports, not the flag package.
func flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// printHelp writes a synopsis and description, then fs's flags in --name form.
func printHelp(w io.Writer, synopsis, about string, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", synopsis, about)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprint(w, "\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool {
			arg = ""
		}
		if meta, ok := flagMeta[f.Name]; ok && arg != "" {
			arg = meta
		} else if arg == "string" {
			arg = "VALUE"
		}
		line := "  --" + f.Name
		if arg != "" {
			line += " " + arg
		}
		if f.DefValue != "" && f.DefValue != "false" {
			usage += fmt.Sprintf(" (default %q)", f.DefValue)
		}
		fmt.Fprintf(w, "%s\n        %s\n", line, usage)
	})
}

// flagMeta names a flag's value in help texts.
var flagMeta = map[string]string{"database-url": "URL", "url": "URL", "context": "FILE", "slug": "SLUG", "name": "NAME",
	"scope": "write|admin", "door-type": "TYPE", "cylinder-rating": "RATING", "occupants": "LIST", "format": "json|text"}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}
