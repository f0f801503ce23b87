package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/deskwire/newsroom/services/ingest/article"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// Body sizes of the generated articles: 2–6 KB, like wire copy.
const (
	minBody = 2 << 10
	maxBody = 6 << 10
)

// corpus holds the text the benchmark articles are made of: the titles and
// paragraphs of real articles, read at run time and never stored in the
// repository.
type corpus struct {
	titles []string
	paras  [][]string // paragraphs of each source article
	seed   uint64
}

// loadCorpus reads NDJSON articles (title, body) from path.
func loadCorpus(path string, seed uint64) (*corpus, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening source articles: %w", err)
	}
	defer f.Close()
	return readCorpus(f, seed)
}

func readCorpus(r io.Reader, seed uint64) (*corpus, error) {
	c := &corpus{seed: seed}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		var a struct {
			Title string `json:"title"`
			Body  string `json:"body"`
		}
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("source articles line %d: %w", n, err)
		}
		var ps []string
		for _, p := range strings.Split(a.Body, "\n") {
			if p = strings.TrimSpace(p); p != "" {
				ps = append(ps, p)
			}
		}
		if len(ps) == 0 || strings.TrimSpace(a.Title) == "" {
			continue
		}
		c.titles = append(c.titles, strings.TrimSpace(a.Title))
		c.paras = append(c.paras, ps)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading source articles: %w", err)
	}
	if len(c.paras) == 0 {
		return nil, errors.New("source articles: none with a title and a body")
	}
	return c, nil
}

// article returns benchmark article i: a source title and a body of
// consecutive source paragraphs (continuing in another source article when
// one runs out) cut at a sentence end, 2–6 KB long. The same seed and i give
// the same article.
func (c *corpus) article(i int, id string) article.Input {
	rng := rand.New(rand.NewPCG(c.seed, uint64(i)))
	target := minBody + rng.IntN(maxBody-minBody)
	src := rng.IntN(len(c.paras))
	p := rng.IntN(len(c.paras[src]))
	var b strings.Builder
	for b.Len() < target {
		if p >= len(c.paras[src]) {
			src, p = rng.IntN(len(c.paras)), 0
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(c.paras[src][p])
		p++
	}
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%365)
	return article.Input{
		ID:          id,
		Title:       c.titles[rng.IntN(len(c.titles))],
		Body:        cutBody(b.String()),
		PublishedAt: day.Format(time.DateOnly),
		Source:      "newsbench",
		Language:    "en",
	}
}

// cutBody shortens s to at most maxBody bytes, at the last sentence end
// after minBody when there is one, else at a rune boundary.
func cutBody(s string) string {
	if len(s) <= maxBody {
		return s
	}
	head := s[:maxBody]
	if k := strings.LastIndexAny(head, ".!?"); k >= minBody {
		return head[:k+1]
	}
	for len(head) > 0 && !utf8.ValidString(head) {
		head = head[:len(head)-1]
	}
	return head
}

// dataset is the generated articles written to disk, with the sizes of the
// Kafka records ingest makes of them.
type dataset struct {
	// File is the NDJSON file `ingest load` reads.
	File string
	// PayloadFile holds one line per article, as long as its record value,
	// for Kafka's producer performance tool.
	PayloadFile string
	N           int
	// ValueBytes and KeyBytes sum the record values and keys.
	ValueBytes, KeyBytes int64
	// BodyBytes sums title and body, the text classify reads.
	BodyBytes int64
}

// writeDataset generates n articles with ids prefix-0 … prefix-(n-1).
func writeDataset(c *corpus, n int, prefix, file, payloadFile string, progress func(done int)) (dataset, error) {
	d := dataset{File: file, PayloadFile: payloadFile, N: n}
	f, err := os.Create(file)
	if err != nil {
		return d, fmt.Errorf("creating %s: %w", file, err)
	}
	defer f.Close()
	pf, err := os.Create(payloadFile)
	if err != nil {
		return d, fmt.Errorf("creating %s: %w", payloadFile, err)
	}
	defer pf.Close()
	w, pw := bufio.NewWriterSize(f, 1<<20), bufio.NewWriterSize(pf, 1<<20)
	now, trace := time.Now(), record.NewTraceID()
	for i := 0; i < n; i++ {
		in := c.article(i, fmt.Sprintf("%s-%d", prefix, i))
		line, err := json.Marshal(in)
		if err != nil {
			return d, fmt.Errorf("encoding article %d: %w", i, err)
		}
		m, _, err := article.Record(in, now, trace)
		if err != nil {
			return d, fmt.Errorf("generated article %d is invalid: %w", i, err)
		}
		d.ValueBytes += int64(len(m.Value))
		d.KeyBytes += int64(len(m.Key))
		d.BodyBytes += int64(len(in.Title) + 1 + len(in.Body))
		w.Write(line)
		w.WriteByte('\n')
		pw.WriteString(payload(string(line), len(m.Value)))
		pw.WriteByte('\n')
		if progress != nil && (i+1)%5000 == 0 {
			progress(i + 1)
		}
	}
	if err := w.Flush(); err != nil {
		return d, fmt.Errorf("writing %s: %w", file, err)
	}
	if err := pw.Flush(); err != nil {
		return d, fmt.Errorf("writing %s: %w", payloadFile, err)
	}
	return d, nil
}

// payload returns text of exactly size bytes made from line (one JSON
// article, so no newline in it): cut at a rune boundary and padded with
// spaces, or repeated. Its text compresses like the record it stands for.
func payload(line string, size int) string {
	for len(line) < size {
		line += " " + line
	}
	head := line[:size]
	for len(head) > 0 && !utf8.ValidString(head) {
		head = head[:len(head)-1]
	}
	return head + strings.Repeat(" ", size-len(head))
}
