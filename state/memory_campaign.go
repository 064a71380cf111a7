package state

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// representatives is Memory's Campaigns state. The table of bands is under
// one lock (mu), which a known template's check does not take (quick), and
// whose table it does not write but once a second (an expiry moves on by
// a second, see expiry). Each representative keeps its campaign's
// recipients under a lock of its own, so that two campaigns' counts share
// no lock and no written cache line: with one lock and eight band sets for
// every campaign, two cores' checks spent their time moving the lock's and
// the sets' lines between them. Its zero value is ready.
type representatives struct {
	mu     sync.Mutex
	byBand map[uint64]*held
	seq    uint64 // the newest representative's id; mu
	_      [40]byte
	// members counts the recipients of all representatives, bounded by
	// fleetCap; it is written only when a campaign gains or drops one.
	members atomic.Int64
	_       [56]byte
	// whole names, by a campaign's first band, representatives held
	// under all their bands (see quick): a known template's checks find
	// theirs here, without the lock. Written under mu; a slot is
	// overwritten by another campaign of the same slot, which costs only
	// the lock.
	whole [wholeSlots]atomic.Pointer[representative]
}

// wholeBits and wholeSlots size representatives.whole: 32 KiB.
const (
	wholeBits  = 12
	wholeSlots = 1 << wholeBits
)

// held is a representative under one band, until expires (Unix
// milliseconds, a whole second): each band lapses on its own
// (state.Campaigns). The map holds pointers so that a refresh writes the
// expiry in place rather than storing the band again.
type held struct {
	rep     *representative
	expires int64
}

// representative is a campaign: its first message's signature and bands,
// never written once made, and the recipients counted with it.
type representative struct {
	sig, bands []uint64
	id         uint64 // creation order: several are locked in this order
	// held is how many bands hold it; it only falls once the
	// representative is made. all is an expiry every one of its bands has
	// at least while held is len(bands): a message of exactly its bands
	// then resolves to it alone (quick). Both are written under
	// representatives.mu, and read without it by quick.
	held atomic.Int32
	all  atomic.Int64

	mu      sync.Mutex
	dead    bool             // no band holds it: its recipients are forgotten
	window  int64            // of the last count, milliseconds
	oldest  int64            // a lower bound of the member times
	members map[uint64]int64 // recipient (recipientKey) → last send, Unix milliseconds
	// soon[next:n] are the members that were oldest at the last scan of
	// members, oldest first (prune); nil until a scan finds more than
	// soonLen members.
	soon    *[soonLen]sending
	next, n uint8
}

// soonLen is how many members expiring first a scan notes: a campaign at
// its window's bound then scans its members once every soonLen
// expiries. BenchmarkMemoryCountCampaignSliding (a thousand members): 8
// 2.5 µs a message, 16 1.5 µs, 32 1.05 µs.
const soonLen = 32

// sending is a member and its last send.
type sending struct {
	rcpt uint64
	at   int64
}

// prune drops the members last seen at or before cutoff and returns how
// many it dropped. A campaign sending all the time has a member expire
// every few messages: scanning its members each time cost O(members) a
// message (a thousand for a campaign at the default bound). So a scan of
// a campaign larger than soonLen also notes the members expiring first
// (soon), which the next prunes drop directly, and prune scans again only
// when they are used up. A member in soon sent again since is newer than
// noted and is left. rep.mu is held.
func (rep *representative) prune(cutoff int64) int {
	n := len(rep.members)
	for rep.next < rep.n && rep.soon[rep.next].at <= cutoff {
		s := rep.soon[rep.next]
		rep.next++
		if at, ok := rep.members[s.rcpt]; ok && at == s.at {
			delete(rep.members, s.rcpt)
		}
	}
	if rep.next < rep.n {
		// Every member not in soon was sent after soon's last (count
		// empties soon for a send before it).
		rep.oldest = rep.soon[rep.next].at
		return n - len(rep.members)
	}
	rep.next, rep.n = 0, 0
	if rep.soon == nil && len(rep.members) > soonLen {
		rep.soon = new([soonLen]sending)
	}
	oldest, first := int64(0), true
	for r, at := range rep.members {
		if at <= cutoff {
			delete(rep.members, r)
			continue
		}
		if first || at < oldest {
			oldest, first = at, false
		}
		// Insert into soon, kept sorted, when it is among the oldest.
		if rep.soon == nil {
			continue
		}
		if rep.n < soonLen {
			rep.n++
		} else if at >= rep.soon[rep.n-1].at {
			continue
		}
		i := int(rep.n) - 1
		for ; i > 0 && rep.soon[i-1].at > at; i-- {
			rep.soon[i] = rep.soon[i-1]
		}
		rep.soon[i] = sending{r, at}
	}
	rep.oldest = oldest
	return n - len(rep.members)
}

