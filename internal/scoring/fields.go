package scoring

// Attribute describes one lock attribute of methodology §7: its public name,
// its type and vocabulary, and which value is worst and best for the score.
// The decoder, the interval bounds, data completeness, the methodology
// document and the catalogue's CSV columns all read this one table.
type Attribute struct {
	Name        string   `json:"name"`
	Type        string   `json:"type" enums:"boolean,enum"`
	Values      []string `json:"values"`
	Worst       string   `json:"worst"`
	Best        string   `json:"best"`
	Description string   `json:"description"`
	// Completeness is false for known_defect, whose null means "none known".
	Completeness bool `json:"counts_towards_completeness"`
	// Fact names the attribute in plain words, for a verdict's list of
	// missing facts ("whether the door opens from inside by hand").
	Fact string `json:"fact"`
	// Confirm is the advice to confirm the attribute at its best value.
	Confirm string `json:"confirm,omitempty"`

	get   func(*Lock) (string, bool)
	set   func(*Lock, *string)
	adopt func(dst, src *Lock) // dst takes src's pointer for this attribute
}

// Get returns the attribute's value on l as a string and whether it is known.
func (a *Attribute) Get(l *Lock) (string, bool) { return a.get(l) }

// Set sets the attribute on l from a string already checked against Values;
// nil makes it unknown.
func (a *Attribute) Set(l *Lock, v *string) { a.set(l, v) }

// Code is v's ordinal code: its position in the attribute's vocabulary
// (Values), or -1 when v is not in it. Codes come from the table alone, so
// nothing that stores or packs attribute values keeps a list of its own.
func (a *Attribute) Code(v string) int {
	for i, x := range a.Values {
		if x == v {
			return i
		}
	}
	return -1
}

// ValueOf is the value with ordinal code c; ok is false for a code outside
// the vocabulary.
func (a *Attribute) ValueOf(c int) (v string, ok bool) {
	if c < 0 || c >= len(a.Values) {
		return "", false
	}
	return a.Values[c], true
}

// Allows reports whether v is in the attribute's vocabulary.
func (a *Attribute) Allows(v string) bool {
	for _, x := range a.Values {
		if x == v {
			return true
		}
	}
	return false
}

// Attribute indexes, in the order of methodology §7.
const (
	attrKeyOverride = iota
	attrNeedsEmergencyCylinder
	attrCylinderRating
	attrEmergencyPower
	attrInteriorEgress
	attrMotorised
	attrKeypad
	attrFingerprint
	attrRFID
	attrPhoneLocal
	attrPhoneCloud
	attrLowBatteryOnDevice
	attrLowBatteryRemote
	attrLowBatteryReserve
	attrJamAlert
	attrBHMAGrade
	attrENDurability
	attrElectronicStandard
	attrA15633
	attrWorksWithoutAccount
	attrUpdateSupport
	attrRecoveryWithoutVendor
	attrKnownDefect
	numAttrs
)

var boolValues = []string{"false", "true"}

func boolAttr(name, desc string, worst, best string, p func(*Lock) **bool) Attribute {
	return Attribute{
		Name: name, Type: "boolean", Values: boolValues, Worst: worst, Best: best, Description: desc, Completeness: true,
		get: func(l *Lock) (string, bool) {
			v := *p(l)
			if v == nil {
				return "", false
			}
			if *v {
				return "true", true
			}
			return "false", true
		},
		set: func(l *Lock, s *string) {
			if s == nil {
				*p(l) = nil
				return
			}
			b := *s == "true"
			*p(l) = &b
		},
		adopt: func(dst, src *Lock) { *p(dst) = *p(src) },
	}
}

func enumAttr[T ~string](name, desc string, values []T, worst, best T, p func(*Lock) **T) Attribute {
	vs := make([]string, len(values))
	for i, v := range values {
		vs[i] = string(v)
	}
	return Attribute{
		Name: name, Type: "enum", Values: vs, Worst: string(worst), Best: string(best), Description: desc, Completeness: true,
		get: func(l *Lock) (string, bool) {
			v := *p(l)
			if v == nil {
				return "", false
			}
			return string(*v), true
		},
		set: func(l *Lock, s *string) {
			if s == nil {
				*p(l) = nil
				return
			}
			v := T(*s)
			*p(l) = &v
		},
		adopt: func(dst, src *Lock) { *p(dst) = *p(src) },
	}
}

