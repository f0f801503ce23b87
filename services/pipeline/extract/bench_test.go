package extract

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

type devArticle struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Body  string `json:"body"`
}

// devArticles reads the shared development set: $SHARED_DIR/eval/dev, or
// "shared" beside the repository root.
func devArticles(tb testing.TB) []devArticle {
	tb.Helper()
	dir := os.Getenv("SHARED_DIR")
	if dir == "" {
		wd, _ := os.Getwd()
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
				dir = filepath.Join(d, "..", "shared")
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	f, err := os.Open(filepath.Join(dir, "eval", "dev", "articles.jsonl"))
	if err != nil {
		tb.Skipf("dev set not available: %v", err)
	}
	defer f.Close()
	var out []devArticle
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var a devArticle
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			tb.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

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
	arts := devArticles(b)
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
