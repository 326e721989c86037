package scoring

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// need is a bit set of the things a way in depends on (methodology §3).
type need uint16

// Path indexes, in the order of methodology §3; ties between equal qualities
// go to the earlier path, so explanations are deterministic.
const (
	pathKey = iota
	pathFingerprint
	pathKeypad
	pathRFID
	pathPhoneLocal
	pathPhoneCloud
	pathEmergencyPower
	pathOtherDoor
	pathKeySafe
	pathKeyholder
	pathRemoteHelper
	numPaths
)

var pathIDs = [numPaths]string{"key", "fingerprint", "keypad", "rfid", "phone_local", "phone_cloud",
	"emergency_power", "other_door", "key_safe", "keyholder", "remote_helper"}

// credentialPaths are the lock's electronic credentials, usable with emergency power.
var credentialPaths = [...]int{pathFingerprint, pathKeypad, pathRFID, pathPhoneLocal, pathPhoneCloud}

// credBit is a credential path's bit in values.credTrue and credFalse; the
// credential paths are consecutive, from pathFingerprint.
func credBit(p int) uint8 { return 1 << (p - pathFingerprint) }

// allCreds has the bit of every credential path.
const allCreds = 1<<len(credentialPaths) - 1

const numScenarios = 8

// Band indexes; a larger index is a lower band.
const (
	bandA = iota
	bandB
	bandC
	bandD
	bandE
	numBands
)

var bandNames = [numBands]string{"A", "B", "C", "D", "E"}

// Gate indexes and bits.
const (
	gateG1 = iota
	gateG2
	gateG3
	gateG4
	gateG5
	numGates
)

var gateIDs = [numGates]string{"G1", "G2", "G3", "G4", "G5"}

// Engine scores locks against one methodology. It is safe for concurrent use.
type Engine struct {
	m *Methodology

	comp              [3]float64 // coverage, detection, evidence
	pathQ             [numPaths]float64
	pathNeeds         [numPaths]need
	keyBackdriveNeeds need
	keyring, door2key need
	bat               need
	kills             [numScenarios]need
	weights           [numScenarios]float64
	bandMin           [numBands]float64
	bandMax           [numBands]float64
	gateCap           [numGates][2]int8 // [without, with] another keyed door
	multipliers       []compiledMultiplier
	techAversePhoneQ  float64
	why               [numScenarios][numPaths]string
	// fullWhenMechanical: D is full only for a lock stated purely
	// mechanical (v2); otherwise for any lock without a motor (v1).
	fullWhenMechanical bool
	// cylinderFromDoor: G5 judges the door's cylinder (the context's
	// cylinder_rating) for a lock whose key is the door's cylinder (v2).
	cylinderFromDoor bool
	// knownFirst: gates[] lists basis-known gates first (v2).
	knownFirst  bool
	advice      map[string]*AdviceDef
	fingerprint string
}

type compiledMultiplier struct {
	when     condSet
	scenario int
	factor   float64
}

// Default is the engine for the methodology in force, version 2.
var Default = MustEngine(&V2)

// MustEngine is NewEngine that panics on an invalid methodology; for package-level values.
func MustEngine(m *Methodology) *Engine {
	e, err := NewEngine(m)
	if err != nil {
		panic(err)
	}
	return e
}