// Attributes is the table of lock attributes, indexed by the attr constants.
var Attributes = [numAttrs]Attribute{
	attrKeyOverride: enumAttr("key_override",
		"Mechanical key override: independent of the electronics, back-driving the motor (lost if the motor jams), or none.",
		[]KeyOverride{KeyIndependent, KeyBackdrivesActuator, KeyNone}, KeyNone, KeyIndependent,
		func(l *Lock) **KeyOverride { return &l.KeyOverride }),
	attrNeedsEmergencyCylinder: boolAttr("key_override_needs_emergency_cylinder",
		"A retrofit on an existing euro cylinder whose outside key works only with an emergency-function (double-clutch) cylinder.",
		"true", "false", func(l *Lock) **bool { return &l.KeyOverrideNeedsEmergencyCylinder }),
	attrCylinderRating: enumAttr("override_cylinder_rating",
		"Security rating of the lock's own cylinder that the override key turns (matters on UK multipoint doors). Null for a retrofit whose key is the door's cylinder: the context's cylinder_rating is read instead.",
		[]CylinderRating{CylinderTS007ThreeStar, CylinderTS007OneStarTwoStarHW, CylinderSS312Diamond, CylinderTS007OneStar, CylinderUnrated},
		CylinderUnrated, CylinderTS007ThreeStar, func(l *Lock) **CylinderRating { return &l.OverrideCylinderRating }),
	attrEmergencyPower: enumAttr("emergency_power",
		"How the lock can be powered from outside when its batteries are flat, for use with one of its electronic credentials.",
		[]EmergencyPower{PowerNone, PowerTerminal9V, PowerUSBC, PowerUSBMicro, PowerContacts, PowerInternalReserve},
		PowerNone, PowerTerminal9V, func(l *Lock) **EmergencyPower { return &l.EmergencyPower }),
	attrInteriorEgress: enumAttr("interior_egress",
		"What it takes to open the door from inside: by hand, only with a key, or only with power or a credential (gate G3).",
		[]InteriorEgress{EgressMechanical, EgressKeyOnly, EgressElectronicOnly}, EgressElectronicOnly, EgressMechanical,
		func(l *Lock) **InteriorEgress { return &l.InteriorEgress }),
	attrMotorised: boolAttr("motorised",
		"The bolt is driven electrically (a motor).",
		"true", "false", func(l *Lock) **bool { return &l.Motorised }),
	attrKeypad: boolAttr("keypad", "A built-in PIN keypad (an accessory keypad sold separately does not count).",
		"false", "true", func(l *Lock) **bool { return &l.Keypad }),
	attrFingerprint: boolAttr("fingerprint", "A built-in fingerprint reader.",
		"false", "true", func(l *Lock) **bool { return &l.Fingerprint }),
	attrRFID: boolAttr("rfid", "Opens with an RFID/NFC card or fob.",
		"false", "true", func(l *Lock) **bool { return &l.RFID }),
	attrPhoneLocal: boolAttr("phone_local", "The phone app opens it locally over Bluetooth or NFC, with no internet.",
		"false", "true", func(l *Lock) **bool { return &l.PhoneLocal }),
	attrPhoneCloud: boolAttr("phone_cloud", "The phone app opens it over Wi-Fi or the vendor cloud.",
		"false", "true", func(l *Lock) **bool { return &l.PhoneCloud }),
	attrLowBatteryOnDevice: boolAttr("low_battery_on_device", "An audible or visual low-battery warning on the lock.",
		"false", "true", func(l *Lock) **bool { return &l.LowBatteryOnDevice }),
	attrLowBatteryRemote: boolAttr("low_battery_remote", "A remote low-battery notification (app, e-mail).",
		"false", "true", func(l *Lock) **bool { return &l.LowBatteryRemote }),
	attrLowBatteryReserve: enumAttr("low_battery_reserve",
		"Documented reserve after the first warning; over_4_weeks also covers 100 operations or more, 1_to_4_weeks covers 20 to 99.",
		[]BatteryReserve{ReserveNone, ReserveUnder1Week, Reserve1To4Weeks, ReserveOver4Weeks}, ReserveNone, ReserveOver4Weeks,
		func(l *Lock) **BatteryReserve { return &l.LowBatteryReserve }),
	attrJamAlert: boolAttr("jam_alert", "A jam, bolt-not-thrown or lock-offline alert.",
		"false", "true", func(l *Lock) **bool { return &l.JamAlert }),
	attrBHMAGrade: enumAttr("bhma_a156_40_grade", "BHMA A156.40 residential deadbolt durability grade.",
		[]BHMAGrade{BHMAGradeA, BHMAGradeB, BHMAGradeC, BHMAGradeNone}, BHMAGradeNone, BHMAGradeA,
		func(l *Lock) **BHMAGrade { return &l.BHMAA15640Grade }),
	attrENDurability: enumAttr("en_durability_class", "An EN 12209 / EN 16867 / EN 15684 / EN 1906 durability class, and who certifies it.",
		[]Claim{ClaimNone, ClaimSelfDeclared, ClaimThirdParty}, ClaimNone, ClaimThirdParty,
		func(l *Lock) **Claim { return &l.ENDurabilityClass }),
	attrElectronicStandard: enumAttr("electronic_standard", "An electronic-component standard (A156.25, EN 14846, EN 16867, TS 621, SSF 3523), and who certifies it.",
		[]Claim{ClaimNone, ClaimSelfDeclared, ClaimThirdParty}, ClaimNone, ClaimThirdParty,
		func(l *Lock) **Claim { return &l.ElectronicStandard }),
	attrA15633: boolAttr("a156_33_battery_verified", "The battery-life claim is verified to BHMA A156.33.",
		"false", "true", func(l *Lock) **bool { return &l.A15633BatteryVerified }),
	attrWorksWithoutAccount: boolAttr("works_without_account", "Works fully without a vendor account.",
		"false", "true", func(l *Lock) **bool { return &l.WorksWithoutAccount }),
	attrUpdateSupport: boolAttr("update_support_declared", "The vendor declares an update-support period.",
		"false", "true", func(l *Lock) **bool { return &l.UpdateSupportDeclared }),
	attrRecoveryWithoutVendor: boolAttr("recovery_without_vendor", "Documented recovery or rollback without the vendor.",
		"false", "true", func(l *Lock) **bool { return &l.RecoveryWithoutVendor }),
	attrKnownDefect: func() Attribute {
		a := boolAttr("known_defect", "A known, unremedied defect (recall, bricking, spontaneous unlock); null means none is known.",
			"false", "false", func(l *Lock) **bool { return &l.KnownDefect })
		a.Completeness = false
		return a
	}(),
}

