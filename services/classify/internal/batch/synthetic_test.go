package batch

import (
	"os"
	"path/filepath"
	"testing"
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
	if st := assertQuality(t, "synthetic set", data, minSyntheticF1); st.Written != 40 {
		t.Fatalf("synthetic set: wrote %d results, want 40", st.Written)
	}
}
