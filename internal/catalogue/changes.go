package catalogue

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/lockscore/lockscore/internal/store"
)

// Change is one lock model's latest change in the public change feed. A
// deleted lock model appears as a tombstone, so a mirror can drop it.
type Change struct {
	Slug string `json:"slug" example:"yale-conexis-l2"`
	// Version is the lock model's version after the change.
	Version int `json:"version" example:"3"`
	// Revision is the catalogue revision of the change; the feed is ordered by it, then slug.
	Revision int64 `json:"revision" example:"41"`
	Deleted  bool  `json:"deleted"`
	// ChangedAt is when the change was made (RFC 3339, UTC).
	ChangedAt time.Time `json:"changed_at"`
}

// ChangePosition is where a walk of the change feed stands: after the lock
// model Slug of catalogue revision Revision, or after all of that revision
// when Slug is empty (since=Revision). Clients see cursors as opaque.
type ChangePosition struct {
	Revision int64  `json:"r"`
	Slug     string `json:"k,omitempty"`
}

// Encode returns the position's opaque form.
func (p ChangePosition) Encode() string {
	b, _ := json.Marshal(p)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ErrBadChangeCursor is returned for a change-feed cursor that does not decode.
var ErrBadChangeCursor = errors.New("cursor is not a change-feed cursor; start again from since")

// DecodeChangePosition reads an opaque change-feed cursor.
func DecodeChangePosition(s string) (ChangePosition, error) {
	var p ChangePosition
	if len(s) > 512 {
		return p, ErrBadChangeCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &p) != nil || p.Revision < 0 || p.Slug == "" || !ValidSlug(p.Slug) {
		return ChangePosition{}, ErrBadChangeCursor
	}
	return p, nil
}

// ChangePage is one page of the change feed.
type ChangePage struct {
	Items []Change
	// Revision is the catalogue revision the page was read at: a mirror that
	// has walked to the end is up to date to it.
	Revision int64
	// Next is the position after the last item, nil on the last page.
	Next *ChangePosition
}

// Changes returns up to limit lock models changed after position from, each
// once, at its latest change, deleted ones as tombstones.
func (s *Service) Changes(ctx context.Context, from ChangePosition, limit int) (ChangePage, error) {
	rows, rev, err := s.store.ChangesAfter(ctx, from.Revision, from.Slug, limit+1)
	if err != nil {
		return ChangePage{}, err
	}
	page := ChangePage{Revision: rev, Items: make([]Change, 0, min(len(rows), limit))}
	for i, r := range rows {
		if i == limit {
			last := rows[limit-1]
			page.Next = &ChangePosition{Revision: last.CatalogueRevision, Slug: last.Slug}
			break
		}
		page.Items = append(page.Items, changeOf(r))
	}
	return page, nil
}

func changeOf(r store.Change) Change {
	c := Change{Slug: r.Slug, Version: r.Version, Revision: r.CatalogueRevision, ChangedAt: r.UpdatedAt.UTC()}
	if r.DeletedAt != nil {
		c.Deleted, c.ChangedAt = true, r.DeletedAt.UTC()
	}
	return c
}