// How resolve found the representatives it returns.
const (
	byConfirmation = iota // by signature, under the message's bands
	byMaking              // the message's own, made of its free bands
	byHolding             // holding the message's bands, none confirmed, none free
)

// expiry is when a band confirmed at ms lapses: RepresentativeTTL later,
// rounded up to a whole second, so that a campaign's checks within one
// second write the expiry once.
func expiry(ms int64) int64 {
	e := ms + RepresentativeTTL.Milliseconds()
	return (e + 999) / 1000 * 1000
}

// Resolve implements Campaigns. Representatives are bounded like the other
// fleet tables (MaxEntries band entries); past the bound an expired band is
// forgotten first, else another representative's that lapses soonest and
// does not take the last live count of a campaign with it (evict), and the
// new campaign starts again under the next message's bands.
func (m *Memory) Resolve(ctx context.Context, bands, sig []uint64, minSame int, now time.Time) ([]uint64, error) {
	if err := ValidateResolve(bands, sig, minSame, now); err != nil {
		return nil, err
	}
	r := &m.reps
	ms := now.UnixMilli()
	if len(bands) > 0 {
		if rep := r.quick(bands, sig, minSame, expiry(ms)); rep != nil {
			return rep.bands, nil
		}
	}
	var buf [2 * MaxRepresentatives]*representative
	r.mu.Lock()
	defer r.mu.Unlock()
	reps, how, _ := r.resolve(bands, sig, minSame, ms, m.fleetCap(), buf[:0])
	switch {
	case how == byHolding || len(reps) == 0:
		return bands, nil
	case len(reps) == 1:
		return reps[0].bands, nil
	}
	var out []uint64
	for _, rep := range reps {
		for _, b := range rep.bands {
			if !slices.Contains(out, b) {
				out = append(out, b)
			}
		}
	}
	return out, nil
}

// CountCampaign implements Campaigns: the bands are looked up without a
// lock for a known template's message (quick), else under the table's
// lock, and the recipient counted under its representatives' own.
// Live recipients are never evicted: past MaxEntries of them across
// campaigns (after a sweep of expired ones) CountCampaign fails closed, as
// Consume does, and so it does for a new campaign that no band can hold.
func (m *Memory) CountCampaign(ctx context.Context, bands, sig []uint64, minSame int, recipient string, limit int, window time.Duration, now time.Time) (CampaignOutcome, error) {
	if err := ValidateResolve(bands, sig, minSame, now); err != nil {
		return CampaignOutcome{}, err
	}
	if err := ValidateFleet(nil, nil, recipient, now); err != nil {
		return CampaignOutcome{}, err
	}
	if err := ValidateCampaign(limit, window); err != nil {
		return CampaignOutcome{}, err
	}
	if limit == 0 || len(bands) == 0 {
		return CampaignOutcome{Allowed: true}, nil
	}
	ms, w, rcpt := now.UnixMilli(), window.Milliseconds(), recipientKey(recipient)
	var buf [2 * MaxRepresentatives]*representative
	r := &m.reps
	// A representative resolved here may be evicted before its count
	// locks it (a new campaign has no recipient yet, so nothing keeps its
	// last band): then it is resolved again, since a recipient counted
	// with no live representative would be let through and counted
	// nowhere.
	for try := 0; try < maxCountTries; try++ {
		reps, kept := buf[:0], true
		if rep := r.quick(bands, sig, minSame, expiry(ms)); rep != nil {
			reps = append(reps, rep)
		} else {
			r.mu.Lock()
			reps, _, kept = r.resolve(bands, sig, minSame, ms, m.fleetCap(), reps)
			r.mu.Unlock()
		}
		if !kept {
			return CampaignOutcome{}, nil // fail closed: a campaign the store cannot keep
		}
		out, full, dead := r.count(reps, rcpt, limit, w, ms, m.fleetCap())
		if full {
			m.sweep(ms)
			out, _, dead = r.count(reps, rcpt, limit, w, ms, m.fleetCap())
		}
		if !dead {
			return out, nil
		}
	}
	return CampaignOutcome{}, nil // fail closed: its campaign kept being evicted
}

