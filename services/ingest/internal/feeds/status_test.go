package feeds

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap/zaptest"
)

func TestWriteStatus(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	tbl := &Table{log: zaptest.NewLogger(t), feeds: map[string]FeedState{}, items: map[string]ItemState{}, next: map[int]int64{}, moved: make(chan struct{})}
	tbl.feeds["wire"] = FeedState{Name: "wire", URL: "https://wire.example/items", LastStatus: 503, LastPoll: now.Add(-12 * time.Second),
		LastSuccess: now.Add(-time.Hour), NextPoll: now.Add(3 * time.Minute), Errors: 4, Items: 210, Owner: "ingest-1", LastError: "HTTP 503"}
	tbl.feeds["gazette"] = FeedState{Name: "gazette", URL: "https://gazette.example/rss", LastStatus: 304, LastPoll: now.Add(-41 * time.Second),
		LastSuccess: now.Add(-41 * time.Second), NextPoll: now.Add(4 * time.Minute), Items: 57, Owner: "ingest-0"}
	var out strings.Builder
	if err := WriteStatus(&out, tbl, []Feed{{Name: "new-feed", URL: "https://new.example/feed"}}, false, now); err != nil {
		t.Fatal(err)
	}
	want := `FEED      STATUS  LAST POLL  LAST SUCCESS  NEXT POLL  ERRORS  ITEMS  OWNER     URL                          LAST ERROR
gazette   304     41s ago    41s ago       in 4m0s    0       57     ingest-0  https://gazette.example/rss  -
new-feed  -       never      never         never      0       0      -         https://new.example/feed     -
wire      503     12s ago    1h0m0s ago    in 3m0s    4       210    ingest-1  https://wire.example/items   HTTP 503
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("WriteStatus (-want +got):\n%s", diff)
	}
}

func TestJitterAndPartitions(t *testing.T) {
	for i := 0; i < 1000; i++ {
		if d := jitter(time.Minute, 0.1); d < 54*time.Second || d > 66*time.Second {
			t.Fatalf("jitter(1m, 10%%) = %s, want within 54s..66s", d)
		}
	}
	if d := jitter(time.Minute, 0); d != time.Minute {
		t.Errorf("jitter(1m, 0) = %s, want 1m", d)
	}
	if a, b := partitionOf("gazette", 12), partitionOf("gazette", 12); a != b || a < 0 || a >= 12 {
		t.Errorf("partitionOf is not stable or out of range: %d, %d", a, b)
	}
}
