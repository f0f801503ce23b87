// Package articletest makes NDJSON article lines for tests and benchmarks:
// shaped like the benchmark's articles (2–6 KB bodies of paragraphs, with
// newlines, curly quotes and the odd <, > and &, encoded by encoding/json
// as newsbench encodes them). The text comes from the evaluation set when
// it is there (read at run time, never copied into the repository), else
// from a fixed word list.
package articletest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/deskwire/newsroom/services/ingest/article"
	"github.com/deskwire/newsroom/services/pipeline/evaltest"
)

// Lines returns n article lines (without newlines), the same for the same
// n and text source. Ids are prefix-0 … prefix-(n-1).
func Lines(prefix string, n int) [][]byte {
	paras := devParagraphs()
	if len(paras) == 0 {
		paras = syntheticParagraphs()
	}
	rng := rand.New(rand.NewPCG(7, 7))
	out := make([][]byte, n)
	for i := range out {
		var body strings.Builder
		target := 2000 + rng.IntN(4000)
		for body.Len() < target {
			if body.Len() > 0 {
				body.WriteString("\n")
			}
			body.WriteString(paras[rng.IntN(len(paras))])
		}
		in := article.Input{
			ID:          fmt.Sprintf("%s-%d", prefix, i),
			Title:       strings.SplitN(paras[rng.IntN(len(paras))], ".", 2)[0],
			Body:        body.String(),
			PublishedAt: time.Date(2025, 1, 1+i%365, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
			Source:      "bench",
			Language:    "en",
		}
		line, err := json.Marshal(in)
		if err != nil {
			panic(err) // strings always encode
		}
		out[i] = line
	}
	return out
}

// devParagraphs returns the paragraphs of the development set (evaltest),
// none when it is not there.
func devParagraphs() []string {
	arts, err := evaltest.Read(evaltest.Path())
	if err != nil {
		return nil
	}
	var paras []string
	for _, a := range arts {
		for _, p := range strings.Split(a.Body, "\n") {
			if len(p) > 40 {
				paras = append(paras, p)
			}
		}
	}
	return paras
}

func syntheticParagraphs() []string {
	words := strings.Fields("the minister said on Tuesday that talks with officials in Kyiv, Brüssel and São Paulo " +
		"would resume “within days” after the ceasefire — agreed <in principle> by both sides & monitored by observers — " +
		"held overnight; analysts expect 3.5% growth despite sanctions, drone strikes and a 120-km front line")
	rng := rand.New(rand.NewPCG(1, 2))
	paras := make([]string, 200)
	for i := range paras {
		var b strings.Builder
		for b.Len() < 300+rng.IntN(500) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		paras[i] = strings.TrimSpace(b.String()) + "."
	}
	return paras
}
