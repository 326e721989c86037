package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// The committed OpenAPI 3 document is exactly what converting the committed
// Swagger 2.0 document gives, and it keeps the properties generated clients
// rely on: errors only as problem+json, successes never, no body on 304.
func TestConvertedDocumentIsCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "openapi.json")
	if err := convert("../../docs/swagger.json", out); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	want, err := os.ReadFile("../../docs/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("docs/openapi.json is not the conversion of docs/swagger.json: run ./scripts/gendocs.sh")
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]json.RawMessage `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			for code, resp := range op.Responses {
				_, problem := resp.Content["application/problem+json"]
				_, plain := resp.Content["application/json"]
				switch {
				case code == "304" && len(resp.Content) > 0:
					t.Errorf("%s %s: a 304 with a body", method, path)
				case code[0] >= '4' && (plain || !problem):
					t.Errorf("%s %s %s: errors must be application/problem+json only", method, path, code)
				case code[0] == '2' && problem:
					t.Errorf("%s %s %s: a success declared as a problem", method, path, code)
				}
			}
		}
	}
}
