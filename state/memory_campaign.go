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
	byBand map[uint64]*representative
}

type representative struct {
	sig, bands []uint64
	expires    int64 // Unix milliseconds
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
		rep := r.byBand[b]
		if rep == nil || slices.Contains(found, rep) {
			continue
		}
		if rep.expires <= ms {
			delete(r.byBand, b)
			continue
		}
		if sameValues(rep.sig, sig) >= minSame && len(found) < MaxRepresentatives {
			rep.expires = ms + ttl
			found = append(found, rep)
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
	var held []uint64
	for _, b := range bands {
		if old := r.byBand[b]; old == nil || old.expires <= ms {
			held = append(held, b)
		}
	}
	if len(held) == 0 {
		return bands, nil
	}
	rep := &representative{sig: slices.Clone(sig), bands: held, expires: ms + ttl}
	if r.byBand == nil {
		r.byBand = make(map[uint64]*representative)
	}
	for _, b := range held {
		if _, ok := r.byBand[b]; !ok && len(r.byBand) >= m.fleetCap() {
			for victim := range r.byBand { // Go's map order: a random victim
				delete(r.byBand, victim)
				break
			}
		}
		r.byBand[b] = rep
	}
	return rep.bands, nil
}
