package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"

	"github.com/deskwire/newsroom/services/pipeline/cli"
	"github.com/deskwire/newsroom/services/pipeline/envflag"
)

// replay resets a consumer group's committed offsets on a topic.
func replay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var group, topic, to string
	var dryRun, force bool
	e, err := connect("replay", args, stderr, func(s *envflag.Set) {
		s.String(&group, "group", "", "", "consumer group to move (required)")
		s.String(&topic, "topic", "", "", "topic whose offsets to move (required)")
		s.String(&to, "to", "", "", "earliest, latest, an RFC 3339 time, or partition:offset,… (required)")
		s.Bool(&dryRun, "dry-run", "", false, "print the offsets without setting them")
		s.Bool(&force, "force", "", false, "reset even while the group has live members")
	})
	if err != nil {
		return err
	}
	if group == "" || topic == "" || to == "" {
		return cli.UsageError{Msg: "replay needs --group, --topic and --to"}
	}
	target, err := e.kafka.Target(ctx, topic, to)
	if err != nil {
		return err
	}
	current, err := e.kafka.Committed(ctx, group, topic)
	if err != nil {
		return err
	}
	var ps []int
	for p := range target {
		ps = append(ps, p)
	}
	sort.Ints(ps)
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "GROUP\tTOPIC\tPARTITION\tCURRENT\tNEW")
	for _, p := range ps {
		cur := "-"
		if c, ok := current[p]; ok && c >= 0 {
			cur = fmt.Sprint(c)
		}
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%d\n", group, topic, p, cur, target[p])
	}
	w.Flush()
	if dryRun {
		fmt.Fprintln(stdout, "dry run: nothing changed")
		return nil
	}
	if err := e.kafka.Reset(ctx, group, topic, target, force); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "group %s now starts %s at the offsets above\n", group, topic)
	return nil
}

// drop deletes an old index version; it refuses the one the alias uses.
func drop(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var version int
	e, err := connect("drop", args, stderr, func(s *envflag.Set) {
		s.Int(&version, "version", "", 0, "version N of the index articles-vN to delete (required)")
	})
	if err != nil {
		return err
	}
	if version < 1 {
		return cli.UsageError{Msg: "drop needs --version N"}
	}
	name := e.ecfg.IndexName(version)
	target, err := e.ix.AliasTarget(ctx)
	if err != nil {
		return err
	}
	if target == name {
		return errors.New("refusing to drop " + name + ": the alias " + e.ecfg.Alias + " points at it; reindex to a new version first")
	}
	if err := e.ix.DeleteIndex(ctx, name); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "dropped %s\n", name)
	return nil
}
