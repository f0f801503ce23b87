package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/estest"
	"github.com/deskwire/newsroom/services/pipeline/evaltest"
	"github.com/deskwire/newsroom/services/pipeline/kafkatest"
)

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries returns the directory with ingest, classify and index: NEWSROOM_BIN
// (make test builds them there), else a fresh build into a temp dir.
func binaries(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("NEWSROOM_BIN"); d != "" {
		return d
	}
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "newsroom-bin")
		if buildErr != nil {
			return
		}
		_, file, _, _ := runtime.Caller(0)
		repo := filepath.Join(filepath.Dir(file), "..", "..", "..")
		for _, s := range []string{"ingest", "classify", "index", "pipelinectl"} {
			cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, filepath.Base(s)), "./services/"+s)
			cmd.Dir = repo
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("building %s: %v\n%s", s, err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

// devArticle returns one article line of the dev set by id.
func devArticle(t *testing.T, id string) []byte {
	t.Helper()
	path := evaltest.Path()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the end-to-end test reads %s: %v", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 4<<20)
	for sc.Scan() {
		var a struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(sc.Bytes(), &a) == nil && a.ID == id {
			return append([]byte(nil), sc.Bytes()...)
		}
	}
	t.Fatalf("article %s not in %s", id, path)
	return nil
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// proc is a running service.
type proc struct {
	name string
	cmd  *exec.Cmd
	addr string
	log  *bytes.Buffer
	mu   *sync.Mutex
	done chan error
}

// Logs returns what the process wrote so far.
func (p *proc) Logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// stack is one isolated pipeline: its own topics, groups and alias.
type stack struct {
	t       *testing.T
	env     []string
	procs   map[string]*proc
	alias   string
	name    string // prefix of the stack's topics and groups, deleted after the test
	ingest  string
	search  string
	brokers string
}

func newStack(t *testing.T) *stack {
	t.Helper()
	brokers := kafkatest.Brokers(t)
	esURL := estest.URL(t)
	cfg, _ := estest.Config(t) // unique alias, deleted after the test
	name := strings.ReplaceAll(kafkatest.Name(t, "e2e"), "/", "-")
	s := &stack{t: t, procs: map[string]*proc{}, alias: cfg.Alias, name: name, brokers: brokers}
	s.env = append(os.Environ(),
		"KAFKA_BROKERS="+brokers, "ELASTICSEARCH_URL="+esURL,
		"TOPIC_RAW="+name+".raw", "TOPIC_CLASSIFIED="+name+".classified", "TOPIC_DLQ="+name+".dlq",
		"KAFKA_PARTITIONS=3", "CLASSIFY_GROUP="+name+".classify", "INDEX_GROUP="+name+".index",
		"INDEX_ALIAS="+cfg.Alias, "LOG_LEVEL=info",
	)
	t.Cleanup(s.stopAll)
	return s
}

// start runs a service and waits until /healthz answers.
func (s *stack) start(name string, extraEnv ...string) *proc {
	s.t.Helper()
	addr := freePort(s.t)
	p := &proc{name: name, addr: addr, log: &bytes.Buffer{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	p.cmd = exec.Command(filepath.Join(binaries(s.t), name), "serve")
	p.cmd.Env = append(append(append([]string{}, s.env...), "HTTP_ADDR="+addr), extraEnv...)
	w := lockedWriter{mu: p.mu, w: p.log}
	p.cmd.Stdout, p.cmd.Stderr = w, w
	if err := p.cmd.Start(); err != nil {
		s.t.Fatalf("starting %s: %v", name, err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	s.procs[name] = p
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		select {
		case err := <-p.done:
			s.t.Fatalf("%s exited (%v) before it was healthy:\n%s", name, err, tail(p.Logs()))
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s not healthy after 60 s:\n%s", name, tail(p.Logs()))
		}
		time.Sleep(100 * time.Millisecond)
	}
	switch name {
	case "ingest":
		s.ingest = "http://" + addr
	case "index":
		s.search = "http://" + addr
	}
	return p
}

// stop sends SIGTERM and returns how long the process took to exit.
func (s *stack) stop(name string) time.Duration {
	p := s.procs[name]
	if p == nil {
		return 0
	}
	delete(s.procs, name)
	start := time.Now()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
		s.t.Errorf("%s did not exit within 30 s of SIGTERM", name)
	}
	return time.Since(start)
}

// kill sends SIGKILL: no chance to finish or commit anything.
func (s *stack) kill(name string) {
	p := s.procs[name]
	if p == nil {
		return
	}
	delete(s.procs, name)
	_ = p.cmd.Process.Kill()
	<-p.done
}

func (s *stack) stopAll() {
	for name, p := range s.procs {
		if s.t.Failed() {
			s.t.Logf("--- %s log (tail)\n%s", name, tail(p.Logs()))
		}
		s.stop(name)
	}
}

func tail(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	return strings.Join(lines, "\n")
}

// post sends NDJSON or one JSON article to ingest.
func (s *stack) post(body []byte) (int, map[string]any) {
	s.t.Helper()
	res, err := http.Post(s.ingest+"/v1/articles", "application/x-ndjson", bytes.NewReader(body))
	if err != nil {
		s.t.Fatalf("POST /v1/articles: %v", err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// searchResult is the part of /v1/search the tests read.
type searchResult struct {
	Total int64 `json:"total"`
	Hits  []struct {
		ID string `json:"id"`
	} `json:"hits"`
}

func (s *stack) searchRaw(query string) (int, searchResult, string) {
	s.t.Helper()
	res, err := http.Get(s.search + "/v1/search?" + query)
	if err != nil {
		s.t.Fatalf("GET /v1/search?%s: %v", query, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var r searchResult
	_ = json.Unmarshal(b, &r)
	return res.StatusCode, r, string(b)
}

// waitTotal polls a search until it reports want documents.
func (s *stack) waitTotal(query string, want int64, timeout time.Duration) searchResult {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	var last searchResult
	var body string
	for time.Now().Before(deadline) {
		code, r, b := s.searchRaw(query)
		last, body = r, b
		if code == 200 && r.Total == want {
			return r
		}
		time.Sleep(250 * time.Millisecond)
	}
	s.t.Fatalf("search %q: total %d after %s, want %d; last answer: %.300s", query, last.Total, timeout, want, body)
	return last
}

func q(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

// corpusLines returns the dev articles without their labels and urls, to be
// re-used under new ids.
func corpusLines(t *testing.T) []map[string]any {
	t.Helper()
	f, err := os.Open(evaltest.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var base []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 4<<20)
	for sc.Scan() {
		var a map[string]any
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		delete(a, "gold")
		delete(a, "trap")
		delete(a, "url")
		base = append(base, a)
	}
	return base
}

// esSearch runs a query straight against the stack's alias.
func esSearch(t *testing.T, s *stack, query map[string]any, out any) {
	t.Helper()
	cfg := &esindex.Config{URL: estest.URL(t), Alias: s.alias}
	es, err := cfg.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(query)
	esDo(t, es, esapi.SearchRequest{Index: []string{s.alias}, Body: bytes.NewReader(b)}, out)
}

// esDo runs an Elasticsearch request and decodes its answer into out.
func esDo(t *testing.T, es *elasticsearch.Client, req esapi.Request, out any) {
	t.Helper()
	res, err := req.Do(context.Background(), es)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.IsError() {
		t.Fatalf("%T: %s", req, res.String())
	}
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
}

// indexedVersions returns the distinct classifier versions in the alias.
func indexedVersions(t *testing.T, s *stack) []string {
	t.Helper()
	var r struct {
		Aggregations struct {
			V struct {
				Buckets []struct {
					Key string `json:"key"`
				} `json:"buckets"`
			} `json:"v"`
		} `json:"aggregations"`
	}
	esSearch(t, s, map[string]any{"size": 0, "aggs": map[string]any{"v": map[string]any{"terms": map[string]any{"field": "classifier_version", "size": 10}}}}, &r)
	var out []string
	for _, b := range r.Aggregations.V.Buckets {
		out = append(out, b.Key)
	}
	return out
}

// indexedIDs returns every document id in the stack's alias.
func indexedIDs(t *testing.T, s *stack) map[string]int {
	t.Helper()
	ids := map[string]int{}
	var after []any
	for {
		q := map[string]any{"size": 5000, "_source": false, "sort": []any{map[string]any{"id": "asc"}}, "query": map[string]any{"match_all": map[string]any{}}}
		if after != nil {
			q["search_after"] = after
		}
		var r struct {
			Hits struct {
				Hits []struct {
					ID   string `json:"_id"`
					Sort []any  `json:"sort"`
				} `json:"hits"`
			} `json:"hits"`
		}
		esSearch(t, s, q, &r)
		if len(r.Hits.Hits) == 0 {
			return ids
		}
		for _, h := range r.Hits.Hits {
			ids[h.ID]++
		}
		after = r.Hits.Hits[len(r.Hits.Hits)-1].Sort
	}
}

// topic returns the name of the stack's raw, classified or dlq topic.
func (s *stack) topic(kind string) string {
	for _, e := range s.env {
		if v, ok := strings.CutPrefix(e, "TOPIC_"+strings.ToUpper(kind)+"="); ok {
			return v
		}
	}
	s.t.Fatalf("no topic %s", kind)
	return ""
}
