package api

import "testing"

// Every cell csvCell changes gets exactly one ' that csvUncell takes off.
func TestCSVCellRoundTrip(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@A1": "'@A1", "\tx": "'\tx", "\rx": "'\rx",
		"'x": "''x", "''x": "'''x", "x": "x", "": "", "Yale =1": "Yale =1",
	} {
		got := csvCell(in)
		if got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
		if back := csvUncell(got); got != in && back != in {
			t.Errorf("csvUncell(%q) = %q, want %q", got, back, in)
		}
	}
}
