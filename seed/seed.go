// Package seed holds the embedded starting catalogue, transcribed from the
// research catalogue (see seed/README.md for every mapping rule), and loads
// it into the database without ever overwriting an editor's change.
package seed

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/lockscore/lockscore/internal/catalogue"
)

//go:embed catalogue.json
var catalogueJSON []byte

// Records decodes the embedded catalogue strictly, as the API would.
func Records() ([]catalogue.Record, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(catalogueJSON, &raw); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	out := make([]catalogue.Record, 0, len(raw))
	for i, r := range raw {
		rec, err := catalogue.DecodeRecord(bytes.TrimSpace(r))
		if err != nil {
			return nil, fmt.Errorf("seed: record %d: %w", i+1, err)
		}
		out = append(out, rec)
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
