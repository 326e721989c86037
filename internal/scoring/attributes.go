package scoring

// The vocabularies of methodology §7. Each enum type is a string so that it
// reads the same in JSON, CSV and a database column.

// KeyOverride says whether a mechanical key can open the lock without its electronics.
type KeyOverride string

// Key override values.
const (
	KeyIndependent        KeyOverride = "independent"
	KeyBackdrivesActuator KeyOverride = "backdrives_actuator"
	KeyNone               KeyOverride = "none"
)

// CylinderRating is the security rating of the cylinder the override key turns.
type CylinderRating string

// Cylinder rating values.
const (
	CylinderTS007ThreeStar        CylinderRating = "ts007_3star"
	CylinderTS007OneStarTwoStarHW CylinderRating = "ts007_1star_2star_hardware"
	CylinderSS312Diamond          CylinderRating = "ss312_diamond"
	CylinderTS007OneStar          CylinderRating = "ts007_1star"
	CylinderUnrated               CylinderRating = "unrated"
)

// EmergencyPower is how the lock can be powered from outside when its batteries are flat.
type EmergencyPower string

// Emergency power values.
const (
	PowerNone            EmergencyPower = "none"
	PowerTerminal9V      EmergencyPower = "terminal_9v"
	PowerUSBC            EmergencyPower = "usb_c"
	PowerUSBMicro        EmergencyPower = "usb_micro"
	PowerContacts        EmergencyPower = "contacts"
	PowerInternalReserve EmergencyPower = "internal_reserve"
)

// InteriorEgress is what it takes to open the door from inside.
type InteriorEgress string

// Interior egress values.
const (
	EgressMechanical     InteriorEgress = "mechanical"
	EgressKeyOnly        InteriorEgress = "key_only"
	EgressElectronicOnly InteriorEgress = "electronic_only"
)

// BatteryReserve is the documented reserve after the first low-battery warning.
type BatteryReserve string

// Battery reserve values; over_4_weeks also covers "100 operations or more",
// 1_to_4_weeks covers "20 to 99 operations".
const (
	ReserveNone       BatteryReserve = "none"
	ReserveUnder1Week BatteryReserve = "under_1_week"
	Reserve1To4Weeks  BatteryReserve = "1_to_4_weeks"
	ReserveOver4Weeks BatteryReserve = "over_4_weeks"
)

// BHMAGrade is the BHMA A156.40 durability grade.
type BHMAGrade string

// BHMA grade values.
const (
	BHMAGradeA    BHMAGrade = "A"
	BHMAGradeB    BHMAGrade = "B"
	BHMAGradeC    BHMAGrade = "C"
	BHMAGradeNone BHMAGrade = "none"
)

// Claim says who vouches for a standard: nobody, the vendor, or a third party.
type Claim string

// Claim values.
const (
	ClaimNone         Claim = "none"
	ClaimSelfDeclared Claim = "self_declared"
	ClaimThirdParty   Claim = "third_party"
)

