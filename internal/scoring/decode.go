package scoring

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lockscore/lockscore/internal/apperr"
	"github.com/lockscore/lockscore/internal/jsonstrict"
)

// FieldError and FieldErrors are the project's one field-error vocabulary
// (internal/apperr); every decoder here returns FieldErrors.
type (
	FieldError  = apperr.FieldError
	FieldErrors = apperr.FieldErrors
)

// AsFieldErrors returns err's field errors, if it carries any.
func AsFieldErrors(err error) (FieldErrors, bool) { return apperr.AsFieldErrors(err) }

func addFieldError(fe *FieldErrors, field, format string, args ...any) {
	*fe = append(*fe, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// objectFields decodes data as one JSON object and nothing after it.
func objectFields(data []byte, field string, errs *FieldErrors) (map[string]json.RawMessage, []string, bool) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		addFieldError(errs, field, "must be a JSON object")
		return nil, nil, false
	}
	if dup, ok := jsonstrict.DuplicateName(data); ok {
		addFieldError(errs, join(field, dup), jsonstrict.Message)
		return nil, nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var m map[string]json.RawMessage
	if err := dec.Decode(&m); err != nil {
		addFieldError(errs, field, "is not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
		return nil, nil, false
	}
	if dec.More() {
		addFieldError(errs, field, "has data after the JSON object")
		return nil, nil, false
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // errors in a stable order
	return m, keys, true
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// DecodeLock decodes one lock object strictly: an unknown field, a wrong type
// or an out-of-vocabulary value is an error naming the field.
func DecodeLock(data []byte) (Lock, error) {
	var errs FieldErrors
	l := decodeLock(data, "", &errs)
	if len(errs) > 0 {
		return Lock{}, errs
	}
	return l, nil
}

func decodeLock(data []byte, prefix string, errs *FieldErrors) Lock {
	var l Lock
	m, keys, ok := objectFields(data, prefix, errs)
	if !ok {
		return l
	}
	for _, k := range keys {
		a := AttributeByName(k)
		if a == nil {
			addFieldError(errs, join(prefix, k), "unknown field%s", suggest(k, AttributeNames()))
			continue
		}
		v, err := decodeAttrValue(a, m[k])
		if err != "" {
			addFieldError(errs, join(prefix, k), "%s", err)
			continue
		}
		a.set(&l, v)
	}
	return l
}

// decodeAttrValue checks one raw JSON value against the attribute's type.
func decodeAttrValue(a *Attribute, raw json.RawMessage) (*string, string) {
	s := string(bytes.TrimSpace(raw))
	if s == "null" {
		return nil, ""
	}
	if a.Type == "boolean" {
		if s == "true" || s == "false" {
			return &s, ""
		}
		return nil, "must be true, false or null"
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil || !a.Allows(v) {
		return nil, "must be one of: " + strings.Join(a.Values, ", ") + " (or null)"
	}
	return &v, ""
}

// ContextFields lists the context field names of methodology §6.
var ContextFields = []string{"door_type", "cylinder_rating", "other_keyed_door", "other_door_same_keyring", "cylinder_emergency_function",
	"key_safe", "keyholder_nearby", "remote_helper", "occupants"}

// DoorTypes and OccupantValues are the context vocabularies.
var (
	DoorTypes      = []string{string(DoorUKMultipoint), string(DoorUSDeadbolt), string(DoorUKTimber), string(DoorEuroCylinder), string(DoorOther)}
	OccupantValues = []string{string(OccupantTechAverse), string(OccupantChildrenLetThemselvesIn), string(OccupantLivesAlone)}
	// CylinderRatings is the vocabulary of override_cylinder_rating and of
	// the context's cylinder_rating: one list for both.
	CylinderRatings = Attributes[attrCylinderRating].Values
)

// DecodeContext decodes one context object strictly.
func DecodeContext(data []byte) (Context, error) {
	var errs FieldErrors
	c := decodeContext(data, "", &errs)
	if len(errs) > 0 {
		return Context{}, errs
	}
	return c, nil
}

func decodeContext(data []byte, prefix string, errs *FieldErrors) Context {
	var c Context
	m, keys, ok := objectFields(data, prefix, errs)
	if !ok {
		return c
	}
	for _, k := range keys {
		raw := m[k]
		s := string(bytes.TrimSpace(raw))
		field := join(prefix, k)
		switch k {
		case "occupants":
			if s == "null" {
				continue
			}
			var list []json.RawMessage
			if err := json.Unmarshal(raw, &list); err != nil {
				addFieldError(errs, field, "must be an array of: %s", strings.Join(OccupantValues, ", "))
				continue
			}
			for i, item := range list {
				var v string
				if json.Unmarshal(item, &v) != nil || !slices.Contains(OccupantValues, v) {
					addFieldError(errs, fmt.Sprintf("%s[%d]", field, i), "must be one of: %s", strings.Join(OccupantValues, ", "))
					continue
				}
				c.addOccupant(Occupant(v))
			}
		case "door_type":
			if s == "null" {
				continue
			}
			var v string
			if json.Unmarshal(raw, &v) != nil || !slices.Contains(DoorTypes, v) {
				addFieldError(errs, field, "must be one of: %s (or null)", strings.Join(DoorTypes, ", "))
				continue
			}
			d := DoorType(v)
			c.DoorType = &d
		case "cylinder_rating":
			if s == "null" {
				continue
			}
			var v string
			if json.Unmarshal(raw, &v) != nil || !slices.Contains(CylinderRatings, v) {
				addFieldError(errs, field, "must be one of: %s (or null)", strings.Join(CylinderRatings, ", "))
				continue
			}
			r := CylinderRating(v)
			c.CylinderRating = &r
		default:
			p := c.boolField(k)
			if p == nil {
				addFieldError(errs, field, "unknown field%s", suggest(k, ContextFields))
				continue
			}
			switch s {
			case "null":
			case "true", "false":
				b := s == "true"
				*p = &b
			default:
				addFieldError(errs, field, "must be true, false or null")
			}
		}
	}
	return c
}

func (c *Context) boolField(name string) **bool {
	switch name {
	case "other_keyed_door":
		return &c.OtherKeyedDoor
	case "other_door_same_keyring":
		return &c.OtherDoorSameKeyring
	case "cylinder_emergency_function":
		return &c.CylinderEmergencyFunction
	case "key_safe":
		return &c.KeySafe
	case "keyholder_nearby":
		return &c.KeyholderNearby
	case "remote_helper":
		return &c.RemoteHelper
	}
	return nil
}

// addOccupant adds o once: the occupants are a set, so a repeat multiplies nothing twice.
func (c *Context) addOccupant(o Occupant) {
	for _, x := range c.Occupants {
		if x == o {
			return
		}
	}
	c.Occupants = append(c.Occupants, o)
}

// SetField sets one context field from its text form, as a query parameter
// or a command-line flag gives it: booleans as true/false (also 1/0),
// occupants comma-separated. An empty value leaves the field unset.
func (c *Context) SetField(name, value string) error {
	value = strings.TrimSpace(value)
	switch name {
	case "door_type":
		if value == "" {
			c.DoorType = nil
			return nil
		}
		if !slices.Contains(DoorTypes, value) {
			return FieldErrors{{Field: name, Message: "must be one of: " + strings.Join(DoorTypes, ", ")}}
		}
		d := DoorType(value)
		c.DoorType = &d
		return nil
	case "cylinder_rating":
		if value == "" {
			c.CylinderRating = nil
			return nil
		}
		if !slices.Contains(CylinderRatings, value) {
			return FieldErrors{{Field: name, Message: "must be one of: " + strings.Join(CylinderRatings, ", ")}}
		}
		r := CylinderRating(value)
		c.CylinderRating = &r
		return nil
	case "occupants":
		var errs FieldErrors
		for _, part := range strings.Split(value, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			if !slices.Contains(OccupantValues, part) {
				addFieldError(&errs, name, "%q is not one of: %s", part, strings.Join(OccupantValues, ", "))
				continue
			}
			c.addOccupant(Occupant(part))
		}
		if len(errs) > 0 {
			return errs
		}
		return nil
	}
	p := c.boolField(name)
	if p == nil {
		return FieldErrors{{Field: name, Message: "unknown context field" + suggest(name, ContextFields)}}
	}
	if value == "" {
		*p = nil
		return nil
	}
	b, err := strconv.ParseBool(value)
	if err != nil || (value != "true" && value != "false" && value != "1" && value != "0") {
		return FieldErrors{{Field: name, Message: "must be true or false"}}
	}
	*p = &b
	return nil
}

// Request is the body of POST /api/v1/assessments and the input of a what-if.
type Request struct {
	Lock    Lock    `json:"lock"`
	Context Context `json:"context" binding:"optional"`
}

// DecodeRequest decodes {"lock": {...}, "context": {...}} strictly; lock is
// required, context optional. The result's pointers may point at values
// shared with other requests (as Intern's do): replace a field, never
// write through one.
func DecodeRequest(data []byte) (Request, error) {
	var r Request
	err := DecodeRequestInto(&r, data)
	return r, err
}

// DecodeRequestInto is DecodeRequest into *r, which it overwrites (with the
// zero Request on an error): a caller that drops the request after use can
// keep r in a pool.
func DecodeRequestInto(r *Request, data []byte) error {
	*r = Request{}
	if fastDecodeRequest(r, data) {
		return nil
	}
	req, err := decodeRequestFull(data)
	*r = req
	return err
}

// decodeRequestFull is DecodeRequest without the fast path: it reports
// every problem, and FuzzFastDecodeAgrees checks the fast path against it.
func decodeRequestFull(data []byte) (Request, error) {
	var errs FieldErrors
	var r Request
	m, keys, ok := objectFields(data, "", &errs)
	if !ok {
		return r, errs
	}
	for _, k := range keys {
		switch k {
		case "lock":
			r.Lock = decodeLock(m[k], "lock", &errs)
		case "context":
			if string(bytes.TrimSpace(m[k])) == "null" {
				continue
			}
			r.Context = decodeContext(m[k], "context", &errs)
		default:
			addFieldError(&errs, k, "unknown field%s", suggest(k, []string{"lock", "context"}))
		}
	}
	if _, ok := m["lock"]; !ok {
		addFieldError(&errs, "lock", "is required")
	}
	if len(errs) > 0 {
		return Request{}, errs
	}
	return r, nil
}

// Suggest returns `; did you mean "x"?` for the closest allowed name within a
// small edit distance, or a list of the allowed names; error messages end with it.
func Suggest(name string, allowed []string) string { return suggest(name, allowed) }

func suggest(name string, allowed []string) string {
	best, bestD := "", 4
	for _, a := range allowed {
		if d := editDistance(name, a); d < bestD {
			best, bestD = a, d
		}
	}
	if best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return "; allowed: " + strings.Join(allowed, ", ")
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Key is a canonical text form of the context, for cache keys and cursors:
// two contexts that assess alike have the same key.
func (c *Context) Key() string {
	var b strings.Builder
	if c.DoorType != nil {
		b.WriteString("door=" + string(*c.DoorType) + ";")
	}
	if c.CylinderRating != nil {
		b.WriteString("cyl=" + string(*c.CylinderRating) + ";")
	}
	for _, f := range []struct {
		name string
		v    *bool
	}{{"okd", c.OtherKeyedDoor}, {"ring", c.OtherDoorSameKeyring}, {"cef", c.CylinderEmergencyFunction},
		{"ks", c.KeySafe}, {"kh", c.KeyholderNearby}, {"rh", c.RemoteHelper}} {
		if f.v != nil {
			if *f.v {
				b.WriteString(f.name + "=1;")
			} else {
				b.WriteString(f.name + "=0;")
			}
		}
	}
	if len(c.Occupants) > 0 {
		occ := make([]string, len(c.Occupants))
		for i, o := range c.Occupants {
			occ[i] = string(o)
		}
		sort.Strings(occ)
		b.WriteString("occ=" + strings.Join(occ, ",") + ";")
	}
	return b.String()
}
