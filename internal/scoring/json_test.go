package scoring

import (
	"bytes"
	"encoding/json"
	"testing"

	"pgregory.net/rapid"
)

// The hand-written encoder writes exactly what encoding/json would.
func TestPropertyAssessmentJSONMatchesEncodingJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := Assess(genLock(t, false), genContext(t))
		if rapid.Bool().Draw(t, "odd text") {
			a.Notes = append(a.Notes, rapid.String().Draw(t, "note"))
		}
		got := a.AppendJSON(nil)
		want, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, got)
		}
		_ = json.Unmarshal(want, &w)
		gb, _ := json.Marshal(g)
		wb, _ := json.Marshal(w)
		if !bytes.Equal(gb, wb) {
			t.Fatalf("encoders differ:\n%s\n%s", got, want)
		}
	})
}

func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var f float64
		if rapid.Bool().Draw(t, "short") {
			f = float64(rapid.IntRange(-200000, 200000).Draw(t, "k")) / 1000
		} else {
			f = rapid.Float64Range(-1e6, 1e6).Draw(t, "f")
		}
		want, _ := json.Marshal(f)
		if got := appendFloat(nil, f); string(got) != string(want) {
			t.Fatalf("%v: got %s, want %s", f, got, want)
		}
	})
}

// Every integer part across the hand-written digits (below 10, 100 and
// 1000) and past them, with fractions of one to three decimals, both signs.
func TestAppendFloatIntegerPartsMatchEncodingJSON(t *testing.T) {
	for whole := 0; whole <= 1100; whole++ {
		for _, frac := range []int{0, 1, 5, 10, 50, 100, 125, 500, 999} {
			for _, sign := range []float64{1, -1} {
				f := sign * float64(whole*1000+frac) / 1000
				want, _ := json.Marshal(f)
				if got := appendFloat(nil, f); string(got) != string(want) {
					t.Fatalf("%v: got %s, want %s", f, got, want)
				}
			}
		}
	}
}
