package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/pipeline/envflag"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// dlq lists the newest dead letters with the stage, reason, error and the
// original position, without committing anything.
func dlq(ctx context.Context, args []string, stdout, stderr io.Writer) error {
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
	d, err := e.kcfg.Dialer()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TIME\tSTAGE\tREASON\tARTICLE\tFROM\tERROR")
	total := int64(0)
	for _, o := range offs {
		total += o.End - o.First
		start := max(o.First, o.End-int64(limit))
		if start >= o.End {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: e.kcfg.BrokerList(), Topic: e.kcfg.TopicDLQ, Partition: o.Partition, Dialer: d, MaxWait: 200 * time.Millisecond})
		if err := r.SetOffset(start); err != nil {
			r.Close()
			return fmt.Errorf("reading %s/%d: %w", e.kcfg.TopicDLQ, o.Partition, err)
		}
		for off := start; off < o.End; off++ {
			rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			m, err := r.ReadMessage(rctx)
			cancel()
			if err != nil {
				break
			}
			from := fmt.Sprintf("%s/%s@%s", record.Header(m, stream.HeaderDLQTopic), record.Header(m, stream.HeaderDLQPartition), record.Header(m, stream.HeaderDLQOffset))
			errText := record.Header(m, stream.HeaderDLQError)
			if len(errText) > 120 {
				errText = errText[:120] + "…"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", record.Header(m, stream.HeaderDLQTime), record.Header(m, stream.HeaderDLQStage),
				record.Header(m, stream.HeaderDLQReason), m.Key, from, errText)
			if m.Offset+1 >= o.End {
				break
			}
		}
		r.Close()
	}
	w.Flush()
	fmt.Fprintf(stdout, "%d dead letters in %s\n", total, e.kcfg.TopicDLQ)
	return nil
}
