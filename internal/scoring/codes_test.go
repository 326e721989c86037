package scoring

import (
	"reflect"
	"testing"
)

// Every value of every attribute, and unknown, survives packing; the
// unpacked lock shares the interned values.
func TestCodesRoundTrip(t *testing.T) {
	for i := range Attributes {
		a := &Attributes[i]
		for _, v := range append([]string{""}, a.Values...) {
			var l Lock
			if v != "" {
				val := v
				a.Set(&l, &val)
			}
			c := Pack(&l)
			got := c.Unpack()
			if !reflect.DeepEqual(got, l) {
				t.Fatalf("%s=%q: unpacked %+v, want %+v", a.Name, v, got, l)
			}
			gv, ok := c.Value(i)
			if ok != (v != "") || gv != v {
				t.Fatalf("%s=%q: Value gives %q, %v", a.Name, v, gv, ok)
			}
			if v != "" && !sharesValues(&got, templateFor(i, v)) {
				t.Fatalf("%s=%q: the unpacked value is not the interned one", a.Name, v)
			}
		}
	}
	if AttributeIndex("key_override") != attrKeyOverride || AttributeIndex("no such") != -1 {
		t.Fatal("AttributeIndex")
	}
}

// A whole lock with every attribute set packs and unpacks unchanged.
func TestCodesRoundTripWholeLock(t *testing.T) {
	var l Lock
	for i := range Attributes {
		a := &Attributes[i]
		v := a.Values[i%len(a.Values)]
		a.Set(&l, &v)
	}
	c := Pack(&l)
	if got := c.Unpack(); !reflect.DeepEqual(got, l) {
		t.Fatalf("unpacked %+v, want %+v", got, l)
	}
}

// sharesValues reports whether every attribute tmpl sets is the same
// pointer in l.
func sharesValues(l, tmpl *Lock) bool {
	lv, tv := reflect.ValueOf(l).Elem(), reflect.ValueOf(tmpl).Elem()
	for j := range tv.NumField() {
		if p := tv.Field(j); !p.IsNil() && lv.Field(j).Pointer() != p.Pointer() {
			return false
		}
	}
	return true
}