// maxCountTries bounds CountCampaign's resolves of a campaign whose
// representatives die before they count it.
const maxCountTries = 3

// resolve is Resolve's step under r.mu: it appends to found the
// representatives confirmed under bands, else the one made of the free
// bands, else those holding bands (how says which), and reports whether
// a new representative is held under any band (kept; true otherwise).
func (r *representatives) resolve(bands, sig []uint64, minSame int, ms int64, limit int, found []*representative) (reps []*representative, how int, kept bool) {
	exp := expiry(ms)
	for _, b := range bands {
		h, ok := r.byBand[b]
		if !ok {
			continue
		}
		if h.expires <= ms {
			r.drop(b, h)
			continue
		}
		confirmed := slices.Contains(found, h.rep)
		if !confirmed && len(found) < MaxRepresentatives && shares(h.rep.sig, sig, minSame) {
			found = append(found, h.rep)
			confirmed = true
		}
		if confirmed && h.expires < exp { // kept under the bands that confirmed it, no others
			h.expires = exp
		}
	}
	if len(found) > 0 {
		if rep := found[0]; len(found) == 1 && slices.Equal(rep.bands, bands) {
			r.allHeld(rep, exp) // each of its bands was refreshed above
		}
		return found, byConfirmation, true
	}
	// The message represents its campaign under the bands no live
	// representative holds; under the others it would count another
	// template's recipients.
	var free []uint64
	for _, b := range bands {
		if _, ok := r.byBand[b]; !ok && !slices.Contains(free, b) {
			free = append(free, b)
		}
	}
	if len(free) == 0 {
		for _, b := range bands {
			if h := r.byBand[b]; !slices.Contains(found, h.rep) && len(found) < cap(found) {
				found = append(found, h.rep)
			}
		}
		return found, byHolding, true
	}
	r.seq++
	rep := &representative{sig: slices.Clone(sig), bands: free, id: r.seq}
	if r.byBand == nil {
		r.byBand = make(map[uint64]*held)
	}
	for _, b := range free {
		if len(r.byBand) >= limit && !r.evict(rep, ms) {
			break // the representative is held under the bands that fit
		}
		r.byBand[b] = &held{rep, exp}
		rep.held.Add(1)
	}
	r.allHeld(rep, exp)
	return append(found, rep), byMaking, rep.held.Load() > 0
}

// allHeld records that each band of rep expires at exp or later, and so
// names rep for quick when all its bands hold it. r.mu is held.
func (r *representatives) allHeld(rep *representative, exp int64) {
	if int(rep.held.Load()) != len(rep.bands) {
		return
	}
	if rep.all.Load() < exp {
		rep.all.Store(exp)
	}
	r.whole[rep.bands[0]>>(64-wholeBits)].Store(rep)
}

// quick resolves, without the lock, a message whose bands are exactly its
// campaign's, while the campaign is held under all of them and each was
// refreshed to exp or later: no other representative can hold one, and
// resolving would write nothing. Most checks of a template take this
// path. all is read before held: held never rises again, so when both
// pass, both held at the first read, and quick reads the table as it was
// then. It returns nil for anything else.
func (r *representatives) quick(bands, sig []uint64, minSame int, exp int64) *representative {
	rep := r.whole[bands[0]>>(64-wholeBits)].Load()
	if rep == nil || rep.all.Load() < exp || int(rep.held.Load()) != len(rep.bands) ||
		!slices.Equal(rep.bands, bands) || !shares(rep.sig, sig, minSame) {
		return nil
	}
	return rep
}

// drop forgets band b, held by h; a representative no band holds any more
// forgets its recipients. r.mu is held.
func (r *representatives) drop(b uint64, h *held) {
	delete(r.byBand, b)
	if h.rep.held.Add(-1) > 0 {
		return
	}
	rep := h.rep
	rep.mu.Lock()
	r.members.Add(-int64(len(rep.members)))
	rep.members, rep.dead = nil, true
	rep.mu.Unlock()
}

