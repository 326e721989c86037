package main

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockscore/lockscore/api"
	"github.com/lockscore/lockscore/internal/apikeys"
	"github.com/lockscore/lockscore/internal/config"
	"github.com/lockscore/lockscore/internal/testutil"
	"github.com/lockscore/lockscore/models"
)

// readmeBlocks returns the README's shell blocks marked "# readme-test: NAME".
func readmeBlocks(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := map[string]string{}
	parts := strings.Split(string(b), "```sh\n")
	for _, p := range parts[1:] {
		body, _, _ := strings.Cut(p, "```")
		first, _, _ := strings.Cut(body, "\n")
		if name, ok := strings.CutPrefix(first, "# readme-test: "); ok {
			blocks[strings.TrimSpace(name)] = body
		}
	}
	return blocks
}

// TestReadmeExamples runs the README's curl + jq walk-throughs against a real server.
func TestReadmeExamples(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; .ci/run installs it", tool)
		}
	}
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RateLimitRPS = 0
	svc := testutil.Catalogue(t, filepath.Join(t.TempDir(), "readme.db"), true)
	keys := apikeys.New(svc.Store())
	_, secret, err := keys.Create(context.Background(), "readme", models.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(cfg, svc, keys, testutil.Logger()).Echo())
	defer srv.Close()

	blocks := readmeBlocks(t)
	want := map[string][]string{
		"frontend":  {"304", "S1 "},
		"installer": {"rank", "brnad: unknown query parameter", "Electronics dead", "for a main entrance (", "advice: ", "fit_rated_cylinder", `"basis": "unknown"`},
		"editor":    {"acme-deadbolt-1", `"current_version": 2`, "2 patch changed emergency_power", "created"},
	}
	for name, needles := range want {
		t.Run(name, func(t *testing.T) {
			script, ok := blocks[name]
			if !ok {
				t.Fatalf("README has no block marked readme-test: %s", name)
			}
			cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
			cmd.Env = append(os.Environ(), "API="+srv.URL, "KEY="+secret)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("the %s example failed: %v\n%s", name, err, out)
			}
			for _, n := range needles {
				if !strings.Contains(string(out), n) {
					t.Errorf("the %s example's output lacks %q:\n%s", name, n, out)
				}
			}
		})
	}
}

// TestReadmeDocumentsEveryVariable keeps the configuration table complete.
func TestReadmeDocumentsEveryVariable(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range config.Settings {
		if !strings.Contains(string(b), "`"+s.Env+"`") || !strings.Contains(string(b), "`--"+s.Flag+"`") {
			t.Errorf("README does not document %s / --%s", s.Env, s.Flag)
		}
	}
}
