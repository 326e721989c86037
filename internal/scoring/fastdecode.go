package scoring

import "bytes"

// fastDecodeRequest decodes the common shape of a what-if request — flat
// objects of null, true, false and plain strings — in one pass with no
// reflection. It accepts only input that DecodeRequest would accept with
// the same result; anything else (escapes, numbers, repeated or unknown
// keys, bad values) returns false, and the full decoder takes over to
// report every problem. Every value it sets points at a shared, read-only
// value (the lock's as Intern makes them), so decoding allocates almost
// nothing. It decodes into *r, which must be the zero Request, and leaves
// it half-filled when it returns false.
func fastDecodeRequest(r *Request, data []byte) bool {
	p := parser{b: data}
	seenLock, seenCtx := false, false
	ok := p.object(func(key []byte) bool {
		switch string(key) {
		case "lock":
			if seenLock {
				return false
			}
			seenLock = true
			return p.lock(&r.Lock)
		case "context":
			if seenCtx {
				return false
			}
			seenCtx = true
			if p.literal("null") {
				return true
			}
			return p.context(&r.Context)
		}
		return false
	})
	return ok && seenLock && p.end()
}

type parser struct {
	b []byte
	i int
}

func (p *parser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) end() bool {
	p.ws()
	return p.i == len(p.b)
}

func (p *parser) byte(c byte) bool {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *parser) literal(s string) bool {
	p.ws()
	if len(p.b)-p.i >= len(s) && string(p.b[p.i:p.i+len(s)]) == s {
		p.i += len(s)
		return true
	}
	return false
}

// str reads a string with no escapes and only printable ASCII.
func (p *parser) str() ([]byte, bool) {
	if !p.byte('"') {
		return nil, false
	}
	n := bytes.IndexByte(p.b[p.i:], '"')
	if n < 0 {
		return nil, false
	}
	s := p.b[p.i : p.i+n]
	for _, c := range s {
		// c-0x20 wraps for control characters: one test for both ends.
		if c == '\\' || c-0x20 >= 0x7f-0x20 {
			return nil, false
		}
	}
	p.i += n + 1
	return s, true
}

// object calls field for each key, positioned at its value.
func (p *parser) object(field func(key []byte) bool) bool {
	if !p.byte('{') {
		return false
	}
	if p.byte('}') {
		return true
	}
	for {
		key, ok := p.str()
		if !ok || !p.byte(':') || !field(key) {
			return false
		}
		if p.byte('}') {
			return true
		}
		if !p.byte(',') {
			return false
		}
	}
}

func (p *parser) lock(l *Lock) bool {
	var seen [numAttrs]bool
	return p.object(func(key []byte) bool {
		a := attributeIndex(key)
		if a < 0 || seen[a] {
			return false
		}
		seen[a] = true
		attr := &Attributes[a]
		switch {
		case p.literal("null"):
			return true
		case attr.Type == "boolean" && p.literal("true"):
			attr.adopt(l, templateFor(a, "true"))
			return true
		case attr.Type == "boolean" && p.literal("false"):
			attr.adopt(l, templateFor(a, "false"))
			return true
		case attr.Type == "enum":
			s, ok := p.str()
			if !ok {
				return false
			}
			c := codeOf(attr.Values, s)
			if c < 0 {
				return false
			}
			attr.adopt(l, internTemplates[a][c])
			return true
		}
		return false
	})
}

func attributeIndex(key []byte) int {
	for i := range Attributes {
		if Attributes[i].Name == string(key) {
			return i
		}
	}
	return -1
}

// codeOf is the position of s in values, or -1.
func codeOf(values []string, s []byte) int {
	for i, v := range values {
		if v == string(s) {
			return i
		}
	}
	return -1
}

// The context's keys, for the decoder's set of keys seen.
var contextKeys = [...]string{"door_type", "cylinder_rating", "occupants", "other_keyed_door",
	"other_door_same_keyring", "cylinder_emergency_function", "key_safe", "keyholder_nearby", "remote_helper"}

// Shared read-only context values the fast decoder points at.
var (
	decodedTrue  = true
	decodedFalse = false
	doorTypes    = func() []DoorType {
		out := make([]DoorType, len(DoorTypes))
		for i, d := range DoorTypes {
			out[i] = DoorType(d)
		}
		return out
	}()
)

func (p *parser) context(c *Context) bool {
	var seen uint16
	return p.object(func(key []byte) bool {
		k := codeOf(contextKeys[:], key)
		if k < 0 || seen&(1<<k) != 0 {
			return false
		}
		seen |= 1 << k
		switch contextKeys[k] {
		case "door_type":
			if p.literal("null") {
				return true
			}
			s, ok := p.str()
			i := codeOf(DoorTypes, s)
			if !ok || i < 0 {
				return false
			}
			c.DoorType = &doorTypes[i]
			return true
		case "cylinder_rating":
			if p.literal("null") {
				return true
			}
			s, ok := p.str()
			i := codeOf(CylinderRatings, s)
			if !ok || i < 0 {
				return false
			}
			c.CylinderRating = internTemplates[attrCylinderRating][i].OverrideCylinderRating
			return true
		case "occupants":
			if p.literal("null") {
				return true
			}
			if !p.byte('[') {
				return false
			}
			if p.byte(']') {
				return true
			}
			for {
				s, ok := p.str()
				i := codeOf(OccupantValues, s)
				if !ok || i < 0 {
					return false
				}
				c.addOccupant(Occupant(OccupantValues[i]))
				if p.byte(']') {
					return true
				}
				if !p.byte(',') {
					return false
				}
			}
		}
		f := c.boolField(contextKeys[k])
		if f == nil {
			return false
		}
		switch {
		case p.literal("null"):
		case p.literal("true"):
			*f = &decodedTrue
		case p.literal("false"):
			*f = &decodedFalse
		default:
			return false
		}
		return true
	})
}
