package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestArticleBecomesSearchable is the services issue's end-to-end test:
// dev-000 posted to ingest is found by actor, weapon and location.
func TestArticleBecomesSearchable(t *testing.T) {
	s := newStack(t)
	s.start("ingest")
	s.start("classify")
	s.start("index")

	article := devArticle(t, "dev-000")
	if code, body := s.post(article); code != 202 {
		t.Fatalf("POST dev-000 = %d %v, want 202", code, body)
	}
	start := time.Now()
	s.waitTotal(q("actor", "Putin"), 1, 30*time.Second)
	t.Logf("dev-000 searchable %s after the 202", time.Since(start).Round(10*time.Millisecond))

	for _, query := range []string{
		q("actor", "Putin"), q("actor", "vladimir putin"), q("actor", "Vladimir Putin"),
		q("weapon", "Tomahawk"), q("location", "Budapest"), q("weapon", "Patriot", "location", "Budapest"),
	} {
		code, r, body := s.searchRaw(query)
		if code != 200 || r.Total != 1 || len(r.Hits) != 1 || r.Hits[0].ID != "dev-000" {
			t.Errorf("search %s = %d %.300s, want dev-000 alone", query, code, body)
		}
	}

	// Posting the same article again leaves exactly one document.
	if code, body := s.post(article); code != 202 {
		t.Fatalf("second POST = %d %v", code, body)
	}
	time.Sleep(3 * time.Second) // longer than the index flush + refresh
	s.waitTotal("", 1, 10*time.Second)

	if code, r, body := s.searchRaw(q("actor", "Nobody Atall Unknownperson")); code != 200 || r.Total != 0 {
		t.Errorf("unknown actor = %d %.200s, want 200 with total 0", code, body)
	}
	for _, bad := range []string{q("size", "lots"), q("from", "yesterday"), q("size", "100000"), q("colour", "red")} {
		if code, _, body := s.searchRaw(bad); code != 400 {
			t.Errorf("malformed %s = %d %.200s, want 400", bad, code, body)
		}
	}

	for _, name := range []string{"ingest", "classify", "index"} {
		if d := s.stop(name); d > 20*time.Second {
			t.Errorf("%s took %s to stop after SIGTERM, want under 20 s", name, d)
		}
	}
}

// TestTraceTravels: a W3C traceparent given to ingest reaches every
// service's log lines about the article and is stored on the document.
func TestTraceTravels(t *testing.T) {
	s := newStack(t)
	s.start("ingest", "LOG_LEVEL=debug")
	s.start("classify", "LOG_LEVEL=debug")
	s.start("index", "LOG_LEVEL=debug")
	const trace = "0af7651916cd43dd8448eb211c80319c"
	req, _ := http.NewRequest("POST", s.ingest+"/v1/articles", strings.NewReader(`{"id":"trace-1","title":"Talks in Budapest","body":"Officials met in Budapest."}`))
	req.Header.Set("traceparent", "00-"+trace+"-b7ad6b7169203331-01")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 202 {
		t.Fatalf("POST = %d", res.StatusCode)
	}
	s.waitTotal("", 1, 30*time.Second)
	var r struct {
		Hits struct {
			Hits []struct {
				Source struct {
					TraceID string `json:"trace_id"`
				} `json:"_source"`
			} `json:"hits"`
		} `json:"hits"`
	}
	esSearch(t, s, map[string]any{"query": map[string]any{"term": map[string]any{"id": "trace-1"}}}, &r)
	if len(r.Hits.Hits) != 1 || r.Hits.Hits[0].Source.TraceID != trace {
		t.Errorf("document trace_id = %+v, want %s", r.Hits.Hits, trace)
	}
	for _, name := range []string{"ingest", "classify", "index"} {
		logs := s.procs[name].Logs()
		found := false
		for _, line := range strings.Split(logs, "\n") {
			if strings.Contains(line, `"article_id":"trace-1"`) {
				found = true
				if !strings.Contains(line, `"trace_id":"`+trace+`"`) {
					t.Errorf("%s logged about trace-1 without its trace id: %s", name, line)
				}
			}
		}
		if !found {
			t.Errorf("%s wrote no log line about trace-1", name)
		}
	}
}
