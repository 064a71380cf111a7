package redisstore_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/state"
	"github.com/msgfilter/msgfilter/state/redisstore/redistest"
	"github.com/msgfilter/msgfilter/state/storetest"
)

// startCluster starts three private redis-server nodes, splits the 16384
// slots between them and joins them into one Redis Cluster.
func startCluster(t *testing.T) []string {
	t.Helper()
	var addrs []string
	for range 3 {
		srv := redistest.Start(t, "--cluster-enabled", "yes", "--appendonly", "no")
		addrs = append(addrs, srv.Addr())
	}
	ctx := context.Background()
	nodes := make([]*redis.Client, len(addrs))
	for i, addr := range addrs {
		nodes[i] = redis.NewClient(&redis.Options{Addr: addr})
		defer nodes[i].Close()
		lo, hi := i*16384/len(addrs), (i+1)*16384/len(addrs)-1
		if err := nodes[i].ClusterAddSlotsRange(ctx, lo, hi).Err(); err != nil {
			t.Fatalf("CLUSTER ADDSLOTSRANGE on %s: %v", addr, err)
		}
	}
	for _, addr := range addrs[1:] {
		host, port, _ := strings.Cut(addr, ":")
		if err := nodes[0].ClusterMeet(ctx, host, port).Err(); err != nil {
			t.Fatalf("CLUSTER MEET %s: %v", addr, err)
		}
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		ok := true
		for _, n := range nodes {
			info, err := n.ClusterInfo(ctx).Result()
			ok = ok && err == nil && strings.Contains(info, "cluster_state:ok") &&
				strings.Contains(info, "cluster_known_nodes:"+strconv.Itoa(len(addrs)))
		}
		if ok {
			return addrs
		}
		if time.Now().After(deadline) {
			t.Fatal("cluster did not reach cluster_state:ok")
		}
	}
}

// TestCluster runs the conformance suite and the two-node agreement test on
// a real three-node Redis Cluster: every script's keys must share a slot, or
// Redis rejects the call with CROSSSLOT.
func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node cluster")
	}
	addrs := startCluster(t)
	newCluster := func() *redis.ClusterClient {
		c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
		t.Cleanup(func() { c.Close() })
		return c
	}
	c := newCluster()
	storetest.Run(t, func(t *testing.T) state.Store {
		return newStore(t, c, "msgfilter-test:"+strings.ReplaceAll(t.Name(), "/", ".")+":")
	})
	t.Run("TwoClientsAgree", func(t *testing.T) {
		stores := []state.Store{newStore(t, c, "two:"), newStore(t, newCluster(), "two:")}
		storetest.ConcurrentSessionLimit(t, context.Background(), stores, 200, 60)
	})
	// CountCampaign's script reads the campaign keys it finds, in the
	// {fleet} slot: the cluster must accept them.
	storetest.RunCampaigns(t, func(t *testing.T) state.Campaigns {
		return newStore(t, c, "msgfilter-test:"+strings.ReplaceAll(t.Name(), "/", ".")+":")
	})
	// Senders spread over the nodes rather than piling onto one.
	used := map[string]bool{}
	for i := range 32 {
		k := state.Key{Sender: "S" + strconv.Itoa(i), Recipient: "+15550000001"}
		s := newStore(t, c, "spread:")
		if err := s.RecordInbound(context.Background(), state.Inbound{Key: k, At: storetest.T0}); err != nil {
			t.Fatalf("RecordInbound = %v", err)
		}
		slot, err := c.ClusterKeySlot(context.Background(), "spread:{"+k.Tenant+":"+k.Sender+"}").Result()
		if err != nil {
			t.Fatal(err)
		}
		used[strconv.Itoa(int(slot)*len(addrs)/16384)] = true
	}
	if len(used) != len(addrs) {
		t.Errorf("32 senders landed on %d of %d nodes, want all", len(used), len(addrs))
	}
}
