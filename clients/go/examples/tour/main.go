// Command tour shows the Go client at work against a running lockscore:
// a ranking for a door and household, a what-if assessment, walking every
// page of a list, and a problem answer as a Go error. CI runs it against
// a live server (scripts/client-check); it exits 1 when anything is off.
//
//	go run ./examples/tour -api http://localhost:8080
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	lockscore "github.com/lockscore/lockscore/clients/go"
)

func main() {
	api := flag.String("api", "http://localhost:8080", "the API's base URL")
	flag.Parse()
	if err := tour(context.Background(), *api); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

func tour(ctx context.Context, api string) error {
	c, err := lockscore.New(api)
	if err != nil {
		return err
	}

	// 1. The five best locks for a UK composite door, with a keyed back door, for someone living alone.
	rk, err := c.GetRankingsWithResponse(ctx, &lockscore.GetRankingsParams{
		DoorType:       lockscore.Ptr(lockscore.GetRankingsParamsDoorType("uk_multipoint")),
		OtherKeyedDoor: lockscore.Ptr(true),
		Occupants:      &[]lockscore.GetRankingsParamsOccupants{"lives_alone"},
		Limit:          lockscore.Ptr("5"),
	})
	if err := lockscore.Check(rk, err); err != nil {
		return err
	}
	if len(rk.JSON200.Items) == 0 || rk.JSON200.Items[0].Rank != 1 {
		return errors.New("the ranking is empty or does not start at rank 1")
	}
	for _, row := range rk.JSON200.Items {
		fmt.Printf("%d. %s %.1f %s\n", row.Rank, row.Band, row.Score, row.Slug)
	}

	// 2. What-if: a keyless keypad lock that is not in the catalogue.
	a, err := c.PostAssessmentWithResponse(ctx, lockscore.Request{
		Lock: lockscore.Lock{KeyOverride: lockscore.Ptr(lockscore.KeyOverride("none")), Keypad: lockscore.Ptr(true),
			EmergencyPower: lockscore.Ptr(lockscore.EmergencyPower("terminal_9v")), InteriorEgress: lockscore.Ptr(lockscore.InteriorEgress("mechanical"))},
		Context: &lockscore.Context{DoorType: lockscore.Ptr(lockscore.DoorType("uk_multipoint"))},
	})
	if err := lockscore.Check(a, err); err != nil {
		return err
	}
	if len(a.JSON200.Gates) == 0 || a.JSON200.Gates[0].Id != "G1" {
		return fmt.Errorf("a lock without a key override must hit gate G1, got %+v", a.JSON200.Gates)
	}
	fmt.Printf("what-if: band %s, score %.1f: %s\n", a.JSON200.Band, a.JSON200.Score, a.JSON200.Verdict)

	// 3. Every UK lock, walking the pages 7 at a time: each once.
	seen := map[string]bool{}
	for lock, err := range lockscore.Locks(ctx, c, &lockscore.ListLocksParams{Market: &[]lockscore.ListLocksParamsMarket{"UK"}, Limit: lockscore.Ptr("7")}) {
		if err != nil {
			return err
		}
		if seen[lock.Slug] {
			return fmt.Errorf("%s came twice", lock.Slug)
		}
		seen[lock.Slug] = true
	}
	first, err := c.ListLocksWithResponse(ctx, &lockscore.ListLocksParams{Market: &[]lockscore.ListLocksParamsMarket{"UK"}, Limit: lockscore.Ptr("1")})
	if err := lockscore.Check(first, err); err != nil {
		return err
	}
	if len(seen) != first.JSON200.Total {
		return fmt.Errorf("walked %d UK locks, total says %d", len(seen), first.JSON200.Total)
	}
	fmt.Printf("walked all %d UK locks\n", len(seen))

	// 4. A problem answer is a Go error whose type URL explains it.
	missing, err := c.GetLockWithResponse(ctx, "no-such-lock", nil)
	err = lockscore.Check(missing, err)
	var pe *lockscore.Error
	if !errors.As(err, &pe) || pe.StatusCode != 404 || pe.Problem.Type != "/problems/not-found" {
		return fmt.Errorf("want a 404 not-found problem, got %v", err)
	}
	fmt.Println("problem:", err)
	help, err := c.GetProblemTypeWithResponse(ctx, "not-found")
	if err := lockscore.Check(help, err); err != nil {
		return err
	}
	fmt.Println("what to do:", help.JSON200.Fix)
	bad, err := c.ListLocksWithResponse(ctx, &lockscore.ListLocksParams{Limit: lockscore.Ptr("1000")})
	if err := lockscore.Check(bad, err); !lockscore.IsStatus(err, 400) || len(err.(*lockscore.Error).Problem.Errors) != 1 || err.(*lockscore.Error).Problem.Errors[0].Field != "limit" {
		return fmt.Errorf("want a 400 naming limit, got %v", err)
	}
	return nil
}
