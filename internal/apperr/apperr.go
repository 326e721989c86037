// Package apperr is lockscore's one error vocabulary: the kinds of failure
// a request can meet, the field errors that name bad input, and the domain
// error that carries both. It imports nothing of the project, so the
// scoring engine, the catalogue, the store and the API all share it; the
// API maps each kind to an HTTP status in one place.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error for mapping to an HTTP status in one place.
type Kind string

// Error kinds.
const (
	KindInvalid            Kind = "invalid"
	KindNotFound           Kind = "not_found"
	KindConflict           Kind = "conflict"
	KindPreconditionFailed Kind = "precondition_failed"
	KindUnauthorized       Kind = "unauthorized"
	KindForbidden          Kind = "forbidden"
	KindUnprocessable      Kind = "unprocessable"
	// KindUnsupportedMedia is a body in a format the endpoint does not read.
	KindUnsupportedMedia Kind = "unsupported_media"
	// KindUnavailable is a dependency (the database) that cannot be reached
	// now: a 503 the client may retry.
	KindUnavailable Kind = "unavailable"
)

// FieldError names one invalid field of a request.
type FieldError struct {
	Field   string `json:"field" example:"brand"`
	Message string `json:"message" example:"is required"`
	// Row is the 1-based row of an import, when the error belongs to one.
	Row int `json:"row,omitempty" example:"0"`
}

// FieldErrors is a list of invalid fields, itself an error: what every
// decoder returns.
type FieldErrors []FieldError

func (fe FieldErrors) Error() string {
	parts := make([]string, len(fe))
	for i, e := range fe {
		if e.Field == "" {
			parts[i] = e.Message
		} else {
			parts[i] = e.Field + ": " + e.Message
		}
	}
	return strings.Join(parts, "; ")
}

// AsFieldErrors returns err's field errors, if it carries any.
func AsFieldErrors(err error) (FieldErrors, bool) {
	var fe FieldErrors
	if errors.As(err, &fe) {
		return fe, true
	}
	return nil, false
}

// Error is a domain error: a kind, a message for the client, optional field
// errors, and the typed extras some answers carry.
type Error struct {
	Kind    Kind
	Message string
	Fields  []FieldError
	// CurrentVersion and CurrentETag tell a client whose If-Match was stale
	// what the resource is now (412, 409).
	CurrentVersion *int
	CurrentETag    string
	// Report is an import's per-row report, sent with a refused import.
	Report any
	Err    error
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		msg := string(e.Kind) + ": " + e.Message + ":"
		for i, f := range e.Fields {
			if i == 5 {
				msg += fmt.Sprintf(" (and %d more)", len(e.Fields)-5)
				break
			}
			msg += " " + f.Field + " " + f.Message + ";"
		}
		return msg
	}
	if e.Err != nil {
		return string(e.Kind) + ": " + e.Message + ": " + e.Err.Error()
	}
	return string(e.Kind) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error of the given kind.
func Errorf(kind Kind, format string, a ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, a...)}
}

// NotFound builds a not-found error.
func NotFound(format string, a ...any) error { return Errorf(KindNotFound, format, a...) }

// Invalid builds an invalid-input error with field errors.
func Invalid(message string, fields []FieldError) error {
	return &Error{Kind: KindInvalid, Message: message, Fields: fields}
}

// KindOf returns the kind of err, or "" when it is not a domain error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}
