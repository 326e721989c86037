-- +goose Up
-- Idempotency-Key on editing POSTs: the first answer to a key, kept for a
-- day so a retried request gets it again instead of acting twice. status 0
-- marks a request still in progress.
CREATE TABLE idempotency_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    api_key_name VARCHAR(100) NOT NULL,
    idem_key VARCHAR(255) NOT NULL,
    request_hash VARCHAR(64) NOT NULL,
    status INTEGER NOT NULL DEFAULT 0,
    content_type VARCHAR(100) NOT NULL DEFAULT '',
    etag VARCHAR(100) NOT NULL DEFAULT '',
    location VARCHAR(2048) NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX idx_idempotency_keys_key ON idempotency_keys (api_key_name, idem_key);
CREATE INDEX idx_idempotency_keys_created_at ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
