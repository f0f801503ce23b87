package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// status prints topics with end offsets, consumer groups with lag per
// partition, the alias and its index, and document counts.
func status(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e, err := connect("status", args, stderr, nil)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TOPIC\tPARTITION\tFIRST\tEND")
	ends := map[string]map[int]int64{}
	for _, t := range e.topics() {
		offs, err := e.kafka.Offsets(ctx, t.Name)
		if err != nil {
			fmt.Fprintf(w, "%s\t-\t-\t-\t(%v)\n", t.Name, err)
			continue
		}
		ends[t.Name] = map[int]int64{}
		for _, o := range offs {
			ends[t.Name][o.Partition] = o.End
			fmt.Fprintf(w, "%s\t%d\t%d\t%d\n", t.Name, o.Partition, o.First, o.End)
		}
	}
	w.Flush()

	groups, err := e.kafka.Groups(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	w = tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "GROUP\tSTATE\tMEMBERS\tTOPIC\tPARTITION\tCOMMITTED\tEND\tLAG")
	for _, g := range groups {
		topics := g.Topics
		if len(topics) == 0 {
			// An empty group still has committed offsets: look on the
			// pipeline's topics.
			for t := range ends {
				topics = append(topics, t)
			}
			sort.Strings(topics)
		}
		printed := false
		for _, t := range topics {
			committed, err := e.kafka.Committed(ctx, g.ID, t)
			if err != nil {
				continue
			}
			var ps []int
			for p, off := range committed {
				if off >= 0 {
					ps = append(ps, p)
				}
			}
			sort.Ints(ps)
			for _, p := range ps {
				end := ends[t][p]
				fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%d\t%d\t%d\t%d\n", g.ID, g.State, g.Members, t, p, committed[p], end, max(end-committed[p], 0))
				printed = true
			}
		}
		if !printed {
			fmt.Fprintf(w, "%s\t%s\t%d\t%s\t-\t-\t-\t-\n", g.ID, g.State, g.Members, strings.Join(g.Topics, ","))
		}
	}
	w.Flush()

	fmt.Fprintln(stdout)
	target, err := e.ix.AliasTarget(ctx)
	if err != nil {
		return err
	}
	if target == "" {
		fmt.Fprintf(stdout, "alias %s: missing (run pipelinectl setup)\n", e.ecfg.Alias)
		return nil
	}
	indices, err := e.ix.Indices(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "alias %s -> %s\n", e.ecfg.Alias, target)
	for _, idx := range indices {
		n, err := e.ix.Count(ctx, idx)
		mark := ""
		if idx == target {
			mark = "  (alias)"
		}
		if err != nil {
			fmt.Fprintf(stdout, "  %s: %v\n", idx, err)
			continue
		}
		fmt.Fprintf(stdout, "  %s: %d documents%s\n", idx, n, mark)
	}
	return nil
}
