package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskwire/newsroom/services/ingest/article"
)

// wpArticle is one generated submission and what must become of it.
type wpArticle struct {
	id   string // "" when ingest derives it
	line []byte // the JSON object as sent
	// reason is a word the rejection must name (a field); "" when the
	// article is valid, "-" when it must be rejected for any reason.
	reason string
	want   storedFields
}

// storedFields are the fields a valid article must keep, as ingest stores
// them (title, body, source and language trimmed; language "en" when empty).
type storedFields struct {
	Title     string `json:"title"`
	Body      string `json:"body"`
	URL       string `json:"url"`
	Source    string `json:"source"`
	Language  string `json:"language"`
	Published string `json:"published_at"`
}

// wpGen generates articles valid and invalid in every way ingest checks.
type wpGen struct {
	rng *rand.Rand
	n   int
}

var wpWords = []string{"talks", "ministers", "Kyiv", "NATO", "border", "drones", "Warsaw", "ceasefire", "port", "aid",
	"convoy", "Tokyo", "parliament", "the", "of", "and", "after", "strike", "report", "Cairo", "harbour"}

// wpOdd is text outside ASCII that must come back byte for byte: accents
// precomposed and combining, right-to-left and CJK scripts, emoji with a
// zero-width joiner, a no-break space, tab and newline.
var wpOdd = []string{"café", "cafe\u0301", "مرحبا بالعالم", "北京 会谈", "👩\u200d🚒 crew", "a\u00a0b", "col1\tcol2", "line one\nline two", "Zürich–Genève", "Ελλάδα"}

func (g *wpGen) text(words int) string {
	var b strings.Builder
	for i := 0; i < words; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		if g.rng.IntN(8) == 0 {
			b.WriteString(wpOdd[g.rng.IntN(len(wpOdd))])
		} else {
			b.WriteString(wpWords[g.rng.IntN(len(wpWords))])
		}
	}
	return b.String()
}

// pad returns s grown with "é" (2 bytes) and "a" to exactly n bytes.
func pad(s string, n int) string {
	k := (n - len(s)) / 2
	return s + strings.Repeat("é", k) + strings.Repeat("a", n-len(s)-2*k)
}

// padASCII returns s grown with "a" to exactly n bytes.
func padASCII(s string, n int) string { return s + strings.Repeat("a", n-len(s)) }

// valid returns a valid article; kind picks what is special about it.
func (g *wpGen) valid(kind string) wpArticle {
	g.n++
	id := fmt.Sprintf("wp-%05d", g.n)
	obj := map[string]any{"id": id, "title": g.text(6), "body": g.text(60),
		"url": fmt.Sprintf("https://example.org/news/%d?utm_source=x", g.n), "source": "wire " + g.text(1),
		"published_at": "2025-03-04"}
	switch kind {
	case "limits":
		obj["id"] = id + "-" + strings.Repeat("x", article.MaxIDLen-len(id)-1)
		obj["title"] = pad("Limit ", article.MaxTitleBytes)
		obj["url"] = padASCII("https://example.org/long?q=", article.MaxURLBytes)
		obj["source"] = pad("source ", article.MaxSourceBytes)
		obj["language"] = "x-" + strings.Repeat("a", article.MaxLanguageBytes-2)
	case "bodymax":
		obj["body"] = pad("Kyiv ", article.MaxBodyBytes)
	case "dates":
		obj["published_at"] = []string{"1900-01-01", time.Now().UTC().Format(time.DateOnly), "2024-02-29T23:30:00+05:30", "2025-07-01T10:00:00Z"}[g.rng.IntN(4)]
	case "spaces":
		obj["title"] = "  " + obj["title"].(string) + "\n"
		obj["language"] = " de "
	case "nourl":
		delete(obj, "url")
	}
	line, _ := json.Marshal(obj)
	a := wpArticle{id: obj["id"].(string), line: line}
	a.want = storedFields{Title: strings.TrimSpace(obj["title"].(string)), Body: strings.TrimSpace(obj["body"].(string)),
		Source: strings.TrimSpace(obj["source"].(string)), Language: "en"}
	if u, ok := obj["url"].(string); ok {
		a.want.URL = u
	}
	if l, ok := obj["language"].(string); ok {
		a.want.Language = strings.TrimSpace(l)
	}
	a.want.Published = obj["published_at"].(string)
	return a
}

