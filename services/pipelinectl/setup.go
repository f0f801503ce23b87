package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/deskwire/newsroom/services/pipeline/cli"
)

// setup creates the topics and installs the index template and alias: what
// the Kubernetes setup Job runs. Idempotent.
func setup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e, err := connect("setup", args, stderr, nil)
	if err != nil {
		return err
	}
	if err := e.ensureTopics(ctx); err != nil {
		return fmt.Errorf("creating topics: %w", err)
	}
	var index string
	if err := cli.WaitFor(ctx, e.log, "elasticsearch", func(ctx context.Context) error {
		var err error
		index, err = e.ix.Setup(ctx)
		return err
	}); err != nil {
		return fmt.Errorf("installing index template and alias: %w", err)
	}
	var names []string
	for _, t := range e.topics() {
		names = append(names, t.Name)
	}
	fmt.Fprintf(stdout, "topics ready: %s\nalias %s -> %s\n", strings.Join(names, ", "), e.ecfg.Alias, index)
	return nil
}
