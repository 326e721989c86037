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
