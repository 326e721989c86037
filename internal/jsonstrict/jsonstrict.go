// Package jsonstrict finds what encoding/json lets through without a word:
// an object that names the same member twice, where the last value would
// silently win. Different parsers pick different winners, so a body that
// repeats a field is refused rather than guessed at.
package jsonstrict

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
)

// decoders are reused: a decoder's buffers cost more than the check itself.
var decoders = sync.Pool{New: func() any { return jsontext.NewDecoder(bytes.NewReader(nil)) }}

// Message is what a field error says of a repeated member.
const Message = "appears more than once; send each field once"

// DuplicateName returns the path of the first object member that data
// names twice, as the API names fields ("lock.keypad", "sources[1].url"),
// and whether there is one. Other syntax errors are left to the caller's
// decoder, which reports them in its own words.
func DuplicateName(data []byte) (string, bool) {
	dec := decoders.Get().(*jsontext.Decoder)
	// Invalid UTF-8 is the caller decoder's to judge; keep looking for repeats past it.
	dec.Reset(bytes.NewReader(data), jsontext.AllowInvalidUTF8(true))
	_, err := dec.ReadValue()
	dec.Reset(bytes.NewReader(nil)) // drop data before pooling
	decoders.Put(dec)
	var se *jsontext.SyntacticError
	if !errors.Is(err, jsontext.ErrDuplicateName) || !errors.As(err, &se) {
		return "", false
	}
	var b strings.Builder
	for tok := range se.JSONPointer.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String(), true
}