// NewEngine compiles a methodology into the engine's lookup tables. It fails
// when a path, scenario, need, band or gate the engine relies on is missing.
func NewEngine(m *Methodology) (*Engine, error) {
	e := &Engine{m: m}
	doc, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("scoring: methodology: %w", err)
	}
	sum := sha256.Sum256(doc)
	e.fingerprint = hex.EncodeToString(sum[:8])
	e.comp = [3]float64{m.Components.Coverage, m.Components.Detection, m.Components.Evidence}
	needBits := map[string]need{}
	for i, n := range m.Needs {
		needBits[n.ID] = 1 << i
	}
	if len(m.Needs) > 16 {
		return nil, fmt.Errorf("scoring: too many needs (%d)", len(m.Needs))
	}
	mask := func(ids []string) (need, error) {
		var b need
		for _, id := range ids {
			bit, ok := needBits[id]
			if !ok {
				return 0, fmt.Errorf("scoring: unknown need %q", id)
			}
			b |= bit
		}
		return b, nil
	}
	for _, s := range []struct {
		dst *need
		id  string
	}{{&e.keyring, "KEYRING"}, {&e.door2key, "DOOR2KEY"}, {&e.bat, "BAT"}} {
		if *s.dst, err = mask([]string{s.id}); err != nil {
			return nil, err
		}
	}
	// The engine indexes paths and gates by position (explanations, gate
	// ids and reasons), so a methodology that reorders them is refused
	// rather than silently misreported.
	if len(m.Paths) != numPaths {
		return nil, fmt.Errorf("scoring: want %d paths, have %d", numPaths, len(m.Paths))
	}
	for i, id := range pathIDs {
		if m.Paths[i].ID != id {
			return nil, fmt.Errorf("scoring: path %d is %q, want %q (paths must be in methodology §3 order)", i+1, m.Paths[i].ID, id)
		}
		p := &m.Paths[i]
		e.pathQ[i] = p.Quality
		if e.pathNeeds[i], err = mask(p.Needs); err != nil {
			return nil, err
		}
		if i == pathKey {
			if e.keyBackdriveNeeds, err = mask(p.NeedsIfBackdrives); err != nil {
				return nil, err
			}
		}
	}
	if len(m.Scenarios) != numScenarios {
		return nil, fmt.Errorf("scoring: want %d scenarios, have %d", numScenarios, len(m.Scenarios))
	}
	for i, s := range m.Scenarios {
		if e.kills[i], err = mask(s.Kills); err != nil {
			return nil, err
		}
		e.weights[i] = s.Weight
	}
	if len(m.Bands) != numBands {
		return nil, fmt.Errorf("scoring: want %d bands, have %d", numBands, len(m.Bands))
	}
	for i, b := range m.Bands {
		if b.Band != bandNames[i] {
			return nil, fmt.Errorf("scoring: band %d is %q, want %q", i, b.Band, bandNames[i])
		}
		e.bandMin[i], e.bandMax[i] = b.Min, b.Max
	}
	if len(m.Gates) != numGates {
		return nil, fmt.Errorf("scoring: want %d gates, have %d", numGates, len(m.Gates))
	}
	for i, g := range m.Gates {
		if g.ID != gateIDs[i] {
			return nil, fmt.Errorf("scoring: gate %d is %q, want %q (gates must be in methodology §5 order)", i+1, g.ID, gateIDs[i])
		}
		a, b := bandIndex(g.CapBand), bandIndex(g.CapBandWithOtherDoor)
		if a < 0 || b < 0 {
			return nil, fmt.Errorf("scoring: gate %s caps at an unknown band", g.ID)
		}
		e.gateCap[i] = [2]int8{int8(a), int8(b)}
	}
	for _, mu := range m.Context.Multipliers {
		k := m.scenarioIndex(mu.Scenario)
		if k < 0 {
			return nil, fmt.Errorf("scoring: multiplier names unknown scenario %q", mu.Scenario)
		}
		cond, ok := condOf(mu.When)
		if !ok {
			return nil, fmt.Errorf("scoring: multiplier has unknown condition %q", mu.When)
		}
		e.multipliers = append(e.multipliers, compiledMultiplier{cond, k, mu.Factor})
	}
	e.techAversePhoneQ = m.Context.TechAversePhoneLocalQuality
	switch m.Detection.FullWhen {
	case FullDetectionNotMotorised:
	case FullDetectionPurelyMechanical:
		e.fullWhenMechanical = true
	default:
		return nil, fmt.Errorf("scoring: unknown detection rule %q", m.Detection.FullWhen)
	}
	switch m.OverrideCylinder {
	case OverrideCylinderLock:
	case OverrideCylinderDoorForRetrofits:
		e.cylinderFromDoor = true
	default:
		return nil, fmt.Errorf("scoring: unknown override-cylinder rule %q", m.OverrideCylinder)
	}
	switch m.GateOrder {
	case GateOrderCapFirst:
	case GateOrderKnownFirst:
		e.knownFirst = true
	default:
		return nil, fmt.Errorf("scoring: unknown gate order %q", m.GateOrder)
	}
	e.advice = map[string]*AdviceDef{}
	for i := range m.Advice {
		a := &m.Advice[i]
		switch {
		case a.ID == adviceFitRatedCylinder, a.ID == adviceKeepOtherKeyedDoor, a.ID == adviceSeparateKeyRing,
			a.ID == adviceKeySafe, a.ID == adviceKeyholderNearby, strings.HasPrefix(a.ID, adviceConfirmPrefix):
		default:
			return nil, fmt.Errorf("scoring: unknown advice %q", a.ID)
		}
		e.advice[a.ID] = a
	}
	for k := range e.why {
		for p := range e.why[k] {
			e.why[k][p] = m.Scenarios[k].Short + ": " + m.path(pathIDs[p]).Phrase + "."
		}
	}
	return e, nil
}

