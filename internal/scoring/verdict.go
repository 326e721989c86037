package scoring

import (
	"cmp"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// appendVerdict appends the one plain-English sentence of methodology v2
// §8: the label and band, then the first gate's reason, or with no gate the
// scenario that scores lowest; when provisional, what the missing facts
// could change. It reads the bounds' evaluations and the probes of the
// missing facts, so a ranking row can have it without a full assessment.
func (e *Engine) appendVerdict(b []byte, l *Lock, c *Context, cv *ctxValues, el, eh *evaluation, provisional bool, pr *probes, missing attrSet) []byte {
	b = append(b, e.m.Bands[el.band].Label...)
	b = append(b, " for a main entrance ("...)
	b = append(b, bandNames[el.band]...)
	b = append(b, "): "...)
	if el.gates != 0 {
		order, _ := e.gateOrder(el.gates, eh.gates, cv.otherDoor)
		g := int(order[0])
		b = appendLowerFirst(b, e.gateReason(g, cv.otherDoor, eh.gates))
	} else {
		k := 0
		for i := 1; i < numScenarios; i++ {
			if el.s[i] < el.s[k] {
				k = i
			}
		}
		when := e.m.Scenarios[k].When
		if p := el.best[k]; p >= 0 {
			b = append(append(append(append(b, "even when "...), when...), ", "...), e.m.Paths[p].Phrase...)
			b = append(b, '.')
		} else {
			b = append(append(append(b, "when "...), when...), ", there is no other way in through this door."...)
		}
	}
	if provisional {
		b = append(b, " Provisional: confirming "...)
		b = e.appendDecidingFacts(b, l, c, el, eh, pr, missing)
		band := el.band
		if eh.band != el.band {
			band = eh.band
			b = append(b, " could lift it to "...)
		} else {
			b = append(b, " could change the reasons, but it would stay "...)
		}
		b = append(append(append(b, e.m.Bands[band].Label...), " ("...), bandNames[band]...)
		b = append(b, ")."...)
	}
	return b
}

// appendDecidingFacts appends, in words, the missing facts that would decide
// the verdict: the door's cylinder when G5 waits on it, then each missing
// attribute that alone, confirmed at its best, changes the band or the
// gates; when none does alone, the missing attributes. At most three by name.
func (e *Engine) appendDecidingFacts(b []byte, l *Lock, c *Context, el, eh *evaluation, pr *probes, missing attrSet) []byte {
	var facts [numAttrs + 1]string
	n := 0
	g5 := uint8(1) << gateG5
	if e.cylinderFromDoor && c.CylinderRating == nil && el.gates&g5 != 0 && eh.gates&g5 == 0 && isTrue(l.KeyOverrideNeedsEmergencyCylinder) {
		facts[n] = "the rating of the door's euro cylinder"
		n++
	}
	for i := 0; i < numAttrs; i++ {
		if p := &pr.loBest[i]; missing&(1<<i) != 0 && (p.band != el.band || p.gates != el.gates) {
			facts[n] = Attributes[i].Fact
			n++
		}
	}
	if n == 0 {
		// No fact decides alone: all the missing ones.
		for i := 0; i < numAttrs; i++ {
			if missing&(1<<i) != 0 {
				facts[n] = Attributes[i].Fact
				n++
			}
		}
	}
	if n == 0 {
		return append(b, "the missing facts"...)
	}
	named := min(n, 3)
	if n <= 3 {
		named = n - 1
	}
	for i := 0; i < named; i++ {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, facts[i]...)
	}
	switch {
	case n == 1:
		return append(b, facts[0]...)
	case n <= 3:
		return append(append(b, " and "...), facts[n-1]...)
	case n == 4:
		return append(b, " and 1 more missing fact"...)
	}
	b = strconv.AppendInt(append(b, " and "...), int64(n-3), 10)
	return append(b, " more missing facts"...)
}

// appendLowerFirst appends s, its first letter lower-cased when it
// continues another sentence, unless it starts an abbreviation ("TS 007").
func appendLowerFirst(b []byte, s string) []byte {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || !unicode.IsUpper(r) {
		return append(b, s...)
	}
	if next, _ := utf8.DecodeRuneInString(s[size:]); unicode.IsUpper(next) {
		return append(b, s...)
	}
	return append(utf8.AppendRune(b, unicode.ToLower(r)), s[size:]...)
}

// Context values the advice tries; read-only, shared by every request.
var (
	adviceTrue          = true
	adviceFalse         = false
	adviceRatedCylinder = CylinderTS007ThreeStar
)

// adviceFor tries each candidate change of methodology v2 §8 on its own, on
// top of the given context, and keeps those whose headline band is better
// than the current one, highest score first, then in the table's order.
// Confirming an unknown fact reads its probe, worked out for the missing facts.
func (e *Engine) adviceFor(out []Advice, l *Lock, c *Context, cv *ctxValues, pr *probes, lo *values, el *evaluation) []Advice {
	if len(e.advice) == 0 || el.band == bandA {
		return out // nothing is better than A
	}
	if isTrue(l.KeyOverrideNeedsEmergencyCylinder) && cv.ukMultipoint {
		c2 := *c
		c2.CylinderRating, c2.CylinderEmergencyFunction = &adviceRatedCylinder, &adviceTrue
		out = e.tryContext(out, adviceFitRatedCylinder, &c2, lo, el)
	}
	if !cv.otherDoor {
		c2 := *c
		c2.OtherKeyedDoor, c2.OtherDoorSameKeyring = &adviceTrue, &adviceFalse
		out = e.tryContext(out, adviceKeepOtherKeyedDoor, &c2, lo, el)
	}
	if cv.sameRing {
		c2 := *c
		c2.OtherDoorSameKeyring = &adviceFalse
		out = e.tryContext(out, adviceSeparateKeyRing, &c2, lo, el)
	}
	// A key safe or a keyholder holds the lock's key: without a usable
	// key neither adds a way in, and the bound would be el itself.
	if !cv.keySafe && el.keyUsable {
		c2 := *c
		c2.KeySafe = &adviceTrue
		out = e.tryContext(out, adviceKeySafe, &c2, lo, el)
	}
	if !cv.keyholder && el.keyUsable {
		c2 := *c
		c2.KeyholderNearby = &adviceTrue
		out = e.tryContext(out, adviceKeyholderNearby, &c2, lo, el)
	}
	if e.advice[adviceConfirmPrefix+"<attribute>"] != nil {
		for i := 0; i < numAttrs; i++ {
			// The value the upper bound gives it, as if stated.
			if p := &pr.loBest[i]; pr.unknown&(1<<i) != 0 && p.band < el.band {
				out = append(out, Advice{ID: confirmIDs[i], Action: Attributes[i].Confirm, BandAfter: bandNames[p.band], ScoreAfter: p.score})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Advice) int { return cmp.Compare(b.ScoreAfter, a.ScoreAfter) })
	return out
}

// tryContext appends the advice id when the lower bound in context c has a
// better band than el.
func (e *Engine) tryContext(out []Advice, id string, c *Context, lo *values, el *evaluation) []Advice {
	def := e.advice[id]
	if def == nil {
		return out
	}
	cv := e.compileContext(c)
	var ev evaluation
	e.evaluate(lo, &cv, &ev)
	if ev.band < el.band {
		out = append(out, Advice{ID: id, Action: def.Action, BandAfter: bandNames[ev.band], ScoreAfter: ev.score})
	}
	return out
}
