package scoring

import (
	"reflect"
	"testing"
)

// FuzzAssess feeds arbitrary bytes to the request decoder and assesses
// whatever it accepts: it must never panic, every rejection must name its
// fields, and every assessment must satisfy the §8 invariants.
func FuzzAssess(f *testing.F) {
	for _, s := range []string{
		`{"lock":{"key_override":"none","keypad":true,"phone_local":true,"emergency_power":"terminal_9v","interior_egress":"mechanical"}}`,
		`{"lock":{},"context":{"door_type":"uk_multipoint","other_keyed_door":true,"occupants":["lives_alone","tech_averse"]}}`,
		`{"lock":{"key_override":"backdrives_actuator","key_override_needs_emergency_cylinder":true},"context":{"cylinder_emergency_function":false}}`,
		`{"lock":{"key_overide":"none"}}`,
		`{"lock":{"keypad":"yes"}}`,
		`{"lock":null}`,
		`[]`,
		`{"lock":{"motorised":false,"bhma_a156_40_grade":"A"},"context":null}`,
		`{"lock":{"key_override":"independent","key_override_needs_emergency_cylinder":true},"context":{"door_type":"euro_cylinder","cylinder_rating":"ts007_1star"}}`,
		`{"lock":{},"context":{"door_type":"uk_multipoint","cylinder_rating":null}}`,
		`{"lock":{},"context":{"cylinder_rating":"gold"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := DecodeRequest(data)
		if err != nil {
			fe, ok := AsFieldErrors(err)
			if !ok || len(fe) == 0 {
				t.Fatalf("rejection without field errors: %v", err)
			}
			return
		}
		a := Assess(req.Lock, req.Context)
		if err := invariantErr(a); err != nil {
			t.Fatal(err)
		}
		_ = Sensitivity(req.Lock, req.Context)
	})
}

// FuzzContextField feeds arbitrary query-parameter names and values to the
// context parser: it must never panic, and an accepted context must assess.
func FuzzContextField(f *testing.F) {
	f.Add("door_type", "uk_multipoint")
	f.Add("door_type", "euro_cylinder")
	f.Add("cylinder_rating", "ts007_3star")
	f.Add("cylinder_rating", "platinum")
	f.Add("occupants", "tech_averse,lives_alone")
	f.Add("other_keyed_door", "1")
	f.Add("key_safe", "maybe")
	f.Add("nonsense", "x")
	f.Fuzz(func(t *testing.T, name, value string) {
		var c Context
		if err := c.SetField(name, value); err != nil {
			if _, ok := AsFieldErrors(err); !ok {
				t.Fatalf("rejection without field errors: %v", err)
			}
			return
		}
		if err := invariantErr(Assess(Lock{}, c)); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzFastDecodeAgrees: whenever the fast decoder accepts input, the full
// decoder (DecodeRequest's own, unknown keys and the required lock
// included) accepts it too with the same result.
func FuzzFastDecodeAgrees(f *testing.F) {
	for _, s := range []string{
		`{"lock":{"key_override":"none","keypad":true},"context":{"door_type":"uk_multipoint","occupants":["lives_alone"],"key_safe":false}}`,
		`{"context":null,"lock":{}}`,
		`{"lock":{},"context":{"cylinder_rating":"unrated","door_type":"euro_cylinder"}}`,
		`{"lock":{"KEYPAD":true}}`,
		`{"lock":{"keypad":true,"keypad":false}}`,
		`{"lock":{},"extra":true}`,
		`{"lock":{},"Lock":{}}`,
		`{"context":{}}`,
		`{}`,
		`{"lock":null}`,
		`{"lock":{"keypd":true}}`,
		`{"lock":{"keypad":"true"}}`,
		`{"lock":{"key_override":"independent","interior_egress":"mechanical"},"context":{"door_type":"castle"}}`,
		`{"lock":{"key_override":"n\u006fne"}}`,
		` {"lock" : { "keypad" : null } , "context" : null } `,
		`{"lock":{}}x`,
		`{"lock":{},"context":{"occupants":["lives_alone","lives_alone"]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast Request
		if !fastDecodeRequest(&fast, data) {
			return
		}
		full, err := decodeRequestFull(data)
		if err != nil {
			t.Fatalf("fast path accepted %q, the full decoder says %v", data, err)
		}
		if !reflect.DeepEqual(fast, full) {
			t.Fatalf("decoders differ on %q:\n%+v\n%+v", data, fast, full)
		}
	})
}
