package api_test

import (
	"encoding/json"
	"os"
	"slices"
	"sort"
	"testing"

	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

// Every enum the OpenAPI document states, on a parameter or a property, is
// exactly the vocabulary slice the code uses (one slice per vocabulary), so
// an annotation cannot drift from what the server accepts.
func TestOpenAPIEnumsAreTheVocabularies(t *testing.T) {
	vocab := map[string][]string{
		"door_type": scoring.DoorTypes, "door_types": scoring.DoorTypes,
		"cylinder_rating": scoring.CylinderRatings, "occupants": scoring.OccupantValues,
		"market": models.Markets, "markets": models.Markets, "form_factor": models.FormFactors,
		"status": models.Statuses, "data_confidence": models.DataConfidences,
		"basis": {scoring.BasisKnown, scoring.BasisUnknown}, "gate_basis": {scoring.BasisKnown, scoring.BasisUnknown},
	}
	for i := range scoring.Attributes {
		if a := &scoring.Attributes[i]; a.Type == "enum" {
			vocab[a.Name] = a.Values
		}
	}
	// Filters also take "unknown" for a null attribute.
	filterExtra := map[string]bool{"key_override": true, "emergency_power": true}
	b, err := os.ReadFile("../docs/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	enumOf := func(schema map[string]any) []string {
		for _, s := range []map[string]any{schema, asMap(schema["items"])} {
			if e, ok := s["enum"].([]any); ok {
				out := make([]string, len(e))
				for i, v := range e {
					out[i], _ = v.(string)
				}
				return out
			}
		}
		return nil
	}
	check := func(where, name string, got []string, param bool) {
		want, ok := vocab[name]
		if !ok || got == nil {
			return
		}
		w := slices.Clone(want)
		if param && filterExtra[name] {
			w = append(w, "unknown")
		}
		g := slices.Clone(got)
		sort.Strings(w)
		sort.Strings(g)
		if !slices.Equal(g, w) {
			t.Errorf("%s %s: enum %v, the code's vocabulary %v", where, name, got, want)
		}
	}
	checked := 0
	var walk func(path string, n any)
	walk = func(path string, n any) {
		switch v := n.(type) {
		case map[string]any:
			if name, ok := v["name"].(string); ok && v["in"] != nil {
				if e := enumOf(asMap(v["schema"])); e != nil {
					check(path, name, e, true)
					checked++
				}
			}
			if props := asMap(v["properties"]); props != nil {
				for name, p := range props {
					if e := enumOf(asMap(p)); e != nil {
						check(path, name, e, false)
						checked++
					}
				}
			}
			for k, c := range v {
				walk(path+"/"+k, c)
			}
		case []any:
			for _, c := range v {
				walk(path, c)
			}
		}
	}
	walk("", doc)
	if checked < 20 {
		t.Fatalf("only %d enums found: is the document's shape what this test expects?", checked)
	}
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
