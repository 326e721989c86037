// Package apikeys issues, checks and revokes the catalogue editors' API
// keys. Only the SHA-256 of a secret is stored; a secret is shown once, when
// it is created, and compared in constant time.
package apikeys

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"regexp"
	"strings"
	"time"

	"github.com/lockscore/lockscore/internal/store"
	"github.com/lockscore/lockscore/models"
)

// Prefix starts every secret, so a leaked one is easy to recognise.
const Prefix = "lsk_"

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// Keys manages API keys in a store.
type Keys struct {
	store *store.Store
	now   func() time.Time
}

// New returns a key manager over st.
func New(st *store.Store) *Keys {
	return &Keys{store: st, now: func() time.Time { return time.Now().UTC() }}
}

// Hash returns the hex SHA-256 of a secret.
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Create makes a key and returns it with its secret, which is never
// retrievable again. Returns an invalid error for a bad name or scope and a
// conflict error when the name is taken.
func (k *Keys) Create(ctx context.Context, name, scope string) (models.APIKey, string, error) {
	if !nameRE.MatchString(name) {
		return models.APIKey{}, "", models.Invalid("invalid API key name", []models.FieldError{{Field: "name", Message: "must be 1-100 letters, digits, dots, hyphens or underscores"}})
	}
	if scope != models.ScopeWrite && scope != models.ScopeAdmin {
		return models.APIKey{}, "", models.Invalid("invalid API key scope", []models.FieldError{{Field: "scope", Message: "must be write or admin"}})
	}
	buf := make([]byte, 32) // 256 bits of entropy
	if _, err := rand.Read(buf); err != nil {
		return models.APIKey{}, "", err
	}
	secret := Prefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(buf))
	key, err := k.store.CreateAPIKey(ctx, name, scope, Hash(secret))
	if err != nil {
		return models.APIKey{}, "", err
	}
	return key, secret, nil
}

// Authenticate returns the key a secret belongs to. It returns an
// unauthorized error for an unknown secret and a forbidden error for a
// revoked key or one whose scope is smaller than need.
func (k *Keys) Authenticate(ctx context.Context, secret, need string) (models.APIKey, error) {
	if !strings.HasPrefix(secret, Prefix) || len(secret) > 200 {
		return models.APIKey{}, models.Errorf(models.KindUnauthorized, "unknown API key")
	}
	h := Hash(secret)
	key, err := k.store.FindAPIKeyByHash(ctx, h)
	if err != nil {
		return models.APIKey{}, err
	}
	// The lookup used the hash; compare it again in constant time so that
	// no code path depends on how much of the secret matched.
	if subtle.ConstantTimeCompare([]byte(key.SecretHash), []byte(h)) != 1 {
		return models.APIKey{}, models.Errorf(models.KindUnauthorized, "unknown API key")
	}
	if key.RevokedAt != nil {
		return models.APIKey{}, models.Errorf(models.KindForbidden, "the API key %q has been revoked", key.Name)
	}
	if need == models.ScopeAdmin && key.Scope != models.ScopeAdmin {
		return models.APIKey{}, models.Errorf(models.KindForbidden, "the API key %q has scope %s; this needs %s", key.Name, key.Scope, need)
	}
	// Last-used is best effort and kept to the minute: a write per request
	// would queue every authenticated call behind SQLite's single writer.
	if now := k.now(); key.LastUsedAt == nil || now.Sub(*key.LastUsedAt) > time.Minute {
		_ = k.store.TouchAPIKey(ctx, key.ID, now)
	}
	return key, nil
}

// List returns every key (never a secret).
func (k *Keys) List(ctx context.Context) ([]models.APIKey, error) { return k.store.ListAPIKeys(ctx) }

// Revoke revokes the key named name.
func (k *Keys) Revoke(ctx context.Context, name string) error {
	return k.store.RevokeAPIKey(ctx, name, k.now())
}
