package redisstore

import (
	"context"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/internal/model"
)

// The content model's online layer (model.Counts) keeps one hash per class,
// its fields the feature hashes in decimal:
//
//	<prefix>{model}:f<FeatureVersion>:ham|spam|fraud   hash feature → reports
//
// A report is one MULTI/EXEC of HINCRBYs on one key; a read is one pipeline
// of three HMGETs. The {model} tag keeps the three keys in one cluster slot.
// Counts are shared by every node, so a report on one node changes the next
// score on all of them. Nothing expires: reports are the fleet's memory.

var _ model.Counts = (*Store)(nil)

func (s *Store) modelKey(c model.Class) string {
	return s.prefix + "{model}:f" + strconv.Itoa(model.FeatureVersion) + ":" + c.String()
}

func featureField(f uint32) string { return strconv.FormatUint(uint64(f), 10) }

// AddFeatureCounts implements model.Counts: delta is added to the class's
// count of every feature, atomically.
func (s *Store) AddFeatureCounts(ctx context.Context, features []uint32, class model.Class, delta int64) error {
	if class > model.Fraud {
		return model.ErrClass
	}
	if len(features) == 0 {
		return nil
	}
	key := s.modelKey(class)
	_, err := do(ctx, s, func(ctx context.Context) ([]redis.Cmder, error) {
		return s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
			for _, f := range features {
				p.HIncrBy(ctx, key, featureField(f), delta)
			}
			return nil
		})
	})
	return wrap(ctx, "add feature counts", err)
}

// FeatureCounts implements model.Counts.
func (s *Store) FeatureCounts(ctx context.Context, features []uint32, dst [][3]int64) error {
	if len(features) == 0 {
		return nil
	}
	fields := make([]string, len(features))
	for i, f := range features {
		fields[i] = featureField(f)
	}
	// The commands travel back through do, so an abandoned call shares
	// nothing with its caller.
	cmds, err := do(ctx, s, func(ctx context.Context) ([3]*redis.SliceCmd, error) {
		var cmds [3]*redis.SliceCmd
		_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for c := model.Ham; c <= model.Fraud; c++ {
				cmds[c] = p.HMGet(ctx, s.modelKey(c), fields...)
			}
			return nil
		})
		return cmds, err
	})
	if err != nil {
		return wrap(ctx, "read feature counts", err)
	}
	for c, cmd := range cmds {
		for i, v := range cmd.Val() {
			str, ok := v.(string)
			if !ok {
				dst[i][c] = 0 // never reported
				continue
			}
			n, err := strconv.ParseInt(str, 10, 64)
			if err != nil {
				return fmt.Errorf("redisstore: read feature counts: %s field %d: %w", model.Class(c), features[i], err)
			}
			dst[i][c] = max(n, 0)
		}
	}
	return nil
}
