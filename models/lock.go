package models

import (
	"time"

	"github.com/lockscore/lockscore/internal/scoring"
)

// LockModel is one smart lock model in the catalogue. The scoring attributes
// of methodology §7 are embedded, one nullable column each, under their
// public names.
type LockModel struct {
	ID            uint64   `gorm:"primaryKey"`
	Slug          string   `gorm:"size:100;uniqueIndex;not null"`
	Brand         string   `gorm:"size:100;not null"`
	Model         string   `gorm:"size:200;not null"`
	Variant       string   `gorm:"size:200;not null;default:''"`
	Markets       []string `gorm:"serializer:json;not null"`
	FormFactor    string   `gorm:"size:40;not null"`
	DoorTypes     []string `gorm:"serializer:json;not null"`
	Status        string   `gorm:"size:20;not null"`
	ReleaseYear   *int
	PriceAmount   *float64
	PriceCurrency *string `gorm:"size:3"`
	PriceAsOf     *string `gorm:"size:10"`
	ProductURL    *string `gorm:"size:2048"`
	ImageURL      *string `gorm:"size:2048"`
	scoring.Lock
	Sources        []Source   `gorm:"serializer:json;not null"`
	Incidents      []Incident `gorm:"serializer:json;not null"`
	Notes          string     `gorm:"not null;default:''"`
	DataConfidence string     `gorm:"size:10;not null"`

	Version int `gorm:"not null"`
	// CatalogueRevision is the catalogue revision of this record's last
	// change; replicas load the records changed since the revision they hold.
	CatalogueRevision int64 `gorm:"not null"` // indexed with slug for the change feed (migration 00002)
	// LastEditor is the API key name (or "seed") behind the last change; the
	// seed never overwrites a record whose last editor is not the seed.
	LastEditor string `gorm:"size:100;not null"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
	DeletedAt  *time.Time `gorm:"index"`

	// The stored intrinsic assessment, recomputed with every change.
	Score              float64 `gorm:"not null;index"`
	ScoreUpper         float64 `gorm:"not null"`
	Band               string  `gorm:"size:1;not null;index"`
	Label              string  `gorm:"size:20;not null"`
	Provisional        bool    `gorm:"not null"`
	MethodologyVersion string  `gorm:"size:10;not null"`
	// MethodologyHash is the content hash of that methodology (migration
	// 00004): a change to any of its numbers recomputes the assessment.
	MethodologyHash string `gorm:"size:64;not null;default:''"`
}

// TableName keeps the table name stable whatever GORM's naming rules.
func (LockModel) TableName() string { return "lock_models" }

// Source is a reference that supports some of a record's facts.
type Source struct {
	URL      string   `json:"url" validate:"required,max=2048,httpurl" example:"https://support.nuki.io/hc/en-us"`
	Title    string   `json:"title" validate:"max=300" example:"Nuki support: what happens when the batteries are flat" binding:"optional"`
	Supports []string `json:"supports" validate:"max=40,dive,min=1,max=80" example:"emergency_power" binding:"optional"`
	Accessed *string  `json:"accessed" validate:"omitempty,datetime=2006-01-02" example:"2026-11-01" extensions:"x-nullable" binding:"optional"`
}

// Incident is a dated, sourced failure report about a model.
type Incident struct {
	Date      *string `json:"date" validate:"omitempty,max=20" example:"2017-08" extensions:"x-nullable" binding:"optional"`
	Summary   string  `json:"summary" validate:"required,max=2000" example:"Firmware update bricked about 500 locks"`
	SourceURL string  `json:"source_url" validate:"required,max=2048,httpurl" example:"https://www.bleepingcomputer.com/news/hardware/botched-firmware-update-bricks-hundreds-of-smart-door-locks/"`
}

// Summary returns the stored intrinsic assessment summary.
func (m *LockModel) Summary() scoring.Summary {
	return scoring.Summary{Score: m.Score, ScoreUpper: m.ScoreUpper, Band: m.Band, Label: m.Label,
		Provisional: m.Provisional, MethodologyVersion: m.MethodologyVersion}
}

// SetSummary stores an intrinsic assessment summary on the record.
func (m *LockModel) SetSummary(s scoring.Summary) {
	m.Score, m.ScoreUpper, m.Band, m.Label, m.Provisional, m.MethodologyVersion =
		s.Score, s.ScoreUpper, s.Band, s.Label, s.Provisional, s.MethodologyVersion
}

// Revision is the full snapshot of one version of a lock model.
type Revision struct {
	ID         uint64    `gorm:"primaryKey"`
	LockID     uint64    `gorm:"not null;uniqueIndex:idx_revision_lock_version"`
	Version    int       `gorm:"not null;uniqueIndex:idx_revision_lock_version"`
	Slug       string    `gorm:"size:100;not null;index"`
	Action     string    `gorm:"size:20;not null"`
	Summary    string    `gorm:"size:500;not null"`
	APIKeyName string    `gorm:"column:api_key_name;size:100;not null"`
	Snapshot   string    `gorm:"not null"`
	CreatedAt  time.Time `gorm:"not null"`
}

// TableName keeps the table name stable.
func (Revision) TableName() string { return "revisions" }

// Revision actions.
const (
	ActionCreate  = "create"
	ActionReplace = "replace"
	ActionPatch   = "patch"
	ActionDelete  = "delete"
	ActionRestore = "restore"
	ActionImport  = "import"
	ActionSeed    = "seed"
)

// APIKey is a catalogue editor's key; only the SHA-256 of its secret is kept.
type APIKey struct {
	ID         uint64 `gorm:"primaryKey"`
	Name       string `gorm:"size:100;uniqueIndex;not null"`
	SecretHash string `gorm:"size:64;uniqueIndex;not null"`
	Scope      string `gorm:"size:10;not null"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// TableName keeps the table name stable.
func (APIKey) TableName() string { return "api_keys" }

// API key scopes; admin includes write.
const (
	ScopeWrite = "write"
	ScopeAdmin = "admin"
)

// CatalogueState holds the catalogue revision, a counter every change raises.
type CatalogueState struct {
	ID       int   `gorm:"primaryKey"`
	Revision int64 `gorm:"not null"`
}

// TableName keeps the table name stable.
func (CatalogueState) TableName() string { return "catalogue_state" }

// Vocabularies of the catalogue fields outside methodology §7: one slice
// each, read by the validator, the decoders and the API's filters; a test
// checks the OpenAPI document's enums against them.
var (
	Markets     = []string{"UK", "IE", "EU", "DE", "FR", "NL", "CH", "Nordics", "US", "CA", "AU", "NZ", "JP", "KR", "BR", "Asia", "global"}
	FormFactors = []string{"deadbolt", "retrofit", "euro_cylinder_motorised", "euro_cylinder_electronic", "mortise", "rim_nightlatch", "handle", "other"}
	// DoorTypes is the context's door-type vocabulary, which a record's
	// door_types shares.
	DoorTypes       = scoring.DoorTypes
	Statuses        = []string{"current", "discontinued", "unknown"}
	DataConfidences = []string{"high", "medium", "low"}
)

// Vocabularies names each vocabulary for the validator's vocab=NAME tag.
var Vocabularies = map[string][]string{
	"market": Markets, "form_factor": FormFactors, "door_type": DoorTypes, "status": Statuses, "data_confidence": DataConfidences,
}

// IdempotencyKey is the first answer to an editing POST sent with an
// Idempotency-Key header, kept so that a retry gets it again. Status 0
// marks a request still in progress.
type IdempotencyKey struct {
	ID          uint64 `gorm:"primaryKey"`
	APIKeyName  string `gorm:"column:api_key_name;size:100;not null"`
	Key         string `gorm:"column:idem_key;size:255;not null"`
	RequestHash string `gorm:"size:64;not null"`
	Status      int    `gorm:"not null"`
	ContentType string `gorm:"size:100;not null"`
	ETag        string `gorm:"column:etag;size:100;not null"`
	Location    string `gorm:"size:2048;not null"`
	Body        string `gorm:"not null"`
	CreatedAt   time.Time
}

// TableName keeps the table name stable.
func (IdempotencyKey) TableName() string { return "idempotency_keys" }