// evict makes room for a band of keep: among a sample of evictSample
// bands (Go's randomized map order) it drops the expired ones, else the
// one of another representative that lapses first, unless that is the
// last band of a campaign with live recipients (a count it would forget).
// Taking one of keep's own bands would only move the representative, so it
// reports false when the sample held nothing else. r.mu is held.
func (r *representatives) evict(keep *representative, now int64) bool {
	var victim uint64
	var vh *held
	expired, n := false, 0
	for b, h := range r.byBand {
		if n++; n > evictSample {
			break
		}
		if h.expires <= now {
			r.drop(b, h)
			expired = true
		} else if h.rep != keep && (vh == nil || h.expires < vh.expires) && (h.rep.held.Load() > 1 || h.rep.idle(now)) {
			victim, vh = b, h
		}
	}
	if expired {
		return true
	}
	if vh != nil {
		r.drop(victim, vh)
	}
	return vh != nil
}

// idle reports whether rep has no recipient within its window at now.
func (rep *representative) idle(now int64) bool {
	rep.mu.Lock()
	defer rep.mu.Unlock()
	for _, t := range rep.members {
		if t > now-rep.window {
			return false
		}
	}
	return true
}

// count counts rcpt with reps (resolve's answer), under their locks taken
// in the order of their ids. full reports that the recipient could not be
// counted because the store holds capacity recipients across campaigns,
// and dead that every representative was evicted since resolve: either
// way the outcome is a refusal.
func (r *representatives) count(reps []*representative, rcpt uint64, limit int, w, ms int64, capacity int) (out CampaignOutcome, full, dead bool) {
	if len(reps) > 1 {
		slices.SortFunc(reps, func(a, b *representative) int { return cmp.Compare(a.id, b.id) })
	}
	for _, rep := range reps {
		rep.mu.Lock()
	}
	defer func() {
		for _, rep := range reps {
			rep.mu.Unlock()
		}
	}()
	// The campaign's recipients: one set, or, for several representatives,
	// their union counted up to the bound from the largest.
	var base *representative
	member := false
	var in uint64 // bit i: reps[i] counts rcpt already (reps holds at most 2×MaxRepresentatives)
	for i, rep := range reps {
		if rep.dead {
			continue // evicted since resolve: its campaign starts again
		}
		if rep.oldest <= ms-w && len(rep.members) > 0 {
			r.members.Add(-int64(rep.prune(ms - w)))
		}
		if _, ok := rep.members[rcpt]; ok {
			member = true
			in |= 1 << i
		}
		if base == nil || len(rep.members) > len(base.members) {
			base = rep
		}
	}
	if base == nil {
		return out, false, true // counted with none, it would be counted nowhere
	}
	out.Count = min(len(base.members), limit)
	if len(reps) > 1 {
		union := map[uint64]struct{}{}
		for _, rep := range reps {
			if rep == base || rep.dead {
				continue
			}
			for k := range rep.members {
				if out.Count >= limit {
					break
				}
				if _, ok := base.members[k]; ok {
					continue
				}
				if _, ok := union[k]; !ok {
					union[k] = struct{}{}
					out.Count++
				}
			}
		}
	}
	if !member && out.Count+1 > limit {
		return out, false, false
	}
	need := int64(0)
	for i, rep := range reps {
		if in&(1<<i) == 0 && !rep.dead {
			need++
		}
	}
	if need > 0 && r.members.Add(need) > int64(capacity) {
		r.members.Add(-need)
		return out, true, false // fail closed: a count the store cannot keep
	}
	for _, rep := range reps {
		if rep.dead {
			continue
		}
		if rep.members == nil {
			rep.members = make(map[uint64]int64, 1)
		}
		if len(rep.members) == 0 || ms < rep.oldest {
			rep.oldest = ms
		}
		if rep.n > 0 && ms < rep.soon[rep.n-1].at {
			rep.next, rep.n = 0, 0 // a late send: soon may no longer hold the oldest
		}
		rep.members[rcpt] = ms
		rep.window = w
	}
	if !member {
		out.Count++
	}
	out.Allowed = true
	return out, false, false
}

// sweep drops lapsed bands and expired recipients of a few representatives
// picked at random (Go's map order), to make room for a count.
func (m *Memory) sweep(now int64) {
	r := &m.reps
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for b, h := range r.byBand {
		if n++; n > 4*evictSample {
			return
		}
		if h.expires <= now {
			r.drop(b, h)
			continue
		}
		rep := h.rep
		rep.mu.Lock()
		if len(rep.members) > 0 && rep.oldest <= now-rep.window {
			r.members.Add(-int64(rep.prune(now - rep.window)))
		}
		rep.mu.Unlock()
	}
}

var _ Campaigns = (*Memory)(nil)
