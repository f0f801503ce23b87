package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/pipeline/envflag"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
	"github.com/deskwire/newsroom/services/pipelinectl/internal/progress"
)

// HeaderRedriven marks a record re-published from the dead-letter topic with
// the dead letter's position ("topic/partition@offset").
const HeaderRedriven = "dlq-redriven-from"

// redriveFilter selects dead letters; an empty field matches anything.
type redriveFilter struct {
	stages, reasons, ids map[string]bool
	since, until         time.Time
}

// parseRedriveFilter reads the comma-separated lists and RFC 3339 bounds.
func parseRedriveFilter(stages, reasons, ids, since, until string) (redriveFilter, error) {
	f := redriveFilter{stages: set(stages), reasons: set(reasons), ids: set(ids)}
	var err error
	if f.since, err = parseBound("since", since); err != nil {
		return f, err
	}
	if f.until, err = parseBound("until", until); err != nil {
		return f, err
	}
	if !f.since.IsZero() && !f.until.IsZero() && !f.until.After(f.since) {
		return f, fmt.Errorf("--until %s is not after --since %s", until, since)
	}
	return f, nil
}

func set(list string) map[string]bool {
	m := map[string]bool{}
	for _, v := range strings.Split(list, ",") {
		if v = strings.TrimSpace(v); v != "" {
			m[v] = true
		}
	}
	return m
}

func parseBound(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--%s %q: want an RFC 3339 time (2026-01-02T15:04:05Z) or a date (2026-01-02)", name, v)
}

// match reports whether the dead letter m is selected. The time is when it
// was dead-lettered (header dlq-time).
func (f redriveFilter) match(m kafka.Message) bool {
	if len(f.stages) > 0 && !f.stages[record.Header(m, stream.HeaderDLQStage)] {
		return false
	}
	if len(f.reasons) > 0 && !f.reasons[record.Header(m, stream.HeaderDLQReason)] {
		return false
	}
	if len(f.ids) > 0 && !f.ids[string(m.Key)] {
		return false
	}
	if !f.since.IsZero() || !f.until.IsZero() {
		t, err := time.Parse(time.RFC3339Nano, record.Header(m, stream.HeaderDLQTime))
		if err != nil || (!f.since.IsZero() && t.Before(f.since)) || (!f.until.IsZero() && !t.Before(f.until)) {
			return false
		}
	}
	return true
}

// redriven is the record to publish again for dead letter m: the original
// key, value and headers, without the dead-letter headers, plus where it
// came from. ok is false when m does not say where it came from.
func redriven(m kafka.Message, dlqTopic string) (topic string, out kafka.Message, ok bool) {
	topic = record.Header(m, stream.HeaderDLQTopic)
	if topic == "" || topic == dlqTopic {
		return "", kafka.Message{}, false
	}
	out = kafka.Message{Key: m.Key, Value: m.Value}
	for _, h := range m.Headers {
		if strings.HasPrefix(h.Key, "dlq-") {
			continue
		}
		out.Headers = append(out.Headers, h)
	}
	out.Headers = append(out.Headers, kafka.Header{Key: HeaderRedriven, Value: []byte(fmt.Sprintf("%s/%d@%d", m.Topic, m.Partition, m.Offset))})
	return topic, out, true
}

