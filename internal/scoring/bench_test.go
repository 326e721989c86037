package scoring

import "testing"

// catalogueLike is a typical catalogue record: some facts known, some not.
func catalogueLike() Lock {
	return Lock{KeyOverride: Ptr(KeyIndependent), KeyOverrideNeedsEmergencyCylinder: Ptr(true), Motorised: Ptr(true),
		Keypad: Ptr(false), PhoneLocal: Ptr(true), PhoneCloud: Ptr(true), EmergencyPower: Ptr(PowerNone),
		InteriorEgress: Ptr(EgressMechanical), LowBatteryOnDevice: Ptr(true), LowBatteryRemote: Ptr(true)}
}

func BenchmarkAssess(b *testing.B) {
	l, c := catalogueLike(), Context{DoorType: Ptr(DoorUKMultipoint), OtherKeyedDoor: Ptr(true)}
	b.ReportAllocs()
	for b.Loop() {
		_ = Default.Assess(&l, &c)
	}
}

// BenchmarkAssess100k runs 100,000 assessments per iteration over a varied set of locks.
func BenchmarkAssess100k(b *testing.B) {
	locks := []Lock{catalogueLike(), exampleA(), exampleB(), exampleC(), exampleD(), mechanicalReference(), {}}
	c := Context{}
	b.ReportAllocs()
	for b.Loop() {
		for i := 0; i < 100_000; i++ {
			_ = Default.Assess(&locks[i%len(locks)], &c)
		}
	}
}

func BenchmarkSummarise(b *testing.B) {
	l, c := catalogueLike(), Context{DoorType: Ptr(DoorUKMultipoint), OtherKeyedDoor: Ptr(true)}
	cv := Default.compileContext(&c)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Default.summarise(&l, &cv)
	}
}

// BenchmarkAssessNothingAdvised is a fully known band-A lock: advice has
// nothing to try, so this is the assessment's own cost (target < 5 µs).
func BenchmarkAssessNothingAdvised(b *testing.B) {
	l, c := exampleA(), Context{}
	b.ReportAllocs()
	for b.Loop() {
		_ = Default.Assess(&l, &c)
	}
}

// BenchmarkAssessAdviceTried is a keyless lock with many unknowns on a UK
// door: every context change and every unknown attribute is tried.
func BenchmarkAssessAdviceTried(b *testing.B) {
	l, c := v2Keyless(), Context{DoorType: Ptr(DoorUKMultipoint)}
	l.JamAlert, l.WorksWithoutAccount, l.BHMAA15640Grade, l.Fingerprint = nil, nil, nil, nil
	b.ReportAllocs()
	for b.Loop() {
		_ = Default.Assess(&l, &c)
	}
}

// BenchmarkVerdict is the verdict alone, as a ranking row needs it.
func BenchmarkVerdict(b *testing.B) {
	l, c := catalogueLike(), Context{DoorType: Ptr(DoorUKMultipoint), OtherKeyedDoor: Ptr(true)}
	b.ReportAllocs()
	for b.Loop() {
		_ = Default.Verdict(&l, &c)
	}
}

// BenchmarkAssessmentJSON is the what-if answer's encoding alone (the
// load test's scenario 4 body), into a reused buffer as the handler does.
func BenchmarkAssessmentJSON(b *testing.B) {
	l := Lock{KeyOverride: Ptr(KeyNone), Keypad: Ptr(true), PhoneLocal: Ptr(true), EmergencyPower: Ptr(PowerTerminal9V), InteriorEgress: Ptr(EgressMechanical)}
	c := Context{DoorType: Ptr(DoorUKMultipoint), OtherKeyedDoor: Ptr(true)}
	a := Default.Assess(&l, &c)
	buf := a.AppendJSON(nil)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = a.AppendJSON(buf[:0])
	}
}

// BenchmarkAssessWhatIf is the assessment of the load test's scenario 4
// body (a keyless lock with gaps, UK door, another keyed door): decoding
// into a reused Request, AssessInto a reused Scratch and the answer's JSON
// into a reused buffer, as the handler does.
func BenchmarkAssessWhatIf(b *testing.B) {
	body := []byte(`{"lock":{"key_override":"none","keypad":true,"phone_local":true,"emergency_power":"terminal_9v","interior_egress":"mechanical"},"context":{"door_type":"uk_multipoint","other_keyed_door":true}}`)
	var buf []byte
	var r Request
	var s Scratch
	b.ReportAllocs()
	for b.Loop() {
		if err := DecodeRequestInto(&r, body); err != nil {
			b.Fatal(err)
		}
		a := Default.AssessInto(&s, &r.Lock, &r.Context)
		buf = a.AppendJSON(buf[:0])
	}
}
