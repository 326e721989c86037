-- +goose Up
-- The content hash of the methodology behind each stored assessment, so a
-- change to any number or text of the methodology (not only its version
-- string) recomputes the stored assessments on start-up.
ALTER TABLE lock_models ADD COLUMN methodology_hash VARCHAR(64) NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE lock_models DROP COLUMN methodology_hash;
