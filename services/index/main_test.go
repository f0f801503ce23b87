package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/index/estest"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/kafkatest"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

func TestHelpListsEverySetting(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"serve", "-h"}, io.Discard, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("run -h = %v, want flag.ErrHelp", err)
	}
	for _, env := range []string{"HTTP_ADDR", "INDEX_GROUP", "CORS_ORIGINS", "SEARCH_CURSOR_SECRET", "SEARCH_CURSOR_KEEP_ALIVE", "INDEX_TARGET", "BULK_MAX_DOCS", "BULK_MAX_BYTES", "BULK_FLUSH_INTERVAL",
		"INDEX_BACKLOG_RECORDS", "INDEX_BACKLOG_REFRESH", "SHUTDOWN_TIMEOUT", "API_TOKEN", "API_TOKEN_FILE", "SEARCH_MAX_SIZE", "SEARCH_TIMEOUT", "LOG_LEVEL",
		"KAFKA_BROKERS", "TOPIC_CLASSIFIED", "TOPIC_DLQ", "ELASTICSEARCH_URL", "INDEX_ALIAS"} {
		if !strings.Contains(stderr.String(), env) {
			t.Errorf("usage does not mention %s", env)
		}
	}
}

func TestRunRejectsBadSettings(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"reindex"}, `unknown command "reindex"`},
		{[]string{"-bulk-max-docs=0", "-search-max-size=20000", "-bulk-flush-interval=0s"}, "BULK_MAX_DOCS=0"},
		{[]string{"-search-max-size=20000"}, "SEARCH_MAX_SIZE=20000"},
		{[]string{"-shutdown-timeout=1s"}, "SHUTDOWN_TIMEOUT=1s"},
		{[]string{"-backlog-records=-1"}, "INDEX_BACKLOG_RECORDS=-1"},
		{[]string{"-backlog-refresh=500ms"}, "INDEX_BACKLOG_REFRESH=500ms"},
		{[]string{"-backlog-refresh=2h"}, "INDEX_BACKLOG_REFRESH=2h0m0s"},
		{[]string{"-cors-origins=desk.example.org"}, "CORS_ORIGINS"},
		{[]string{"-search-cursor-keep-alive=1s"}, "SEARCH_CURSOR_KEEP_ALIVE=1s"},
		{[]string{"-api-token-file=/nonexistent/token"}, "API_TOKEN_FILE"},
		{[]string{"serve", "extra"}, "unexpected arguments"},
	}
	for _, tt := range tests {
		err := run(context.Background(), tt.args, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run %v = %v, want an error mentioning %q", tt.args, err, tt.want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServiceEndToEnd runs the service as main runs it, on unique topics,
// group and alias, with a bearer token from a file, and searches for an
// article by names the real catalog resolves.
func TestServiceEndToEnd(t *testing.T) {
	kcfg := kafkatest.Config(t)
	ecfg, _ := estest.Config(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	first := func(typ catalog.Type, name string) catalog.Entry {
		t.Helper()
		es := cat.Resolve(typ, name)
		if len(es) == 0 {
			t.Fatalf("the catalog does not know %s %q", typ, name)
		}
		return es[0]
	}
	putin, tomahawk, budapest := first(catalog.Actor, "Vladimir Putin"), first(catalog.Weapon, "Tomahawk"), first(catalog.Location, "Budapest")

	token := "tok-" + record.NewTraceID()
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"serve", "-http-addr=127.0.0.1:0", "-kafka-brokers=" + kcfg.Brokers,
		"-topic-classified=" + kcfg.TopicClassified, "-topic-dlq=" + kcfg.TopicDLQ, "-kafka-partitions=2",
		"-group=" + kafkatest.Name(t, "group"), "-elasticsearch-url=" + ecfg.URL, "-index-alias=" + ecfg.Alias,
		"-api-token-file=" + tokenFile, "-bulk-flush-interval=100ms", "-shutdown-timeout=10s", "-log-level=warn",
		"-cors-origins=https://desk.example.org"}
	var stdout syncBuffer
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- run(runCtx, args, &stdout, io.Discard) }()
	addrRE := regexp.MustCompile(`serving on (http://\S+)`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == ""; time.Sleep(50 * time.Millisecond) {
		if m := addrRE.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("service did not start: stdout %q", stdout.String())
		}
	}

	send := func(method, path string, auth bool, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, method, base+path, nil)
		if auth {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	get := func(path string, auth bool) (int, []byte) {
		t.Helper()
		res, b := send(http.MethodGet, path, auth)
		return res.StatusCode, b
	}

	// The service creates its topics and index; then the article goes in.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if code, _ := get("/readyz", false); code == http.StatusOK {
			if code, _ := get("/v1/search?size=0", true); code == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			code, b := get("/readyz", false)
			t.Fatalf("not ready: %d %s", code, b)
		}
	}
	c := &newsroomv1.ClassifiedArticle{
		Article: &newsroomv1.Article{Id: "e2e-1", Title: "Summit planned", Body: "Putin may get Tomahawk news in Budapest.",
			PublishedAt: timestamppb.Now(), IngestedAt: timestamppb.Now(), TraceId: record.NewTraceID()},
		Actors:    []*newsroomv1.Actor{{Id: putin.ID, Name: putin.Name, Kind: newsroomv1.ActorKind_ACTOR_KIND_PERSON}},
		Weapons:   []*newsroomv1.Weapon{{Id: tomahawk.ID, Name: tomahawk.Name, Category: tomahawk.Category}},
		Locations: []*newsroomv1.Location{{Id: budapest.ID, Name: budapest.Name, Kind: newsroomv1.LocationKind_LOCATION_KIND_CITY, CountryCode: budapest.Country}},
	}
	m, err := record.EncodeClassified(c)
	if err != nil {
		t.Fatal(err)
	}
	client, err := stream.NewClient(kcfg)
	if err != nil {
		t.Fatal(err)
	}
	w := client.NewWriter(kcfg.TopicClassified)
	defer w.Close()
	produced := time.Now()
	if err := (&stream.Producer{W: w, Topic: kcfg.TopicClassified, Log: zaptest.NewLogger(t)}).Write(ctx, m); err != nil {
		t.Fatal(err)
	}

	find := func(query string) []string {
		t.Helper()
		code, b := get("/v1/search?"+query, true)
		if code != http.StatusOK {
			t.Fatalf("search %s: %d %s", query, code, b)
		}
		var r struct {
			Hits []struct {
				ID string `json:"id"`
			} `json:"hits"`
		}
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range r.Hits {
			ids = append(ids, h.ID)
		}
		return ids
	}
	for deadline := time.Now().Add(30 * time.Second); !slices.Equal(find("actor=Putin"), []string{"e2e-1"}); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("article not searchable after 30s")
		}
	}
	t.Logf("article searchable %s after it was produced (includes the service joining its consumer group)", time.Since(produced))
	for _, q := range []string{"actor=vladimir+putin", "actor=" + putin.ID, "actor=PUTIN", "weapon=tomahawk", "location=Budapest",
		"weapon=Tomahawk&location=Budapest"} {
		if got := find(q); !slices.Equal(got, []string{"e2e-1"}) {
			t.Errorf("search %s = %v, want [e2e-1]", q, got)
		}
	}
	if got := find("actor=Nobody+Atall+Unknown"); len(got) != 0 {
		t.Errorf("unknown actor found %v", got)
	}
	if code, _ := get("/v1/search?size=nope", true); code != http.StatusBadRequest {
		t.Errorf("malformed size: %d, want 400", code)
	}
	if code, _ := get("/v1/search?actor=Putin", false); code != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", code)
	}
	code, b := get("/v1/entities?type=actor&prefix=zel", true)
	if code != http.StatusOK || !strings.Contains(string(b), `"type":"actor"`) {
		t.Errorf("entities: %d %s", code, b)
	}
	// The other endpoints, through the real server and catalog.
	for path, want := range map[string]string{
		"/v1/articles/e2e-1":                    `"body":"Putin may get Tomahawk news in Budapest."`,
		"/v1/entities/actor/" + putin.ID:        `"article_count":1`,
		"/v1/timeline?actor=putin&split=weapon": `"id":"` + tomahawk.ID + `"`,
		"/v1/search?q=" + budapest.Name:         `"total":1`,
		"/v1/export?weapon=tomahawk":            `"id":"e2e-1"`,
	} {
		if code, b := get(path, true); code != http.StatusOK || !strings.Contains(string(b), want) {
			t.Errorf("GET %s: %d %.300s, want 200 with %s", path, code, b, want)
		}
	}
	if code, b := get("/openapi.json", false); code != http.StatusOK || !strings.Contains(string(b), `"openapi": "3.1.0"`) {
		t.Errorf("openapi.json without a token: %d %.100s", code, b)
	}
	// CORS: preflight without a token, the origin on answers and on 401s.
	origin := "https://desk.example.org"
	res, _ := send(http.MethodOptions, "/v1/search", false, "Origin", origin, "Access-Control-Request-Method", "GET",
		"Access-Control-Request-Headers", "authorization")
	if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != origin ||
		!strings.Contains(res.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: %d %v", res.StatusCode, res.Header)
	}
	for _, auth := range []bool{true, false} {
		res, _ = send(http.MethodGet, "/v1/search?actor=Putin", auth, "Origin", origin)
		if res.Header.Get("Access-Control-Allow-Origin") != origin {
			t.Errorf("GET with token %v: %d without the CORS header", auth, res.StatusCode)
		}
	}
	res, b = send(http.MethodOptions, "/v1/search", false, "Origin", "https://elsewhere.example", "Access-Control-Request-Method", "GET")
	if res.StatusCode != http.StatusForbidden || res.Header.Get("Access-Control-Allow-Origin") != "" || !strings.Contains(string(b), `"error"`) {
		t.Errorf("preflight from another origin: %d %v %s", res.StatusCode, res.Header, b)
	}
	if code, b := get("/metrics", false); code != http.StatusOK || !strings.Contains(string(b), "newsroom_messages_consumed_total") ||
		!strings.Contains(string(b), `route="GET /v1/export"`) {
		t.Errorf("metrics: %d", code)
	}
	// The desk page loads without the token; it asks for one when the API answers 401.
	if code, b := get("/?actor=Putin", false); code != http.StatusOK || !strings.Contains(string(b), `src="/assets/main.js"`) {
		t.Errorf("page: %d %.200s", code, b)
	}

	stop()
	stopped := time.Now()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v after SIGTERM", err)
		}
		t.Logf("stopped %s after the signal", time.Since(stopped))
	case <-time.After(15 * time.Second):
		t.Fatal("service did not stop within its shutdown timeout")
	}
}
