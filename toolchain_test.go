package main

import (
	goversion "go/version"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// goModToolchain reads the toolchain line of go.mod.
func goModToolchain(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^toolchain (go\S+)$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("go.mod has no toolchain line")
	}
	return string(m[1])
}

// serve warns, naming both versions, when the binary was built with a Go
// older than go.mod's toolchain line: a GOTOOLCHAIN=local build on an older
// Go reaches standard-library vulnerabilities the toolchain fixes (issue 12 #13).
func TestServeWarnsAboutAnOlderToolchain(t *testing.T) {
	want := goModToolchain(t)
	env := map[string]string{"LOCKSCORE_DATABASE_URL": filepath.Join(t.TempDir(), "missing", "x.db")}
	_, _, logs := runCLI(t, "", env, "serve")
	warned := strings.Contains(logs, `"level":"WARN"`) && strings.Contains(logs, runtime.Version()) && strings.Contains(logs, want) &&
		strings.Contains(logs, "GOTOOLCHAIN="+want)
	older := goversion.Compare(runtime.Version(), want) < 0
	if older != warned {
		t.Fatalf("built with %s, go.mod toolchain %s: warned=%v, want %v\n%s", runtime.Version(), want, warned, older, logs)
	}
}

func TestToolchainWarning(t *testing.T) {
	if toolchain != goModToolchain(t) {
		t.Fatalf("toolchain constant %q, go.mod says %q", toolchain, goModToolchain(t))
	}
	for have, warn := range map[string]bool{"go1.26.8": true, "go1.27.2": true, "go1.27.3": false, "go1.28.0": false, "devel +abc": false} {
		if got := toolchainWarning(have, "go1.27.3") != ""; got != warn {
			t.Errorf("%s: warning %v, want %v", have, got, warn)
		}
	}
}
