package catalogue

import (
	"testing"

	edlib "github.com/hbollon/go-edlib"
)

// withinEdits agrees with a well-kept library's optimal string alignment
// distance, for every bound.
func FuzzWithinEditsAgrees(f *testing.F) {
	for _, s := range [][2]string{{"conexsis", "conexis"}, {"nukki", "nuki"}, {"yael", "yale"}, {"ca", "abc"}, {"", "ab"}, {"türschloss", "turschloss"}, {"abcdef", "badcfe"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ra, rb := []rune(a), []rune(b)
		if len(ra) > maxWord || len(rb) > maxWord {
			return
		}
		d := edlib.OSADamerauLevenshteinDistance(a, b)
		for k := 0; k <= 3; k++ {
			if got := withinEdits(ra, rb, k); got != (d <= k) {
				t.Fatalf("withinEdits(%q, %q, %d) = %v, distance %d", a, b, k, got, d)
			}
		}
	})
}

func TestMaxEdits(t *testing.T) {
	for n, want := range map[int]int{1: 0, 3: 0, 4: 1, 7: 1, 8: 2, 20: 2} {
		if got := maxEdits(n); got != want {
			t.Errorf("maxEdits(%d) = %d, want %d", n, got, want)
		}
	}
}
