package scoring

// Methodology is the whole scoring specification as data: every weight,
// quality, point and threshold the engine uses. GET /api/v1/methodology
// serves this same value, so no number is written twice.
type Methodology struct {
	Version    string           `json:"version"`
	Question   string           `json:"question"`
	Components ComponentWeights `json:"components"`
	Needs      []NeedDef        `json:"needs"`
	Paths      []PathDef        `json:"paths"`
	Scenarios  []ScenarioDef    `json:"scenarios"`
	Detection  DetectionPoints  `json:"detection"`
	Evidence   EvidencePoints   `json:"evidence"`
	Bands      []BandDef        `json:"bands"`
	Gates      []GateDef        `json:"gates"`
	Context    ContextEffects   `json:"context"`
	Rounding   string           `json:"rounding"`
	Intervals  string           `json:"intervals"`
	// GateOrder is how gates[] is ordered: GateOrderCapFirst or GateOrderKnownFirst.
	GateOrder string `json:"gate_order" enums:"cap_then_id,known_then_cap_then_id"`
	// OverrideCylinder says which cylinder gate G5 judges: the lock's own
	// (OverrideCylinderLock), or the door's for a retrofit whose key is the
	// door's euro cylinder (OverrideCylinderDoorForRetrofits).
	OverrideCylinder string `json:"override_cylinder" enums:"lock,door_for_retrofits"`
	// Advice lists the changes an assessment tries, each on its own, to
	// raise the band; empty for a version without advice.
	Advice []AdviceDef `json:"advice"`
	// Rankings says how rankings are ordered and how fit is judged.
	Rankings   string      `json:"rankings"`
	Attributes []Attribute `json:"attributes"`
}

// Gate orders and override-cylinder rules a methodology can name.
const (
	GateOrderCapFirst                = "cap_then_id"
	GateOrderKnownFirst              = "known_then_cap_then_id"
	OverrideCylinderLock             = "lock"
	OverrideCylinderDoorForRetrofits = "door_for_retrofits"
	FullDetectionNotMotorised        = "not_motorised"
	FullDetectionPurelyMechanical    = "purely_mechanical"
)

// AdviceDef is one change an assessment tries on its own (methodology v2 §8).
type AdviceDef struct {
	ID        string `json:"id" example:"keep_other_keyed_door"`
	Change    string `json:"change"`
	TriedWhen string `json:"tried_when"`
	// Action is the plain-English instruction; for confirm_ATTRIBUTE it is
	// the attribute's own confirm text.
	Action string `json:"action"`
}

// ComponentWeights are the points each component contributes at full value.
type ComponentWeights struct {
	Coverage  float64 `json:"coverage" example:"75"`
	Detection float64 `json:"detection" example:"15"`
	Evidence  float64 `json:"evidence" example:"10"`
}

// NeedDef is something a way in depends on, which a scenario can kill.
type NeedDef struct {
	ID          string `json:"id" example:"BAT"`
	Description string `json:"description"`
}

// PathDef is a way in from outside: its quality when it survives and what it needs.
type PathDef struct {
	ID      string   `json:"id" example:"key"`
	Name    string   `json:"name"`
	Quality float64  `json:"quality" example:"1"`
	Needs   []string `json:"needs"`
	// NeedsIfBackdrives are added when the key override back-drives the motor.
	NeedsIfBackdrives []string `json:"needs_if_backdrives,omitempty"`
	// Context paths come from the property or household, not the lock.
	Context   bool   `json:"context"`
	Condition string `json:"condition"`
	// Phrase completes "<scenario>: ..." when the path is the best survivor.
	Phrase string `json:"-"`
	// Noun names the path in a list of lost paths.
	Noun string `json:"-"`
}

