package methoddoc_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/lockscore/lockscore/internal/methoddoc"
	"github.com/lockscore/lockscore/internal/scoring"
)

// The committed docs/methodology.md is what the engine's methodology
// generates: a changed weight, path, gate or band fails here until
// ./scripts/gendocs.sh is run.
func TestCommittedDocumentIsGenerated(t *testing.T) {
	committed, err := os.ReadFile("../../docs/methodology.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := methoddoc.Markdown(scoring.Default.Methodology()); !bytes.Equal(committed, want) {
		t.Fatal("docs/methodology.md differs from the methodology the engine uses: run ./scripts/gendocs.sh")
	}
}

// Every number of the tables comes from the value: change one and the text changes.
func TestTablesFollowTheValue(t *testing.T) {
	m := *scoring.Default.Methodology()
	m.Scenarios = append([]scoring.ScenarioDef(nil), m.Scenarios...)
	m.Scenarios[0].Weight = 31
	m.Gates = append([]scoring.GateDef(nil), m.Gates...)
	m.Gates[0].CapBand = "E"
	m.Bands = append([]scoring.BandDef(nil), m.Bands...)
	m.Bands[0].Min = 88
	m.Paths = append([]scoring.PathDef(nil), m.Paths...)
	m.Paths[1].Quality = 0.77
	got := string(methoddoc.Markdown(&m))
	for _, want := range []string{
		"| " + m.Scenarios[0].ID + " | " + m.Scenarios[0].Name + " | `" + strings.Join(m.Scenarios[0].Kills, "`, `") + "` | 31 |",
		"| " + m.Gates[0].ID + " | ",
		"| A | 88 to ",
		"| `" + m.Paths[1].ID + "` | " + m.Paths[1].Name + " | 0.77 |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in the generated document", want)
		}
	}
	if !strings.Contains(got, "| E | "+m.Gates[0].CapBandWithOtherDoor+" |") {
		t.Error("the gate's cap is not in its row")
	}
}

func TestHTMLHasAnchorsForTheLinks(t *testing.T) {
	page, err := methoddoc.HTML("lockscore methodology", methoddoc.Markdown(scoring.Default.Methodology()))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"score", "paths", "scenarios", "detection", "evidence", "bands", "gates", "context", "unknowns", "attributes"} {
		if !bytes.Contains(page, []byte(`id="`+id+`"`)) {
			t.Errorf("no anchor #%s", id)
		}
		if !bytes.Contains(page, []byte("<table>")) {
			t.Fatal("tables are not rendered")
		}
	}
}
