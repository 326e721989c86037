package api

import (
	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/scoring"
)

// LockListItem is one lock model in a list.
type LockListItem struct {
	Slug       string          `json:"slug" example:"yale-conexis-l2"`
	Brand      string          `json:"brand" example:"Yale"`
	Model      string          `json:"model" example:"Conexis L2"`
	Variant    string          `json:"variant" example:""`
	FormFactor string          `json:"form_factor" example:"euro_cylinder_motorised"`
	Markets    []string        `json:"markets" example:"UK"`
	DoorTypes  []string        `json:"door_types" example:"uk_multipoint"`
	Status     string          `json:"status" example:"current"`
	UpdatedAt  string          `json:"updated_at" example:"2026-11-26T10:00:00Z"`
	Assessment scoring.Summary `json:"assessment"`
}

// LockList is a page of lock models.
type LockList struct {
	Items []LockListItem `json:"items"`
	// Total counts every lock model matching the filters, on all pages.
	Total int `json:"total" example:"62"`
	// NextCursor fetches the next page; null on the last page.
	NextCursor *string `json:"next_cursor" example:"eyJzIjoiLXNjb3JlIn0" extensions:"x-nullable"`
}

// RankingRow is one lock model in a ranking for a context.
type RankingRow struct {
	Rank       int     `json:"rank" example:"1"`
	Slug       string  `json:"slug" example:"schlage-encode-plus"`
	Brand      string  `json:"brand" example:"Schlage"`
	Model      string  `json:"model" example:"Encode Plus"`
	Score      float64 `json:"score" example:"81.8"`
	ScoreUpper float64 `json:"score_upper" example:"99.3"`
	// ScoreUncapped is the lower bound before the gates' caps; it breaks ties.
	ScoreUncapped float64  `json:"score_uncapped" example:"81.8"`
	Band          string   `json:"band" enums:"A,B,C,D,E" example:"B"`
	Label         string   `json:"label" example:"Recommended"`
	Provisional   bool     `json:"provisional"`
	Gates         []string `json:"gates" example:"G1"`
	// GateReason is the reason of the first gate; null when none fired.
	GateReason *string `json:"gate_reason" extensions:"x-nullable"`
	// GateBasis is the first gate's basis (known or unknown); null when none fired.
	GateBasis *string `json:"gate_basis" enums:"known,unknown" extensions:"x-nullable"`
	// Fits says whether the lock fits the context's door type: null when
	// unknown or when no door_type is given.
	Fits *bool `json:"fits" extensions:"x-nullable"`
	// Verdict is the plain-English verdict in this context.
	Verdict string `json:"verdict" example:"Conditional for a main entrance (C): it is not known whether the cylinder the key turns is rated TS 007 3-star or Sold Secure Diamond; until that is confirmed it is rated as if it could be snapped."`
	// Lock is the lock's catalogue summary, with expand=lock.
	Lock *LockSummary `json:"lock,omitempty"`
}

// Ranking is a page of the main-entrance ranking for one context.
type Ranking struct {
	Items              []RankingRow    `json:"items"`
	Total              int             `json:"total" example:"62"`
	NextCursor         *string         `json:"next_cursor" extensions:"x-nullable"`
	Context            scoring.Context `json:"context"`
	MethodologyVersion string          `json:"methodology_version" example:"1"`
}

// LockAssessment is a catalogue lock's full assessment in a context.
type LockAssessment struct {
	Slug string `json:"slug" example:"yale-conexis-l2"`
	scoring.Assessment
	Context scoring.Context `json:"context"`
	// Sensitivity is present when ?sensitivity=true.
	Sensitivity *scoring.SensitivityReport `json:"sensitivity,omitempty"`
}

// CompareLock is one compared lock's summary.
type CompareLock struct {
	Slug       string          `json:"slug" example:"nuki-smart-lock-4th-gen"`
	Brand      string          `json:"brand" example:"Nuki"`
	Model      string          `json:"model" example:"Smart Lock (4th gen)"`
	Assessment scoring.Summary `json:"assessment"`
	Gates      []string        `json:"gates"`
	// Fits says whether the lock fits the context's door type (null when
	// unknown or no door_type is given).
	Fits *bool `json:"fits" extensions:"x-nullable"`
	// Lock is the lock's catalogue summary, with expand=lock.
	Lock *LockSummary `json:"lock,omitempty"`
}

// CompareCell is one lock's result in one scenario.
type CompareCell struct {
	Slug     string          `json:"slug" example:"nuki-smart-lock-4th-gen"`
	BestPath scoring.PathRef `json:"best_path" swaggertype:"string" example:"key" extensions:"x-nullable"`
	Quality  float64         `json:"quality" example:"1"`
	Points   float64         `json:"points" example:"18.75"`
}

// CompareScenario is one row of the scenario × lock matrix.
type CompareScenario struct {
	ID     string        `json:"id" example:"S1"`
	Name   string        `json:"name" example:"Lock batteries flat"`
	Weight float64       `json:"weight" example:"25"`
	Locks  []CompareCell `json:"locks"`
}

// CompareDifference is an attribute whose values differ between the locks.
type CompareDifference struct {
	Attribute string `json:"attribute" example:"key_override"`
	// Values holds each lock's value, in the order of the compared slugs.
	Values []CompareValue `json:"values"`
}

// CompareValue is one lock's value of an attribute: its text form ("true",
// "false" or a vocabulary value), or null when unknown.
type CompareValue struct {
	Slug  string  `json:"slug" example:"yale-conexis-l2"`
	Value *string `json:"value" example:"none" extensions:"x-nullable"`
}

// Comparison is a side-by-side comparison of 2 to 10 locks.
type Comparison struct {
	Locks       []CompareLock       `json:"locks"`
	Scenarios   []CompareScenario   `json:"scenarios"`
	Differences []CompareDifference `json:"differences"`
	Context     scoring.Context     `json:"context"`
}

// Facets counts lock models per value of each filter dimension.
type Facets struct {
	Total int `json:"total" example:"62"`
	// Facets maps a dimension (brand, market, form_factor, door_type,
	// key_override, emergency_power, band) to counts per value.
	Facets map[string]map[string]int `json:"facets"`
	// Context is the context of the band counts; absent for intrinsic counts.
	Context *scoring.Context `json:"context,omitempty" binding:"optional"`
}

// RevisionList is every version of a lock model, newest first.
type RevisionList struct {
	Slug  string                   `json:"slug" example:"yale-conexis-l2"`
	Items []catalogue.RevisionInfo `json:"items"`
}

// Health is the body of /healthz and /readyz.
type Health struct {
	Status string `json:"status" example:"ok"`
	// Revision is the catalogue revision of the served snapshot (readyz).
	Revision int64 `json:"revision,omitempty" example:"62"`
	Locks    int   `json:"locks,omitempty" example:"62"`
}

// Index is the body of GET /.
type Index struct {
	Name        string            `json:"name" example:"lockscore"`
	Description string            `json:"description"`
	Links       map[string]string `json:"links"`
}

// LockPatch is an RFC 7396 JSON merge patch of a lock model: any subset of
// the record's fields; null makes a scoring attribute unknown and clears an
// optional field. It is documented as its own free-form object because a
// patch, unlike a record, requires no field.
type LockPatch map[string]any