// attributeWords are each attribute's Fact and Confirm texts, in plain words.
var attributeWords = [numAttrs][2]string{
	attrKeyOverride: {"whether it has a mechanical key override that works without its electronics",
		"Confirm that the lock has a mechanical key override that opens it without its electronics."},
	attrNeedsEmergencyCylinder: {"whether its outside key needs an emergency-function cylinder",
		"Confirm that the outside key works without an emergency-function cylinder."},
	attrCylinderRating: {"the rating of the cylinder its key turns",
		"Confirm that the cylinder the key turns is rated TS 007 3-star."},
	attrEmergencyPower: {"whether it can be powered from outside when its batteries are flat",
		"Confirm that the lock can be powered from outside (for example with a 9V battery or USB) when its batteries are flat."},
	attrInteriorEgress: {"whether the door opens from inside by hand without power",
		"Confirm that the door opens from inside by hand (a thumb-turn, knob or handle) without power."},
	attrMotorised: {"whether a motor drives the bolt", "Confirm that no motor drives the bolt."},
	attrKeypad:    {"whether it has a keypad", "Confirm that the lock has a built-in keypad."},
	attrFingerprint: {"whether it has a fingerprint reader",
		"Confirm that the lock has a built-in fingerprint reader."},
	attrRFID: {"whether it opens with a card or fob", "Confirm that the lock opens with a card or fob."},
	attrPhoneLocal: {"whether the phone app opens it over Bluetooth without the internet",
		"Confirm that the phone app opens it over Bluetooth without the internet."},
	attrPhoneCloud: {"whether the phone app opens it over the internet",
		"Confirm that the phone app opens it over the internet."},
	attrLowBatteryOnDevice: {"whether the lock itself warns of low batteries",
		"Confirm that the lock warns of low batteries with a light or a sound."},
	attrLowBatteryRemote: {"whether it sends low-battery warnings to a phone",
		"Confirm that it sends low-battery warnings to your phone."},
	attrLowBatteryReserve: {"how long it keeps working after the first low-battery warning",
		"Confirm that it keeps working for four weeks or more (or 100 uses) after the first low-battery warning."},
	attrJamAlert: {"whether it warns when the bolt jams or is not fully thrown",
		"Confirm that it warns you when the bolt jams or is not fully thrown."},
	attrBHMAGrade: {"its BHMA durability grade",
		"Confirm that it holds a BHMA A156.40 grade A durability rating."},
	attrENDurability: {"whether it holds a certified European durability class",
		"Confirm that it holds an independently certified European durability class (EN 12209, EN 16867, EN 15684 or EN 1906)."},
	attrElectronicStandard: {"whether its electronics are certified to a standard",
		"Confirm that its electronics are independently certified (for example to EN 14846, EN 16867 or TS 621)."},
	attrA15633: {"whether its battery-life claim is independently verified",
		"Confirm that its battery-life claim is verified to BHMA A156.33."},
	attrWorksWithoutAccount: {"whether it works without an account with the maker",
		"Confirm that it works fully without an account with the maker."},
	attrUpdateSupport: {"whether the maker states how long it will get security updates",
		"Confirm that the maker states how long it will get security updates."},
	attrRecoveryWithoutVendor: {"whether it can be reset or recovered without the maker",
		"Confirm that it can be reset or recovered without the maker's help."},
	attrKnownDefect: {"whether it has a known defect that has not been put right", ""},
}

