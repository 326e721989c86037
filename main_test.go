package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/seed"
)

func runCLI(t *testing.T, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestAssessCommand(t *testing.T) {
	code, out, _ := runCLI(t, `{"key_override":"none","keypad":true,"phone_local":true,"emergency_power":"terminal_9v","interior_egress":"mechanical"}`, nil, "assess")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var a struct {
		Band       string
		Score      float64
		ScoreUpper float64 `json:"score_upper"`
		Gates      []struct{ ID string }
		Scenarios  []json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	// Methodology §2: the headline is the lower bound, every unknown at its
	// worst (here detection and evidence), so band E; the upper bound is D.
	if len(a.Gates) != 1 || a.Gates[0].ID != "G1" || len(a.Scenarios) != 8 || a.Band != "E" || a.Score != 36.3 || a.ScoreUpper != 54.9 {
		t.Fatalf("assessment %s", out)
	}
	// The body of POST /api/v1/assessments is accepted too, context included.
	_, viaFlags, _ := runCLI(t, `{"key_override":"none","keypad":true}`, nil, "assess", "--other-keyed-door", "--door-type", "uk_multipoint")
	code, viaBody, _ := runCLI(t, `{"lock":{"key_override":"none","keypad":true},"context":{"other_keyed_door":true,"door_type":"uk_multipoint"}}`, nil, "assess")
	if code != 0 || viaBody != viaFlags {
		t.Fatalf("request body: exit %d\n%s\nwant\n%s", code, viaBody, viaFlags)
	}
	code, out, errOut := runCLI(t, `{"lock":{},"context":{}}`, nil, "assess", "--context", "ctx.json")
	if code != 2 || out != "" || !strings.Contains(errOut, "context") {
		t.Fatalf("two contexts: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, `{"lock":{"keypad":1}}`, nil, "assess")
	if code != 2 || out != "" || !strings.Contains(errOut, "lock.keypad") {
		t.Fatalf("bad request body: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, `{"key_overide":"none"}`, nil, "assess")
	if code != 2 || out != "" || !strings.Contains(errOut, "key_overide") {
		t.Fatalf("bad field: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, `{}`, nil, "assess", "--door-type", "castle")
	if code != 2 || out != "" || !strings.Contains(errOut, "door_type") {
		t.Fatalf("bad door type: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, `{"key_override":"none","keypad":true,"emergency_power":"terminal_9v","interior_egress":"mechanical"}`, nil,
		"assess", "--other-keyed-door", "--door-type", "uk_multipoint", "--format", "text")
	if code != 0 || !strings.HasPrefix(out, "Conditional for a main entrance (C):") || !strings.Contains(out, "Keys not on you") {
		t.Fatalf("text output:\n%s", out)
	}
	// The text view is for a person at the door: no methodology jargon.
	for _, jargon := range []string{"gate", "G1", "coverage", "quality", "_"} {
		if strings.Contains(out, jargon) {
			t.Errorf("text output says %q:\n%s", jargon, out)
		}
	}
	// The acceptance example of issue 10: version 2, and a non-motorised lock
	// with an unknown credential does not get detection 1.
	code, out, _ = runCLI(t, `{"motorised":false,"phone_local":true,"key_override":"none","emergency_power":"none","interior_egress":"mechanical"}`, nil, "assess")
	var v2 struct {
		MethodologyVersion string `json:"methodology_version"`
		Components         struct{ Detection struct{ Value float64 } }
		Verdict            string
		Advice             []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(out), &v2); err != nil || code != 0 {
		t.Fatalf("exit %d: %v", code, err)
	}
	if v2.MethodologyVersion != "2" || v2.Components.Detection.Value == 1 || !strings.HasPrefix(v2.Verdict, "Unsuitable for a main entrance (E):") {
		t.Errorf("v2 acceptance example: %s", out)
	}
	code, out, _ = runCLI(t, `{"key_override":"independent","keypad":true}`, nil, "assess", "--format", "text", "--sensitivity")
	if code != 0 || !strings.Contains(out, "How firm the rating is:") {
		t.Errorf("--sensitivity --format text:\n%s", out)
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"migrate", "-h"}, {"seed", "--help"}} {
		code, out, errOut := runCLI(t, "", nil, args...)
		if code != 0 || !strings.Contains(out, "LOCKSCORE_DATABASE_URL") || errOut != "" {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q", args, code, len(out), errOut)
		}
	}
}

// --context reads the §6 context from a file; flags override it; a bad file
// is named like a bad lock.
func TestAssessContextFile(t *testing.T) {
	dir := t.TempDir()
	ctxFile := filepath.Join(dir, "ctx.json")
	if err := os.WriteFile(ctxFile, []byte(`{"door_type":"uk_multipoint","other_keyed_door":true}`), 0o600); err != nil {
		t.Fatal(err)
	}
	lock := `{"key_override":"none","keypad":true}`
	_, viaFlags, _ := runCLI(t, lock, nil, "assess", "--door-type", "uk_multipoint", "--other-keyed-door")
	code, viaFile, _ := runCLI(t, lock, nil, "assess", "--context", ctxFile)
	if code != 0 || viaFile != viaFlags {
		t.Fatalf("--context: exit %d\n%s\nwant\n%s", code, viaFile, viaFlags)
	}
	_, overridden, _ := runCLI(t, lock, nil, "assess", "--context", ctxFile, "--other-keyed-door=false")
	_, doorOnly, _ := runCLI(t, lock, nil, "assess", "--door-type", "uk_multipoint", "--other-keyed-door=false")
	if overridden != doorOnly {
		t.Fatal("a flag did not override the context file")
	}
	if err := os.WriteFile(ctxFile, []byte(`{"door_typ":"uk_multipoint"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, lock, nil, "assess", "--context", ctxFile)
	if code != 2 || out != "" || !strings.Contains(errOut, "door_typ") {
		t.Fatalf("bad context file: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestAssessHelp(t *testing.T) {
	code, out, errOut := runCLI(t, "", nil, "assess", "--help")
	if code != 0 || errOut != "" || !strings.Contains(out, "--door-type") {
		t.Fatalf("assess --help: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestAPIKeyCommands(t *testing.T) {
	env := map[string]string{"LOCKSCORE_DATABASE_URL": filepath.Join(t.TempDir(), "keys.db"), "LOCKSCORE_LOG_LEVEL": "error"}
	code, out, errOut := runCLI(t, "", env, "apikey", "create", "--name", "ci", "--scope", "write")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	secret := strings.TrimSpace(out)
	if !strings.HasPrefix(secret, "lsk_") || strings.Contains(secret, "\n") {
		t.Fatalf("stdout must be the secret alone, got %q", out)
	}
	code, out, _ = runCLI(t, "", env, "apikey", "list")
	if code != 0 || !strings.Contains(out, "ci") || strings.Contains(out, secret) {
		t.Fatalf("list: %q", out)
	}
	if code, _, _ = runCLI(t, "", env, "apikey", "create", "--name", "ci"); code == 0 {
		t.Fatal("duplicate name accepted")
	}
	if code, _, _ = runCLI(t, "", env, "apikey", "revoke", "ci"); code != 0 {
		t.Fatal("revoke failed")
	}
	if code, _, _ = runCLI(t, "", env, "apikey", "revoke", "nobody"); code == 0 {
		t.Fatal("revoking an unknown key succeeded")
	}
}

func TestBadConfigurationStopsWithItsName(t *testing.T) {
	code, _, errOut := runCLI(t, "", map[string]string{"LOCKSCORE_RATE_LIMIT_RPS": "lots"}, "serve")
	if code != 2 || !strings.Contains(errOut, "LOCKSCORE_RATE_LIMIT_RPS") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	code, out, _ := runCLI(t, "", nil, "--help")
	if code != 0 || !strings.Contains(out, "LOCKSCORE_TRUSTED_PROXIES") {
		t.Fatalf("help: %q", out)
	}
}

func TestMigrateAndSeedCommands(t *testing.T) {
	env := map[string]string{"LOCKSCORE_DATABASE_URL": filepath.Join(t.TempDir(), "cli.db"), "LOCKSCORE_LOG_LEVEL": "error"}
	for i := 0; i < 2; i++ {
		if code, _, errOut := runCLI(t, "", env, "migrate"); code != 0 {
			t.Fatalf("migrate: %s", errOut)
		}
	}
	recs, err := seed.Records()
	if err != nil {
		t.Fatal(err)
	}
	n := strconv.Itoa(len(recs))
	code, out, _ := runCLI(t, "", env, "seed")
	if code != 0 || !strings.Contains(out, n+" created") {
		t.Fatalf("seed: %q", out)
	}
	code, out, _ = runCLI(t, "", env, "seed")
	if code != 0 || !strings.Contains(out, "0 created, 0 updated, "+n+" unchanged") {
		t.Fatalf("second seed: %q", out)
	}
}

func TestVersionNamesTheMethodologyInForce(t *testing.T) {
	code, out, _ := runCLI(t, "", nil, "version")
	if code != 0 || !strings.Contains(out, "(methodology "+scoring.Default.Methodology().Version+")") {
		t.Fatalf("version: exit %d %q", code, out)
	}
}
