package indexer

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap/zaptest"
)

// recorder is a Refresher that notes every call, refusing them while err is
// set.
type recorder struct {
	calls []string
	err   error
}

func (r *recorder) SetRefreshInterval(_ context.Context, index, interval string) error {
	r.calls = append(r.calls, "set "+index+" "+interval)
	return r.err
}

func (r *recorder) Refresh(_ context.Context, index string) error {
	r.calls = append(r.calls, "refresh "+index)
	return r.err
}

// behind is a batch whose last record of each partition p is lag[p]
// records behind that partition's high-water mark.
func behind(lag map[int]int64) []kafka.Message {
	var batch []kafka.Message
	for p, l := range lag {
		batch = append(batch, kafka.Message{Partition: p, Offset: 100, HighWaterMark: 101 + l})
	}
	return batch
}

func TestBacklog(t *testing.T) {
	const on, off, refresh = "set a 30s", "set a 1s", "refresh a"
	for _, tc := range []struct {
		name  string
		enter int64
		lags  []map[int]int64
		want  []string
	}{
		{"keeping up", 1000, []map[int]int64{{0: 0}, {0: 999}, {0: 10}}, nil},
		{"a backlog drains", 1000, []map[int]int64{{0: 5000}, {0: 3000}, {0: 101}, {0: 100}, {0: 5000}},
			[]string{on, off, refresh, on}},
		{"lag sums over partitions", 1000, []map[int]int64{{0: 600}, {1: 500}, {0: 0}, {1: 100}}, []string{on, off, refresh}},
		{"never when off", 0, []map[int]int64{{0: 1 << 40}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			b := &Backlog{Admin: rec, Index: "a", Normal: "1s", Interval: "30s", Enter: tc.enter, Log: zaptest.NewLogger(t)}
			for _, lag := range tc.lags {
				b.Observe(context.Background(), behind(lag))
				b.Written(context.Background())
			}
			if !reflect.DeepEqual(rec.calls, tc.want) {
				t.Errorf("calls %q, want %q", rec.calls, tc.want)
			}
		})
	}
}

// TestBacklogRefused: a refused setting is logged, not retried on every
// batch, and leaves the backlog off.
func TestBacklogRefused(t *testing.T) {
	rec := &recorder{err: errors.New("403")}
	b := &Backlog{Admin: rec, Index: "a", Normal: "1s", Interval: "30s", Enter: 10, Log: zaptest.NewLogger(t)}
	for i := 0; i < 5; i++ {
		b.Observe(context.Background(), behind(map[int]int64{0: 100}))
	}
	if len(rec.calls) != 1 {
		t.Errorf("calls %q, want one attempt within the minute", rec.calls)
	}
	b.Close(context.Background())
	if len(rec.calls) != 1 {
		t.Errorf("Close restored a backlog that never began: %q", rec.calls)
	}
}

// TestBacklogClose: a service stopping in a backlog restores the interval;
// one that is keeping up leaves it alone.
func TestBacklogClose(t *testing.T) {
	for _, lag := range []int64{0, 100} {
		t.Run(fmt.Sprint(lag), func(t *testing.T) {
			rec := &recorder{}
			b := &Backlog{Admin: rec, Index: "a", Normal: "1s", Interval: "30s", Enter: 50, Log: zaptest.NewLogger(t)}
			b.Observe(context.Background(), behind(map[int]int64{0: lag}))
			rec.calls = nil
			b.Close(context.Background())
			var want []string
			if lag >= 50 {
				want = []string{"set a 1s", "refresh a"}
			}
			if !reflect.DeepEqual(rec.calls, want) {
				t.Errorf("calls %q, want %q", rec.calls, want)
			}
		})
	}
}
