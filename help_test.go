package main

import (
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden help texts in testdata/help")

// Every command and subcommand answers --help with its own usage and
// flags on stdout, exit status 0, nothing on stderr; the texts are golden
// files (go test -run TestHelpTexts -update rewrites them).
func TestHelpTexts(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"seed", "-h"}, {"version", "--help"},
		{"assess", "--help"}, {"healthcheck", "--help"},
		{"apikey", "--help"}, {"apikey", "create", "--help"}, {"apikey", "list", "--help"}, {"apikey", "revoke", "-h"},
		{"catalogue", "--help"}, {"catalogue", "report", "--help"},
	} {
		name := strings.Trim(strings.Join(args, "_"), "-_")
		name = strings.ReplaceAll(strings.ReplaceAll(name, "_--help", ""), "_-h", "")
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", nil, args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			golden := filepath.Join("testdata", "help", name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestHelpTexts -update)", err)
			}
			if out != string(want) {
				t.Fatalf("help differs from %s (go test -run TestHelpTexts -update):\n%s", golden, out)
			}
		})
	}
}

// A subcommand's help shows only the flags it takes.
func TestSubcommandHelpShowsItsOwnFlags(t *testing.T) {
	_, list, _ := runCLI(t, "", nil, "apikey", "list", "--help")
	if !strings.Contains(list, "--database-url") || strings.Contains(list, "--name") || strings.Contains(list, "--scope") {
		t.Fatalf("apikey list --help:\n%s", list)
	}
	_, create, _ := runCLI(t, "", nil, "apikey", "create", "--help")
	if !strings.Contains(create, "--name") || !strings.Contains(create, "--scope") {
		t.Fatalf("apikey create --help:\n%s", create)
	}
	_, serve, _ := runCLI(t, "", nil, "serve", "--help")
	if !strings.HasPrefix(serve, "usage: lockscore serve") || !strings.Contains(serve, "--addr") || strings.Contains(serve, "apikey") {
		t.Fatalf("serve --help:\n%s", serve)
	}
	code, out, errOut := runCLI(t, "", nil, "apikey", "list", "--scope", "admin")
	if code != 2 || out != "" || !strings.Contains(errOut, "scope") || !strings.Contains(errOut, "lockscore apikey --help") {
		t.Fatalf("a flag list does not take: exit %d, stderr %q", code, errOut)
	}
}

// serve finds a busy port before it touches the database: the SQLite file
// is never created.
func TestServeChecksTheAddressFirst(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	db := filepath.Join(t.TempDir(), "never.db")
	code, _, errOut := runCLI(t, "", map[string]string{"LOCKSCORE_ADDR": ln.Addr().String(), "LOCKSCORE_DATABASE_URL": db, "LOCKSCORE_LOG_LEVEL": "error"}, "serve")
	if code != 1 || !strings.Contains(errOut, "cannot listen on "+ln.Addr().String()) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatalf("the database was touched before the port was checked: %v", err)
	}
}
