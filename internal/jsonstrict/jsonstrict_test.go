package jsonstrict

import "testing"

func TestDuplicateName(t *testing.T) {
	for _, tc := range []struct {
		in, path string
		found    bool
	}{
		{`{"lock":{"keypad":true,"keypad":false}}`, "lock.keypad", true},
		{`{"lock":{"keypad":true,"k\u0065ypad":false}}`, "lock.keypad", true}, // an escape names the same member
		{`{"slug":"a","sources":[{"url":"x"},{"url":"y","url":"z"}]}`, "sources[1].url", true},
		{`[{"a":1},{"a":2,"a":3}]`, "[1].a", true},
		{`{"a":1,"b":{"a":2}}`, "", false},
		{"{\"a\":\"\xff\",\"a\":2}", "a", true}, // invalid UTF-8 does not hide a repeat
		{`{"a":`, "", false},                    // a syntax error is the decoder's to report
		{``, "", false},
	} {
		path, found := DuplicateName([]byte(tc.in))
		if path != tc.path || found != tc.found {
			t.Errorf("DuplicateName(%s) = %q, %v; want %q, %v", tc.in, path, found, tc.path, tc.found)
		}
	}
}

func FuzzDuplicateName(f *testing.F) {
	f.Add([]byte(`{"a":{"b":1,"b":2}}`))
	f.Add([]byte(`[1,{"x":[{"y":1,"y":1}]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if path, found := DuplicateName(data); found && path == "" {
			t.Fatalf("a duplicate with no path in %q", data)
		}
	})
}
