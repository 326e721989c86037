// Package jsonenc quotes strings for JSON: the one string appender of the
// hand-written encoders (the assessment encoder and the access log), so
// they escape alike. It writes what log/slog's JSON handler writes: quote,
// backslash and control characters escaped, U+2028 and U+2029 escaped for
// JavaScript, each byte of invalid UTF-8 replaced by \ufffd, and HTML
// characters left as they are (the responses are JSON, never HTML).
package jsonenc

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// safe marks the ASCII bytes written as they are.
var safe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// escapes8 is zero when none of the 8 bytes of x needs escaping: no
// control character, quote, backslash or non-ASCII byte. The assessment's
// strings are long methodology sentences of plain ASCII, so skipping them
// a word at a time is most of what the encoder saves.
func escapes8(x uint64) uint64 {
	// A byte b < 0x20 gives b-0x20 a high bit; a byte equal to '"' or '\\'
	// is a zero byte of the xor, and zero minus one has a high bit; x
	// itself has a high bit in the bytes of UTF-8 sequences. For bytes
	// below 0x80 none of the three differences has a high bit otherwise,
	// and a borrow only runs on from a byte that was already found.
	return ((x - 0x20*lsb) | ((x ^ '"'*lsb) - lsb) | ((x ^ '\\'*lsb) - lsb) | x) & msb
}

// load8 reads s[i:i+8] as one little-endian word (the compiler merges
// the byte loads).
func load8(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// plainPrefix is how many leading bytes of s are known to need no escape,
// found a word at a time: len(s) when all of a string of 8 bytes or more
// are plain, otherwise a multiple of 8 (0 for a shorter string).
func plainPrefix(s string) int {
	i := 0
	for ; i+16 <= len(s); i += 16 {
		if escapes8(load8(s, i))|escapes8(load8(s, i+8)) != 0 {
			break
		}
	}
	for ; i+8 <= len(s); i += 8 {
		if escapes8(load8(s, i)) != 0 {
			return i
		}
	}
	// The last bytes, as the word that ends the string (it overlaps
	// bytes already found plain).
	if i < len(s) && len(s) >= 8 && escapes8(load8(s, len(s)-8)) == 0 {
		return len(s)
	}
	return i
}

// AppendString appends s to b as a JSON string literal.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := plainPrefix(s); i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if safe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			i += plainPrefix(s[i:])
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			i += plainPrefix(s[i:])
			continue
		}
		i += size
		start = i
		i += plainPrefix(s[i:])
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
