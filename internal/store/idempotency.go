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
// apiKey. When the key is new or expired (older than keepFor), or its claim
// was abandoned (still in progress after lease, longer than the request
// could have run: its server is gone), it is claimed for this request and
// claimed is true. An abandoned claim is replaced by a new row, so its
// old owner, should it still be running, can no longer complete it (see
// Tx.CompleteIdempotencyKey). Otherwise the record of the earlier request
// comes back for the caller to replay or refuse.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, apiKey, idemKey, hash string, now time.Time, keepFor, lease time.Duration) (rec models.IdempotencyKey, claimed bool, err error) {
	for attempt := 0; attempt < 2; attempt++ {
		err = s.write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			claimed = false
			if err := tx.Where("created_at < ?", now.Add(-keepFor)).Delete(&models.IdempotencyKey{}).Error; err != nil {
				return err
			}
			err := tx.Where("api_key_name = ? AND idem_key = ?", apiKey, idemKey).First(&rec).Error
			switch {
			case errors.Is(err, gorm.ErrRecordNotFound):
			case err != nil:
				return err
			case rec.Status == 0 && rec.RequestHash == hash && rec.CreatedAt.Before(now.Add(-lease)):
				res := tx.Where("id = ? AND status = 0", rec.ID).Delete(&models.IdempotencyKey{})
				if res.Error != nil {
					return res.Error
				}
				if res.RowsAffected == 0 { // completed meanwhile: replay it
					return tx.Where("api_key_name = ? AND idem_key = ?", apiKey, idemKey).First(&rec).Error
				}
			default:
				return nil
			}
			rec = models.IdempotencyKey{APIKeyName: apiKey, Key: idemKey, RequestHash: hash, CreatedAt: now}
			claimed = true
			return tx.Create(&rec).Error
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

// Answer is the stored answer to an idempotent request.
type Answer struct {
	Status                      int
	ContentType, ETag, Location string
	Body                        []byte
}

// Claim is an idempotency key claimed by the request in progress. Put in
// the write's context (WithClaim), it lets the write store its answer in
// its own transaction (Tx.Answer), so that the write and its answer commit
// together or not at all.
type Claim struct {
	ID uint64
	// Render makes the answer from the write's result; nil when the
	// handler does not answer from the result.
	Render func(result any) (Answer, error)
	// Answered is the answer stored with the write, once it is.
	Answered *Answer
}

type claimKey struct{}

// WithClaim returns ctx carrying c.
func WithClaim(ctx context.Context, c *Claim) context.Context {
	return context.WithValue(ctx, claimKey{}, c)
}

// ClaimFrom returns the claim in ctx, or nil.
func ClaimFrom(ctx context.Context) *Claim {
	c, _ := ctx.Value(claimKey{}).(*Claim)
	return c
}

// Answer stores the answer to the idempotent request in ctx, if any, in
// this transaction; result is what the write returns.
func (tx *Tx) Answer(ctx context.Context, result any) error {
	c := ClaimFrom(ctx)
	if c == nil || c.Render == nil {
		return nil
	}
	ans, err := c.Render(result)
	if err != nil {
		return err
	}
	if err := completeIdempotencyKey(tx.db, c.ID, ans); err != nil {
		return err
	}
	c.Answered = &ans
	return nil
}

// ErrClaimLost is returned when a claim was taken over (its request ran
// longer than the lease) or released before the answer could be stored.
var ErrClaimLost = &models.Error{Kind: models.KindConflict, Message: "this request's Idempotency-Key was taken over by a retry; nothing was done",
	Fields: []models.FieldError{{Field: "Idempotency-Key", Message: "taken over by a retry"}}}

func completeIdempotencyKey(db *gorm.DB, id uint64, a Answer) error {
	res := db.Model(&models.IdempotencyKey{}).Where("id = ? AND status = 0", id).Updates(map[string]any{
		"status": a.Status, "content_type": a.ContentType, "etag": a.ETag, "location": a.Location, "body": string(a.Body),
	})
	if res.Error != nil {
		return fmt.Errorf("store: complete idempotency key: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrClaimLost
	}
	return nil
}

// CompleteIdempotencyKey stores the answer to the request that claimed id,
// for a request that wrote nothing (a dry run) and so had no transaction
// to store it in.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, id uint64, a Answer) error {
	return completeIdempotencyKey(s.write.WithContext(ctx), id, a)
}

// ReleaseIdempotencyKey forgets a claim whose request did not succeed, so
// the client may retry with the same key.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, id uint64) error {
	if err := s.write.WithContext(ctx).Where("id = ? AND status = 0", id).Delete(&models.IdempotencyKey{}).Error; err != nil {
		return fmt.Errorf("store: release idempotency key: %w", err)
	}
	return nil
}
