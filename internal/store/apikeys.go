package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/lockscore/lockscore/models"
)

// CreateAPIKey stores a new key by the hash of its secret. Returns a
// conflict error when the name is taken.
func (s *Store) CreateAPIKey(ctx context.Context, name, scope, secretHash string) (models.APIKey, error) {
	k := models.APIKey{Name: name, Scope: scope, SecretHash: secretHash}
	err := s.write.WithContext(ctx).Create(&k).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return k, models.Errorf(models.KindConflict, "an API key named %q already exists", name)
	}
	if err != nil {
		return k, fmt.Errorf("store: create api key: %w", err)
	}
	return k, nil
}

// FindAPIKeyByHash returns the key whose secret hashes to secretHash.
func (s *Store) FindAPIKeyByHash(ctx context.Context, secretHash string) (models.APIKey, error) {
	var k models.APIKey
	err := s.read.WithContext(ctx).Where("secret_hash = ?", secretHash).First(&k).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return k, models.Errorf(models.KindUnauthorized, "unknown API key")
	}
	if err != nil {
		return k, fmt.Errorf("store: find api key: %w", err)
	}
	return k, nil
}

// TouchAPIKey records that a key was used.
func (s *Store) TouchAPIKey(ctx context.Context, id uint64, at time.Time) error {
	return s.write.WithContext(ctx).Model(&models.APIKey{}).Where("id = ?", id).Update("last_used_at", at).Error
}

// ListAPIKeys lists every key, oldest first.
func (s *Store) ListAPIKeys(ctx context.Context) ([]models.APIKey, error) {
	var keys []models.APIKey
	err := s.read.WithContext(ctx).Order("id").Find(&keys).Error
	return keys, err
}

// RevokeAPIKey revokes the key named name. Returns a not-found error when there is none.
func (s *Store) RevokeAPIKey(ctx context.Context, name string, at time.Time) error {
	res := s.write.WithContext(ctx).Model(&models.APIKey{}).Where("name = ? AND revoked_at IS NULL", name).Update("revoked_at", at)
	if res.Error != nil {
		return fmt.Errorf("store: revoke api key: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return models.NotFound("no active API key named %q", name)
	}
	return nil
}
