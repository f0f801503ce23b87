package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// feedItem is one story, written for this test, that two local feeds
// carry: an RSS feed and an Atom feed under another id.
const feedItemText = `Russian President Vladimir Putin met Hungarian officials in Budapest on Sunday to discuss gas supplies, the Kremlin said.`

// TestFeedItemBecomesSearchable: an item served by a local feed is polled
// by ingest (FEEDS_FILE), classified, indexed and found by its entities,
// once, although a second feed carries it too and both are polled again
// and again.
func TestFeedItemBecomesSearchable(t *testing.T) {
	s := newStack(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/rss", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"e1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"e1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title><language>en</language>
<item><title>Putin holds talks in Budapest</title><link>https://local-wire.example/2026/putin-budapest?utm_source=rss</link>
<guid>lw-1</guid><pubDate>Sun, 06 Dec 2026 09:00:00 GMT</pubDate><description>`+feedItemText+`</description></item></channel></rss>`)
	})
	mux.HandleFunc("/atom", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		io.WriteString(w, `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Aggregator</title><id>urn:agg</id>
<entry><title>Putin holds talks in Budapest</title><id>urn:agg:9</id><link href="https://local-wire.example/2026/putin-budapest"/>
<published>2026-12-06T09:00:00Z</published><summary>`+feedItemText+`</summary></entry></feed>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "feeds.yaml")
	doc := "feeds:\n  - name: local-wire\n    url: " + srv.URL + "/rss\n    interval: 200ms\n" +
		"  - name: aggregator\n    url: " + srv.URL + "/atom\n    interval: 200ms\n    source: Aggregator\n"
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	feedEnv := []string{"FEEDS_FILE=" + file, "FEEDS_STATE_TOPIC=" + s.name + ".feeds-state", "FEEDS_ASSIGN_TOPIC=" + s.name + ".feeds-assign",
		"FEEDS_GROUP=" + s.name + ".feeds", "FEEDS_MIN_INTERVAL=100ms", "FEEDS_SESSION_TIMEOUT=6s"}
	ing := s.start("ingest", feedEnv...)
	s.start("classify")
	s.start("index")

	s.waitTotal(q("actor", "Putin", "location", "Budapest"), 1, 60*time.Second)
	time.Sleep(3 * time.Second) // many polls of both feeds, longer than the index flush + refresh
	r := s.waitTotal("", 1, 10*time.Second)
	if len(r.Hits) != 1 {
		t.Fatalf("%d hits, want the feed item once", len(r.Hits))
	}

	res, err := http.Get("http://" + ing.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`newsroom_feed_last_http_status{feed="local-wire",service="ingest"} 304`,
		`newsroom_feed_last_success_timestamp_seconds{feed="aggregator"`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	cmd := exec.Command(filepath.Join(binaries(t), "ingest"), "feeds", "status", "--feeds-file", file)
	cmd.Env = append(append([]string{}, s.env...), feedEnv...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ingest feeds status: %v\n%s", err, out)
	}
	for _, want := range []string{"local-wire", "aggregator", "304", srv.URL + "/rss"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("ingest feeds status lacks %q:\n%s", want, out)
		}
	}
}
