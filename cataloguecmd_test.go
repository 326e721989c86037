package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/quality"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/internal/testutil"
	"github.com/lockscore/lockscore/seed"
)

func TestCatalogueReportCommand(t *testing.T) {
	recs, err := seed.Records()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", nil, "catalogue", "report")
	if code != 0 || !strings.Contains(out, "catalogue report: "+strconv.Itoa(len(recs))+" models") || !strings.Contains(out, "targets (issue 11)") {
		t.Fatalf("text report: exit %d, stderr %q\n%s", code, errOut, out)
	}
	code, out, _ = runCLI(t, "", nil, "catalogue", "report", "--format", "json")
	var rep quality.Report
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil {
		t.Fatalf("json report: exit %d, %v\n%s", code, err, out)
	}
	if rep.Models != len(recs) || len(rep.Targets) != 7 {
		t.Errorf("json report of the seed: %d models, %d targets", rep.Models, len(rep.Targets))
	}

	// --db reads the database: empty after migrate, the seed after seed.
	env := map[string]string{"LOCKSCORE_DATABASE_URL": filepath.Join(t.TempDir(), "report.db"), "LOCKSCORE_LOG_LEVEL": "error"}
	if code, _, errOut := runCLI(t, "", env, "migrate"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut = runCLI(t, "", env, "catalogue", "report", "--db", "--format", "json")
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || rep.Models != 0 {
		t.Fatalf("empty database: exit %d, %v, stderr %q\n%s", code, err, errOut, out)
	}
	if code, _, errOut := runCLI(t, "", env, "seed"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, _ = runCLI(t, "", env, "catalogue", "report", "--db", "--format", "json")
	var fromDB quality.Report
	if err := json.Unmarshal([]byte(out), &fromDB); code != 0 || err != nil || fromDB.Models != len(recs) {
		t.Fatalf("seeded database: exit %d, %v, %d models", code, err, fromDB.Models)
	}
	embedded, _ := json.Marshal(quality.Compute(ptrs(recs), scoring.Default))
	if got, _ := json.Marshal(fromDB); string(got) != string(embedded) {
		t.Errorf("the seeded database's report differs from the seed's:\n%s\n%s", got, embedded)
	}
	code, out, _ = runCLI(t, "", nil, "catalogue", "report", "--database-url", env["LOCKSCORE_DATABASE_URL"], "--format", "json")
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || rep.Models != len(recs) {
		t.Errorf("--database-url: exit %d, %v, %d models", code, err, rep.Models)
	}

	for _, args := range [][]string{{"catalogue"}, {"catalogue", "list"}, {"catalogue", "report", "--format", "xml"}, {"catalogue", "report", "extra"}} {
		if code, out, errOut := runCLI(t, "", nil, args...); code != 2 || out != "" || errOut == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// The embedded report assesses with scoring.Default, as the catalogue
// service does; if the service's engine changes, the command must follow.
func TestCatalogueReportUsesTheServiceEngine(t *testing.T) {
	svc := testutil.Catalogue(t, filepath.Join(t.TempDir(), "engine.db"), false)
	if svc.Engine() != scoring.Default {
		t.Fatal("the catalogue service no longer uses scoring.Default: make catalogueCmd use its engine for the embedded seed")
	}
}

func ptrs(recs []catalogue.Record) []*catalogue.Record {
	out := make([]*catalogue.Record, len(recs))
	for i := range recs {
		out[i] = &recs[i]
	}
	return out
}
