package feeds

import (
	"bytes"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestPollEveryFormatOnce polls one feed of each format beside broken ones
// (500, slow, malformed, huge, redirect loop), a second feed carrying an
// item of the first, and a summary feed with full text; each item is
// published once, an edited item once more, and the broken feeds stop
// nothing.
func TestPollEveryFormatOnce(t *testing.T) {
	var edited atomic.Bool
	rss := func() []byte {
		b := fixture(t, "rss.xml")
		if edited.Load() {
			b = bytes.Replace(b, []byte("Port reopens after storm"), []byte("Port reopens after the storm"), 1)
		}
		return b
	}
	var srvURL string
	summary := func() []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Summaries</title>
<item><title>Summit ends with a pledge</title><link>` + srvURL + `/page-article</link><description>Leaders pledged to keep sea lanes open.</description></item>
<item><title>Login wall</title><link>` + srvURL + `/page-none</link><description>A summary that stays.</description></item>
</channel></rss>`)
	}
	dup := func() []byte { // the Vienna item of rss.xml, under another GUID and source
		return []byte(`<rss version="2.0"><channel><title>Aggregator</title><item><title>Ministers meet in Vienna</title>
<link>https://gazette.example/news/vienna-talks</link><guid>agg-77</guid><pubDate>Sun, 06 Dec 2026 09:30:00 GMT</pubDate>
<description>&lt;p&gt;Foreign ministers met in &lt;b&gt;Vienna&lt;/b&gt; on Sunday.&lt;/p&gt;</description></item></channel></rss>`)
	}
	srv := newFeedServer(t, map[string]http.HandlerFunc{
		"rss": func(w http.ResponseWriter, r *http.Request) {
			etag := `"r1"`
			if edited.Load() {
				etag = `"r2"`
			}
			static(etag, "application/rss+xml", rss)(w, r)
		},
		"atom":      static(`"a1"`, "application/atom+xml", func() []byte { return fixture(t, "atom.xml") }),
		"jsonfeed":  static(`"j1"`, "application/feed+json", func() []byte { return fixture(t, "feed.json") }),
		"ninjs":     static(`"n1"`, "application/ninjs+json", func() []byte { return fixture(t, "ninjs.json") }),
		"dup":       static(`"d1"`, "application/rss+xml", dup),
		"summaries": static(`"s1"`, "application/rss+xml", summary),
		"broken":    func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) },
		"malformed": static(`"m1"`, "application/rss+xml", func() []byte { return fixture(t, "malformed.xml") }),
		"slow": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(3 * time.Second):
			case <-r.Context().Done():
			}
		},
		"huge": func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<rss><channel>"))
			for i := 0; i < 1000; i++ {
				if _, err := w.Write(bytes.Repeat([]byte("<item><title>x</title></item>"), 100)); err != nil {
					return
				}
			}
		},
		"loop":         func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) },
		"page-article": func(w http.ResponseWriter, r *http.Request) { w.Write(fixture(t, "article.html")) },
		"page-none":    func(w http.ResponseWriter, r *http.Request) { w.Write(fixture(t, "nonarticle.html")) },
	})
	srvURL = srv.URL
	env := newTestEnv(t, feedsYAML(srv.URL, "150ms",
		[2]string{"rss", "source: Harbour Gazette"}, [2]string{"atom", ""}, [2]string{"jsonfeed", ""}, [2]string{"ninjs", ""},
		[2]string{"dup", "source: Aggregator"}, [2]string{"summaries", "full_text: true"}, [2]string{"broken", ""},
		[2]string{"malformed", ""}, [2]string{"slow", ""}, [2]string{"huge", ""}, [2]string{"loop", ""}))
	r, stop := env.start("replica-a")

	// rss.xml 2, atom.xml 2, feed.json 2, ninjs.json 2, summaries 2; dup adds none.
	const items = 10
	eventually(t, 20*time.Second, "every healthy feed polled three times", func() bool {
		for _, f := range []string{"rss", "atom", "jsonfeed", "ninjs", "dup", "summaries"} {
			if len(srv.pollsOf(f)) < 3 {
				return false
			}
		}
		return len(env.rec.byID()) == items
	})
	for id, arts := range env.rec.byID() {
		if len(arts) != 1 {
			t.Errorf("item %s (%s) published %d times, want once", id, arts[0].GetTitle(), len(arts))
		}
	}
	if p := srv.pollsOf("rss"); p[len(p)-1].ifNoneMatch != `"r1"` {
		t.Errorf("last poll of rss sent If-None-Match %q, want the ETag of the last answer", p[len(p)-1].ifNoneMatch)
	}

	byTitle := map[string]string{}
	for _, arts := range env.rec.byID() {
		byTitle[arts[0].GetTitle()] = arts[0].GetBody()
	}
	if body := byTitle["Summit ends with a pledge"]; !strings.Contains(body, "Leaders at the summit in Brussels") {
		t.Errorf("full text not fetched for the page with an article; body:\n%s", body)
	}
	if diff := cmp.Diff("A summary that stays.", byTitle["Login wall"]); diff != "" {
		t.Errorf("page without an article: body (-want +got):\n%s", diff)
	}

	// An edited item is a new revision: published once more, once.
	edited.Store(true)
	eventually(t, 10*time.Second, "the edited item published", func() bool {
		n := 0
		for _, arts := range env.rec.byID() {
			n += len(arts)
		}
		return n == items+1
	})
	time.Sleep(500 * time.Millisecond)
	edits := 0
	for _, arts := range env.rec.byID() {
		if len(arts) > 1 {
			edits++
			if len(arts) != 2 || arts[0].GetRevision() == arts[1].GetRevision() || arts[1].GetTitle() != "Port reopens after the storm" {
				t.Errorf("edited item: %d records, revisions %q, want 2 records with new title and revision", len(arts), arts[0].GetRevision())
			}
		}
	}
	if edits != 1 {
		t.Errorf("%d items published more than once, want exactly the edited one", edits)
	}

	// The broken feeds failed and are visible as such; the others succeeded.
	for _, tc := range []struct {
		feed       string
		status     int
		wantErrors bool
	}{{"broken", 500, true}, {"slow", 0, true}, {"malformed", 200, true}, {"huge", 200, true}, {"loop", 0, true},
		{"rss", 304, false}, {"atom", 304, false}} {
		st, _ := r.State.Feed(tc.feed)
		if st.LastStatus != tc.status || (st.Errors > 0) != tc.wantErrors || st.LastSuccess.IsZero() != tc.wantErrors {
			t.Errorf("feed %s: status %d, %d errors (%q), last success %v; want status %d, errors %v",
				tc.feed, st.LastStatus, st.Errors, st.LastError, st.LastSuccess, tc.status, tc.wantErrors)
		}
	}
	// Backoff: after three failures the failing feed waits more than three
	// intervals (the delay doubles from the interval up to FEEDS_MAX_BACKOFF,
	// 1s here, jittered down by half at most).
	eventually(t, 5*time.Second, "four polls of the failing feed", func() bool { return len(srv.pollsOf("broken")) >= 4 })
	if p := srv.pollsOf("broken"); p[3].at.Sub(p[2].at) < 3*150*time.Millisecond {
		t.Errorf("the failing feed was polled again %s after its third failure, want exponential backoff", p[3].at.Sub(p[2].at))
	}
	// rss.xml's two items, its edit and the Vienna item, which rss or dup published first.
	if v := testutil.ToFloat64(r.metrics.published.WithLabelValues("rss")) + testutil.ToFloat64(r.metrics.published.WithLabelValues("dup")); v != 3 {
		t.Errorf("items published by rss and dup = %g, want 3", v)
	}
	if v := testutil.ToFloat64(r.metrics.lastStatus.WithLabelValues("broken")); v != 500 {
		t.Errorf("last HTTP status metric of the failing feed = %g, want 500", v)
	}
	if v := testutil.ToFloat64(r.metrics.errors.WithLabelValues("huge", "too_large")); v < 1 {
		t.Errorf("too_large errors of the huge feed = %g, want at least 1", v)
	}
	stop()

	var out strings.Builder
	if err := WriteStatus(&out, r.State, nil, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"broken", "500", "HTTP 500", "rss", "304", "replica-a"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("status output lacks %q:\n%s", want, out.String())
		}
	}
}
