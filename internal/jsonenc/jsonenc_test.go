package jsonenc_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/lockscore/lockscore/internal/jsonenc"
)

// fffd reads U+FFFD written escaped (\ufffd, Go's slog up to 1.26) and as
// the character itself (from Go 1.27) as one: both decode alike.
func fffd(b []byte) []byte { return bytes.ReplaceAll(b, []byte(`\ufffd`), []byte("\uFFFD")) }

// slogQuote is how log/slog's JSON handler writes s.
func slogQuote(s string) []byte {
	var buf bytes.Buffer
	h := slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key != "k" {
			return slog.Attr{}
		}
		return a
	}})
	slog.New(h).Info("", "k", s)
	out := bytes.TrimSuffix(buf.Bytes(), []byte("}\n"))
	return bytes.TrimPrefix(out, []byte(`{"k":`))
}

// FuzzAppendStringLikeSlog: the appender writes byte for byte what slog's
// JSON handler writes (U+FFFD for invalid UTF-8 included), and the result
// decodes to what encoding/json makes of the same string.
func FuzzAppendStringLikeSlog(f *testing.F) {
	for _, s := range []string{"", "plain", `quo"te\back`, "tab\tnl\ncr\r\x00\x1f\x7f", "<a href='x'>&amp;</a>", "bad \xff utf-8 \xe2\x82", "\u2028\u2029", "Türschloss €", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := jsonenc.AppendString([]byte("x"), s)
		if got[0] != 'x' {
			t.Fatal("the appender overwrote the buffer")
		}
		got = got[1:]
		// Go's slog writes invalid UTF-8 as U+FFFD, escaped (\ufffd) up to
		// Go 1.26 and as the character itself from Go 1.27: both decode alike,
		// so the comparison reads them as one.
		if want := slogQuote(s); !bytes.Equal(fffd(got), fffd(want)) {
			t.Fatalf("%q: got %s, slog writes %s", s, got, want)
		}
		var back, want string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%q: invalid JSON %s: %v", s, got, err)
		}
		std, _ := json.Marshal(s)
		_ = json.Unmarshal(std, &want)
		if back != want {
			t.Fatalf("%q decodes to %q, encoding/json's to %q", s, back, want)
		}
	})
}

func BenchmarkAppendString(b *testing.B) {
	buf := make([]byte, 0, 256)
	for b.Loop() {
		buf = jsonenc.AppendString(buf[:0], "Flat batteries leave no way in through this door: no key override and no emergency power.")
	}
}

// Every byte value at every offset of strings of every length up to 40,
// beside plain text on both sides, alone and after another escape: the
// word-at-a-time skip (two words at once, then one, then the word that
// ends the string) must stop for exactly the bytes that the
// byte-at-a-time loop escapes.
func TestAppendStringEveryByteEveryOffset(t *testing.T) {
	const text = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
	for n := 1; n <= len(text); n++ {
		for c := 0; c < 256; c++ {
			for at := 0; at < n; at++ {
				s := []byte(text[:n])
				s[at] = byte(c)
				got := jsonenc.AppendString(nil, string(s))
				if want := slogQuote(string(s)); !bytes.Equal(fffd(got), fffd(want)) {
					t.Fatalf("length %d, byte %#x at %d: got %s, want %s", n, c, at, got, want)
				}
				if at > 0 {
					// And after a quote earlier in the string.
					s[0] = '"'
					got := jsonenc.AppendString(nil, string(s))
					if want := slogQuote(string(s)); !bytes.Equal(fffd(got), fffd(want)) {
						t.Fatalf("length %d, quote at 0, byte %#x at %d: got %s, want %s", n, c, at, got, want)
					}
				}
			}
		}
	}
	long := "a sentence of plain ASCII long enough for several words \u2028 then é and a \"quote\" and \\ and \x01."
	if got, want := jsonenc.AppendString(nil, long), slogQuote(long); !bytes.Equal(fffd(got), fffd(want)) {
		t.Fatalf("got %s, want %s", got, want)
	}
}