func init() {
	for i := range Attributes {
		Attributes[i].Fact, Attributes[i].Confirm = attributeWords[i][0], attributeWords[i][1]
	}
}

// AttributeByName returns the attribute with the given public name, or nil.
func AttributeByName(name string) *Attribute {
	for i := range Attributes {
		if Attributes[i].Name == name {
			return &Attributes[i]
		}
	}
	return nil
}

// AttributeNames lists the public attribute names in §7 order.
func AttributeNames() []string {
	names := make([]string, numAttrs)
	for i := range Attributes {
		names[i] = Attributes[i].Name
	}
	return names
}

// DataCompleteness is the share of the 22 scoring attributes (all but
// known_defect) that are known, rounded to two decimals.
func DataCompleteness(l *Lock) float64 {
	known, total := 0, 0
	for i := range Attributes {
		a := &Attributes[i]
		if !a.Completeness {
			continue
		}
		total++
		if _, ok := a.get(l); ok {
			known++
		}
	}
	return round2(float64(known) / float64(total))
}

// Interned values: every known attribute of an interned lock points at a
// value shared by all locks. A snapshot of 100,000 locks then holds no
// attribute allocations of its own, which saves memory and GC work.
// internTemplates[i][code] is a lock whose attribute i has the value with
// that ordinal code and nothing else.
var internTemplates [numAttrs][]*Lock

func init() {
	for i := range Attributes {
		a := &Attributes[i]
		internTemplates[i] = make([]*Lock, len(a.Values))
		for c, v := range a.Values {
			tmpl := &Lock{}
			val := v
			a.set(tmpl, &val)
			internTemplates[i][c] = tmpl
		}
	}
}

// bestTemplate[i] and worstTemplate[i] are templateFor(i, Best) and
// templateFor(i, Worst): the probes of missing facts and advice state one
// attribute at a time, many times a request.
var bestTemplate, worstTemplate [numAttrs]*Lock

// confirmIDs[i] is the id of the advice to confirm attribute i.
var confirmIDs [numAttrs]string

func init() {
	for i := range Attributes {
		bestTemplate[i] = templateFor(i, Attributes[i].Best)
		worstTemplate[i] = templateFor(i, Attributes[i].Worst)
		confirmIDs[i] = adviceConfirmPrefix + Attributes[i].Name
	}
}

// templateFor is the shared lock holding attribute i at value v.
func templateFor(i int, v string) *Lock {
	if c := Attributes[i].Code(v); c >= 0 {
		return internTemplates[i][c]
	}
	return nil
}

// Intern makes l's attribute pointers point at shared values. The lock must
// then be treated as immutable: change an attribute by replacing its
// pointer, never by writing through it.
func Intern(l *Lock) {
	for i := range Attributes {
		a := &Attributes[i]
		if v, ok := a.get(l); ok {
			if tmpl := templateFor(i, v); tmpl != nil {
				a.adopt(l, tmpl)
			}
		}
	}
}
