package models

import (
	"errors"
	"fmt"
)

// ErrorKind classifies an error for mapping to an HTTP status in one place.
type ErrorKind string

// Error kinds.
const (
	KindInvalid            ErrorKind = "invalid"
	KindNotFound           ErrorKind = "not_found"
	KindConflict           ErrorKind = "conflict"
	KindPreconditionFailed ErrorKind = "precondition_failed"
	KindUnauthorized       ErrorKind = "unauthorized"
	KindForbidden          ErrorKind = "forbidden"
	KindUnprocessable      ErrorKind = "unprocessable"
)

// FieldError names one invalid field of a request.
type FieldError struct {
	Field   string `json:"field" example:"brand"`
	Message string `json:"message" example:"is required"`
	// Row is the 1-based row of an import, when the error belongs to one.
	Row int `json:"row,omitempty" example:"0"`
}

// Error is a domain error: a kind, a message for the client, optional field
// errors, and optional data for the response body (e.g. the current version).
type Error struct {
	Kind    ErrorKind
	Message string
	Fields  []FieldError
	Extra   map[string]any
	Err     error
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
func Errorf(kind ErrorKind, format string, a ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, a...)}
}

// NotFound builds a not-found error.
func NotFound(format string, a ...any) error { return Errorf(KindNotFound, format, a...) }

// Invalid builds an invalid-input error with field errors.
func Invalid(message string, fields []FieldError) error {
	return &Error{Kind: KindInvalid, Message: message, Fields: fields}
}

// KindOf returns the kind of err, or "" when it is not a domain error.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}
