-- +goose Up
-- The change feed walks lock models in (catalogue_revision, slug) order;
-- this index serves that walk and the replicas' catalogue_revision ranges.
CREATE INDEX idx_lock_models_changes ON lock_models (catalogue_revision, slug);
DROP INDEX idx_lock_models_catalogue_revision;

-- +goose Down
CREATE INDEX idx_lock_models_catalogue_revision ON lock_models (catalogue_revision);
DROP INDEX idx_lock_models_changes;
