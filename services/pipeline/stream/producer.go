package stream

import (
	"context"
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
