package scoring

import "slices"

// V2 is methodology version 2 (shared/methodology-v2.md): V1's weights,
// paths, scenarios, points and bands, with the v2 detection rule, gate
// basis and order, G5 judging the door's cylinder for retrofits, verdict,
// advice and rankings by fit. Every number is still published here only.
var V2 = func() Methodology {
	m := V1.clone()
	m.Version = "2"
	m.Detection.FullWhen = FullDetectionPurelyMechanical
	m.GateOrder = GateOrderKnownFirst
	m.OverrideCylinder = OverrideCylinderDoorForRetrofits
	m.Gates = []GateDef{
		{ID: "G1", Condition: "the key path is not usable (no key override, or it needs an emergency-function cylinder the door lacks)",
			CapBand: "D", CapBandWithOtherDoor: "C",
			Reason:              "If the electronics fail there is no way in through this door: it has no usable mechanical key override.",
			ReasonWithOtherDoor: "If the electronics fail there is no way in through this door, as it has no usable mechanical key override; the household has to use the other keyed door.",
			ReasonUnknown:       "It is not known whether this lock has a mechanical key override that works on this door; until that is confirmed it is rated as if there were no way in through this door when the electronics fail.",
			Source:              ownerCase},
		{ID: "G2", Condition: "G1 fires and there is no emergency power", CapBand: "E", CapBandWithOtherDoor: "D",
			Reason:              "Flat batteries leave no way in through this door: it has neither a usable key override nor a way to power it from outside.",
			ReasonWithOtherDoor: "Flat batteries leave no way in through this door (it has neither a usable key override nor a way to power it from outside); only the other keyed door remains.",
			ReasonUnknown:       "It is not known whether this lock has a usable key override or a way to power it from outside; until that is confirmed it is rated as if flat batteries left no way in through this door.",
			ReasonPowerUnknown:  "It is not known whether this lock can be powered from outside when its batteries are flat; with no usable key override, until that is confirmed it is rated as if flat batteries left no way in through this door.",
			Source:              "https://mapleleaflocksmith.com/keyless-lock-lockouts-how-to-prevent-and-get-back-inside/"},
		{ID: "G3", Condition: "interior_egress is electronic_only", CapBand: "E", CapBandWithOtherDoor: "E",
			Reason:              "Opening the door from inside needs power or a credential, so a fault can trap people inside.",
			ReasonWithOtherDoor: "Opening the door from inside needs power or a credential, so a fault can trap people inside.",
			ReasonUnknown:       "It is not known whether the door can be opened from inside without power or a credential; until that is confirmed it is rated as if a fault could trap people inside.",
			Source:              "https://www.hunker.com/1718163/keyless-digital-door-lock-access-respond/"},
		{ID: "G4", Condition: "known_defect is true", CapBand: "D", CapBandWithOtherDoor: "D",
			Reason:              "This model has a known defect that has not been put right (a recall, bricking or unlocking by itself).",
			ReasonWithOtherDoor: "This model has a known defect that has not been put right (a recall, bricking or unlocking by itself).",
			ReasonUnknown:       "It is not known whether this model has a defect that has not been put right; until that is confirmed it is rated as if it had.",
			Source:              "https://www.which.co.uk/reviews/which-logos-and-research-methods-explained/article/which-symbols-logos-and-ratings"},
		{ID: "G5", Condition: "door_type is uk_multipoint, the key path is usable, and the override's cylinder (the door's own for a retrofit whose key is the door's euro cylinder, else the lock's) is not TS 007 3-star (or 1-star + 2-star hardware) nor SS312 Diamond",
			CapBand: "C", CapBandWithOtherDoor: "C",
			Reason:              "On a uPVC or composite multipoint door the cylinder the key turns is not rated TS 007 3-star (or 1-star with 2-star hardware) nor Sold Secure Diamond, so it may be snapped.",
			ReasonWithOtherDoor: "On a uPVC or composite multipoint door the cylinder the key turns is not rated TS 007 3-star (or 1-star with 2-star hardware) nor Sold Secure Diamond, so it may be snapped.",
			ReasonUnknown:       "It is not known whether the cylinder the key turns is rated TS 007 3-star or Sold Secure Diamond; until that is confirmed it is rated as if it could be snapped.",
			Source:              "https://squotipedia.co.uk/compliance/part-q-security"},
	}
	// The path data says what the engine adds to a path's own needs.
	for i := range m.Paths {
		switch m.Paths[i].ID {
		case "emergency_power":
			m.Paths[i].Condition = "emergency_power is not none and the lock has an electronic credential; one such path per credential, needing ELEC and ACT plus that credential's own needs other than BAT"
		case "key_safe":
			m.Paths[i].Condition = "context key_safe and a usable key path; needs MEM plus the key path's needs other than KEYRING (ACT when the key back-drives the motor)"
		case "keyholder":
			m.Paths[i].Condition = "context keyholder_nearby and a usable key path; needs HELPER plus the key path's needs other than KEYRING (ACT when the key back-drives the motor)"
		}
	}
	m.Advice = []AdviceDef{
		{ID: adviceFitRatedCylinder, Change: "context cylinder_rating = ts007_3star and cylinder_emergency_function = true",
			TriedWhen: "key_override_needs_emergency_cylinder is true and door_type is uk_multipoint",
			Action:    "Fit a TS 007 3-star or SS312 Diamond anti-snap euro cylinder with the emergency function."},
		{ID: adviceKeepOtherKeyedDoor, Change: "context other_keyed_door = true, other_door_same_keyring = false",
			TriedWhen: "the context has no other keyed door",
			Action:    "Keep another door that opens with a key from outside, with its key on a separate ring."},
		{ID: adviceSeparateKeyRing, Change: "context other_door_same_keyring = false",
			TriedWhen: "the other door's key is on the same ring",
			Action:    "Keep the other door's key on a separate ring from this door's keys."},
		{ID: adviceKeySafe, Change: "context key_safe = true", TriedWhen: "not already in the context",
			Action: "Fit a key safe outside holding a spare override key."},
		{ID: adviceKeyholderNearby, Change: "context keyholder_nearby = true", TriedWhen: "not already in the context",
			Action: "Leave a spare key with someone who lives nearby."},
		{ID: adviceConfirmPrefix + "<attribute>", Change: "one unknown attribute set to the value the upper bound gives it",
			TriedWhen: "for each unknown attribute (not known_defect), in the attributes' order",
			Action:    "Confirm that ... (each attribute's confirm text)"},
	}
	m.Rankings = "score descending, then score_uncapped descending, then score_upper descending, then slug ascending; with a door_type, locks whose door_types are known and do not include it are left out unless include_unfitting=true, and every row carries fits (true, false, or null when unknown or no door_type is given)"
	m.Intervals = "unknown attributes give an interval: score takes every unknown at its worst, score_upper at its best; each bound applies the gates that fire on its own values; a gate that fires at the lower bound but not at the upper has basis unknown; provisional is true when the bounds differ in label or in the gates that fire; the purely-mechanical test of detection and the override's cylinder take their own worst and best"
	return m
}()

