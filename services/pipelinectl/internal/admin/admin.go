// Package admin reads and moves consumer-group offsets: what
// `pipelinectl status` shows and `pipelinectl replay` changes.
package admin

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
)

// Kafka is the admin client, a *kafka.Client.
type Kafka struct{ C *kafka.Client }

// PartitionOffsets are the first and end (next to be written) offsets of a
// partition.
type PartitionOffsets struct {
	Partition  int
	First, End int64
}

// Partitions returns the partitions of topic, sorted.
func (k Kafka) Partitions(ctx context.Context, topic string) ([]int, error) {
	md, err := k.C.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("reading metadata of %s: %w", topic, err)
	}
	for _, t := range md.Topics {
		if t.Name != topic {
			continue
		}
		if t.Error != nil {
			return nil, fmt.Errorf("topic %s: %w", topic, t.Error)
		}
		var ps []int
		for _, p := range t.Partitions {
			ps = append(ps, p.ID)
		}
		sort.Ints(ps)
		return ps, nil
	}
	return nil, fmt.Errorf("topic %s does not exist", topic)
}

// Offsets returns the first and end offsets of every partition of topic.
func (k Kafka) Offsets(ctx context.Context, topic string) ([]PartitionOffsets, error) {
	ps, err := k.Partitions(ctx, topic)
	if err != nil {
		return nil, err
	}
	var req []kafka.OffsetRequest
	for _, p := range ps {
		req = append(req, kafka.FirstOffsetOf(p), kafka.LastOffsetOf(p))
	}
	res, err := k.C.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: req}})
	if err != nil {
		return nil, fmt.Errorf("listing offsets of %s: %w", topic, err)
	}
	var out []PartitionOffsets
	for _, po := range res.Topics[topic] {
		if po.Error != nil {
			return nil, fmt.Errorf("offsets of %s/%d: %w", topic, po.Partition, po.Error)
		}
		out = append(out, PartitionOffsets{Partition: po.Partition, First: po.FirstOffset, End: po.LastOffset})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Partition < out[j].Partition })
	return out, nil
}

// OffsetsAt returns, per partition, the first offset whose timestamp is at
// or after t (the end offset when there is none).
func (k Kafka) OffsetsAt(ctx context.Context, topic string, t time.Time) (map[int]int64, error) {
	ps, err := k.Partitions(ctx, topic)
	if err != nil {
		return nil, err
	}
	var req []kafka.OffsetRequest
	for _, p := range ps {
		req = append(req, kafka.TimeOffsetOf(p, t))
	}
	res, err := k.C.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: req}})
	if err != nil {
		return nil, fmt.Errorf("listing offsets of %s at %s: %w", topic, t.Format(time.RFC3339), err)
	}
	ends, err := k.Offsets(ctx, topic)
	if err != nil {
		return nil, err
	}
	out := map[int]int64{}
	for _, e := range ends {
		out[e.Partition] = e.End
	}
	for _, po := range res.Topics[topic] {
		for off := range po.Offsets {
			if off >= 0 && off < out[po.Partition] {
				out[po.Partition] = off
			}
		}
	}
	return out, nil
}

// Committed returns a group's committed offsets on topic (-1 when none).
func (k Kafka) Committed(ctx context.Context, group, topic string) (map[int]int64, error) {
	ps, err := k.Partitions(ctx, topic)
	if err != nil {
		return nil, err
	}
	res, err := k.C.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: ps}})
	if err != nil {
		return nil, fmt.Errorf("reading offsets of group %s: %w", group, err)
	}
	if res.Error != nil {
		return nil, fmt.Errorf("reading offsets of group %s: %w", group, res.Error)
	}
	out := map[int]int64{}
	for _, p := range res.Topics[topic] {
		out[p.Partition] = p.CommittedOffset
	}
	return out, nil
}

// Group is a consumer group with its state and members.
type Group struct {
	ID      string
	State   string
	Members int
	Topics  []string
}