// invalid returns an article ingest must reject, naming reason.
func (g *wpGen) invalid(kind string) wpArticle {
	a := g.valid("plain")
	var obj map[string]any
	_ = json.Unmarshal(a.line, &obj)
	raw := func(field, rawJSON string) { // a field whose JSON text json.Marshal cannot write
		obj[field] = "\x00MARK\x00"
		b, _ := json.Marshal(obj)
		a.line = bytes.Replace(b, []byte(`"\u0000MARK\u0000"`), []byte(rawJSON), 1)
	}
	a.reason = kind
	switch kind {
	case "title":
		obj["title"] = pad("Too long ", article.MaxTitleBytes+1)
	case "body":
		obj["body"] = pad("Too long ", article.MaxBodyBytes+1)
	case "id":
		obj["id"] = strings.Repeat("i", article.MaxIDLen+1)
	case "url":
		obj["url"] = padASCII("https://example.org/?q=", article.MaxURLBytes+1)
	case "source":
		obj["source"] = strings.Repeat("s", article.MaxSourceBytes+1)
	case "language":
		obj["language"] = strings.Repeat("l", article.MaxLanguageBytes+1)
	case "published_at":
		obj["published_at"] = []string{"1899-12-31", "9999-12-31", "0001-01-01", "yesterday"}[g.rng.IntN(4)]
	case "surrogate":
		a.reason = "title"
		raw("title", `"lone \ud800 surrogate"`)
		return a
	case "control":
		a.reason = "body"
		obj["body"] = "bell \u0007 in the body"
	case "utf8":
		a.reason = "source"
		raw("source", "\"bad \xff byte\"")
		return a
	case "empty":
		a.reason = "title or body"
		obj["title"], obj["body"] = " ", ""
	case "malformed":
		a.reason = "-"
		a.line = []byte(`{"id": "` + a.id + `", "title": "unterminated`)
		return a
	}
	a.line, _ = json.Marshal(obj)
	return a
}

// wpResponse is ingest's answer to POST /v1/articles.
type wpResponse struct {
	Accepted []string `json:"accepted"`
	Rejected []struct {
		Line  int    `json:"line"`
		Error string `json:"error"`
	} `json:"rejected"`
	Error string `json:"error"`
}

