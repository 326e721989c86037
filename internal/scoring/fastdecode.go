package scoring

import "slices"

// fastDecodeRequest decodes the common shape of a what-if request — flat
// objects of null, true, false and plain strings — in one pass with no
// reflection. It accepts only input that DecodeRequest would accept with
// the same result; anything else (escapes, numbers, repeated or unknown
// keys, bad values) returns false, and the full decoder takes over to
// report every problem.
func fastDecodeRequest(data []byte) (Request, bool) {
	var r Request
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
	if !ok || !seenLock || !p.end() {
		return Request{}, false
	}
	return r, true
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
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '"' {
			p.i++
			return p.b[start : p.i-1], true
		}
		if c == '\\' || c < 0x20 || c >= 0x7f {
			return nil, false
		}
		p.i++
	}
	return nil, false
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
			v := "true"
			attr.set(l, &v)
			return true
		case attr.Type == "boolean" && p.literal("false"):
			v := "false"
			attr.set(l, &v)
			return true
		case attr.Type == "enum":
			s, ok := p.str()
			if !ok || !attr.Allows(string(s)) {
				return false
			}
			v := string(s)
			attr.set(l, &v)
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

func (p *parser) context(c *Context) bool {
	seen := map[string]bool{}
	return p.object(func(key []byte) bool {
		k := string(key)
		if seen[k] {
			return false
		}
		seen[k] = true
		switch k {
		case "door_type":
			if p.literal("null") {
				return true
			}
			s, ok := p.str()
			if !ok || !slices.Contains(DoorTypes, string(s)) {
				return false
			}
			d := DoorType(s)
			c.DoorType = &d
			return true
		case "cylinder_rating":
			if p.literal("null") {
				return true
			}
			s, ok := p.str()
			if !ok || !slices.Contains(CylinderRatings, string(s)) {
				return false
			}
			r := CylinderRating(s)
			c.CylinderRating = &r
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
				if !ok || !slices.Contains(OccupantValues, string(s)) {
					return false
				}
				c.addOccupant(Occupant(s))
				if p.byte(']') {
					return true
				}
				if !p.byte(',') {
					return false
				}
			}
		}
		f := c.boolField(k)
		if f == nil {
			return false
		}
		switch {
		case p.literal("null"):
		case p.literal("true"):
			b := true
			*f = &b
		case p.literal("false"):
			b := false
			*f = &b
		default:
			return false
		}
		return true
	})
}
