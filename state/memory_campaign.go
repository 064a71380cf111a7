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
	byBand map[uint64]*held
}

// held is a representative under one band, until expires (Unix
// milliseconds): each band lapses on its own (state.Campaigns). The map
// holds pointers so that a refresh, on every Resolve of a known campaign,
// writes the expiry in place rather than storing the band again.
type held struct {
	rep     *representative
	expires int64
}

type representative struct {
	sig, bands []uint64
}

// Resolve implements Campaigns. Representatives are bounded like the other
// fleet tables (MaxEntries band entries); past the bound an expired band is
// forgotten first, else another representative's that lapses soonest
// (evict), and its campaign starts again under the next message's bands.
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
			h.expires = ms + ttl
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
		if old := r.byBand[b]; old == nil || old.expires <= ms {
			free = append(free, b)
		}
	}
	if len(free) == 0 {
		return bands, nil
	}
	rep := &representative{sig: slices.Clone(sig), bands: free}
	if r.byBand == nil {
		r.byBand = make(map[uint64]*held)
	}
	for _, b := range free {
		if _, ok := r.byBand[b]; !ok && len(r.byBand) >= m.fleetCap() && !r.evict(rep, ms) {
			break // the representative is held under the bands that fit
		}
		r.byBand[b] = &held{rep, ms + ttl}
	}
	return rep.bands, nil
}

// evict makes room for a band of keep: among a sample of evictSample
// bands (Go's randomized map order) it drops the expired ones, else the
// one of another representative that lapses first. Taking one of keep's
// own bands would only move the representative, so it reports false when
// the sample held nothing else. r.mu is held.
func (r *representatives) evict(keep *representative, now int64) bool {
	var victim uint64
	var lapses int64
	expired, live, n := false, false, 0
	for b, h := range r.byBand {
		if n++; n > evictSample {
			break
		}
		if h.expires <= now {
			delete(r.byBand, b)
			expired = true
		} else if h.rep != keep && (!live || h.expires < lapses) {
			victim, lapses, live = b, h.expires, true
		}
	}
	if expired {
		return true
	}
	if live {
		delete(r.byBand, victim)
	}
	return live
}
