// Package seed holds the embedded starting catalogue, one JSON file per brand
// under catalogue/ (the project's source of truth; see seed/README.md for the
// sourcing rules), and loads it into the database without ever overwriting
// an editor's change.
package seed

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"

	"github.com/lockscore/lockscore/internal/catalogue"
)

//go:embed catalogue/*.json
var catalogueFS embed.FS

// Files returns the embedded brand files' names, sorted.
func Files() ([]string, error) {
	names, err := fs.Glob(catalogueFS, "catalogue/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

// File returns one embedded brand file's bytes.
func File(name string) ([]byte, error) { return catalogueFS.ReadFile(name) }

// Records decodes every embedded brand file strictly, as the API would, in
// file-name order and then in each file's order.
func Records() ([]catalogue.Record, error) {
	names, err := Files()
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	var out []catalogue.Record
	for _, name := range names {
		b, err := catalogueFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("seed: %w", err)
		}
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, fmt.Errorf("seed: %s: %w", name, err)
		}
		for i, r := range raw {
			rec, err := catalogue.DecodeRecord(bytes.TrimSpace(r))
			if err != nil {
				return nil, fmt.Errorf("seed: %s record %d: %w", name, i+1, err)
			}
			out = append(out, rec)
		}
	}
	return out, nil
}

// Load seeds the catalogue through svc. Running it again changes nothing.
func Load(ctx context.Context, svc *catalogue.Service) (catalogue.SeedReport, error) {
	recs, err := Records()
	if err != nil {
		return catalogue.SeedReport{}, err
	}
	return svc.Seed(ctx, recs)
}
