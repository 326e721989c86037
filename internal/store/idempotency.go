package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/lockscore/lockscore/models"
)

// ClaimIdempotencyKey starts a request that carries idemKey for the API key
// apiKey. When the key is new, expired (older than keepFor) or abandoned
// (in progress for longer than abandonAfter, its server gone), it is
// claimed for this request and claimed is true. Otherwise the record of the
// earlier request comes back for the caller to replay or refuse.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, apiKey, idemKey, hash string, now time.Time, keepFor, abandonAfter time.Duration) (rec models.IdempotencyKey, claimed bool, err error) {
	for attempt := 0; attempt < 2; attempt++ {
		err = s.write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			claimed = false
			if err := tx.Where("created_at < ?", now.Add(-keepFor)).Delete(&models.IdempotencyKey{}).Error; err != nil {
				return err
			}
			err := tx.Where("api_key_name = ? AND idem_key = ?", apiKey, idemKey).First(&rec).Error
			switch {
			case errors.Is(err, gorm.ErrRecordNotFound):
				rec = models.IdempotencyKey{APIKeyName: apiKey, Key: idemKey, RequestHash: hash, CreatedAt: now}
				claimed = true
				return tx.Create(&rec).Error
			case err != nil:
				return err
			case rec.Status == 0 && rec.RequestHash == hash && rec.CreatedAt.Before(now.Add(-abandonAfter)):
				claimed = true
				rec.CreatedAt = now
				return tx.Model(&rec).Update("created_at", now).Error
			}
			return nil
		})
		// Two replicas inserting the same new key at once: the loser reads the winner's row.
		if !errors.Is(err, gorm.ErrDuplicatedKey) {
			break
		}
	}
	if err != nil {
		return rec, false, fmt.Errorf("store: claim idempotency key: %w", err)
	}
	return rec, claimed, nil
}

// CompleteIdempotencyKey stores the answer to the request that claimed id.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, id uint64, status int, contentType, etag, location string, body []byte) error {
	err := s.write.WithContext(ctx).Model(&models.IdempotencyKey{}).Where("id = ?", id).Updates(map[string]any{
		"status": status, "content_type": contentType, "etag": etag, "location": location, "body": string(body),
	}).Error
	if err != nil {
		return fmt.Errorf("store: complete idempotency key: %w", err)
	}
	return nil
}

// ReleaseIdempotencyKey forgets a claim whose request did not succeed, so
// the client may retry with the same key.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, id uint64) error {
	if err := s.write.WithContext(ctx).Where("id = ? AND status = 0", id).Delete(&models.IdempotencyKey{}).Error; err != nil {
		return fmt.Errorf("store: release idempotency key: %w", err)
	}
	return nil
}
