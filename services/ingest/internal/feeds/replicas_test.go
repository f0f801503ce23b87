package feeds

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// TestRestartKeepsState stops the only replica between polls: the next one
// reads the validators and seen items from the state topic, asks with
// If-None-Match and publishes nothing again, even when the feed answers
// 200 with the same items.
func TestRestartKeepsState(t *testing.T) {
	srv := newFeedServer(t, map[string]http.HandlerFunc{
		"rss":   static(`"r1"`, "application/rss+xml", func() []byte { return fixture(t, "rss.xml") }),
		"atom":  static(`"a1"`, "application/atom+xml", func() []byte { return fixture(t, "atom.xml") }),
		"plain": func(w http.ResponseWriter, r *http.Request) { w.Write(fixture(t, "feed.json")) }, // no validators
	})
	env := newTestEnv(t, feedsYAML(srv.URL, "100ms", [2]string{"rss", ""}, [2]string{"atom", ""}, [2]string{"plain", ""}))
	_, stop := env.start("first")
	eventually(t, 20*time.Second, "six items published", func() bool { return len(env.rec.byID()) == 6 && len(srv.pollsOf("plain")) >= 2 })
	stop()
	before := len(srv.pollsOf("rss"))

	r2, _ := env.start("second")
	eventually(t, 20*time.Second, "the second replica polled every feed twice", func() bool {
		for _, f := range []string{"rss", "atom", "plain"} {
			n := 0
			for _, p := range srv.pollsOf(f) {
				if p.agent == "second" {
					n++
				}
			}
			if n < 2 {
				return false
			}
		}
		return true
	})
	if p := srv.pollsOf("rss")[before]; p.agent != "second" || p.ifNoneMatch != `"r1"` {
		t.Errorf("first poll after the restart: agent %q, If-None-Match %q; want the second replica with the saved ETag", p.agent, p.ifNoneMatch)
	}
	for id, arts := range env.rec.byID() {
		if len(arts) != 1 {
			t.Errorf("item %s published %d times across the restart, want once", id, len(arts))
		}
	}
	if st, _ := r2.State.Feed("rss"); st.Items != 2 || st.Owner != "second" {
		t.Errorf("rss state after the restart: %d items, owner %q; want 2 items (counted over both runs), owner second", st.Items, st.Owner)
	}
}

// TestTwoReplicas runs two replicas over twelve feeds: each feed is polled
// by one of them at a time, both poll, every item is published once, and
// when one stops the other takes over its feeds.
func TestTwoReplicas(t *testing.T) {
	handlers := map[string]http.HandlerFunc{}
	var specs [][2]string
	parts := map[int]bool{}
	for i := 0; i < 12; i++ {
		name := fmt.Sprintf("feed-%02d", i)
		i := i
		handlers[name] = static(fmt.Sprintf(`"e%d"`, i), "application/feed+json", func() []byte {
			return []byte(fmt.Sprintf(`{"version":"https://jsonfeed.org/version/1.1","title":"F%d","items":[
				{"id":"%d-a","url":"https://replicas.example/%d/a","title":"A%d","content_text":"Body a %d."},
				{"id":"%d-b","url":"https://replicas.example/%d/b","title":"B%d","content_text":"Body b %d."}]}`, i, i, i, i, i, i, i, i, i))
		})
		specs = append(specs, [2]string{name, ""})
		parts[partitionOf(name, 3)] = true
	}
	if len(parts) != 3 {
		t.Fatalf("the feed names cover partitions %v of 3: pick names that cover all", parts)
	}
	srv := newFeedServer(t, handlers)
	env := newTestEnv(t, feedsYAML(srv.URL, "100ms", specs...))
	_, stopA := env.start("replica-a")
	eventually(t, 20*time.Second, "the first replica polling", func() bool { return len(srv.pollsOf("feed-00")) > 0 })
	_, _ = env.start("replica-b")

	polledBy := func(agent string, since time.Time) map[string]bool {
		srv.mu.Lock()
		defer srv.mu.Unlock()
		out := map[string]bool{}
		for _, p := range srv.polls {
			if p.agent == agent && p.at.After(since) {
				out[p.feed] = true
			}
		}
		return out
	}
	start := time.Now()
	eventually(t, 30*time.Second, "both replicas polling, every item published", func() bool {
		return len(polledBy("replica-a", start)) > 0 && len(polledBy("replica-b", start)) > 0 && len(env.rec.byID()) == 24
	})
	// Once the group settled, a feed is polled by one replica only.
	time.Sleep(time.Second)
	settled := time.Now()
	time.Sleep(time.Second)
	a, b := polledBy("replica-a", settled), polledBy("replica-b", settled)
	for f := range a {
		if b[f] {
			t.Errorf("feed %s polled by both replicas in the same second", f)
		}
	}
	if len(a)+len(b) != 12 {
		t.Errorf("replicas polled %d + %d feeds in one second, want all 12 between them", len(a), len(b))
	}
	srv.mu.Lock()
	if len(srv.overlap) > 0 {
		t.Errorf("feeds polled twice at the same moment: %v", srv.overlap)
	}
	srv.mu.Unlock()

	stopA()
	stopped := time.Now()
	eventually(t, 30*time.Second, "the remaining replica polls every feed", func() bool { return len(polledBy("replica-b", stopped)) == 12 })
	for id, arts := range env.rec.byID() {
		if len(arts) != 1 {
			t.Errorf("item %s published %d times, want once", id, len(arts))
		}
	}
}