// Methodology returns the methodology the engine was built from.
func (e *Engine) Methodology() *Methodology { return e.m }

// Fingerprint is a content hash of the methodology: it changes with any
// number or text in it, so stored assessments know when to be recomputed.
func (e *Engine) Fingerprint() string { return e.fingerprint }

func (m *Methodology) path(id string) *PathDef {
	for i := range m.Paths {
		if m.Paths[i].ID == id {
			return &m.Paths[i]
		}
	}
	return nil
}

func (m *Methodology) scenarioIndex(id string) int {
	for i := range m.Scenarios {
		if m.Scenarios[i].ID == id {
			return i
		}
	}
	return -1
}

func bandIndex(b string) int {
	for i, n := range bandNames {
		if n == b {
			return i
		}
	}
	return -1
}

// values is one bound's fully resolved lock: every attribute known, unknowns
// replaced by their worst (lower bound) or best (upper bound) value.
type values struct {
	// upper is true for the upper bound (unknowns at their best).
	upper       bool
	key         int8 // 0 none, 1 backdrives_actuator, 2 independent
	needsCyl    bool
	needsCylSet int8 // the stated value: -1 unknown, 0 false, 1 true
	cylGood     bool // the lock's own override cylinder is TS 007 3-star, 1-star + 2-star hardware, or SS312 Diamond
	power       bool // emergency power other than none
	egress      int8 // 0 electronic_only, 1 key_only, 2 mechanical
	motorised   bool
	motorSet    int8           // the stated value: -1 unknown, 0 false, 1 true
	creds       [numPaths]bool // indexed by credential path
	// credTrue and credFalse hold the credentials stated true and stated
	// false (credBit); the purely-mechanical test reads these, not creds.
	credTrue, credFalse uint8
	lbDevice            bool
	lbRemote            bool
	reserve             int8 // 0 none or under a week, 1 one to four weeks, 2 over four weeks
	jam                 bool
	bhma                int8 // 0 none, 1 C, 2 B, 3 A
	en                  int8 // 0 none, 1 self-declared, 2 third party
	elec                int8
	a15633              bool
	noAccount           bool
	updates             bool
	recovery            bool
	knownDefect         bool
}

// goodCylinder reports whether r satisfies gate G5.
func goodCylinder(r CylinderRating) bool {
	return r == CylinderTS007ThreeStar || r == CylinderTS007OneStarTwoStarHW || r == CylinderSS312Diamond
}

func pick[T any](best bool, worst, bestV T) T {
	if best {
		return bestV
	}
	return worst
}

func claimCode(c Claim) int8 {
	switch c {
	case ClaimThirdParty:
		return 2
	case ClaimSelfDeclared:
		return 1
	}
	return 0
}

