package extract

import (
	"os"
	"testing"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/evaltest"
)

// benchCatalog loads $CATALOG_DIR or the embedded catalog.
func benchCatalog(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	c, err := catalog.LoadDir(os.Getenv("CATALOG_DIR"))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// BenchmarkExtract runs the extractor over the development articles with
// every catalog loaded; SetBytes makes "go test -bench" report MB/s.
func BenchmarkExtract(b *testing.B) {
	arts := evaltest.Load(b)
	e := New(benchCatalog(b))
	var n int64
	for _, a := range arts {
		n += int64(len(a.Title) + 1 + len(a.Body))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, a := range arts {
			e.Extract(a.Title, a.Body)
		}
	}
}

// BenchmarkNew measures building the extractor's dictionary.
func BenchmarkNew(b *testing.B) {
	c := benchCatalog(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		New(c)
	}
}

// BenchmarkTokenize runs the tokenizer alone over the development articles.
func BenchmarkTokenize(b *testing.B) {
	arts := evaltest.Load(b)
	e := New(benchCatalog(b))
	tz := &tokenizer{dict: &e.dict.tab, small: &e.lexSmall, lower: &e.dict.lower}
	var n int64
	for _, a := range arts {
		n += int64(len(a.Title) + 1 + len(a.Body))
	}
	texts := make([]string, len(arts))
	for k, a := range arts {
		texts[k] = a.Title + "\n" + a.Body
	}
	b.SetBytes(n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k, t := range texts {
			tz.tokenize(t, len(arts[k].Title))
		}
	}
}