// Lock holds the lock attributes the engine reads (methodology §7). Every
// field is nullable: nil means unknown, and unknown is never false. In a
// request every field may be left out (binding:"optional" tells swag so).
type Lock struct {
	KeyOverride                       *KeyOverride    `json:"key_override" gorm:"column:key_override" enums:"independent,backdrives_actuator,none" extensions:"x-nullable" binding:"optional"`
	KeyOverrideNeedsEmergencyCylinder *bool           `json:"key_override_needs_emergency_cylinder" gorm:"column:key_override_needs_emergency_cylinder" extensions:"x-nullable" binding:"optional"`
	OverrideCylinderRating            *CylinderRating `json:"override_cylinder_rating" gorm:"column:override_cylinder_rating" enums:"ts007_3star,ts007_1star_2star_hardware,ss312_diamond,ts007_1star,unrated" extensions:"x-nullable" binding:"optional"`
	EmergencyPower                    *EmergencyPower `json:"emergency_power" gorm:"column:emergency_power" enums:"none,terminal_9v,usb_c,usb_micro,contacts,internal_reserve" extensions:"x-nullable" binding:"optional"`
	InteriorEgress                    *InteriorEgress `json:"interior_egress" gorm:"column:interior_egress" enums:"mechanical,key_only,electronic_only" extensions:"x-nullable" binding:"optional"`
	Motorised                         *bool           `json:"motorised" gorm:"column:motorised" extensions:"x-nullable" binding:"optional"`
	Keypad                            *bool           `json:"keypad" gorm:"column:keypad" extensions:"x-nullable" binding:"optional"`
	Fingerprint                       *bool           `json:"fingerprint" gorm:"column:fingerprint" extensions:"x-nullable" binding:"optional"`
	RFID                              *bool           `json:"rfid" gorm:"column:rfid" extensions:"x-nullable" binding:"optional"`
	PhoneLocal                        *bool           `json:"phone_local" gorm:"column:phone_local" extensions:"x-nullable" binding:"optional"`
	PhoneCloud                        *bool           `json:"phone_cloud" gorm:"column:phone_cloud" extensions:"x-nullable" binding:"optional"`
	LowBatteryOnDevice                *bool           `json:"low_battery_on_device" gorm:"column:low_battery_on_device" extensions:"x-nullable" binding:"optional"`
	LowBatteryRemote                  *bool           `json:"low_battery_remote" gorm:"column:low_battery_remote" extensions:"x-nullable" binding:"optional"`
	LowBatteryReserve                 *BatteryReserve `json:"low_battery_reserve" gorm:"column:low_battery_reserve" enums:"none,under_1_week,1_to_4_weeks,over_4_weeks" extensions:"x-nullable" binding:"optional"`
	JamAlert                          *bool           `json:"jam_alert" gorm:"column:jam_alert" extensions:"x-nullable" binding:"optional"`
	BHMAA15640Grade                   *BHMAGrade      `json:"bhma_a156_40_grade" gorm:"column:bhma_a156_40_grade" enums:"A,B,C,none" extensions:"x-nullable" binding:"optional"`
	ENDurabilityClass                 *Claim          `json:"en_durability_class" gorm:"column:en_durability_class" enums:"none,self_declared,third_party" extensions:"x-nullable" binding:"optional"`
	ElectronicStandard                *Claim          `json:"electronic_standard" gorm:"column:electronic_standard" enums:"none,self_declared,third_party" extensions:"x-nullable" binding:"optional"`
	A15633BatteryVerified             *bool           `json:"a156_33_battery_verified" gorm:"column:a156_33_battery_verified" extensions:"x-nullable" binding:"optional"`
	WorksWithoutAccount               *bool           `json:"works_without_account" gorm:"column:works_without_account" extensions:"x-nullable" binding:"optional"`
	UpdateSupportDeclared             *bool           `json:"update_support_declared" gorm:"column:update_support_declared" extensions:"x-nullable" binding:"optional"`
	RecoveryWithoutVendor             *bool           `json:"recovery_without_vendor" gorm:"column:recovery_without_vendor" extensions:"x-nullable" binding:"optional"`
	KnownDefect                       *bool           `json:"known_defect" gorm:"column:known_defect" extensions:"x-nullable" binding:"optional"`
}

// DoorType is the kind of door the lock is fitted to (methodology §6).
type DoorType string

// Door type values.
const (
	DoorUKMultipoint DoorType = "uk_multipoint"
	DoorUSDeadbolt   DoorType = "us_deadbolt"
	DoorUKTimber     DoorType = "uk_timber"
	DoorEuroCylinder DoorType = "euro_cylinder"
	DoorOther        DoorType = "other"
)

// Occupant describes the household in ways that reweight the scenarios.
type Occupant string

// Occupant values.
const (
	OccupantTechAverse              Occupant = "tech_averse"
	OccupantChildrenLetThemselvesIn Occupant = "children_let_themselves_in"
	OccupantLivesAlone              Occupant = "lives_alone"
)

// Context is the property and household around the lock (methodology §6).
// An absent or null field is false, except CylinderEmergencyFunction, whose
// absence assumes the cylinder the manufacturer requires.
type Context struct {
	DoorType *DoorType `json:"door_type,omitempty" enums:"uk_multipoint,us_deadbolt,uk_timber,euro_cylinder,other"`
	// CylinderRating is the rating of the euro cylinder fitted in the door,
	// read only for locks whose key override is the door's cylinder; nil is unknown.
	CylinderRating            *CylinderRating `json:"cylinder_rating,omitempty" enums:"ts007_3star,ts007_1star_2star_hardware,ss312_diamond,ts007_1star,unrated"`
	OtherKeyedDoor            *bool           `json:"other_keyed_door,omitempty"`
	OtherDoorSameKeyring      *bool           `json:"other_door_same_keyring,omitempty"`
	CylinderEmergencyFunction *bool           `json:"cylinder_emergency_function,omitempty"`
	KeySafe                   *bool           `json:"key_safe,omitempty"`
	KeyholderNearby           *bool           `json:"keyholder_nearby,omitempty"`
	RemoteHelper              *bool           `json:"remote_helper,omitempty"`
	Occupants                 []Occupant      `json:"occupants,omitempty" enums:"tech_averse,children_let_themselves_in,lives_alone"`
}

func isTrue(b *bool) bool { return b != nil && *b }

// Ptr returns a pointer to v; it keeps literal locks in tests and tools short.
func Ptr[T any](v T) *T { return &v }
