package scoring

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// verdict is the one plain-English sentence of methodology v2 §8: the label
// and band, then the first gate's reason, or with no gate the scenario that
// scores lowest; when provisional, what the missing facts could change. It
// reads the bounds' evaluations, so a ranking row can have it without a
// full assessment.
func (e *Engine) verdict(l *Lock, c *Context, cv *ctxValues, el, eh *evaluation, provisional bool, missing []string) string {
	var b strings.Builder
	b.Grow(256)
	b.WriteString(e.m.Bands[el.band].Label)
	b.WriteString(" for a main entrance (")
	b.WriteString(bandNames[el.band])
	b.WriteString("): ")
	if el.gates != 0 {
		order, _ := e.gateOrder(el.gates, eh.gates, cv.otherDoor)
		g := int(order[0])
		b.WriteString(lowerFirst(e.gateReason(g, cv.otherDoor, eh.gates)))
	} else {
		k := 0
		for i := 1; i < numScenarios; i++ {
			if el.s[i] < el.s[k] {
				k = i
			}
		}
		when := e.m.Scenarios[k].When
		if p := el.best[k]; p >= 0 {
			b.WriteString("even when " + when + ", " + e.m.Paths[p].Phrase + ".")
		} else {
			b.WriteString("when " + when + ", there is no other way in through this door.")
		}
	}
	if provisional {
		b.WriteString(" Provisional: confirming ")
		b.WriteString(e.decidingFacts(l, c, cv, el, eh, missing))
		if eh.band != el.band {
			b.WriteString(" could lift it to " + e.m.Bands[eh.band].Label + " (" + bandNames[eh.band] + ").")
		} else {
			b.WriteString(" could change the reasons, but it would stay " + e.m.Bands[el.band].Label + " (" + bandNames[el.band] + ").")
		}
	}
	return b.String()
}

// decidingFacts lists, in words, the missing facts that would decide the
// verdict: the door's cylinder when G5 waits on it, then each missing
// attribute that alone, confirmed at its best, changes the band or the
// gates; when none does alone, the missing attributes. At most three by name.
func (e *Engine) decidingFacts(l *Lock, c *Context, cv *ctxValues, el, eh *evaluation, missing []string) string {
	var facts []string
	g5 := uint8(1) << gateG5
	if e.cylinderFromDoor && c.CylinderRating == nil && el.gates&g5 != 0 && eh.gates&g5 == 0 && isTrue(l.KeyOverrideNeedsEmergencyCylinder) {
		facts = append(facts, "the rating of the door's euro cylinder")
	}
	var lo values
	lo.loadAll(l, false)
	var decisive, rest []string
	for _, name := range missing {
		i := attributeIndex([]byte(name))
		if i < 0 {
			continue
		}
		if ev := e.stated(&lo, cv, el, i, Attributes[i].Best); ev.band != el.band || ev.gates != el.gates {
			decisive = append(decisive, Attributes[i].Fact)
		} else {
			rest = append(rest, Attributes[i].Fact)
		}
	}
	facts = append(facts, decisive...)
	if len(facts) == 0 {
		facts = rest
	}
	switch n := len(facts); {
	case n == 0:
		return "the missing facts"
	case n == 1:
		return facts[0]
	case n <= 3:
		return strings.Join(facts[:n-1], ", ") + " and " + facts[n-1]
	default:
		if n == 4 {
			return strings.Join(facts[:3], ", ") + " and 1 more missing fact"
		}
		return strings.Join(facts[:3], ", ") + " and " + strconv.Itoa(n-3) + " more missing facts"
	}
}

// lowerFirst lower-cases the first letter of a sentence that continues
// another, unless it starts an abbreviation ("TS 007").
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || !unicode.IsUpper(r) {
		return s
	}
	if next, _ := utf8.DecodeRuneInString(s[size:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}

// adviceFor tries each candidate change of methodology v2 §8 on its own, on
// top of the given context, and keeps those whose headline band is better
// than the current one, highest score first, then in the table's order.
func (e *Engine) adviceFor(l *Lock, c *Context, cv *ctxValues, lo *values, el *evaluation) []Advice {
	out := []Advice{}
	if len(e.advice) == 0 || el.band == bandA {
		return out // nothing is better than A
	}
	tryContext := func(id string, change func(*Context)) {
		def := e.advice[id]
		if def == nil {
			return
		}
		c2 := *c
		change(&c2)
		cv2 := e.compileContext(&c2)
		var ev evaluation
		e.evaluate(lo, &cv2, &ev)
		if ev.band < el.band {
			out = append(out, Advice{ID: id, Action: def.Action, BandAfter: bandNames[ev.band], ScoreAfter: ev.score})
		}
	}
	if isTrue(l.KeyOverrideNeedsEmergencyCylinder) && cv.ukMultipoint {
		tryContext(adviceFitRatedCylinder, func(c *Context) {
			c.CylinderRating, c.CylinderEmergencyFunction = Ptr(CylinderTS007ThreeStar), Ptr(true)
		})
	}
	if !cv.otherDoor {
		tryContext(adviceKeepOtherKeyedDoor, func(c *Context) { c.OtherKeyedDoor, c.OtherDoorSameKeyring = Ptr(true), Ptr(false) })
	}
	if cv.sameRing {
		tryContext(adviceSeparateKeyRing, func(c *Context) { c.OtherDoorSameKeyring = Ptr(false) })
	}
	if !cv.keySafe {
		tryContext(adviceKeySafe, func(c *Context) { c.KeySafe = Ptr(true) })
	}
	if !cv.keyholder {
		tryContext(adviceKeyholderNearby, func(c *Context) { c.KeyholderNearby = Ptr(true) })
	}
	if e.advice[adviceConfirmPrefix+"<attribute>"] != nil {
		for i := 0; i < numAttrs; i++ {
			a := &Attributes[i]
			if !a.Completeness {
				continue
			}
			if _, known := a.get(l); known {
				continue
			}
			// The value the upper bound gives it, as if stated.
			if ev := e.stated(lo, cv, el, i, a.Best); ev.band < el.band {
				out = append(out, Advice{ID: adviceConfirmPrefix + a.Name, Action: a.Confirm, BandAfter: bandNames[ev.band], ScoreAfter: ev.score})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ScoreAfter > out[j].ScoreAfter })
	return out
}
