// Package evaltest reads the shared, labeled development articles
// (shared/eval/dev/articles.jsonl beside the repository) for tests and
// benchmarks. Their text stays out of the repository: it is read at run
// time from $SHARED_DIR, or from "shared" next to the folder holding go.work.
package evaltest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Article is the part of a development article the tests use.
type Article struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Body        string `json:"body"`
	URL         string `json:"url"`
	Source      string `json:"source"`
	PublishedAt string `json:"published_at"`
}

// SharedDir is $SHARED_DIR, or "shared" beside the repository root (the
// nearest parent of the working directory holding go.work).
func SharedDir() string {
	if d := os.Getenv("SHARED_DIR"); d != "" {
		return d
	}
	wd, _ := os.Getwd()
	for d := wd; filepath.Dir(d) != d; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
			return filepath.Join(d, "..", "shared")
		}
	}
	return filepath.Join(wd, "..", "shared")
}

// Path is the development set's file.
func Path() string { return SetPath("dev") }

// SetPath is the file of the named labeled set under shared/eval: "dev"
// (the development set) or "dev2" (the second development set).
func SetPath(name string) string { return filepath.Join(SharedDir(), "eval", name, "articles.jsonl") }

// Read reads every article of the file at path.
func Read(path string) ([]Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Article
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for line := 1; sc.Scan(); line++ {
		var a Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no articles", path)
	}
	return out, nil
}

// Load reads the development set for a test or benchmark. When it is
// missing the test is skipped, or fails when EVAL_REQUIRED=1 (make test
// sets it, so CI never counts a skip as a pass).
func Load(tb testing.TB) []Article {
	tb.Helper()
	arts, err := Read(Path())
	if err != nil {
		if os.Getenv("EVAL_REQUIRED") == "1" {
			tb.Fatalf("development set: %v (set SHARED_DIR)", err)
		}
		tb.Skipf("development set not available: %v (set SHARED_DIR)", err)
	}
	return arts
}
