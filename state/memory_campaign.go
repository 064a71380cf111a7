package state

import (
	"context"
	"slices"
	"sync"
	"time"
)

// representatives is Memory's Campaigns state, under a lock of its own.
// Its zero value is ready.
type representatives struct {
	mu     sync.Mutex
	byBand map[uint64]held
}

// held is a representative under one band, until expires (Unix
// milliseconds): each band lapses on its own (state.Campaigns).
type held struct {
	rep     *representative
	expires int64
}

type representative struct {
	sig, bands []uint64
}

// Resolve implements Campaigns. Representatives are bounded like the other
// fleet tables (MaxEntries band entries); past the bound a random one is
// forgotten, and its campaign starts again under the next message's bands.
func (m *Memory) Resolve(ctx context.Context, bands, sig []uint64, minSame int, now time.Time) ([]uint64, error) {
	if err := ValidateResolve(bands, sig, minSame, now); err != nil {
		return nil, err
	}
	ms, ttl := now.UnixMilli(), RepresentativeTTL.Milliseconds()
	r := &m.reps
	r.mu.Lock()
	defer r.mu.Unlock()
	var found []*representative
	for _, b := range bands {
		h, ok := r.byBand[b]
		if !ok {
			continue
		}
		if h.expires <= ms {
			delete(r.byBand, b)
			continue
		}
		confirmed := slices.Contains(found, h.rep)
		if !confirmed && len(found) < MaxRepresentatives && sameValues(h.rep.sig, sig) >= minSame {
			found = append(found, h.rep)
			confirmed = true
		}
		if confirmed { // kept under the bands that confirmed it, no others
			r.byBand[b] = held{h.rep, ms + ttl}
		}
	}
	switch len(found) {
	case 0:
	case 1:
		return found[0].bands, nil
	default:
		var out []uint64
		for _, rep := range found {
			for _, b := range rep.bands {
				if !slices.Contains(out, b) {
					out = append(out, b)
				}
			}
		}
		return out, nil
	}
	// The message represents its campaign under the bands no live
	// representative holds; under the others it would count another
	// template's recipients.
	var free []uint64
	for _, b := range bands {
		if old, ok := r.byBand[b]; !ok || old.expires <= ms {
			free = append(free, b)
		}
	}
	if len(free) == 0 {
		return bands, nil
	}
	rep := &representative{sig: slices.Clone(sig), bands: free}
	if r.byBand == nil {
		r.byBand = make(map[uint64]held)
	}
	for _, b := range free {
		if _, ok := r.byBand[b]; !ok && len(r.byBand) >= m.fleetCap() {
			for victim := range r.byBand { // Go's map order: a random victim
				delete(r.byBand, victim)
				break
			}
		}
		r.byBand[b] = held{rep, ms + ttl}
	}
	return rep.bands, nil
}