// TestReload adds a feed by rewriting the feeds file and removes one on
// SIGHUP; a broken file leaves the feeds in force.
func TestReload(t *testing.T) {
	srv := newFeedServer(t, map[string]http.HandlerFunc{
		"rss":  static(`"r1"`, "application/rss+xml", func() []byte { return fixture(t, "rss.xml") }),
		"atom": static(`"a1"`, "application/atom+xml", func() []byte { return fixture(t, "atom.xml") }),
	})
	env := newTestEnv(t, feedsYAML(srv.URL, "100ms", [2]string{"rss", ""}))
	env.set.ReloadInterval = time.Hour // only SIGHUP reloads here
	hup := make(chan os.Signal, 1)
	r, _ := env.startWith("replica", func(r *Runner) { r.Reload = hup })
	eventually(t, 20*time.Second, "rss polled", func() bool { return len(srv.pollsOf("rss")) > 0 })

	write := func(doc string) {
		if err := os.WriteFile(env.file, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		hup <- syscall.SIGHUP
	}
	write(feedsYAML(srv.URL, "100ms", [2]string{"rss", ""}, [2]string{"atom", ""}))
	eventually(t, 10*time.Second, "the added feed polled", func() bool { return len(srv.pollsOf("atom")) > 0 })

	write("feeds: [{name: atom, url: 'not a url'}]")
	time.Sleep(300 * time.Millisecond)
	if got := len(r.config()); got != 2 {
		t.Fatalf("after a broken feeds file %d feeds are in force, want the 2 before it", got)
	}

	write(feedsYAML(srv.URL, "100ms", [2]string{"atom", ""}))
	time.Sleep(300 * time.Millisecond) // a poll in hand may still finish
	n := len(srv.pollsOf("rss"))
	time.Sleep(500 * time.Millisecond)
	if got := len(srv.pollsOf("rss")); got != n {
		t.Errorf("the removed feed was polled %d more times", got-n)
	}
}

// TestForgetOldItems: once a feed no longer lists an item and the
// retention passed, the item's record is deleted from the state.
func TestForgetOldItems(t *testing.T) {
	var switched atomic.Bool
	srv := newFeedServer(t, map[string]http.HandlerFunc{
		"f": func(w http.ResponseWriter, r *http.Request) {
			if switched.Load() {
				w.Write(fixture(t, "atom.xml"))
				return
			}
			w.Write(fixture(t, "rss.xml"))
		},
	})
	env := newTestEnv(t, feedsYAML(srv.URL, "100ms", [2]string{"f", ""}))
	env.set.ItemRetention = time.Millisecond
	r, _ := env.start("replica")
	eventually(t, 20*time.Second, "the RSS items published", func() bool { return len(env.rec.byID()) == 2 })
	rssIDs := env.rec.byID()
	switched.Store(true)
	eventually(t, 10*time.Second, "the Atom items published", func() bool { return len(env.rec.byID()) == 4 })
	eventually(t, 10*time.Second, "the RSS items forgotten", func() bool {
		r.State.mu.Lock()
		defer r.State.mu.Unlock()
		for id := range rssIDs {
			if _, ok := r.State.items[id]; ok {
				return false
			}
		}
		return len(r.State.items) == 2
	})
	// The tombstones are in the topic: a table read from it lacks the items too.
	client, err := stream.NewClient(env.kcfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	loaded, err := LoadTable(ctx, env.kcfg, client, env.set.StateTopic, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	for id := range rssIDs {
		if _, ok := loaded.items[id]; ok {
			t.Errorf("forgotten item %s is still in the state topic", id)
		}
	}
	if st, ok := loaded.Feed("f"); !ok || st.Items != 4 {
		t.Errorf("feed state read back: %+v, want 4 items", st)
	}
}
