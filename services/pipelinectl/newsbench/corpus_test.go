package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/deskwire/newsroom/services/ingest/article"
)

// sourceNDJSON is invented text in the shape of the dev articles.
func sourceNDJSON() string {
	var b strings.Builder
	for i, t := range []string{"Talks resume in Geneva", "Drone strikes hit the port", "Parliament votes on the budget"} {
		var paras []string
		for p := 0; p < 6; p++ {
			paras = append(paras, strings.Repeat("Officials said the talks would continue next week. ", 3+i+p))
		}
		line, _ := json.Marshal(map[string]string{"id": "src", "title": t, "body": strings.Join(paras, "\n")})
		b.Write(line)
		b.WriteByte('\n')
	}
	b.WriteString("\n") // blank lines are skipped
	return b.String()
}

func TestCorpusArticles(t *testing.T) {
	c, err := readCorpus(strings.NewReader(sourceNDJSON()), 7)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.paras); got != 3 {
		t.Fatalf("read %d source articles, want 3", got)
	}
	for i := 0; i < 300; i++ {
		a := c.article(i, "x-"+string(rune('a'+i%26)))
		if n := len(a.Body); n < minBody || n > maxBody {
			t.Fatalf("article %d: body of %d bytes, want %d–%d", i, n, minBody, maxBody)
		}
		if !utf8.ValidString(a.Body) {
			t.Fatalf("article %d: body is not valid UTF-8", i)
		}
		if _, _, err := article.Record(a, time.Now(), "0123456789abcdef0123456789abcdef"); err != nil {
			t.Fatalf("article %d is not valid for ingest: %v", i, err)
		}
	}
	if diff := cmp.Diff(c.article(5, "same"), c.article(5, "same")); diff != "" {
		t.Errorf("the same seed and index gave different articles:\n%s", diff)
	}
	if c.article(5, "a").Body == c.article(6, "a").Body {
		t.Error("articles 5 and 6 have the same body")
	}
}

func TestReadCorpusErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not JSON", "{oops\n", "line 1"},
		{"no usable article", `{"title":"","body":"x"}` + "\n", "none with a title and a body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readCorpus(strings.NewReader(tt.in), 1)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestCutBody(t *testing.T) {
	sentence := "The ministry confirmed the report. "
	tests := []struct {
		name    string
		in      string
		wantLen func(int) bool
		suffix  string
	}{
		{"short stays", "short.", func(n int) bool { return n == 6 }, "short."},
		{"long ends at a sentence", strings.Repeat(sentence, 400), func(n int) bool { return n >= minBody && n <= maxBody }, "report."},
		{"no sentence end: cut at a rune boundary", strings.Repeat("é", 5000), func(n int) bool { return n <= maxBody && n >= maxBody-1 }, "é"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cutBody(tt.in)
			if !tt.wantLen(len(got)) || !strings.HasSuffix(got, tt.suffix) || !utf8.ValidString(got) {
				t.Errorf("cutBody gave %d bytes ending %q", len(got), got[max(0, len(got)-10):])
			}
		})
	}
}

func TestPayload(t *testing.T) {
	for _, tt := range []struct {
		line string
		size int
	}{
		{`{"title":"Kyiv","body":"text"}`, 10},
		{`{"title":"Київ"}`, 12}, // the cut falls inside a Cyrillic letter: padded
		{`{"a":"b"}`, 100},       // shorter than the record: repeated
	} {
		got := payload(tt.line, tt.size)
		if len(got) != tt.size || !utf8.ValidString(got) || strings.Contains(got, "\n") {
			t.Errorf("payload(%q, %d) = %q (%d bytes)", tt.line, tt.size, got, len(got))
		}
	}
}

func TestWriteDataset(t *testing.T) {
	c, err := readCorpus(strings.NewReader(sourceNDJSON()), 3)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	d, err := writeDataset(c, 50, "run", filepath.Join(dir, "a.ndjson"), filepath.Join(dir, "p.txt"), nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(d.File)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		in, err := article.Decode(sc.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, in.ID)
	}
	if len(ids) != 50 || ids[0] != "run-0" || ids[49] != "run-49" {
		t.Errorf("ids = %v…, want run-0 … run-49", ids[:min(3, len(ids))])
	}
	pb, err := os.ReadFile(d.PayloadFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(pb), "\n"), "\n")
	var sum int64
	for _, l := range lines {
		sum += int64(len(l))
	}
	if len(lines) != 50 || sum != d.ValueBytes {
		t.Errorf("payload file: %d lines, %d bytes; want 50 lines of %d bytes, the record values", len(lines), sum, d.ValueBytes)
	}
}
