package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/estest"
)

// newAlias is added to a known actor by a catalog overlay; the injected
// articles name the actor only by it.
const newAlias = "Vova Putinsky"

// aliasOverlay writes a catalog overlay (CATALOG_OVERLAY_DIR) that adds
// newAlias to vladimir-putin, as a newsroom editing its catalogs would.
func aliasOverlay(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "aliases.tsv"), []byte("actor\tvladimir-putin\t"+newAlias+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestReindexWithChangedCatalog(t *testing.T) {
	const n = 300
	s := newStack(t)
	s.start("ingest")
	s.start("classify")
	s.start("index")

	// n articles: the dev set's real text under new ids, and every tenth a
	// short article that names Putin only by the alias the catalog lacks.
	var lines [][]byte
	base := corpusLines(t)
	injected := map[string]bool{}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("rx-%04d", i)
		var a map[string]any
		if i%10 == 0 {
			a = map[string]any{"id": id, "title": "Budget talks", "body": newAlias + " met farmers in the capital on Tuesday to discuss grain prices."}
			injected[id] = true
		} else {
			a = map[string]any{}
			for k, v := range base[i%len(base)] {
				a[k] = v
			}
			a["id"] = id
		}
		b, _ := json.Marshal(a)
		lines = append(lines, b)
	}
	for i := 0; i < n; i += 100 {
		if code, body := s.post(bytes.Join(lines[i:min(i+100, n)], []byte("\n"))); code != 202 {
			t.Fatalf("POST = %d %v", code, body)
		}
	}
	s.waitTotal("", n, 60*time.Second)
	_, before, _ := s.searchRaw(q("actor", "vladimir-putin", "size", "100"))
	for _, h := range before.Hits {
		if injected[h.ID] {
			t.Fatalf("article %s matched vladimir-putin before the catalog knew the alias", h.ID)
		}
	}
	oldVersion := indexedVersions(t, s)

	// Deploy the overlay to the search side, then rebuild the index with it.
	dir := aliasOverlay(t)
	s.stop("index")
	s.start("index", "CATALOG_OVERLAY_DIR="+dir)

	var searches, failures atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			code, _, _ := s.searchRaw(q("location", "Kyiv"))
			searches.Add(1)
			if code != 200 {
				failures.Add(1)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	cmd := exec.Command(filepath.Join(binaries(t), "pipelinectl"), "reindex", "--version", "2", "--catalog-overlay-dir", dir,
		"--group", s.name+".reindex", "--log-level", "warn")
	cmd.Env = s.env
	out, err := cmd.CombinedOutput()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("pipelinectl reindex: %v\n%s", err, out)
	}
	t.Logf("reindex output:\n%s", out)
	if failures.Load() > 0 {
		t.Errorf("%d of %d searches during the reindex failed", failures.Load(), searches.Load())
	}
	if searches.Load() == 0 {
		t.Error("no search ran during the reindex")
	}

	// The alias moved, every document carries the new classifier version,
	// and the new alias finds the injected articles.
	if !strings.Contains(string(out), "-> "+s.alias+"-v2") {
		t.Errorf("reindex did not report the alias moving to %s-v2", s.alias)
	}
	st := exec.Command(filepath.Join(binaries(t), "pipelinectl"), "status", "--log-level", "warn")
	st.Env = s.env
	status, err := st.CombinedOutput()
	if err != nil || !strings.Contains(string(status), "alias "+s.alias+" -> "+s.alias+"-v2") {
		t.Errorf("pipelinectl status = %v:\n%s", err, status)
	}
	// The replay ran without refreshes; the live index refreshes every
	// second again.
	cfg := &esindex.Config{URL: estest.URL(t), Alias: s.alias}
	es, err := cfg.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	if ri, err := (&esindex.Admin{ES: es, Cfg: cfg}).RefreshIntervalOf(context.Background(), s.alias+"-v2"); err != nil || ri != esindex.RefreshInterval {
		t.Errorf("refresh_interval of %s-v2 after reindex = %q, %v; want %s", s.alias, ri, err, esindex.RefreshInterval)
	}
	newVersions := indexedVersions(t, s)
	if len(newVersions) != 1 || newVersions[0] == "" || len(oldVersion) == 1 && newVersions[0] == oldVersion[0] {
		t.Errorf("classifier versions after reindex = %v (before %v), want one new version", newVersions, oldVersion)
	}
	s.waitTotal("", n, 10*time.Second)
	_, after, body := s.searchRaw(q("actor", newAlias, "size", "100"))
	found := 0
	for _, h := range after.Hits {
		if injected[h.ID] {
			found++
		}
	}
	if found != len(injected) {
		t.Errorf("actor=%s finds %d of the %d injected articles after reindex: %.300s", newAlias, found, len(injected), body)
	}
}
