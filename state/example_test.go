package state_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/msgfilter/msgfilter/state"
)

func ExampleMemory() {
	ctx := context.Background()
	store := state.NewMemory(state.MemoryConfig{})
	k := state.Key{Tenant: "acme", Sender: "ACME", Recipient: "+37491000001", Channel: "viber"}
	viber := state.Limits{Session: 60, SessionWindow: 24 * time.Hour}
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

	// The recipient writes: a 24-hour Viber session opens.
	if err := store.RecordInbound(ctx, state.Inbound{Key: k, At: t0}); err != nil {
		log.Fatal(err)
	}
	for i := range 61 {
		out, err := store.Consume(ctx, k, viber, "", t0.Add(time.Duration(i)*time.Minute))
		if err != nil {
			log.Fatal(err)
		}
		if !out.Allowed {
			fmt.Printf("message %d: exceeded %v after %d in this session\n", i+1, out.Exceeded, out.SessionCount)
		}
	}

	// The recipient replies STOP.
	if err := store.RecordInbound(ctx, state.Inbound{Key: k, At: t0.Add(2 * time.Hour), OptOut: true}); err != nil {
		log.Fatal(err)
	}
	snap, err := store.Snapshot(ctx, k, "", t0.Add(3*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("opted out: %v, last inbound: %s\n", snap.OptedOut, snap.LastInbound.Format(time.RFC3339))
	// Output:
	// message 61: exceeded session after 60 in this session
	// opted out: true, last inbound: 2026-03-01T12:00:00Z
}
