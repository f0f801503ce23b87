package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/pipeline/cli"
	"github.com/deskwire/newsroom/services/pipeline/envflag"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
	"github.com/deskwire/newsroom/services/pipelinectl/internal/admin"
)

// dlq lists the newest dead letters (pipelinectl dlq) or re-publishes
// chosen ones to their original topic (pipelinectl dlq redrive).
func dlq(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub, rest := cli.Subcommand(args, "list")
	switch sub {
	case "list":
		return dlqList(ctx, rest, stdout, stderr)
	case "redrive":
		return dlqRedrive(ctx, rest, stdout, stderr)
	}
	return cli.UsageError{Msg: fmt.Sprintf("unknown dlq command %q: want list (the default) or redrive", sub)}
}

// dlqList shows the newest dead letters with the stage, reason, error and
// the original position, without committing anything.
func dlqList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var limit int
	e, err := connect("dlq", args, stderr, func(s *envflag.Set) {
		s.Int(&limit, "limit", "", 20, "dead letters to show per partition (newest)")
	})
	if err != nil {
		return err
	}
	offs, err := e.kafka.Offsets(ctx, e.kcfg.TopicDLQ)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TIME\tSTAGE\tREASON\tARTICLE\tFROM\tERROR")
	total := int64(0)
	for i, o := range offs {
		total += o.End - o.First
		offs[i].First = max(o.First, o.End-int64(limit))
	}
	err = scanDLQ(ctx, e, offs, func(m kafka.Message) error {
		fmt.Fprintln(w, deadLetterRow(m))
		return nil
	})
	w.Flush()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d dead letters in %s\n", total, e.kcfg.TopicDLQ)
	return nil
}

// deadLetterRow is one tab-separated line of the dead-letter table.
func deadLetterRow(m kafka.Message) string {
	from := fmt.Sprintf("%s/%s@%s", record.Header(m, stream.HeaderDLQTopic), record.Header(m, stream.HeaderDLQPartition), record.Header(m, stream.HeaderDLQOffset))
	errText := record.Header(m, stream.HeaderDLQError)
	if len(errText) > 120 {
		errText = errText[:120] + "…"
	}
	return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s", record.Header(m, stream.HeaderDLQTime), record.Header(m, stream.HeaderDLQStage),
		record.Header(m, stream.HeaderDLQReason), m.Key, from, errText)
}

// scanDLQ calls fn for every record of the dead-letter topic from each
// partition's First up to its End as given (records written later are not
// read), in partition and offset order.
func scanDLQ(ctx context.Context, e *env, offs []admin.PartitionOffsets, fn func(kafka.Message) error) error {
	d, err := e.kcfg.Dialer()
	if err != nil {
		return err
	}
	for _, o := range offs {
		if o.First >= o.End {
			continue
		}
		if err := scanPartition(ctx, e, d, o, fn); err != nil {
			return err
		}
	}
	return nil
}

func scanPartition(ctx context.Context, e *env, d *kafka.Dialer, o admin.PartitionOffsets, fn func(kafka.Message) error) error {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: e.kcfg.BrokerList(), Topic: e.kcfg.TopicDLQ, Partition: o.Partition,
		Dialer: d, MaxBytes: e.kcfg.FetchMaxBytes, MaxWait: 200 * time.Millisecond})
	defer r.Close()
	if err := r.SetOffset(o.First); err != nil {
		return fmt.Errorf("reading %s/%d: %w", e.kcfg.TopicDLQ, o.Partition, err)
	}
	for {
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		m, err := r.ReadMessage(rctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("reading %s/%d at offset %d of %d: %w", e.kcfg.TopicDLQ, o.Partition, r.Offset(), o.End, err)
		}
		if err := fn(m); err != nil {
			return err
		}
		if m.Offset+1 >= o.End {
			return nil
		}
	}
}
