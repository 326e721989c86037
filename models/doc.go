// Package models holds lockscore's stored records as GORM models: lock
// models with their sources, incidents and stored assessment, the revisions
// that keep every version, API keys, and the catalogue revision counter. It
// also defines the error kinds the store and services return.
package models
