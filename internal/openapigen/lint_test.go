package main

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The committed document reads well in Swagger UI and generated clients:
// schema names carry no Go package ("RankingRow", not "api.RankingRow"),
// and no description cites a section of a document users cannot see
// ("§6") or holds an angle-bracket word that Markdown swallows as a tag
// ("Bearer <key>" renders as "Bearer ").
func TestDocumentLint(t *testing.T) {
	b, err := os.ReadFile("../../docs/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range lint(b) {
		t.Error(msg)
	}
}

func TestLintCatchesEachMistake(t *testing.T) {
	bad := `{"components":{"schemas":{"api.RankingRow":{"description":"see §6"}}},"info":{"description":"Bearer <key>"}}`
	if got := lint([]byte(bad)); len(got) != 3 {
		t.Fatalf("lint found %d problems, want 3: %q", len(got), got)
	}
}

var tagLike = regexp.MustCompile(`<[A-Za-z][A-Za-z0-9_-]*>`)

func lint(doc []byte) []string {
	var v struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	var all any
	if err := json.Unmarshal(doc, &v); err != nil {
		return []string{err.Error()}
	}
	_ = json.Unmarshal(doc, &all)
	var out []string
	for name := range v.Components.Schemas {
		if strings.Contains(name, ".") {
			out = append(out, "schema name "+name+" carries a Go package prefix: swag's --useStructName (scripts/gendocs.sh) or // @name")
		}
	}
	var walk func(path string, x any)
	walk = func(path string, x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && (k == "description" || k == "summary") {
					if strings.Contains(s, "§") {
						out = append(out, path+"/"+k+": cites a § of a document users cannot see: "+s)
					}
					if m := tagLike.FindString(s); m != "" {
						out = append(out, path+"/"+k+": "+m+" renders as an HTML tag; write YOUR_KEY or escape it")
					}
				}
				walk(path+"/"+k, e)
			}
		case []any:
			for _, e := range x {
				walk(path+"[]", e)
			}
		}
	}
	walk("", all)
	return out
}