// Groups lists the consumer groups with their state.
func (k Kafka) Groups(ctx context.Context) ([]Group, error) {
	lg, err := k.C.ListGroups(ctx, &kafka.ListGroupsRequest{})
	if err != nil {
		return nil, fmt.Errorf("listing groups: %w", err)
	}
	var ids []string
	for _, g := range lg.Groups {
		ids = append(ids, g.GroupID)
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	return k.describe(ctx, ids)
}

func (k Kafka) describe(ctx context.Context, ids []string) ([]Group, error) {
	dg, err := k.C.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: ids})
	if err != nil {
		return nil, fmt.Errorf("describing groups: %w", err)
	}
	var out []Group
	for _, g := range dg.Groups {
		grp := Group{ID: g.GroupID, State: g.GroupState, Members: len(g.Members)}
		seen := map[string]bool{}
		for _, m := range g.Members {
			for _, t := range m.MemberMetadata.Topics {
				if !seen[t] {
					seen[t] = true
					grp.Topics = append(grp.Topics, t)
				}
			}
		}
		sort.Strings(grp.Topics)
		out = append(out, grp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Describe returns one group.
func (k Kafka) Describe(ctx context.Context, group string) (Group, error) {
	gs, err := k.describe(ctx, []string{group})
	if err != nil {
		return Group{}, err
	}
	if len(gs) != 1 {
		return Group{}, fmt.Errorf("group %s: not found", group)
	}
	return gs[0], nil
}

// ErrLiveMembers is returned by Reset when the group has members and force
// is off.
var ErrLiveMembers = errors.New("the group has live members")

// Reset commits offsets for group on topic. It refuses while the group has
// live members unless force is set: the members would overwrite the reset
// with their next commit.
func (k Kafka) Reset(ctx context.Context, group, topic string, offsets map[int]int64, force bool) error {
	g, err := k.Describe(ctx, group)
	if err == nil && g.Members > 0 && !force {
		return fmt.Errorf("%w (%d, state %s): stop its consumers first, or pass --force", ErrLiveMembers, g.Members, g.State)
	}
	var commits []kafka.OffsetCommit
	for p, off := range offsets {
		commits = append(commits, kafka.OffsetCommit{Partition: p, Offset: off})
	}
	res, err := k.C.OffsetCommit(ctx, &kafka.OffsetCommitRequest{GroupID: group, GenerationID: -1, Topics: map[string][]kafka.OffsetCommit{topic: commits}})
	if err != nil {
		return fmt.Errorf("committing offsets of group %s: %w", group, err)
	}
	for _, ps := range res.Topics {
		for _, p := range ps {
			if p.Error != nil {
				return fmt.Errorf("committing offset of group %s on %s/%d: %w", group, topic, p.Partition, p.Error)
			}
		}
	}
	return nil
}

// Target parses a replay target: earliest, latest, an RFC 3339 time, or
// partition:offset pairs ("0:120,3:0").
func (k Kafka) Target(ctx context.Context, topic, to string) (map[int]int64, error) {
	switch to {
	case "earliest", "latest":
		offs, err := k.Offsets(ctx, topic)
		if err != nil {
			return nil, err
		}
		out := map[int]int64{}
		for _, o := range offs {
			if to == "earliest" {
				out[o.Partition] = o.First
			} else {
				out[o.Partition] = o.End
			}
		}
		return out, nil
	}
	if t, err := time.Parse(time.RFC3339, to); err == nil {
		return k.OffsetsAt(ctx, topic, t)
	}
	if strings.Contains(to, ":") {
		ps, err := k.Partitions(ctx, topic)
		if err != nil {
			return nil, err
		}
		valid := map[int]bool{}
		for _, p := range ps {
			valid[p] = true
		}
		out := map[int]int64{}
		for _, pair := range strings.Split(to, ",") {
			ps, os, ok := strings.Cut(strings.TrimSpace(pair), ":")
			p, perr := strconv.Atoi(ps)
			o, oerr := strconv.ParseInt(os, 10, 64)
			if !ok || perr != nil || oerr != nil || o < 0 {
				return nil, fmt.Errorf("--to %q: %q is not partition:offset", to, pair)
			}
			if !valid[p] {
				return nil, fmt.Errorf("--to %q: topic %s has no partition %d", to, topic, p)
			}
			out[p] = o
		}
		return out, nil
	}
	return nil, fmt.Errorf("--to %q: want earliest, latest, an RFC 3339 time or partition:offset,…", to)
}
