package state

import (
	"context"
	"errors"
	"testing"
	"time"
)

// census counts what the shards hold, independently of their counters.
func census(m *Memory) (entries, optOuts int) {
	for i := range m.shards {
		for _, sd := range m.shards[i].senders {
			entries += len(sd.rates)
			for _, r := range sd.recipients {
				entries += len(r.convs)
				if r.optIn {
					entries++
				}
				if r.out {
					optOuts++
				}
			}
			for _, f := range sd.floods {
				entries += len(f.members)
			}
		}
	}
	return entries, optOuts
}

// presenceAgrees reports whether every presence counter holds the number
// of recipient records it counts (addRecipient): a counter below it would
// let Snapshot skip a record, an opt-out among them.
func presenceAgrees(m *Memory) bool {
	want := make([]uint32, len(m.present))
	for i := range m.shards {
		for sk, sd := range m.shards[i].senders {
			for rcpt := range sd.recipients {
				want[m.presenceIndex(newPresenceKey(sk.tenant, rcpt), sk.sender)]++
			}
		}
	}
	for i := range want {
		if m.present[i].Load() != want[i] {
			return false
		}
	}
	return true
}

// FuzzMemory runs a byte-coded sequence of operations on a tiny store and
// checks, after each, that the entry, opt-out and presence counters match
// what the store holds, that the bound holds, and that no input panics.
func FuzzMemory(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add([]byte{1, 1, 1, 9, 9, 9, 2, 2, 200, 201, 202, 17, 33})
	f.Fuzz(func(t *testing.T, ops []byte) {
		const maxEntries, maxOptOuts = 16, 4
		m := NewMemory(MemoryConfig{MaxEntries: maxEntries, MaxOptOuts: maxOptOuts, Shards: 2, Retention: time.Hour})
		ctx := context.Background()
		t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		l := Limits{Session: 3, SessionWindow: time.Hour, Rate: 5, RateWindow: time.Minute, Flood: 2, FloodWindow: 10 * time.Minute}
		for i, op := range ops {
			k := Key{Tenant: "t", Sender: string('A' + rune(op>>6)), Recipient: string('a' + rune(op&7)), Channel: string('x' + rune(op>>3&1))}
			now := t0.Add(time.Duration(i) * 7 * time.Minute / 3)
			var err error
			switch op >> 4 & 3 {
			case 0:
				err = m.RecordInbound(ctx, Inbound{Key: k, At: now})
			case 1:
				err = m.RecordInbound(ctx, Inbound{Key: k, At: now, OptOut: op&8 == 0, OptIn: op&8 != 0})
			case 2:
				var out Outcome
				out, err = m.Consume(ctx, k, l, string('0'+rune(op&1)), now)
				if out.SessionCount > l.Session || out.RateCount > l.Rate || out.FloodCount > l.Flood {
					t.Fatalf("op %d: outcome %+v beyond limits %+v", i, out, l)
				}
			case 3:
				_, err = m.Snapshot(ctx, k, string('A'+rune(op&1)), now)
			}
			// ErrFull is the documented answer to a conversation or an opt
			// change the shard has no room for.
			if err != nil && !(op>>4&3 <= 1 && errors.Is(err, ErrFull)) {
				t.Fatalf("op %d: err = %v", i, err)
			}
			gotEntries, gotOuts := m.Len()
			wantEntries, wantOuts := census(m)
			if gotEntries != wantEntries || gotOuts != wantOuts {
				t.Fatalf("op %d: Len() = %d, %d; census = %d, %d", i, gotEntries, gotOuts, wantEntries, wantOuts)
			}
			if !presenceAgrees(m) {
				t.Fatalf("op %d: presence counters disagree with the records held", i)
			}
			if gotEntries > maxEntries || gotOuts > maxOptOuts {
				t.Fatalf("op %d: Len() = %d, %d beyond bounds %d, %d", i, gotEntries, gotOuts, maxEntries, maxOptOuts)
			}
		}
	})
}
