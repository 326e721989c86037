package web

// The plain words of the pages: every code value the engine uses, said the
// way a person standing at a door would say it. Nothing here is a fact about
// a lock; it is wording only.

type option struct {
	Value, Label string
}

var doorTypeOptions = []option{
	{"uk_multipoint", "uPVC or composite door with a multipoint lock"},
	{"uk_timber", "wooden door with a mortice lock or nightlatch"},
	{"us_deadbolt", "US-style deadbolt"},
	{"euro_cylinder", "continental euro-cylinder door"},
	{"other", "another kind of door"},
}

var cylinderRatingOptions = []option{
	{"ts007_3star", "TS 007 3-star (three stars on the cylinder face)"},
	{"ss312_diamond", "Sold Secure SS312 Diamond"},
	{"ts007_1star_2star_hardware", "TS 007 1-star with 2-star handles"},
	{"ts007_1star", "TS 007 1-star only"},
	{"unrated", "No rating marked on it"},
}

var occupantOptions = []option{
	{"lives_alone", "Someone lives alone"},
	{"children_let_themselves_in", "Children let themselves in"},
	{"tech_averse", "Someone isn't comfortable with phone apps"},
}

var marketLabels = map[string]string{
	"UK": "United Kingdom", "IE": "Ireland", "EU": "European Union", "DE": "Germany", "FR": "France",
	"NL": "Netherlands", "CH": "Switzerland", "Nordics": "Nordic countries", "US": "United States",
	"CA": "Canada", "AU": "Australia", "NZ": "New Zealand", "JP": "Japan", "KR": "South Korea",
	"BR": "Brazil", "Asia": "Asia", "global": "Sold worldwide",
}

var formFactorLabels = map[string]string{
	"deadbolt":                 "deadbolt",
	"retrofit":                 "fits over your existing lock",
	"euro_cylinder_motorised":  "motorised euro cylinder",
	"euro_cylinder_electronic": "electronic euro cylinder",
	"mortise":                  "mortice lock",
	"rim_nightlatch":           "nightlatch",
	"handle":                   "smart handle",
	"other":                    "other kind",
}

// scenarioWords are the eight failures, finishing "What happens when…".
var scenarioWords = map[string]string{
	"S1": "the batteries go flat",
	"S2": "the electronics stop responding",
	"S3": "the motor jams while the door is locked",
	"S4": "your phone is lost or flat, or the app stops working",
	"S5": "the internet or the maker's service is down, or the maker closes",
	"S6": "someone forgets the code, or the keypad locks after wrong tries",
	"S7": "a software update goes wrong",
	"S8": "you haven't got your keys with you",
}

// pathWords say which way in still works; throughDoor is false for the one
// way in that is not this door.
var pathWords = map[string]struct {
	Long, Short string
	ThroughDoor bool
}{
	"key":             {"The key still opens this door.", "the key", true},
	"fingerprint":     {"Your fingerprint still opens this door.", "fingerprint", true},
	"keypad":          {"The keypad code still opens this door.", "keypad code", true},
	"rfid":            {"A card or key fob still opens this door.", "card or fob", true},
	"phone_local":     {"The phone app, standing by the door, still opens it.", "phone by the door", true},
	"phone_cloud":     {"The phone app over the internet still opens it.", "phone over the internet", true},
	"emergency_power": {"Power the lock from outside with an emergency battery, then open it as usual.", "emergency battery", true},
	"other_door":      {"No way in through this door. You can still get in through your other door with its key.", "only your other door", false},
	"key_safe":        {"The spare key from your key safe opens this door.", "key from the key safe", true},
	"keyholder":       {"Someone nearby with a key can let you in.", "neighbour with a key", true},
	"remote_helper":   {"Someone in your household can open it for you from their phone.", "someone opens it remotely", true},
}

const noWayIn = "No way in: nothing that opens this door still works, and you have no other way in. You would need a locksmith."

