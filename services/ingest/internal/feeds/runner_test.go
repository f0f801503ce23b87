package feeds

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"
	"go.uber.org/zap/zaptest"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/pipeline/kafkatest"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// recorder is a Publisher that keeps the articles it was given, shared by
// the replicas of a test.
type recorder struct {
	mu   sync.Mutex
	arts []*newsroomv1.Article
}

func (r *recorder) Write(ctx context.Context, msgs ...kafka.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range msgs {
		a, err := record.DecodeArticle(m)
		if err != nil {
			return err
		}
		r.arts = append(r.arts, a)
	}
	return nil
}

// byID returns the published records per article id.
func (r *recorder) byID() map[string][]*newsroomv1.Article {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string][]*newsroomv1.Article{}
	for _, a := range r.arts {
		out[a.GetId()] = append(out[a.GetId()], a)
	}
	return out
}

// poll is one request a test feed server answered.
type poll struct {
	feed, agent, ifNoneMatch string
	at                       time.Time
}

// feedServer serves test feeds at /<name>, logs every request and counts
// requests of one feed in flight at once.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	polls    []poll
	inFlight map[string]int
	overlap  []string
	handlers map[string]http.HandlerFunc
}

func newFeedServer(t *testing.T, handlers map[string]http.HandlerFunc) *feedServer {
	s := &feedServer{inFlight: map[string]int{}, handlers: handlers}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		s.mu.Lock()
		s.polls = append(s.polls, poll{feed: name, agent: r.UserAgent(), ifNoneMatch: r.Header.Get("If-None-Match"), at: time.Now()})
		s.inFlight[name]++
		if s.inFlight[name] > 1 {
			s.overlap = append(s.overlap, name)
		}
		h := s.handlers[name]
		s.mu.Unlock()
		defer func() { s.mu.Lock(); s.inFlight[name]--; s.mu.Unlock() }()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *feedServer) pollsOf(feed string) []poll {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []poll
	for _, p := range s.polls {
		if p.feed == feed {
			out = append(out, p)
		}
	}
	return out
}

// static serves body with an ETag and answers 304 when it matches.
func static(etag, ctype string, body func() []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", ctype)
		w.Write(body())
	}
}

// testEnv is what the replicas of one test share: Kafka topics, group,
// feeds file and the publisher.
type testEnv struct {
	t    *testing.T
	kcfg *stream.Config
	set  Settings
	rec  *recorder
	file string
}

func newTestEnv(t *testing.T, feedsYAML string) *testEnv {
	kcfg := kafkatest.Config(t)
	file := filepath.Join(t.TempDir(), "feeds.yaml")
	if err := os.WriteFile(file, []byte(feedsYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	set := Settings{
		File: file, StateTopic: kafkatest.Name(t, "state"), AssignTopic: kafkatest.Name(t, "assign"), Group: kafkatest.Name(t, "group"),
		FetchTimeout: 500 * time.Millisecond, MaxBytes: 256 << 10, MaxRedirects: 3, MinInterval: 50 * time.Millisecond,
		MaxBackoff: time.Second, ReloadInterval: 100 * time.Millisecond, FullTextTimeout: time.Second, FullTextMaxBytes: 1 << 20,
		FullTextPerHost: 2, FullTextPrivate: true, SessionTimeout: 6 * time.Second, ItemRetention: time.Hour,
	}
	return &testEnv{t: t, kcfg: kcfg, set: set, rec: &recorder{}, file: file}
}

// start runs a replica until the returned stop is called.
func (e *testEnv) start(owner string) (*Runner, func()) {
	e.t.Helper()
	return e.startWith(owner, func(*Runner) {})
}

// startWith runs a replica that change adjusted first.
func (e *testEnv) startWith(owner string, change func(*Runner)) (*Runner, func()) {
	e.t.Helper()
	client, err := stream.NewClient(e.kcfg)
	if err != nil {
		e.t.Fatal(err)
	}
	set := e.set
	set.Owner, set.UserAgent = owner, owner
	if err := set.Validate(); err != nil {
		e.t.Fatal(err)
	}
	r := &Runner{Settings: set, Kafka: e.kcfg, Client: client, Publisher: e.rec, Log: zaptest.NewLogger(e.t).Named(owner),
		Registry: prometheus.NewRegistry()}
	change(r)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					e.t.Errorf("replica %s: %v", owner, err)
				}
			case <-time.After(20 * time.Second):
				e.t.Errorf("replica %s did not stop within 20s", owner)
			}
		})
	}
	e.t.Cleanup(stop)
	return r, stop
}

// eventually fails the test when cond is still false after d.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// feedsYAML lists feeds as name → path on srv, with extra YAML per feed.
func feedsYAML(srv string, interval string, feeds ...[2]string) string {
	var b strings.Builder
	b.WriteString("defaults:\n  interval: " + interval + "\nfeeds:\n")
	for _, f := range feeds {
		fmt.Fprintf(&b, "  - name: %s\n    url: %s/%s\n", f[0], srv, f[0])
		if f[1] != "" {
			b.WriteString("    " + strings.ReplaceAll(f[1], "\n", "\n    ") + "\n")
		}
	}
	return b.String()
}
