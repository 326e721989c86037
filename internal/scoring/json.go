package scoring

import (
	"math"
	"strconv"

	"github.com/lockscore/lockscore/internal/jsonenc"
)

// AppendJSON appends the assessment's JSON to b without reflection: it is
// the body of every what-if response, and encoding/json costs twice the
// assessment itself. The output decodes to what encoding/json writes for
// the same fields (strings are quoted by jsonenc, as slog quotes them). (It is deliberately not MarshalJSON, which types embedding an
// Assessment would inherit.)
func (a *Assessment) AppendJSON(b []byte) []byte {
	b = append(b, `{"score":`...)
	b = appendFloat(b, a.Score)
	b = append(b, `,"score_upper":`...)
	b = appendFloat(b, a.ScoreUpper)
	b = append(b, `,"score_uncapped":`...)
	b = appendFloat(b, a.ScoreUncapped)
	b = append(b, `,"band":`...)
	b = appendString(b, a.Band)
	b = append(b, `,"label":`...)
	b = appendString(b, a.Label)
	b = append(b, `,"provisional":`...)
	b = strconv.AppendBool(b, a.Provisional)
	b = append(b, `,"data_completeness":`...)
	b = appendFloat(b, a.DataCompleteness)
	b = append(b, `,"gates":[`...)
	for i, g := range a.Gates {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, g.ID)
		b = append(b, `,"cap_band":`...)
		b = appendString(b, g.CapBand)
		b = append(b, `,"basis":`...)
		b = appendString(b, g.Basis)
		b = append(b, `,"reason":`...)
		b = appendString(b, g.Reason)
		b = append(b, `,"source":`...)
		b = appendString(b, g.Source)
		b = append(b, '}')
	}
	b = append(b, `],"components":{"coverage":`...)
	b = appendComponent(b, a.Components.Coverage)
	b = append(b, `,"detection":`...)
	b = appendComponent(b, a.Components.Detection)
	b = append(b, `,"evidence":`...)
	b = appendComponent(b, a.Components.Evidence)
	b = append(b, `},"scenarios":[`...)
	for i, s := range a.Scenarios {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, s.ID)
		b = append(b, `,"name":`...)
		b = appendString(b, s.Name)
		b = append(b, `,"weight":`...)
		b = appendFloat(b, s.Weight)
		b = append(b, `,"best_path":`...)
		if s.BestPath == "" {
			b = append(b, "null"...)
		} else {
			b = appendString(b, string(s.BestPath))
		}
		b = append(b, `,"quality":`...)
		b = appendFloat(b, s.Quality)
		b = append(b, `,"points":`...)
		b = appendFloat(b, s.Points)
		b = append(b, `,"lost_paths":`...)
		b = appendStrings(b, s.LostPaths)
		b = append(b, `,"why":`...)
		b = appendString(b, s.Why)
		b = append(b, '}')
	}
	b = append(b, `],"missing":`...)
	b = appendStrings(b, a.Missing)
	b = append(b, `,"assumptions":`...)
	b = appendStrings(b, a.Assumptions)
	b = append(b, `,"notes":`...)
	b = appendStrings(b, a.Notes)
	b = append(b, `,"verdict":`...)
	b = appendString(b, a.Verdict)
	b = append(b, `,"advice":`...)
	if a.Advice == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, ad := range a.Advice {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = appendString(b, ad.ID)
			b = append(b, `,"action":`...)
			b = appendString(b, ad.Action)
			b = append(b, `,"band_after":`...)
			b = appendString(b, ad.BandAfter)
			b = append(b, `,"score_after":`...)
			b = appendFloat(b, ad.ScoreAfter)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"fits":`...)
	if a.Fits == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendBool(b, *a.Fits)
	}
	b = append(b, `,"methodology_version":`...)
	b = appendString(b, a.MethodologyVersion)
	return append(b, '}')
}

func appendComponent(b []byte, c Component) []byte {
	b = append(b, `{"weight":`...)
	b = appendFloat(b, c.Weight)
	b = append(b, `,"value":`...)
	b = appendFloat(b, c.Value)
	b = append(b, `,"points":`...)
	b = appendFloat(b, c.Points)
	return append(b, '}')
}

func appendStrings(b []byte, list []string) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendFloat formats as encoding/json does for the values an assessment
// holds (finite, well inside 1e-6..1e21 or zero).
func appendFloat(b []byte, f float64) []byte {
	// Fast path: assessment values have at most three decimals. When f is
	// exactly k/1000, the trimmed decimal k/1000 is its shortest form.
	if f > -1e12 && f < 1e12 && !(f == 0 && math.Signbit(f)) {
		k := math.Round(f * 1000)
		if k/1000 == f {
			n := int64(k)
			if n < 0 {
				b = append(b, '-')
				n = -n
			}
			b = appendUint(b, n/1000)
			if frac := n % 1000; frac != 0 {
				digits := [3]byte{byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
				end := 3
				for digits[end-1] == '0' {
					end--
				}
				b = append(append(b, '.'), digits[:end]...)
			}
			return b
		}
	}
	if abs := f; abs != 0 && (abs < 1e-6 && abs > -1e-6 || abs >= 1e21 || abs <= -1e21) {
		b = strconv.AppendFloat(b, f, 'e', -1, 64)
		// encoding/json writes e-7, not e-07.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
		return b
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// appendUint writes n ≥ 0 in decimal: an assessment's numbers are scores,
// weights and points, almost all below 1000, so those take no call.
func appendUint(b []byte, n int64) []byte {
	switch {
	case n < 10:
		return append(b, byte('0'+n))
	case n < 100:
		return append(b, byte('0'+n/10), byte('0'+n%10))
	case n < 1000:
		return append(b, byte('0'+n/100), byte('0'+n/10%10), byte('0'+n%10))
	}
	return strconv.AppendInt(b, n, 10)
}

// appendString quotes s with the appender the access log uses too.
func appendString(b []byte, s string) []byte { return jsonenc.AppendString(b, s) }
