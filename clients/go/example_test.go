package lockscore_test

import (
	"context"
	"errors"
	"fmt"

	lockscore "github.com/lockscore/lockscore/clients/go"
)

// The ranking for a UK composite door with a keyed back door.
func Example() {
	c, err := lockscore.New("http://localhost:8080")
	if err != nil {
		panic(err)
	}
	r, err := c.GetRankingsWithResponse(context.Background(), &lockscore.GetRankingsParams{
		DoorType:       lockscore.Ptr(lockscore.GetRankingsParamsDoorType("uk_multipoint")),
		OtherKeyedDoor: lockscore.Ptr(true),
		Limit:          lockscore.Ptr("5"),
	})
	if err := lockscore.Check(r, err); err != nil {
		panic(err)
	}
	for _, row := range r.JSON200.Items {
		fmt.Println(row.Rank, row.Band, row.Score, row.Slug)
	}
}

// Every lock of a search, page after page.
func ExampleLocks() {
	c, _ := lockscore.New("http://localhost:8080")
	for lock, err := range lockscore.Locks(context.Background(), c, &lockscore.ListLocksParams{Q: lockscore.Ptr("yale")}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(lock.Slug, lock.Assessment.Band)
	}
}

// A what-if assessment of a lock that is not in the catalogue.
func ExampleClientWithResponses_PostAssessmentWithResponse() {
	c, _ := lockscore.New("http://localhost:8080")
	a, err := c.PostAssessmentWithResponse(context.Background(), lockscore.Request{
		Lock: lockscore.Lock{KeyOverride: lockscore.Ptr(lockscore.KeyOverride("independent")), Keypad: lockscore.Ptr(true)},
	})
	if err := lockscore.Check(a, err); err != nil {
		panic(err)
	}
	fmt.Println(a.JSON200.Band, a.JSON200.Score, a.JSON200.ScoreUpper)
}

// A problem answer as a Go error.
func ExampleCheck() {
	c, _ := lockscore.New("http://localhost:8080", lockscore.WithAPIKey("lsk_..."))
	r, err := c.DeleteLockWithResponse(context.Background(), "no-such-lock", &lockscore.DeleteLockParams{})
	var pe *lockscore.Error
	if err := lockscore.Check(r, err); errors.As(err, &pe) {
		fmt.Println(pe.StatusCode, pe.Problem.Type, pe.Problem.Detail)
	}
}