// Advice ids (methodology v2 §8).
const (
	adviceFitRatedCylinder   = "fit_rated_cylinder"
	adviceKeepOtherKeyedDoor = "keep_other_keyed_door"
	adviceSeparateKeyRing    = "separate_key_ring"
	adviceKeySafe            = "key_safe"
	adviceKeyholderNearby    = "keyholder_nearby"
	adviceConfirmPrefix      = "confirm_"
)

// Methodologies lists every published version, newest first.
var Methodologies = []*Methodology{&V2, &V1}

// MethodologyByVersion returns the published methodology with that version, or nil.
func MethodologyByVersion(version string) *Methodology {
	for _, m := range Methodologies {
		if m.Version == version {
			return m
		}
	}
	return nil
}

// clone copies m deeply enough that changing the copy's slices of
// definitions never changes m.
func (m *Methodology) clone() Methodology {
	c := *m
	c.Needs = slices.Clone(m.Needs)
	c.Paths = make([]PathDef, len(m.Paths))
	for i, p := range m.Paths {
		p.Needs = slices.Clone(p.Needs)
		p.NeedsIfBackdrives = slices.Clone(p.NeedsIfBackdrives)
		c.Paths[i] = p
	}
	c.Scenarios = make([]ScenarioDef, len(m.Scenarios))
	for i, s := range m.Scenarios {
		s.Kills = slices.Clone(s.Kills)
		c.Scenarios[i] = s
	}
	c.Bands = slices.Clone(m.Bands)
	c.Gates = slices.Clone(m.Gates)
	c.Context.Multipliers = slices.Clone(m.Context.Multipliers)
	c.Advice = slices.Clone(m.Advice)
	// Attributes stay shared: both versions read the one attribute table.
	c.Attributes = m.Attributes
	return c
}