// load resolves attribute i from l, taking an unknown at its best or worst.
func (v *values) load(i int, l *Lock, best bool) {
	switch i {
	case attrKeyOverride:
		if l.KeyOverride == nil {
			v.key = pick[int8](best, 0, 2)
		} else {
			switch *l.KeyOverride {
			case KeyIndependent:
				v.key = 2
			case KeyBackdrivesActuator:
				v.key = 1
			default:
				v.key = 0
			}
		}
	case attrNeedsEmergencyCylinder:
		v.needsCyl = boolOr(l.KeyOverrideNeedsEmergencyCylinder, !best)
		v.needsCylSet = stated(l.KeyOverrideNeedsEmergencyCylinder)
	case attrCylinderRating:
		if l.OverrideCylinderRating == nil {
			v.cylGood = best
		} else {
			v.cylGood = goodCylinder(*l.OverrideCylinderRating)
		}
	case attrEmergencyPower:
		if l.EmergencyPower == nil {
			v.power = best
		} else {
			v.power = *l.EmergencyPower != PowerNone
		}
	case attrInteriorEgress:
		if l.InteriorEgress == nil {
			v.egress = pick[int8](best, 0, 2)
		} else {
			switch *l.InteriorEgress {
			case EgressMechanical:
				v.egress = 2
			case EgressKeyOnly:
				v.egress = 1
			default:
				v.egress = 0
			}
		}
	case attrMotorised:
		v.motorised = boolOr(l.Motorised, !best)
		v.motorSet = stated(l.Motorised)
	case attrKeypad:
		v.setCred(pathKeypad, l.Keypad, best)
	case attrFingerprint:
		v.setCred(pathFingerprint, l.Fingerprint, best)
	case attrRFID:
		v.setCred(pathRFID, l.RFID, best)
	case attrPhoneLocal:
		v.setCred(pathPhoneLocal, l.PhoneLocal, best)
	case attrPhoneCloud:
		v.setCred(pathPhoneCloud, l.PhoneCloud, best)
	case attrLowBatteryOnDevice:
		v.lbDevice = boolOr(l.LowBatteryOnDevice, best)
	case attrLowBatteryRemote:
		v.lbRemote = boolOr(l.LowBatteryRemote, best)
	case attrLowBatteryReserve:
		if l.LowBatteryReserve == nil {
			v.reserve = pick[int8](best, 0, 2)
		} else {
			switch *l.LowBatteryReserve {
			case ReserveOver4Weeks:
				v.reserve = 2
			case Reserve1To4Weeks:
				v.reserve = 1
			default:
				v.reserve = 0
			}
		}
	case attrJamAlert:
		v.jam = boolOr(l.JamAlert, best)
	case attrBHMAGrade:
		if l.BHMAA15640Grade == nil {
			v.bhma = pick[int8](best, 0, 3)
		} else {
			switch *l.BHMAA15640Grade {
			case BHMAGradeA:
				v.bhma = 3
			case BHMAGradeB:
				v.bhma = 2
			case BHMAGradeC:
				v.bhma = 1
			default:
				v.bhma = 0
			}
		}
	case attrENDurability:
		if l.ENDurabilityClass == nil {
			v.en = pick[int8](best, 0, 2)
		} else {
			v.en = claimCode(*l.ENDurabilityClass)
		}
	case attrElectronicStandard:
		if l.ElectronicStandard == nil {
			v.elec = pick[int8](best, 0, 2)
		} else {
			v.elec = claimCode(*l.ElectronicStandard)
		}
	case attrA15633:
		v.a15633 = boolOr(l.A15633BatteryVerified, best)
	case attrWorksWithoutAccount:
		v.noAccount = boolOr(l.WorksWithoutAccount, best)
	case attrUpdateSupport:
		v.updates = boolOr(l.UpdateSupportDeclared, best)
	case attrRecoveryWithoutVendor:
		v.recovery = boolOr(l.RecoveryWithoutVendor, best)
	case attrKnownDefect:
		// null means no known defect, for both bounds.
		v.knownDefect = boolOr(l.KnownDefect, false)
	}
}

// setCred resolves credential path p and records what is stated of it.
func (v *values) setCred(p int, b *bool, best bool) {
	bit := credBit(p)
	v.credTrue &^= bit
	v.credFalse &^= bit
	v.creds[p] = boolOr(b, best)
	if b != nil {
		if *b {
			v.credTrue |= bit
		} else {
			v.credFalse |= bit
		}
	}
}

// stated is -1 for an unknown boolean, else 0 or 1.
func stated(b *bool) int8 {
	switch {
	case b == nil:
		return -1
	case *b:
		return 1
	}
	return 0
}

func boolOr(b *bool, unknown bool) bool {
	if b == nil {
		return unknown
	}
	return *b
}

func (v *values) loadAll(l *Lock, best bool) {
	v.upper = best
	for i := 0; i < numAttrs; i++ {
		v.load(i, l, best)
	}
}

// ctxValues is a context compiled against an engine: renormalised weights,
// effective path qualities and the context paths.
type ctxValues struct {
	w            [numScenarios]float64 // sum to 1
	q            [numPaths]float64
	otherDoor    bool
	sameRing     bool
	cefFalse     bool
	cefUnknown   bool
	keySafe      bool
	keyholder    bool
	remote       bool
	ukMultipoint bool
	doorType     DoorType
	// cylKnown and cylGood are the context's cylinder_rating: given, and
	// TS 007 3-star (or 1-star + 2-star hardware) or SS312 Diamond.
	cylKnown, cylGood bool
}

