package stream

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"
	"go.uber.org/zap/zaptest"

	"github.com/deskwire/newsroom/services/pipeline/retry"
)

// brokerStub answers WriteMessages as a broker would: keys in refuse make
// the whole call fail for every record in it (the broker refuses a batch),
// temp fails the first calls with a temporary error; acknowledged keys are
// kept.
type brokerStub struct {
	refuse map[string]error
	temp   int
	fail   error
	acked  []string
	calls  int
}

func (b *brokerStub) WriteMessages(ctx context.Context, msgs ...kafka.Message) error {
	b.calls++
	if b.fail != nil {
		return b.fail
	}
	if b.temp > 0 {
		b.temp--
		return allErrors(len(msgs), kafka.NotLeaderForPartition)
	}
	for _, m := range msgs {
		if err := b.refuse[string(m.Key)]; err != nil {
			return allErrors(len(msgs), err)
		}
	}
	for _, m := range msgs {
		b.acked = append(b.acked, string(m.Key))
	}
	return nil
}

// allErrors is kafka-go's answer when every record of a call failed.
func allErrors(n int, err error) kafka.WriteErrors {
	we := make(kafka.WriteErrors, n)
	for i := range we {
		we[i] = err
	}
	return we
}

func TestPublish(t *testing.T) {
	msg := func(key string, size int) kafka.Message {
		return kafka.Message{Key: []byte(key), Value: []byte(strings.Repeat("v", size))}
	}
	small := []kafka.Message{msg("a", 10), msg("b", 10), msg("c", 10)}
	for _, tc := range []struct {
		name        string
		stub        *brokerStub
		msgs        []kafka.Message
		wantAcked   []string
		wantRefused []string // keys
		wantErr     string
		permanent   bool
	}{
		{"all acknowledged", &brokerStub{}, small, []string{"a", "b", "c"}, nil, "", false},
		{"over MaxRecordBytes, never sent", &brokerStub{}, []kafka.Message{msg("a", 10), msg("big", MaxRecordBytes), msg("c", 10)},
			[]string{"a", "c"}, []string{"big"}, "", false},
		{"broker refuses a batch: only the culprit is refused", &brokerStub{refuse: map[string]error{"b": kafka.MessageSizeTooLarge}},
			small, []string{"a", "c"}, []string{"b"}, "", false},
		{"invalid record", &brokerStub{refuse: map[string]error{"a": kafka.InvalidRecord}}, small, []string{"b", "c"}, []string{"a"}, "", false},
		{"temporary failures are retried", &brokerStub{temp: 2}, small, []string{"a", "b", "c"}, nil, "", false},
		{"permanent failure not of the records", &brokerStub{fail: kafka.TopicAuthorizationFailed}, small, nil, nil,
			"Topic Authorization Failed", true},
		{"never acknowledged", &brokerStub{temp: 1000}, small, nil, nil, "3 records not acknowledged", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Producer{W: tc.stub, Topic: "raw", Log: zaptest.NewLogger(t), Backoff: retry.Backoff{Min: time.Millisecond, Max: time.Millisecond}}
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			refused, err := p.Publish(ctx, tc.msgs...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || retry.IsPermanent(err) != tc.permanent {
					t.Fatalf("err = %v (permanent %v), want %q (permanent %v)", err, retry.IsPermanent(err), tc.wantErr, tc.permanent)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantAcked, tc.stub.acked); diff != "" {
				t.Errorf("acknowledged (-want +got):\n%s", diff)
			}
			var got []string
			for i, e := range refused {
				if e != nil {
					got = append(got, string(tc.msgs[i].Key))
					if !RecordRefused(e) {
						t.Errorf("refusal of %s is not RecordRefused: %v", tc.msgs[i].Key, e)
					}
				}
			}
			if diff := cmp.Diff(tc.wantRefused, got); diff != "" {
				t.Errorf("refused (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRefusalOfSizeIsTooLarge(t *testing.T) {
	for _, e := range []error{kafka.MessageSizeTooLarge, kafka.RecordListTooLarge} {
		if err := refusal(e); !errors.Is(err, ErrRecordTooLarge) || !strings.Contains(err.Error(), "max.message.bytes") {
			t.Errorf("refusal(%v) = %v, want ErrRecordTooLarge naming max.message.bytes", e, err)
		}
	}
}