// TestWritePathProperty throws generated articles, valid and invalid in every
// way ingest checks, at the running stack as single JSON requests, NDJSON
// requests and `ingest load`. No answer is a 5xx; every rejection names its
// reason; every accepted article is searchable with its fields intact (the
// last revision of a revised one, none of a deleted one); and nothing
// ingest accepted reaches the dead-letter topic.
func TestWritePathProperty(t *testing.T) {
	s := newStack(t)
	s.start("ingest")
	s.start("classify")
	s.start("index")
	g := &wpGen{rng: rand.New(rand.NewPCG(7, 11))}
	var arts []wpArticle
	invalidKinds := []string{"title", "body", "id", "url", "source", "language", "published_at", "surrogate", "control", "utf8", "empty", "malformed"}
	for i := 0; i < 1500; i++ {
		switch {
		case i%12 == 5:
			arts = append(arts, g.invalid(invalidKinds[(i/12)%len(invalidKinds)]))
		case i%100 == 7:
			arts = append(arts, g.valid("limits"))
		case i%500 == 9:
			arts = append(arts, g.valid("bodymax"))
		case i%10 == 3:
			arts = append(arts, g.valid([]string{"dates", "spaces", "nourl"}[(i/10)%3]))
		default:
			arts = append(arts, g.valid("plain"))
		}
	}
	stored := map[string]storedFields{} // id → what must be searchable
	check := func(a wpArticle, accepted bool, id, errText, via string) {
		t.Helper()
		switch {
		case a.reason == "" && !accepted:
			t.Errorf("%s: valid article %s rejected: %s", via, a.id, errText)
		case a.reason != "" && accepted:
			t.Errorf("%s: article %s accepted, want a rejection for %s", via, a.id, a.reason)
		case a.reason != "" && a.reason != "-" && !strings.Contains(errText, a.reason):
			t.Errorf("%s: rejection of %s says %q, want it to name %q", via, a.id, errText, a.reason)
		case accepted:
			stored[id] = a.want
		}
	}
	post := func(ctype string, body []byte) wpResponse {
		t.Helper()
		res, err := http.Post(s.ingest+"/v1/articles", ctype, bytes.NewReader(body))
		if err != nil {
			t.Fatalf("POST /v1/articles: %v", err)
		}
		defer res.Body.Close()
		var r wpResponse
		if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
			t.Fatalf("POST /v1/articles answered %d without JSON: %v", res.StatusCode, err)
		}
		if res.StatusCode >= 500 {
			t.Fatalf("POST /v1/articles answered %d: %+v", res.StatusCode, r)
		}
		if (res.StatusCode == 202) != (len(r.Accepted) > 0) {
			t.Errorf("POST answered %d with %d accepted", res.StatusCode, len(r.Accepted))
		}
		return r
	}

	// 1. One JSON article per request: the first 200.
	for _, a := range arts[:200] {
		r := post("application/json", a.line)
		errText := r.Error
		if len(r.Rejected) > 0 {
			errText = r.Rejected[0].Error
		}
		id := ""
		if len(r.Accepted) == 1 {
			id = r.Accepted[0]
		}
		if a.reason == "" && id != a.id {
			t.Errorf("JSON: accepted id %q, want %q", id, a.id)
		}
		check(a, len(r.Accepted) == 1, id, errText, "JSON")
	}
	// 2. NDJSON requests of 50 lines: the next 700.
	for start := 200; start < 900; start += 50 {
		batch := arts[start : start+50]
		var body bytes.Buffer
		for _, a := range batch {
			body.Write(a.line)
			body.WriteByte('\n')
		}
		r := post("application/x-ndjson", body.Bytes())
		rejected := map[int]string{}
		for _, rj := range r.Rejected {
			rejected[rj.Line] = rj.Error
		}
		next := 0
		for i, a := range batch {
			errText, bad := rejected[i+1]
			id := ""
			if !bad && next < len(r.Accepted) {
				id, next = r.Accepted[next], next+1
			}
			check(a, !bad, id, errText, fmt.Sprintf("NDJSON line %d", i+1))
		}
	}
	// 3. The rest through `ingest load`.
	file := filepath.Join(t.TempDir(), "articles.ndjson")
	var body bytes.Buffer
	for _, a := range arts[900:] {
		body.Write(a.line)
		body.WriteByte('\n')
	}
	if err := os.WriteFile(file, body.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(binaries(t), "ingest"), "load", "--log-level", "error", file)
	cmd.Env = s.env
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState == nil {
		t.Fatalf("ingest load did not run: %v", err)
	}
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("ingest load exited %d (%v), want 1 (some lines rejected):\n%.2000s", code, err, out)
	}
	for i, a := range arts[900:] {
		prefix := fmt.Sprintf("%s:%d: rejected: ", file, i+1)
		errText, bad := "", false
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, prefix) {
				errText, bad = strings.TrimPrefix(l, prefix), true
			}
		}
		check(a, !bad, a.id, errText, fmt.Sprintf("ingest load line %d", i+1))
	}

	// Duplicates, revisions and deletes, in order.
	for i := 0; i < 20; i++ {
		a := g.valid("plain")
		post("application/json", a.line) // duplicate: the same article twice
		if r := post("application/json", a.line); len(r.Accepted) != 1 {
			t.Fatalf("duplicate not accepted: %+v", r)
		}
		stored[a.id] = a.want
		var obj map[string]any
		_ = json.Unmarshal(a.line, &obj)
		switch i % 2 {
		case 0: // a revision replaces the body
			obj["body"] = "Revised: " + g.text(30)
			line, _ := json.Marshal(obj)
			if r := post("application/json", line); len(r.Accepted) != 1 {
				t.Fatalf("revision not accepted: %+v", r)
			}
			w := stored[a.id]
			w.Body = obj["body"].(string)
			stored[a.id] = w
		case 1: // a delete retracts it
			req, _ := http.NewRequest(http.MethodDelete, s.ingest+"/v1/articles/"+a.id, nil)
			res, err := http.DefaultClient.Do(req)
			if err != nil || res.StatusCode != 202 {
				t.Fatalf("DELETE %s = %v %v", a.id, res, err)
			}
			res.Body.Close()
			delete(stored, a.id)
		}
	}

	// Everything accepted becomes searchable, intact.
	deadline := time.Now().Add(3 * time.Minute)
	var got map[string]storedFields
	for {
		got = wpDocuments(t, s)
		if len(got) == len(stored) || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	time.Sleep(2 * time.Second) // revisions and deletes still in flight
	got = wpDocuments(t, s)
	for id, want := range stored {
		have, ok := got[id]
		if !ok {
			t.Errorf("accepted article %s is not searchable", id)
			continue
		}
		wantPub, err := article.ParseTime(want.Published)
		if err != nil {
			t.Fatal(err)
		}
		havePub, err := time.Parse(time.RFC3339Nano, have.Published)
		if err != nil || !havePub.Equal(wantPub) {
			t.Errorf("%s: published_at %q, want %s", id, have.Published, wantPub)
		}
		have.Published, want.Published = "", ""
		if have != want {
			t.Errorf("%s: stored fields differ from those sent:\n got %.300q\nwant %.300q", id, have, want)
		}
	}
	for id := range got {
		if _, ok := stored[id]; !ok {
			t.Errorf("document %s is searchable but was rejected or deleted", id)
		}
	}
	// Nothing that ingest accepted was dead-lettered.
	ctl := exec.Command(filepath.Join(binaries(t), "pipelinectl"), "dlq", "--log-level", "warn")
	ctl.Env = s.env
	if out, err := ctl.CombinedOutput(); err != nil || !strings.Contains(string(out), "\n0 dead letters in ") {
		t.Errorf("pipelinectl dlq = %v:\n%.2000s\nwant no dead letters", err, out)
	}
	t.Logf("%d articles sent, %d searchable", len(arts)+60, len(got))
}

// wpDocuments returns every document of the stack's alias by id.
func wpDocuments(t *testing.T, s *stack) map[string]storedFields {
	t.Helper()
	var res struct {
		Hits struct {
			Hits []struct {
				ID     string       `json:"_id"`
				Source storedFields `json:"_source"`
			} `json:"hits"`
		} `json:"hits"`
	}
	esSearch(t, s, map[string]any{"size": 5000, "query": map[string]any{"match_all": map[string]any{}},
		"_source": []string{"title", "body", "url", "source", "language", "published_at"}}, &res)
	out := map[string]storedFields{}
	for _, h := range res.Hits.Hits {
		out[h.ID] = h.Source
	}
	return out
}
