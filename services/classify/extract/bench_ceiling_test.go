package extract_test

// The CPU ceiling of the classify step (issue 7, figure 4): the full step —
// decode the articles.raw record, extract, encode the articles.classified
// record — next to a plain multi-pattern scan of the same text for the same
// catalog names. scripts/bench.sh runs both on one core:
//
//	go test -run '^$' -bench '^Benchmark(ClassifyStep|CeilingScan)$' -cpu 1 ./extract

import (
	"context"
	"math/bits"
	"os"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/classify/classifier"
	"github.com/deskwire/newsroom/services/classify/classifier/classifiertest"
	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/catalog/catalogtest"
	"github.com/deskwire/newsroom/services/pipeline/evaltest"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// ngramScanner is the plain multi-pattern scan: the text cut into folded
// word tokens the way catalog.Key cuts names, and at every token the
// longest catalog name or alias that starts there, looked up token by token
// in one hash table of every name's token prefixes. No context, no rules,
// no resolution: what any dictionary tagger has to do at least.
type ngramScanner struct {
	// table maps the hash of a token sequence to ceilPrefix (a longer name
	// continues it) and ceilName (it is a whole name).
	table map[uint64]uint8
}

const (
	ceilPrefix = 1 << iota
	ceilName
)

const ceilSeed = 0x9e3779b97f4a7c15

// ceilMix appends a token hash to a sequence hash.
func ceilMix(h, tok uint64) uint64 {
	return (bits.RotateLeft64(h, 23) ^ tok) * 0xff51afd7ed558ccd
}

func ceilTokenHash(folded []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range folded {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

func newNgramScanner(c *catalog.Catalog) *ngramScanner {
	s := &ngramScanner{table: map[uint64]uint8{}}
	for _, e := range c.Entries() {
		for _, name := range e.Names() {
			toks := catalog.KeyTokens(name)
			h := uint64(ceilSeed)
			for i, t := range toks {
				h = ceilMix(h, ceilTokenHash([]byte(t)))
				if i < len(toks)-1 {
					s.table[h] |= ceilPrefix
				} else {
					s.table[h] |= ceilName
				}
			}
		}
	}
	return s
}

// ceilScratch is the per-goroutine buffer of a scan.
type ceilScratch struct {
	toks  []uint64
	spans [][2]int // byte offsets of each token, for tests
	word  []byte
}

// tokenize fills sc with the hashes of the folded word tokens of text.
func (s *ngramScanner) tokenize(text string, sc *ceilScratch, withSpans bool) {
	sc.toks, sc.spans = sc.toks[:0], sc.spans[:0]
	start := -1
	end := func(i int) {
		if start >= 0 {
			sc.toks = append(sc.toks, ceilTokenHash(sc.word))
			if withSpans {
				sc.spans = append(sc.spans, [2]int{start, i})
			}
			start, sc.word = -1, sc.word[:0]
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			default:
				end(i)
				i++
				continue
			}
			if start < 0 {
				start = i
			}
			sc.word = append(sc.word, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if catalog.IsWordRune(r) {
			if start < 0 {
				start = i
			}
			sc.word = catalog.AppendFold(sc.word, r)
		} else {
			end(i)
		}
		i += n
	}
	end(len(text))
}

// scan returns the number of catalog names in text, longest first and
// without overlaps; spans, when wanted, are their token ranges.
func (s *ngramScanner) scan(text string, sc *ceilScratch, withSpans bool) (n int, spans [][2]int) {
	s.tokenize(text, sc, withSpans)
	toks := sc.toks
	for i := 0; i < len(toks); {
		best := 0
		h := ceilMix(ceilSeed, toks[i])
		for j := i; ; {
			f := s.table[h]
			if f&ceilName != 0 {
				best = j - i + 1
			}
			if f&ceilPrefix == 0 || j+1 == len(toks) {
				break
			}
			j++
			h = ceilMix(h, toks[j])
		}
		if best == 0 {
			i++
			continue
		}
		n++
		if withSpans {
			spans = append(spans, [2]int{sc.spans[i][0], sc.spans[i+best-1][1]})
		}
		i += best
	}
	return n, spans
}

func TestNgramScannerFindsCatalogNames(t *testing.T) {
	s := newNgramScanner(catalogtest.Load(t))
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"names and aliases, any case", "Zelensky met NATO officials in kyiv.", []string{"Zelensky", "NATO", "kyiv"}},
		{"longest name wins", "the High Mobility Artillery Rocket System fired", []string{"High Mobility Artillery Rocket System"}},
		{"punctuation splits tokens like catalog.Key", "U.S.-made Shahed-136 drones", []string{"U.S", "Shahed-136"}},
		{"a prefix alone is no name", "the Black dog, High Mobility units", nil},
		{"a name that a longer one continues", "Moscow streets, the Moscow Kremlin walls", []string{"Moscow", "Moscow Kremlin"}},
		{"diacritics fold", "KYÏV", []string{"KYÏV"}},
		{"nothing to find", "qzxv wqpt", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sc ceilScratch
			n, spans := s.scan(tt.text, &sc, true)
			var got []string
			for _, sp := range spans {
				got = append(got, tt.text[sp[0]:sp[1]])
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
			if n != len(tt.want) {
				t.Errorf("count = %d, want %d", n, len(tt.want))
			}
		})
	}
}

func ceilCatalog(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	c, err := catalog.LoadDir(os.Getenv("CATALOG_DIR"))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func ceilBytes(arts []evaltest.Article) int64 {
	var n int64
	for _, a := range arts {
		n += int64(len(a.Title) + 1 + len(a.Body))
	}
	return n
}

// BenchmarkCeilingScan is the ceiling: the plain scan of every article's
// title and body for every catalog name and alias.
func BenchmarkCeilingScan(b *testing.B) {
	arts := evaltest.Load(b)
	s := newNgramScanner(ceilCatalog(b))
	var sc ceilScratch
	b.SetBytes(ceilBytes(arts))
	b.ReportAllocs()
	b.ResetTimer()
	found := 0
	for i := 0; i < b.N; i++ {
		for _, a := range arts {
			n, _ := s.scan(a.Title+"\n"+a.Body, &sc, false)
			found += n
		}
	}
	b.ReportMetric(float64(found)/float64(b.N*len(arts)), "names/article")
}

// BenchmarkClassifyStep is what classify does per record, through the
// service's own stage on one worker: decode the articles.raw record ingest
// wrote, extract, build and encode the articles.classified record into the
// memory the stage reuses from batch to batch.
func BenchmarkClassifyStep(b *testing.B) {
	arts := evaltest.Load(b)
	ex := extract.New(ceilCatalog(b))
	now := time.Now()
	msgs := make([]kafka.Message, len(arts))
	entities := 0
	for i, a := range arts {
		art, m := classifiertest.Raw(b, "bench-"+strconv.Itoa(i), a, now)
		msgs[i] = m
		c := classifier.Classify(ex, art, now)
		entities += len(c.Actors) + len(c.Weapons) + len(c.Locations)
	}
	out := &countWriter{}
	s := &classifier.Stage{Ex: ex, Out: out, DLQ: failDLQ{b}, Log: zap.NewNop(), Workers: 1, Now: func() time.Time { return now }}
	b.SetBytes(ceilBytes(arts))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Handle(context.Background(), msgs); err != nil {
			b.Fatal(err)
		}
	}
	if out.n != b.N*len(msgs) {
		b.Fatalf("%d records written, want %d", out.n, b.N*len(msgs))
	}
	b.ReportMetric(float64(entities)/float64(len(msgs)), "entities/article")
}

// countWriter counts the records the stage produces.
type countWriter struct{ n int }

func (w *countWriter) Write(_ context.Context, msgs ...kafka.Message) error {
	w.n += len(msgs)
	return nil
}

// failDLQ fails the benchmark on any dead-lettered record.
type failDLQ struct{ b *testing.B }

func (d failDLQ) Send(_ context.Context, fs []stream.Failure) error {
	if len(fs) > 0 {
		d.b.Fatalf("%d records dead-lettered, first: %v", len(fs), fs[0])
	}
	return nil
}
