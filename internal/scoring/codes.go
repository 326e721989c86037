package scoring

// Codes is a lock's §7 attributes packed one byte each, in the order of
// Attributes: 0 is unknown, c+1 the value with ordinal code c. A catalogue
// snapshot keeps these 23 bytes instead of 23 pointers, so a garbage
// collection has nothing to scan in them.
type Codes [numAttrs]uint8

// Pack returns l's attribute codes.
func Pack(l *Lock) Codes {
	var c Codes
	for i := range Attributes {
		a := &Attributes[i]
		if v, ok := a.get(l); ok {
			if code := a.Code(v); code >= 0 {
				c[i] = uint8(code + 1)
			}
		}
	}
	return c
}

// Unpack returns the lock the codes describe. Its attribute pointers point
// at shared values (see Intern): treat it as immutable.
func (c *Codes) Unpack() Lock {
	var l Lock
	for i, code := range c {
		if code > 0 && int(code) <= len(internTemplates[i]) {
			Attributes[i].adopt(&l, internTemplates[i][code-1])
		}
	}
	return l
}

// Value returns attribute i's value and whether it is known.
func (c *Codes) Value(i int) (string, bool) {
	if c[i] == 0 {
		return "", false
	}
	return Attributes[i].ValueOf(int(c[i]) - 1)
}

// AttributeIndex is the index in Attributes of the attribute named name, or -1.
func AttributeIndex(name string) int {
	for i := range Attributes {
		if Attributes[i].Name == name {
			return i
		}
	}
	return -1
}