// attributeWords give each §7 attribute a question an installer can check,
// a form label, and words for its values.
var attributeWords = map[string]struct {
	Question, Label string
	Values          map[string]string
}{
	"key_override": {"Is there a key that opens the lock from outside without the electronics, and does it still work if the motor is stuck?",
		"Can a key open it from outside without the electronics?",
		map[string]string{"independent": "Yes, the key works on its own", "backdrives_actuator": "Yes, but the key turns the motor, so not if the motor is stuck", "none": "No, there is no key"}},
	"key_override_needs_emergency_cylinder": {"Does the outside key only work when the door's cylinder has the emergency (double-clutch) function?",
		"Does the outside key only work with an emergency-function cylinder?", nil},
	"override_cylinder_rating": {"What rating is marked on the cylinder the key turns (stars, or \"SS312 Diamond\")?",
		"Rating of the cylinder the key turns",
		map[string]string{"ts007_3star": "TS 007 3-star", "ts007_1star_2star_hardware": "TS 007 1-star with 2-star handles", "ss312_diamond": "SS312 Diamond", "ts007_1star": "TS 007 1-star", "unrated": "No rating"}},
	"emergency_power": {"Can the lock be powered from outside when its batteries are flat, for example with a 9-volt battery or a USB cable?",
		"Can it be powered from outside when the batteries are flat?",
		map[string]string{"none": "No", "terminal_9v": "Yes, with a 9-volt battery", "usb_c": "Yes, with a USB-C cable", "usb_micro": "Yes, with a micro-USB cable", "contacts": "Yes, through contacts outside", "internal_reserve": "Yes, it keeps a reserve inside"}},
	"interior_egress": {"Can the door be opened from inside by hand, without power, a code or a key?",
		"How do you open it from inside?",
		map[string]string{"mechanical": "By hand, always", "key_only": "Only with a key", "electronic_only": "Only with power or a code"}},
	"motorised":   {"Does a motor move the bolt?", "Does a motor move the bolt?", nil},
	"keypad":      {"Does the lock have a keypad built in?", "Has a keypad built in", nil},
	"fingerprint": {"Does the lock have a fingerprint reader built in?", "Has a fingerprint reader", nil},
	"rfid":        {"Does it open with a card or key fob?", "Opens with a card or fob", nil},
	"phone_local": {"Does the phone app open it over Bluetooth, without the internet?", "Phone app opens it without the internet", nil},
	"phone_cloud": {"Does the phone app open it over the internet?", "Phone app opens it over the internet", nil},
	"low_battery_on_device": {"Does the lock itself warn, with a sound or a light, when its batteries are low?",
		"Warns on the lock when batteries are low", nil},
	"low_battery_remote": {"Does it send a low-battery warning to your phone or email?", "Sends a low-battery warning to your phone", nil},
	"low_battery_reserve": {"How long does it keep working after the first low-battery warning?",
		"How long it keeps working after the first warning",
		map[string]string{"none": "No time stated", "under_1_week": "Less than a week", "1_to_4_weeks": "One to four weeks (or 20 to 99 uses)", "over_4_weeks": "More than four weeks (or 100 uses)"}},
	"jam_alert": {"Does it warn you when the bolt jams or doesn't lock fully?", "Warns when the bolt jams", nil},
	"bhma_a156_40_grade": {"Has it been durability tested to the American BHMA A156.40 standard, and to which grade?",
		"American durability grade (BHMA A156.40)",
		map[string]string{"A": "Grade A", "B": "Grade B", "C": "Grade C", "none": "Not tested"}},
	"en_durability_class": {"Does it have a European durability class (EN 12209, EN 16867, EN 15684 or EN 1906), and who tested it?",
		"European durability class",
		map[string]string{"none": "None", "self_declared": "Claimed by the maker", "third_party": "Certified by a test house"}},
	"electronic_standard": {"Are its electronics tested to a standard (such as EN 14846 or TS 621), and who tested them?",
		"Electronics tested to a standard",
		map[string]string{"none": "None", "self_declared": "Claimed by the maker", "third_party": "Certified by a test house"}},
	"a156_33_battery_verified": {"Has the battery-life claim been checked independently?", "Battery life checked independently", nil},
	"works_without_account":    {"Does it work fully without an account with the maker?", "Works without an account with the maker", nil},
	"update_support_declared":  {"Does the maker say how long it will get software updates?", "Maker says how long updates will come", nil},
	"recovery_without_vendor": {"If an update goes wrong, can it be reset without the maker's help?",
		"Can be reset without the maker's help", nil},
	"known_defect": {"Has it had a recall, or a fault that locked people out or left the door open?",
		"Has a known fault that has not been put right", nil},
}

var boolWords = map[string]string{"true": "Yes", "false": "No"}

// valueWords says an attribute's value in words ("Not known" when null).
func valueWords(attr, v string, known bool) string {
	if !known {
		return "Not known"
	}
	w := attributeWords[attr]
	if s, ok := w.Values[v]; ok {
		return s
	}
	if s, ok := boolWords[v]; ok {
		return s
	}
	return v
}

func labelOf(opts []option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}
