package stream

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/pipeline/metrics"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/retry"
)

// Writer is the part of *kafka.Writer the pipeline uses.
type Writer interface {
	WriteMessages(ctx context.Context, msgs ...kafka.Message) error
}

// Producer writes records and retries temporary failures (leader changes,
// broker restarts) with capped backoff until they are acknowledged or ctx
// ends. It never drops a record.
type Producer struct {
	W       Writer
	Topic   string
	Log     *zap.Logger
	Metrics *metrics.Metrics
	Backoff retry.Backoff
}

// Write produces msgs and returns once Kafka acknowledged all of them.
func (p *Producer) Write(ctx context.Context, msgs ...kafka.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	b := p.Backoff
	if b.Max == 0 {
		b = retry.Backoff{Min: 200 * time.Millisecond, Max: 5 * time.Second}
	}
	err := retry.Do(ctx, b, func(ctx context.Context) error {
		err := p.W.WriteMessages(ctx, msgs...)
		if err != nil && !Retryable(err) {
			return retry.Permanent(err)
		}
		return err
	}, func(err error, attempt int, d time.Duration) {
		p.Log.Warn("produce failed, retrying", zap.String("topic", p.Topic), zap.Int("records", len(msgs)),
			zap.Int("attempt", attempt), zap.Duration("backoff", d), zap.Error(err))
	})
	if err != nil {
		if p.Metrics != nil {
			p.Metrics.Failed.WithLabelValues(p.Topic).Add(float64(len(msgs)))
		}
		return fmt.Errorf("producing %d records to %s: %w", len(msgs), p.Topic, err)
	}
	if p.Metrics != nil {
		p.Metrics.Produced.WithLabelValues(p.Topic).Add(float64(len(msgs)))
	}
	return nil
}

// ErrRecordTooLarge marks a record refused for its size: over
// MaxRecordBytes, or over the topic's max.message.bytes.
var ErrRecordTooLarge = errors.New("record too large")

// RecordSize is an upper bound of the size kafka-go gives a record when it
// checks it against a writer's BatchBytes: key, value, headers and their
// framing.
func RecordSize(m kafka.Message) int {
	n := 4 + 1 + 1 + 8 + 4 + len(m.Key) + 4 + len(m.Value) + 5
	for _, h := range m.Headers {
		n += 10 + len(h.Key) + len(h.Value)
	}
	return n
}

// RecordRefused reports whether Kafka refused a record for good because of
// the record itself (too large, or invalid for the topic): the same record
// can never succeed, the others can.
func RecordRefused(err error) bool {
	return errors.Is(err, ErrRecordTooLarge) || errors.Is(err, kafka.MessageSizeTooLarge) ||
		errors.Is(err, kafka.RecordListTooLarge) || errors.Is(err, kafka.InvalidRecord)
}

// refusal describes why Kafka refused one record, for the submitter.
func refusal(err error) error {
	if errors.Is(err, kafka.MessageSizeTooLarge) || errors.Is(err, kafka.RecordListTooLarge) {
		return fmt.Errorf("%w: the topic's max.message.bytes is lower than the pipeline's %d (run pipelinectl setup to raise it): %v",
			ErrRecordTooLarge, MaxMessageBytes, err)
	}
	return fmt.Errorf("Kafka refused the record: %w", err)
}

// Publish writes msgs and returns once Kafka acknowledged every one it
// takes, like Write, except that a record Kafka refuses for good
// (RecordRefused) does not fail the others: refused holds, per record, nil
// for an acknowledged one or why it was refused. A record over
// MaxRecordBytes is refused without being sent. err is set when the other
// records were not all acknowledged before ctx ended, or Kafka refused them
// for a reason that is not theirs (such as authorization); some of them may
// have been written then, and writing them again is harmless.
//
// A refusal in a call of several records (the broker answers for a whole
// batch) is retried record by record, so that only the culprit is refused.
// Concurrent callers of one writer may still share a batch; on the topics
// the pipeline creates a full batch always fits, so only a topic with a
// lower max.message.bytes can refuse a small record beside a large one.
func (p *Producer) Publish(ctx context.Context, msgs ...kafka.Message) (refused []error, err error) {
	refused = make([]error, len(msgs))
	var pending []int
	for i, m := range msgs {
		if n := RecordSize(m); n > MaxRecordBytes {
			refused[i] = fmt.Errorf("%w: %d bytes, the limit is %d", ErrRecordTooLarge, n, MaxRecordBytes)
			continue
		}
		pending = append(pending, i)
	}
	acked := 0
	defer func() {
		if p.Metrics == nil {
			return
		}
		failed := len(msgs) - acked
		p.Metrics.Produced.WithLabelValues(p.Topic).Add(float64(acked))
		p.Metrics.Failed.WithLabelValues(p.Topic).Add(float64(failed))
	}()
	b := p.Backoff
	if b.Max == 0 {
		b = retry.Backoff{Min: 200 * time.Millisecond, Max: 5 * time.Second}
	}
	err = retry.Do(ctx, b, func(ctx context.Context) error {
		again, suspects, err := p.try(ctx, msgs, pending, refused, &acked)
		for _, i := range suspects {
			a, _, serr := p.try(ctx, msgs, []int{i}, refused, &acked)
			again = append(again, a...)
			if err == nil {
				err = serr
			}
		}
		pending = again
		if retry.IsPermanent(err) || len(pending) == 0 {
			return err
		}
		return fmt.Errorf("%d records not acknowledged: %w", len(pending), err)
	}, func(err error, attempt int, d time.Duration) {
		p.Log.Warn("produce failed, retrying", zap.String("topic", p.Topic), zap.Int("records", len(pending)),
			zap.Int("attempt", attempt), zap.Duration("backoff", d), zap.Error(err))
	})
	if err != nil {
		return refused, fmt.Errorf("producing %d records to %s: %w", len(pending), p.Topic, err)
	}
	for i, e := range refused {
		if e != nil {
			p.Log.Warn("record refused", zap.String("topic", p.Topic), zap.String("key", string(msgs[i].Key)), zap.Error(e))
		}
	}
	return refused, nil
}