// ScenarioDef is a failure scenario: what it kills and its default weight (of 100).
type ScenarioDef struct {
	ID     string   `json:"id" example:"S1"`
	Name   string   `json:"name"`
	Short  string   `json:"short"`
	Kills  []string `json:"kills"`
	Weight float64  `json:"weight" example:"25"`
	// When completes "even when ..." in a verdict: "the batteries are flat".
	When string `json:"when"`
}

// DetectionPoints are the parts of detection D, which sum to at most 1.
type DetectionPoints struct {
	LowBatteryOnDevice float64 `json:"low_battery_on_device"`
	LowBatteryRemote   float64 `json:"low_battery_remote"`
	ReserveOver4Weeks  float64 `json:"reserve_over_4_weeks"`
	Reserve1To4Weeks   float64 `json:"reserve_1_to_4_weeks"`
	JamAlert           float64 `json:"jam_alert"`
	// Full is D for a lock that FullWhen describes.
	Full float64 `json:"full"`
	// FullWhen is FullDetectionNotMotorised (v1: no electrically driven
	// bolt) or FullDetectionPurelyMechanical (v2: the record states the lock
	// is not motorised and has none of the five electronic credentials).
	FullWhen string `json:"full_when" enums:"not_motorised,purely_mechanical"`
}

// EvidencePoints are the parts of evidence E, summed and capped at Cap.
type EvidencePoints struct {
	BHMAGradeA             float64 `json:"bhma_grade_a"`
	BHMAGradeB             float64 `json:"bhma_grade_b"`
	BHMAGradeC             float64 `json:"bhma_grade_c"`
	ENDurabilityThirdParty float64 `json:"en_durability_third_party"`
	ElectronicThirdParty   float64 `json:"electronic_standard_third_party"`
	A15633BatteryVerified  float64 `json:"a156_33_battery_verified"`
	WorksWithoutAccount    float64 `json:"works_without_account"`
	UpdateSupportDeclared  float64 `json:"update_support_declared"`
	RecoveryWithoutVendor  float64 `json:"recovery_without_vendor"`
	SelfDeclaredFactor     float64 `json:"self_declared_factor"`
	Cap                    float64 `json:"cap"`
	DurabilityRule         string  `json:"durability_rule"`
}

// BandDef is a grade band: scores from Min to Max (inclusive, one decimal).
type BandDef struct {
	Band  string  `json:"band" example:"A"`
	Min   float64 `json:"min" example:"85"`
	Max   float64 `json:"max" example:"100"`
	Label string  `json:"label" example:"Recommended"`
}

// GateDef is a non-compensatory cap on the band.
type GateDef struct {
	ID                   string `json:"id" example:"G1"`
	Condition            string `json:"condition"`
	CapBand              string `json:"cap_band" example:"D"`
	CapBandWithOtherDoor string `json:"cap_band_with_other_door" example:"C"`
	Reason               string `json:"reason"`
	ReasonWithOtherDoor  string `json:"reason_with_other_door"`
	// ReasonUnknown is the reason when the gate fires only because a fact is
	// unknown (basis unknown); it names the fact as unknown.
	ReasonUnknown string `json:"reason_unknown,omitempty"`
	// ReasonPowerUnknown is G2's unknown-basis reason when the key path is
	// known to be unusable, so that only the emergency power is unknown.
	ReasonPowerUnknown string `json:"reason_power_unknown,omitempty"`
	Source             string `json:"source"`
}

// ContextEffects are the multipliers and path changes the context applies.
type ContextEffects struct {
	Multipliers                 []Multiplier `json:"multipliers"`
	TechAversePhoneLocalQuality float64      `json:"tech_averse_phone_local_quality"`
	Renormalise                 string       `json:"renormalise"`
}

// Multiplier scales a scenario weight when a context condition holds.
type Multiplier struct {
	When     string  `json:"when" example:"door_type=uk_multipoint"`
	Scenario string  `json:"scenario" example:"S2"`
	Factor   float64 `json:"factor" example:"1.25"`
}

