-- +goose Up
-- The catalogue schema, version 1. The same tables and columns on SQLite and
-- PostgreSQL; only the types differ where the engines spell them differently.
CREATE TABLE catalogue_state (
    id INTEGER PRIMARY KEY,
    revision INTEGER NOT NULL
);
INSERT INTO catalogue_state (id, revision) VALUES (1, 0);

CREATE TABLE lock_models (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug VARCHAR(100) NOT NULL,
    brand VARCHAR(100) NOT NULL,
    model VARCHAR(200) NOT NULL,
    variant VARCHAR(200) NOT NULL DEFAULT '',
    markets TEXT NOT NULL,
    form_factor VARCHAR(40) NOT NULL,
    door_types TEXT NOT NULL,
    status VARCHAR(20) NOT NULL,
    release_year INTEGER,
    price_amount REAL,
    price_currency VARCHAR(3),
    price_as_of VARCHAR(10),
    product_url VARCHAR(2048),
    image_url VARCHAR(2048),
    key_override TEXT,
    key_override_needs_emergency_cylinder BOOLEAN,
    override_cylinder_rating TEXT,
    emergency_power TEXT,
    interior_egress TEXT,
    motorised BOOLEAN,
    keypad BOOLEAN,
    fingerprint BOOLEAN,
    rfid BOOLEAN,
    phone_local BOOLEAN,
    phone_cloud BOOLEAN,
    low_battery_on_device BOOLEAN,
    low_battery_remote BOOLEAN,
    low_battery_reserve TEXT,
    jam_alert BOOLEAN,
    bhma_a156_40_grade TEXT,
    en_durability_class TEXT,
    electronic_standard TEXT,
    a156_33_battery_verified BOOLEAN,
    works_without_account BOOLEAN,
    update_support_declared BOOLEAN,
    recovery_without_vendor BOOLEAN,
    known_defect BOOLEAN,
    sources TEXT NOT NULL,
    incidents TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    data_confidence VARCHAR(10) NOT NULL,
    version INTEGER NOT NULL,
    catalogue_revision INTEGER NOT NULL,
    last_editor VARCHAR(100) NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted_at DATETIME,
    score REAL NOT NULL,
    score_upper REAL NOT NULL,
    band VARCHAR(1) NOT NULL,
    label VARCHAR(20) NOT NULL,
    provisional BOOLEAN NOT NULL,
    methodology_version VARCHAR(10) NOT NULL
);
CREATE UNIQUE INDEX idx_lock_models_slug ON lock_models (slug);
CREATE INDEX idx_lock_models_catalogue_revision ON lock_models (catalogue_revision);
CREATE INDEX idx_lock_models_deleted_at ON lock_models (deleted_at);
CREATE INDEX idx_lock_models_score ON lock_models (score DESC, slug);
CREATE INDEX idx_lock_models_band ON lock_models (band);

CREATE TABLE revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lock_id INTEGER NOT NULL REFERENCES lock_models (id),
    version INTEGER NOT NULL,
    slug VARCHAR(100) NOT NULL,
    action VARCHAR(20) NOT NULL,
    summary VARCHAR(500) NOT NULL,
    api_key_name VARCHAR(100) NOT NULL,
    snapshot TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX idx_revision_lock_version ON revisions (lock_id, version);
CREATE INDEX idx_revisions_slug ON revisions (slug);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(100) NOT NULL,
    secret_hash VARCHAR(64) NOT NULL,
    scope VARCHAR(10) NOT NULL,
    created_at DATETIME NOT NULL,
    last_used_at DATETIME,
    revoked_at DATETIME
);
CREATE UNIQUE INDEX idx_api_keys_name ON api_keys (name);
CREATE UNIQUE INDEX idx_api_keys_secret_hash ON api_keys (secret_hash);

-- +goose Down
DROP TABLE api_keys;
DROP TABLE revisions;
DROP TABLE lock_models;
DROP TABLE catalogue_state;
