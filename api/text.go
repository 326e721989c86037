package api

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/models"
)

// One text rule for both engines (issue 12 #2): no text a client writes
// may hold NUL or another C0 control character, except tab, LF and CR in
// the free-text fields. SQLite would store a NUL that PostgreSQL refuses
// with a 500, and the rest only ever arrive by accident or in an attack on
// whoever reads the catalogue next (terminals, spreadsheets, logs).

// freeText are the fields (the last name of a path) that may hold tab, LF and CR.
var freeText = map[string]bool{"notes": true, "summary": true}

// controlChars names every field of a JSON document whose name or text
// value holds a forbidden control character. In valid JSON a control
// character can only be an escape, so a document without a backslash is
// clean; one that does not parse is reported by its decoder.
func controlChars(doc []byte) []models.FieldError {
	if bytes.IndexByte(doc, '\\') < 0 {
		return nil
	}
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return nil
	}
	var out []models.FieldError
	walkText(v, "", "", &out)
	return out
}

func walkText(v any, path, name string, out *[]models.FieldError) {
	switch t := v.(type) {
	case string:
		if badText(t, freeText[name]) {
			*out = append(*out, models.FieldError{Field: path, Message: textMessage(freeText[name])})
		}
	case []any:
		for i, e := range t {
			walkText(e, path+"["+strconv.Itoa(i)+"]", name, out)
		}
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if badText(k, false) {
				*out = append(*out, models.FieldError{Field: p, Message: "a field name must not contain control characters"})
				continue
			}
			walkText(t[k], p, k, out)
		}
	}
}

// badText reports a C0 control character in s; tab, LF and CR pass in free text.
func badText(s string, free bool) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && !(free && (c == '\t' || c == '\n' || c == '\r')) {
			return true
		}
	}
	return false
}

func textMessage(free bool) string {
	if free {
		return "must not contain control characters other than tab, line feed and carriage return"
	}
	return "must not contain control characters (NUL, tab, line breaks, escape…)"
}

// cleanText refuses a JSON body with a forbidden control character, naming each field.
func cleanText(body []byte) error {
	if fields := controlChars(body); len(fields) > 0 {
		return models.Invalid("text must not contain control characters", fields)
	}
	return nil
}

// cleanParams refuses a path parameter with a control character (a slug
// with %00 would reach the database).
func cleanParams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		for i, v := range c.ParamValues() {
			if badText(v, false) {
				return models.Invalid("the path must not contain control characters", []models.FieldError{{Field: c.ParamNames()[i], Message: textMessage(false)}})
			}
		}
		return next(c)
	}
}