// try writes the records at idx once. It returns the ones to write again
// (temporary failures), the ones refused in a call of several records (to
// write alone), and an error: retry.Permanent for a refusal that is not the
// records', else the last temporary one. Refusals of a lone record go to
// refused; acknowledged records are counted in acked.
func (p *Producer) try(ctx context.Context, msgs []kafka.Message, idx []int, refused []error, acked *int) (again, suspects []int, err error) {
	if len(idx) == 0 {
		return nil, nil, nil
	}
	batch := make([]kafka.Message, len(idx))
	for j, i := range idx {
		batch[j] = msgs[i]
	}
	werr := p.W.WriteMessages(ctx, batch...)
	if werr == nil {
		*acked += len(idx)
		return nil, nil, nil
	}
	var we kafka.WriteErrors
	if !errors.As(werr, &we) || len(we) != len(idx) {
		if !Retryable(werr) {
			return nil, nil, retry.Permanent(werr)
		}
		return idx, nil, werr
	}
	for j, e := range we {
		switch {
		case e == nil:
			*acked++
		case RecordRefused(e) && len(idx) == 1:
			refused[idx[j]] = refusal(e)
		case RecordRefused(e):
			suspects = append(suspects, idx[j])
		case Retryable(e):
			again = append(again, idx[j])
			err = e
		default:
			return nil, nil, retry.Permanent(e)
		}
	}
	return again, suspects, err
}

// Dead-letter headers added to the original record's headers.
const (
	HeaderDLQStage     = "dlq-stage"
	HeaderDLQReason    = "dlq-reason"
	HeaderDLQError     = "dlq-error"
	HeaderDLQTopic     = "dlq-original-topic"
	HeaderDLQPartition = "dlq-original-partition"
	HeaderDLQOffset    = "dlq-original-offset"
	HeaderDLQTime      = "dlq-time"
)

// Failure is a record that cannot be processed, with why.
type Failure struct {
	Msg kafka.Message
	// Reason is a short machine-readable class: "decode", "invalid",
	// "es_rejected".
	Reason string
	Err    error
}

// DeadLetters sends records that can never be processed to the dead-letter
// topic with the stage, the reason and their original position.
type DeadLetters struct {
	P     *Producer
	Stage string
}

// Send writes the failures and waits for the acks.
func (d *DeadLetters) Send(ctx context.Context, fs []Failure) error {
	if len(fs) == 0 {
		return nil
	}
	out := make([]kafka.Message, len(fs))
	now := time.Now().UTC().Format(time.RFC3339Nano)
	for i, f := range fs {
		h := make([]kafka.Header, 0, len(f.Msg.Headers)+7)
		h = append(h, f.Msg.Headers...)
		h = append(h,
			kafka.Header{Key: HeaderDLQStage, Value: []byte(d.Stage)},
			kafka.Header{Key: HeaderDLQReason, Value: []byte(f.Reason)},
			kafka.Header{Key: HeaderDLQError, Value: []byte(f.Err.Error())},
			kafka.Header{Key: HeaderDLQTopic, Value: []byte(f.Msg.Topic)},
			kafka.Header{Key: HeaderDLQPartition, Value: []byte(strconv.Itoa(f.Msg.Partition))},
			kafka.Header{Key: HeaderDLQOffset, Value: []byte(strconv.FormatInt(f.Msg.Offset, 10))},
			kafka.Header{Key: HeaderDLQTime, Value: []byte(now)},
		)
		out[i] = kafka.Message{Key: f.Msg.Key, Value: f.Msg.Value, Headers: h}
		d.P.Log.Warn("dead-lettering record", zap.String("stage", d.Stage), zap.String("reason", f.Reason),
			zap.String("position", record.Position(f.Msg)), zap.String("article_id", string(f.Msg.Key)),
			zap.String("trace_id", record.ReadMeta(f.Msg).TraceID), zap.Error(f.Err))
		if d.P.Metrics != nil {
			d.P.Metrics.DeadLettered.WithLabelValues(f.Msg.Topic, f.Reason).Inc()
		}
	}
	return d.P.Write(ctx, out...)
}