// Context conditions named in Multiplier.When.
const (
	whenUKMultipoint = "door_type=uk_multipoint"
	whenTechAverse   = "occupants=tech_averse"
	whenChildren     = "occupants=children_let_themselves_in"
	whenLivesAlone   = "occupants=lives_alone"
)

const ownerCase = "https://owenthelocksmith.co.uk/why-your-smart-lock-needs-a-key-backup"

// V1 is methodology version 1. Every number marked a design choice in the
// specification is published here, and only here.
var V1 = Methodology{
	Version:    "1",
	Question:   "If this lock goes wrong, can the household still get in through the main entrance, and how practical is that way in?",
	Components: ComponentWeights{Coverage: 75, Detection: 15, Evidence: 10},
	Needs: []NeedDef{
		{"BAT", "the lock's batteries"},
		{"ELEC", "the lock's electronics and firmware"},
		{"ACT", "the motor or actuator that moves the bolt"},
		{"PHONE", "a working phone and app"},
		{"NET", "home internet and the vendor's cloud"},
		{"MEM", "remembering a PIN or combination"},
		{"KEYRING", "having the keys on you"},
		{"FINGER", "an enrolled finger"},
		{"TAG", "the card or fob"},
		{"HELPER", "another person"},
		{"DOOR2KEY", "the key to another door"},
	},
	Paths: []PathDef{
		{ID: "key", Name: "Mechanical key override", Quality: 1.00, Needs: []string{"KEYRING"}, NeedsIfBackdrives: []string{"ACT"},
			Condition: "key_override is independent or backdrives_actuator and, if it needs an emergency-function cylinder, the door's cylinder has one",
			Phrase:    "the mechanical key override still opens the door", Noun: "the key override"},
		{ID: "fingerprint", Name: "Fingerprint reader", Quality: 0.90, Needs: []string{"BAT", "ELEC", "ACT", "FINGER"},
			Condition: "fingerprint is true", Phrase: "the fingerprint reader still opens the door", Noun: "the fingerprint reader"},
		{ID: "keypad", Name: "Keypad", Quality: 0.90, Needs: []string{"BAT", "ELEC", "ACT", "MEM"},
			Condition: "keypad is true", Phrase: "the keypad still opens the door", Noun: "the keypad"},
		{ID: "rfid", Name: "Card or fob", Quality: 0.85, Needs: []string{"BAT", "ELEC", "ACT", "TAG"},
			Condition: "rfid is true", Phrase: "a card or fob still opens the door", Noun: "the card or fob"},
		{ID: "phone_local", Name: "Phone app over Bluetooth/NFC", Quality: 0.80, Needs: []string{"BAT", "ELEC", "ACT", "PHONE"},
			Condition: "phone_local is true", Phrase: "the phone app still opens the door over Bluetooth", Noun: "the phone app over Bluetooth"},
		{ID: "phone_cloud", Name: "Phone app over Wi-Fi/cloud", Quality: 0.70, Needs: []string{"BAT", "ELEC", "ACT", "PHONE", "NET"},
			Condition: "phone_cloud is true", Phrase: "the phone app still opens the door over the internet", Noun: "the phone app over the internet"},
		{ID: "emergency_power", Name: "Emergency power with an electronic credential", Quality: 0.60, Needs: []string{"ELEC", "ACT"},
			Condition: "emergency_power is not none and the lock has an electronic credential",
			Phrase:    "powering the lock from outside (9V, USB or reserve) lets a credential open the door", Noun: "emergency power"},
		{ID: "other_door", Name: "Another door keyed from outside", Quality: 0.75, Needs: []string{"DOOR2KEY"}, Context: true,
			Condition: "context other_keyed_door; on the same keyring it needs KEYRING instead of DOOR2KEY",
			Phrase:    "the household gets in through another keyed door", Noun: "the other keyed door"},
		{ID: "key_safe", Name: "Key safe holding the override key", Quality: 0.80, Needs: []string{"MEM"}, Context: true,
			Condition: "context key_safe and a usable key path", Phrase: "the override key in the key safe still opens the door", Noun: "the key safe"},
		{ID: "keyholder", Name: "Nearby keyholder", Quality: 0.60, Needs: []string{"HELPER"}, Context: true,
			Condition: "context keyholder_nearby and a usable key path", Phrase: "a nearby keyholder can bring the key", Noun: "the nearby keyholder"},
		{ID: "remote_helper", Name: "Household member unlocks remotely", Quality: 0.50, Needs: []string{"BAT", "ELEC", "ACT", "NET", "HELPER"}, Context: true,
			Condition: "context remote_helper and the lock has phone_cloud", Phrase: "a household member can unlock it remotely", Noun: "remote unlocking by a household member"},
	},
	Scenarios: []ScenarioDef{
		{ID: "S1", Name: "Lock batteries flat", Short: "Batteries flat", Kills: []string{"BAT"}, Weight: 25, When: "the batteries are flat"},
		{ID: "S2", Name: "Electronics dead or unresponsive", Short: "Electronics dead", Kills: []string{"ELEC"}, Weight: 12, When: "the electronics die"},
		{ID: "S3", Name: "Motor/mechanism jammed while deadlocked", Short: "Motor jammed while deadlocked", Kills: []string{"ACT"}, Weight: 15, When: "the motor jams while the door is deadlocked"},
		{ID: "S4", Name: "Phone lost, flat or app broken", Short: "Phone lost or flat", Kills: []string{"PHONE"}, Weight: 10, When: "the phone is lost or flat"},
		{ID: "S5", Name: "Home internet or vendor cloud down, or vendor gone", Short: "Internet or cloud down", Kills: []string{"NET"}, Weight: 10, When: "the internet or the maker's cloud is down"},
		{ID: "S6", Name: "PIN forgotten or keypad wrong-try lockout", Short: "PIN forgotten", Kills: []string{"MEM"}, Weight: 8, When: "the PIN is forgotten"},
		{ID: "S7", Name: "Firmware or update fault", Short: "Firmware fault", Kills: []string{"ELEC"}, Weight: 10, When: "a firmware update goes wrong"},
		{ID: "S8", Name: "Keys not on you", Short: "Keys not on you", Kills: []string{"KEYRING"}, Weight: 10, When: "the keys are not on you"},
	},
	Detection: DetectionPoints{LowBatteryOnDevice: 0.30, LowBatteryRemote: 0.20, ReserveOver4Weeks: 0.30, Reserve1To4Weeks: 0.15, JamAlert: 0.20, Full: 1, FullWhen: FullDetectionNotMotorised},
	Evidence: EvidencePoints{BHMAGradeA: 0.40, BHMAGradeB: 0.30, BHMAGradeC: 0.20, ENDurabilityThirdParty: 0.30, ElectronicThirdParty: 0.20,
		A15633BatteryVerified: 0.10, WorksWithoutAccount: 0.10, UpdateSupportDeclared: 0.10, RecoveryWithoutVendor: 0.10,
		SelfDeclaredFactor: 0.5, Cap: 1, DurabilityRule: "the higher of the BHMA grade and the EN durability class counts, not both"},
	Bands: []BandDef{
		{Band: "A", Min: 85, Max: 100, Label: "Recommended"},
		{Band: "B", Min: 70, Max: 84.9, Label: "Recommended"},
		{Band: "C", Min: 55, Max: 69.9, Label: "Conditional"},
		{Band: "D", Min: 40, Max: 54.9, Label: "Not recommended"},
		{Band: "E", Min: 0, Max: 39.9, Label: "Unsuitable"},
	},
	Gates: []GateDef{
		{ID: "G1", Condition: "the key path is not usable (no key override, or it needs an emergency-function cylinder the door lacks)",
			CapBand: "D", CapBandWithOtherDoor: "C",
			Reason:              "No way in through this door if the electronics fail: there is no usable mechanical key override.",
			ReasonWithOtherDoor: "No way in through this door if the electronics fail: there is no usable mechanical key override, so it relies on another keyed door.",
			Source:              ownerCase},
		{ID: "G2", Condition: "G1 fires and there is no emergency power", CapBand: "E", CapBandWithOtherDoor: "D",
			Reason:              "Flat batteries leave no way in through this door: no key override and no emergency power.",
			ReasonWithOtherDoor: "Flat batteries leave no way in through this door (no key override and no emergency power); only another keyed door remains.",
			Source:              "https://mapleleaflocksmith.com/keyless-lock-lockouts-how-to-prevent-and-get-back-inside/"},
		{ID: "G3", Condition: "interior_egress is electronic_only", CapBand: "E", CapBandWithOtherDoor: "E",
			Reason:              "Opening the door from inside needs power or a credential, so a fault can trap people inside.",
			ReasonWithOtherDoor: "Opening the door from inside needs power or a credential, so a fault can trap people inside.",
			Source:              "https://www.hunker.com/1718163/keyless-digital-door-lock-access-respond/"},
		{ID: "G4", Condition: "known_defect is true", CapBand: "D", CapBandWithOtherDoor: "D",
			Reason:              "A known, unremedied defect (recall, bricking or spontaneous unlock) affects this model.",
			ReasonWithOtherDoor: "A known, unremedied defect (recall, bricking or spontaneous unlock) affects this model.",
			Source:              "https://www.which.co.uk/reviews/which-logos-and-research-methods-explained/article/which-symbols-logos-and-ratings"},
		{ID: "G5", Condition: "door_type is uk_multipoint, the key path is usable, and its cylinder is not TS 007 3-star (or 1-star + 2-star hardware) nor SS312 Diamond",
			CapBand: "C", CapBandWithOtherDoor: "C",
			Reason:              "On a UK multipoint door the override cylinder is not TS 007 3-star (or 1-star with 2-star hardware) nor Sold Secure SS312 Diamond.",
			ReasonWithOtherDoor: "On a UK multipoint door the override cylinder is not TS 007 3-star (or 1-star with 2-star hardware) nor Sold Secure SS312 Diamond.",
			Source:              "https://squotipedia.co.uk/compliance/part-q-security"},
	},
	Context: ContextEffects{
		Multipliers: []Multiplier{
			{When: whenUKMultipoint, Scenario: "S2", Factor: 1.25},
			{When: whenUKMultipoint, Scenario: "S3", Factor: 1.25},
			{When: whenTechAverse, Scenario: "S4", Factor: 1.5},
			{When: whenTechAverse, Scenario: "S6", Factor: 1.5},
			{When: whenChildren, Scenario: "S8", Factor: 1.5},
			{When: whenLivesAlone, Scenario: "S2", Factor: 1.25},
			{When: whenLivesAlone, Scenario: "S3", Factor: 1.25},
			{When: whenLivesAlone, Scenario: "S7", Factor: 1.25},
		},
		TechAversePhoneLocalQuality: 0.6,
		Renormalise:                 "multipliers multiply, then the scenario weights are renormalised to sum to 100",
	},
	Rounding:         "scores are rounded half away from zero to one decimal before banding, after snapping binary floating-point noise (74.2499999... is 74.25, so 74.3); band lower edges are inclusive",
	Intervals:        "unknown attributes give an interval: score takes every unknown at its worst, score_upper at its best; each bound applies the gates that fire on its own values; provisional is true when the bounds differ in label or in the gates that fire",
	GateOrder:        GateOrderCapFirst,
	OverrideCylinder: OverrideCylinderLock,
	Advice:           []AdviceDef{},
	Rankings:         "score descending, then score_upper descending, then slug",
	Attributes:       Attributes[:],
}
