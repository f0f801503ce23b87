package batch

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/deskwire/newsroom/services/pipeline/extract"
)

// The synthetic-set figures this engine reaches, minus 0.02: a regression
// guard on articles the rules were not tuned against at first (see
// testdata/README.md). Raise them when the rules get better.
var minSyntheticF1 = map[string]float64{
	"actors":            0.947, // reached 0.967 (unchanged engine: 0.918)
	"weapons":           0.966, // reached 0.986 (0.957)
	"weapon_categories": 0.969, // reached 0.989 (0.916)
	"locations":         0.963, // reached 0.983 (0.944)
}

// TestSyntheticSetQuality classifies testdata/synthetic.jsonl, 40 invented
// news articles labeled per the shared guideline (10 of them traps), and
// scores it the way shared/eval/score.py does. EVAL_OUT=path keeps the
// predictions.
func TestSyntheticSetQuality(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "synthetic.jsonl"))
	if err != nil {
		t.Fatalf("reading synthetic set: %v", err)
	}
	ex := extract.New(loadCatalog(t))
	var out bytes.Buffer
	st, err := Run(context.Background(), ex, bytes.NewReader(data), &out)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if st.Skipped != 0 {
		t.Fatalf("synthetic set lines skipped: %v", st.Errors)
	}
	if st.Written != 40 {
		t.Fatalf("synthetic set: wrote %d results, want 40", st.Written)
	}
	if p := os.Getenv("EVAL_OUT"); p != "" {
		if err := os.WriteFile(p, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := score(t, data, out.Bytes())
	for _, typ := range scoreTypes {
		c := res.counts[typ]
		t.Logf("%-18s P=%.3f R=%.3f F1=%.3f tp=%d fp=%d fn=%d", typ, c.precision(), c.recall(), c.f1(), c.tp, c.fp, c.fn)
	}
	t.Logf("weapons predicted in trap articles: %d", res.trapWeaponFP)
	for _, typ := range scoreTypes {
		if f := res.counts[typ].f1(); f < minSyntheticF1[typ] {
			t.Errorf("%s F1 = %.3f, want >= %.2f", typ, f, minSyntheticF1[typ])
		}
	}
	if res.trapWeaponFP != 0 {
		t.Errorf("weapons predicted in trap articles: %d, want 0", res.trapWeaponFP)
	}
}