func (e *Engine) compileContext(c *Context) ctxValues {
	var cv ctxValues
	cv.q = e.pathQ
	var conds condSet
	if c.DoorType != nil {
		cv.doorType = *c.DoorType
		if cv.doorType == DoorUKMultipoint {
			conds |= condUKMultipoint
		}
	}
	for _, o := range c.Occupants {
		switch o {
		case OccupantTechAverse:
			conds |= condTechAverse
		case OccupantChildrenLetThemselvesIn:
			conds |= condChildren
		case OccupantLivesAlone:
			conds |= condLivesAlone
		}
	}
	cv.ukMultipoint = conds&condUKMultipoint != 0
	cv.otherDoor = isTrue(c.OtherKeyedDoor)
	cv.sameRing = cv.otherDoor && isTrue(c.OtherDoorSameKeyring)
	cv.cefFalse = c.CylinderEmergencyFunction != nil && !*c.CylinderEmergencyFunction
	cv.cefUnknown = c.CylinderEmergencyFunction == nil
	cv.keySafe = isTrue(c.KeySafe)
	cv.keyholder = isTrue(c.KeyholderNearby)
	cv.remote = isTrue(c.RemoteHelper)
	if c.CylinderRating != nil {
		cv.cylKnown, cv.cylGood = true, goodCylinder(*c.CylinderRating)
	}
	if conds&condTechAverse != 0 {
		cv.q[pathPhoneLocal] = e.techAversePhoneQ
	}
	var w [numScenarios]float64
	for k := range w {
		w[k] = e.weights[k]
	}
	for _, m := range e.multipliers {
		if conds&m.when != 0 {
			w[m.scenario] *= m.factor
		}
	}
	cv.w = normalise(w)
	return cv
}

// condSet holds the context conditions a multiplier can name.
type condSet uint8

const (
	condUKMultipoint condSet = 1 << iota
	condTechAverse
	condChildren
	condLivesAlone
)

func condOf(when string) (condSet, bool) {
	switch when {
	case whenUKMultipoint:
		return condUKMultipoint, true
	case whenTechAverse:
		return condTechAverse, true
	case whenChildren:
		return condChildren, true
	case whenLivesAlone:
		return condLivesAlone, true
	}
	return 0, false
}

func normalise(w [numScenarios]float64) [numScenarios]float64 {
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	for k := range w {
		w[k] /= sum
	}
	return w
}

// evaluation is one bound's result.
type evaluation struct {
	s         [numScenarios]float64
	best      [numScenarios]int8 // path index, -1 when nothing survives
	alive     [numScenarios]uint16
	present   uint16 // bit per path index
	coverage  float64
	det       float64
	evid      float64
	uncapped  float64
	score     float64 // rounded, capped
	band      int8
	cap       int8 // band index of the lowest cap, -1 when no gate fires
	gates     uint8
	keyUsable bool
}

// way is one way in a bound has: what it depends on, its path and quality.
type way struct {
	needs need
	bit   uint16 // 1 << path
	path  int8
	q     float64
}

// ways holds a bound's ways in (at most 16: the key, five credentials with
// and without emergency power, and four context paths).
type ways struct {
	w [16]way
	n int
}

func (ws *ways) add(nd need, q float64, p int) {
	ws.w[ws.n] = way{needs: nd, bit: 1 << p, path: int8(p), q: q}
	ws.n++
}

