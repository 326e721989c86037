package models

import "github.com/lockscore/lockscore/internal/apperr"

// The error vocabulary lives in internal/apperr, which every layer shares;
// these names let the models' callers keep writing models.Error.
type (
	// ErrorKind is apperr.Kind.
	ErrorKind = apperr.Kind
	// FieldError is apperr.FieldError.
	FieldError = apperr.FieldError
	// Error is apperr.Error.
	Error = apperr.Error
)

// Error kinds, as in apperr.
const (
	KindInvalid            = apperr.KindInvalid
	KindNotFound           = apperr.KindNotFound
	KindConflict           = apperr.KindConflict
	KindPreconditionFailed = apperr.KindPreconditionFailed
	KindUnauthorized       = apperr.KindUnauthorized
	KindForbidden          = apperr.KindForbidden
	KindUnprocessable      = apperr.KindUnprocessable
	KindUnavailable        = apperr.KindUnavailable
	KindUnsupportedMedia   = apperr.KindUnsupportedMedia
)

// Errorf, NotFound, Invalid and KindOf are apperr's.
var (
	Errorf   = apperr.Errorf
	NotFound = apperr.NotFound
	Invalid  = apperr.Invalid
	KindOf   = apperr.KindOf
)