// dlqRedrive re-publishes the dead letters the filter selects to their
// original topics, once their cause is fixed. The stages downstream are
// idempotent (versioned documents), so a record redriven twice is harmless.
func dlqRedrive(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var stages, reasons, ids, since, until string
	var dryRun, all bool
	e, err := connect("dlq redrive", args, stderr, func(s *envflag.Set) {
		s.String(&stages, "stage", "", "", "only dead letters of these stages (comma-separated: classify, index)")
		s.String(&reasons, "reason", "", "", "only these reasons (comma-separated, e.g. decode, invalid, es_rejected)")
		s.String(&ids, "id", "", "", "only these article ids (comma-separated)")
		s.String(&since, "since", "", "", "only dead letters written at or after this time (RFC 3339 or YYYY-MM-DD)")
		s.String(&until, "until", "", "", "only dead letters written before this time (RFC 3339 or YYYY-MM-DD)")
		s.Bool(&all, "all", "", false, "redrive every dead letter (required when no other filter is given)")
		s.Bool(&dryRun, "dry-run", "", false, "list and count what would be redriven, publish nothing")
	})
	if err != nil {
		return err
	}
	f, err := parseRedriveFilter(stages, reasons, ids, since, until)
	if err != nil {
		return err
	}
	if !all && len(f.stages)+len(f.reasons)+len(f.ids) == 0 && f.since.IsZero() && f.until.IsZero() {
		return errors.New("no filter given: choose dead letters with --stage, --reason, --id, --since or --until, or pass --all")
	}
	offs, err := e.kafka.Offsets(ctx, e.kcfg.TopicDLQ)
	if err != nil {
		return err
	}
	var total int64
	for _, o := range offs {
		total += o.End - o.First
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	if dryRun {
		fmt.Fprintln(w, "TIME\tSTAGE\tREASON\tARTICLE\tFROM\tERROR")
	}
	r := &redriver{e: e, dryRun: dryRun, writers: map[string]*kafka.Writer{}, pending: map[string][]kafka.Message{}, perTopic: map[string]int{}}
	defer r.close()
	meter := progress.New(stderr, "dead letters read", total)
	err = scanDLQ(ctx, e, offs, func(m kafka.Message) error {
		meter.Add(1)
		if !f.match(m) {
			return nil
		}
		if dryRun {
			fmt.Fprintln(w, deadLetterRow(m))
		}
		return r.add(ctx, m)
	})
	if err == nil {
		err = r.flush(ctx)
	}
	meter.Stop()
	w.Flush()
	verb := "redriven"
	if dryRun {
		verb = "would be redriven (dry run: nothing published)"
	}
	fmt.Fprintf(stdout, "%d of %d dead letters in %s %s", r.count(), total, e.kcfg.TopicDLQ, verb)
	topics := make([]string, 0, len(r.perTopic))
	for t := range r.perTopic {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	for i, t := range topics {
		sep := ": "
		if i > 0 {
			sep = ", "
		}
		fmt.Fprintf(stdout, "%s%d to %s", sep, r.perTopic[t], t)
	}
	fmt.Fprintln(stdout)
	if r.skipped > 0 {
		fmt.Fprintf(stdout, "%d selected dead letters skipped: they do not name their original topic\n", r.skipped)
	}
	return err
}

// redriver publishes selected dead letters in batches, one writer per
// original topic, waiting for every ack (acks=all).
type redriver struct {
	e        *env
	dryRun   bool
	writers  map[string]*kafka.Writer
	pending  map[string][]kafka.Message
	perTopic map[string]int
	skipped  int
}

const redriveBatch = 500

func (r *redriver) add(ctx context.Context, m kafka.Message) error {
	topic, out, ok := redriven(m, r.e.kcfg.TopicDLQ)
	if !ok {
		r.skipped++
		return nil
	}
	if r.dryRun {
		r.perTopic[topic]++
		return nil
	}
	r.pending[topic] = append(r.pending[topic], out)
	if len(r.pending[topic]) >= redriveBatch {
		return r.write(ctx, topic)
	}
	return nil
}

func (r *redriver) flush(ctx context.Context) error {
	for topic := range r.pending {
		if err := r.write(ctx, topic); err != nil {
			return err
		}
	}
	return nil
}

func (r *redriver) write(ctx context.Context, topic string) error {
	msgs := r.pending[topic]
	if len(msgs) == 0 {
		return nil
	}
	w := r.writers[topic]
	if w == nil {
		w = r.e.client.NewWriter(topic)
		r.writers[topic] = w
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		return fmt.Errorf("re-publishing %d dead letters to %s (%d already redriven): %w", len(msgs), topic, r.count(), err)
	}
	r.perTopic[topic] += len(msgs)
	r.pending[topic] = msgs[:0]
	return nil
}

func (r *redriver) count() (n int) {
	for _, c := range r.perTopic {
		n += c
	}
	return n
}

func (r *redriver) close() {
	for _, w := range r.writers {
		w.Close()
	}
}