// evaluate scores one bound: the core of the methodology, allocation-free.
func (e *Engine) evaluate(v *values, c *ctxValues, out *evaluation) {
	var ws ways
	keyUsable := v.key > 0 && !(v.needsCyl && c.cefFalse)
	var keyNeeds need
	if keyUsable {
		keyNeeds = e.pathNeeds[pathKey]
		if v.key == 1 {
			keyNeeds |= e.keyBackdriveNeeds
		}
		ws.add(keyNeeds, c.q[pathKey], pathKey)
	}
	anyCred := false
	for _, p := range credentialPaths {
		if v.creds[p] {
			ws.add(e.pathNeeds[p], c.q[p], p)
			anyCred = true
		}
	}
	if v.power && anyCred {
		for _, p := range credentialPaths {
			if v.creds[p] {
				ws.add(e.pathNeeds[pathEmergencyPower]|(e.pathNeeds[p]&^e.bat), c.q[pathEmergencyPower], pathEmergencyPower)
			}
		}
	}
	if c.otherDoor {
		nd := e.pathNeeds[pathOtherDoor]
		if c.sameRing {
			nd = nd&^e.door2key | e.keyring
		}
		ws.add(nd, c.q[pathOtherDoor], pathOtherDoor)
	}
	if keyUsable && c.keySafe {
		ws.add(e.pathNeeds[pathKeySafe]|keyNeeds&^e.keyring, c.q[pathKeySafe], pathKeySafe)
	}
	if keyUsable && c.keyholder {
		ws.add(e.pathNeeds[pathKeyholder]|keyNeeds&^e.keyring, c.q[pathKeyholder], pathKeyholder)
	}
	if c.remote && v.creds[pathPhoneCloud] {
		ws.add(e.pathNeeds[pathRemoteHelper], c.q[pathRemoteHelper], pathRemoteHelper)
	}
	list := ws.w[:ws.n]
	out.present = 0
	for j := range list {
		out.present |= list[j].bit
	}

	cov := 0.0
	for k := 0; k < numScenarios; k++ {
		kill := e.kills[k]
		best, bq := int8(-1), 0.0
		var alive uint16
		for j := range list {
			w := &list[j]
			if w.needs&kill != 0 {
				continue
			}
			alive |= w.bit
			if w.q > bq {
				best, bq = w.path, w.q
			}
		}
		out.s[k], out.best[k], out.alive[k] = bq, best, alive
		cov += c.w[k] * bq
	}
	out.coverage = cov
	out.keyUsable = keyUsable

	var gates uint8
	if !keyUsable {
		gates |= 1 << gateG1
		if !v.power {
			gates |= 1 << gateG2
		}
	}
	if v.egress == 0 {
		gates |= 1 << gateG3
	}
	if v.knownDefect {
		gates |= 1 << gateG4
	}
	if c.ukMultipoint && keyUsable && !e.overrideCylinderGood(v, c) {
		gates |= 1 << gateG5
	}
	out.gates = gates
	out.cap = e.capFor(gates, c.otherDoor)
	e.finish(v, out)
}

// finish computes detection, evidence and the capped score from a coverage
// and gates already in out.
func (e *Engine) finish(v *values, out *evaluation) {
	out.det = e.detection(v)
	out.evid = e.evidence(v)
	e.total(out)
}

// total computes the capped score and band from the components in out.
func (e *Engine) total(out *evaluation) {
	out.uncapped = e.comp[0]*out.coverage + e.comp[1]*out.det + e.comp[2]*out.evid
	out.score, out.band = e.capped(out.uncapped, out.cap)
}

// capped rounds an uncapped score, caps it at capBand (none when -1) and bands it.
func (e *Engine) capped(uncapped float64, capBand int8) (float64, int8) {
	score := round1(uncapped)
	if capBand >= 0 && score > e.bandMax[capBand] {
		score = e.bandMax[capBand]
	}
	return score, e.bandOf(score)
}

// What a change to one attribute can move: paths and gates (a full
// evaluation), or only detection, or only evidence.
const (
	movesPaths = iota
	movesDetection
	movesEvidence
)

// attrMoves says, for each attribute, what a change to it can move, so a
// probe that states one fact re-runs only that part.
var attrMoves = [numAttrs]int8{
	attrMotorised: movesDetection, attrLowBatteryOnDevice: movesDetection, attrLowBatteryRemote: movesDetection,
	attrLowBatteryReserve: movesDetection, attrJamAlert: movesDetection,
	attrBHMAGrade: movesEvidence, attrENDurability: movesEvidence, attrElectronicStandard: movesEvidence,
	attrA15633: movesEvidence, attrWorksWithoutAccount: movesEvidence, attrUpdateSupport: movesEvidence,
	attrRecoveryWithoutVendor: movesEvidence,
}

// reprobe scores v, which differs from the values behind base only in
// attribute i, re-running only what attribute i can move.
func (e *Engine) reprobe(v *values, c *ctxValues, base *evaluation, i int) probe {
	var det, evid float64
	switch {
	case attrMoves[i] == movesDetection:
		det, evid = e.detection(v), base.evid
	case attrMoves[i] == movesEvidence:
		det, evid = base.det, e.evidence(v)
	case v.key == 0 && (i == attrNeedsEmergencyCylinder || i == attrCylinderRating):
		// Without a key override nothing reads the override's cylinder.
		return probe{score: base.score, band: base.band, gates: base.gates}
	default:
		var ev evaluation
		e.evaluate(v, c, &ev)
		return probe{score: ev.score, band: ev.band, gates: ev.gates}
	}
	// Paths and gates as in base: the same sum as total's.
	score, band := e.capped(e.comp[0]*base.coverage+e.comp[1]*det+e.comp[2]*evid, base.cap)
	return probe{score: score, band: band, gates: base.gates}
}

