package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/deskwire/newsroom/services/pipeline/cli"
	"github.com/deskwire/newsroom/services/pipeline/stream"
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
	var names []string
	for _, t := range e.topics() {
		names = append(names, t.Name)
	}
	// Topics made before the pipeline set max.message.bytes refuse its
	// largest records: raise them.
	raised, err := e.client.RaiseMessageLimit(ctx, names...)
	if err != nil {
		return fmt.Errorf("raising the topics' max.message.bytes to %d (needs the AlterConfigs permission): %w", stream.MaxMessageBytes, err)
	}
	for _, t := range raised {
		fmt.Fprintf(stdout, "topic %s: max.message.bytes raised to %d\n", t, stream.MaxMessageBytes)
	}
	var index string
	if err := cli.WaitFor(ctx, e.log, "elasticsearch", func(ctx context.Context) error {
		var err error
		index, err = e.ix.Setup(ctx)
		return err
	}); err != nil {
		return fmt.Errorf("installing index template and alias: %w", err)
	}
	fmt.Fprintf(stdout, "topics ready: %s\nalias %s -> %s\n", strings.Join(names, ", "), e.ecfg.Alias, index)
	return nil
}