// overrideCylinderGood says whether the cylinder G5 judges is good enough.
// Under v2 a lock whose key is the door's cylinder is judged by the
// context's cylinder_rating; an unknown cylinder, or an unknown answer to
// whose cylinder it is, takes the bound's own worst or best (§5).
func (e *Engine) overrideCylinderGood(v *values, c *ctxValues) bool {
	if !e.cylinderFromDoor {
		return v.cylGood
	}
	switch v.needsCylSet {
	case -1:
		return v.upper
	case 1:
		if c.cylKnown {
			return c.cylGood
		}
		return v.upper
	}
	return v.cylGood
}

func (e *Engine) capFor(gates uint8, otherDoor bool) int8 {
	capBand := int8(-1)
	col := 0
	if otherDoor {
		col = 1
	}
	for g := 0; g < numGates; g++ {
		if gates&(1<<g) != 0 && e.gateCap[g][col] > capBand {
			capBand = e.gateCap[g][col]
		}
	}
	return capBand
}

func (e *Engine) detection(v *values) float64 {
	d := &e.m.Detection
	if e.fullDetection(v) {
		return d.Full
	}
	x := 0.0
	if v.lbDevice {
		x += d.LowBatteryOnDevice
	}
	if v.lbRemote {
		x += d.LowBatteryRemote
	}
	switch v.reserve {
	case 2:
		x += d.ReserveOver4Weeks
	case 1:
		x += d.Reserve1To4Weeks
	}
	if v.jam {
		x += d.JamAlert
	}
	return clamp01(x)
}

// fullDetection applies the methodology's rule for D = 1. Under v2 it reads
// what the record states, not the bound's resolved values: the lower bound
// needs the lock stated purely mechanical, the upper bound only that it may
// still be (§5), so the interval holds every way the unknowns could turn out.
func (e *Engine) fullDetection(v *values) bool {
	if !e.fullWhenMechanical {
		return !v.motorised
	}
	if v.upper {
		return v.motorSet != 1 && v.credTrue == 0
	}
	return v.motorSet == 0 && v.credFalse == allCreds
}

func (e *Engine) evidence(v *values) float64 {
	p := &e.m.Evidence
	claim := func(code int8, full float64) float64 {
		switch code {
		case 2:
			return full
		case 1:
			return full * p.SelfDeclaredFactor
		}
		return 0
	}
	var bhma float64
	switch v.bhma {
	case 3:
		bhma = p.BHMAGradeA
	case 2:
		bhma = p.BHMAGradeB
	case 1:
		bhma = p.BHMAGradeC
	}
	x := max(bhma, claim(v.en, p.ENDurabilityThirdParty)) + claim(v.elec, p.ElectronicThirdParty)
	for _, b := range [...]struct {
		on  bool
		pts float64
	}{{v.a15633, p.A15633BatteryVerified}, {v.noAccount, p.WorksWithoutAccount}, {v.updates, p.UpdateSupportDeclared}, {v.recovery, p.RecoveryWithoutVendor}} {
		if b.on {
			x += b.pts
		}
	}
	return clamp01(min(x, p.Cap))
}

// clamp01 uses the built-in min and max, which treat NaN and ±0 exactly as
// math.Min and math.Max do but compile to a few instructions, not a call.
func clamp01(x float64) float64 {
	return max(0, min(1, x))
}

// bandOf returns the band of a score already rounded to one decimal.
func (e *Engine) bandOf(score float64) int8 {
	for i := 0; i < numBands; i++ {
		if score >= e.bandMin[i]-1e-9 {
			return int8(i)
		}
	}
	return bandE
}

// round1 rounds half away from zero to one decimal, after snapping binary
// floating-point noise: 74.2499999999 from arithmetic is taken as 74.25.
func round1(x float64) float64 { return roundTo(x, 1e8) }

// round2 rounds half away from zero to two decimals, as round1 does.
func round2(x float64) float64 { return roundTo(x, 1e7) }

// round3 rounds half away from zero to three decimals, as round1 does.
func round3(x float64) float64 { return roundTo(x, 1e6) }

func roundTo(x, div float64) float64 {
	nano := math.Round(x * 1e9) // exact integer nano-units for |x| up to about 9e6
	units := math.Round(nano / div)
	return units / (1e9 / div)
}
