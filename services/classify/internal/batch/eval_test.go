package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/evaltest"
)

// The dev-set figures this engine reaches, minus 0.01: a regression guard.
// Raise them when the rules get better.
var minF1 = map[string]float64{
	"actors":            0.98,
	"weapons":           0.99,
	"weapon_categories": 0.99,
	"locations":         0.99,
}

// The second development set's figures, minus about 0.02 (it is scored
// in the open now, but was written by others): a regression guard.
var minF1Dev2 = map[string]float64{
	"actors":            0.92,
	"weapons":           0.94,
	"weapon_categories": 0.94,
	"locations":         0.94,
}

// loadCatalog returns the embedded catalog, or the one in $CATALOG_DIR.
func loadCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.LoadDir(os.Getenv("CATALOG_DIR"))
	if err != nil {
		t.Fatalf("loading catalog: %v", err)
	}
	return c
}

// TestDevSetQuality classifies the development set and scores it the way
// shared/eval/score.py does. It skips when the set is absent unless
// EVAL_REQUIRED=1. EVAL_OUT=path keeps the predictions for score.py.
func TestDevSetQuality(t *testing.T) {
	gold := evaltest.Path()
	data, err := os.ReadFile(gold)
	if err != nil {
		if os.Getenv("EVAL_REQUIRED") == "1" {
			t.Fatalf("EVAL_REQUIRED=1 but the dev set is unreadable: %v", err)
		}
		t.Skipf("dev set not found (%v); set SHARED_DIR, or EVAL_REQUIRED=1 to fail", err)
	}
	assertQuality(t, "dev set", data, minF1)
}

// TestDev2SetQuality is TestDevSetQuality on shared/eval/dev2.
func TestDev2SetQuality(t *testing.T) {
	data, err := os.ReadFile(evaltest.SetPath("dev2"))
	if err != nil {
		if os.Getenv("EVAL_REQUIRED") == "1" {
			t.Fatalf("EVAL_REQUIRED=1 but the dev2 set is unreadable: %v", err)
		}
		t.Skipf("dev2 set not found (%v); set SHARED_DIR, or EVAL_REQUIRED=1 to fail", err)
	}
	assertQuality(t, "dev2 set", data, minF1Dev2)
}

// assertQuality classifies the NDJSON gold set data, scores it like
// shared/eval/score.py, logs the table and fails below minF1 per type or on
// any weapon in a trap article. EVAL_OUT=path keeps the predictions.
func assertQuality(t *testing.T, name string, data []byte, minF1 map[string]float64) Stats {
	t.Helper()
	ex := extract.New(loadCatalog(t))
	var out bytes.Buffer
	st, err := Run(context.Background(), ex, bytes.NewReader(data), &out)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if st.Skipped != 0 {
		t.Fatalf("%s lines skipped: %v", name, st.Errors)
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
		if f := res.counts[typ].f1(); f < minF1[typ] {
			t.Errorf("%s F1 = %.3f, want >= %.2f", typ, f, minF1[typ])
		}
	}
	if res.trapWeaponFP != 0 {
		t.Errorf("weapons predicted in trap articles: %d, want 0", res.trapWeaponFP)
	}
	return st
}

// --- a Go port of shared/eval/score.py ---------------------------------------

var scoreTypes = []string{"actors", "weapons", "locations", "weapon_categories"}

type counts struct{ tp, fp, fn int }

func (c counts) precision() float64 {
	if c.tp+c.fp == 0 {
		return 1
	}
	return float64(c.tp) / float64(c.tp+c.fp)
}

func (c counts) recall() float64 {
	if c.tp+c.fn == 0 {
		return 1
	}
	return float64(c.tp) / float64(c.tp+c.fn)
}

func (c counts) f1() float64 {
	p, r := c.precision(), c.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

type scoreResult struct {
	counts       map[string]counts
	trapWeaponFP int
}

var nonWord = regexp.MustCompile(`[^\p{L}\p{N}_]+`)

// scoreNorm mirrors score.py's norm: fold case and diacritics, drop a
// possessive "'s", collapse punctuation, drop a leading "the".
func scoreNorm(s string) string {
	var b []byte
	for _, r := range strings.ReplaceAll(s, "’", "'") {
		if r < 128 {
			b = append(b, byte(r))
			continue
		}
		b = catalog.AppendFold(b, r)
	}
	s = strings.ToLower(string(b))
	s = strings.ReplaceAll(s, "'s ", " ")
	s = strings.TrimSpace(nonWord.ReplaceAllString(s, " "))
	return strings.TrimPrefix(s, "the ")
}

type goldEntity struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
}

type goldRow struct {
	ID   string `json:"id"`
	Trap bool   `json:"trap"`
	Gold struct {
		Actors           []goldEntity               `json:"actors"`
		Weapons          []goldEntity               `json:"weapons"`
		Locations        []goldEntity               `json:"locations"`
		WeaponCategories []string                   `json:"weapon_categories"`
		Optional         map[string]json.RawMessage `json:"optional"`
	} `json:"gold"`
}

func score(t *testing.T, goldData, predData []byte) scoreResult {
	t.Helper()
	preds := map[string]map[string][]string{}
	for _, line := range bytes.Split(predData, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var o Output
		if err := json.Unmarshal(line, &o); err != nil {
			t.Fatalf("bad output line: %v", err)
		}
		p := map[string][]string{"weapon_categories": o.WeaponCategories}
		for _, a := range o.Actors {
			p["actors"] = append(p["actors"], a.Name)
		}
		for _, w := range o.Weapons {
			p["weapons"] = append(p["weapons"], w.Name)
		}
		for _, l := range o.Locations {
			p["locations"] = append(p["locations"], l.Name)
		}
		preds[o.ID] = p
	}
	res := scoreResult{counts: map[string]counts{}}
	for _, line := range bytes.Split(goldData, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var g goldRow
		if err := json.Unmarshal(line, &g); err != nil {
			t.Fatalf("bad gold line: %v", err)
		}
		p := preds[g.ID]
		for _, typ := range scoreTypes {
			var keys []map[string]bool
			switch typ {
			case "weapon_categories":
				for _, c := range g.Gold.WeaponCategories {
					keys = append(keys, map[string]bool{scoreNorm(c): true})
				}
			default:
				list := map[string][]goldEntity{"actors": g.Gold.Actors, "weapons": g.Gold.Weapons, "locations": g.Gold.Locations}[typ]
				for _, e := range list {
					k := map[string]bool{scoreNorm(e.Name): true}
					for _, a := range e.Aliases {
						k[scoreNorm(a)] = true
					}
					keys = append(keys, k)
				}
			}
			opt := map[string]bool{}
			var optList []json.RawMessage
			_ = json.Unmarshal(g.Gold.Optional[typ], &optList)
			for _, raw := range optList {
				var name string
				if json.Unmarshal(raw, &name) == nil {
					opt[scoreNorm(name)] = true
					continue
				}
				var e goldEntity
				if json.Unmarshal(raw, &e) == nil {
					opt[scoreNorm(e.Name)] = true
					for _, a := range e.Aliases {
						opt[scoreNorm(a)] = true
					}
				}
			}
			matched := make([]bool, len(keys))
			c := res.counts[typ]
			for _, name := range p[typ] {
				n := scoreNorm(name)
				hit := -1
				for i, k := range keys {
					if !matched[i] && k[n] {
						hit = i
						break
					}
				}
				switch {
				case hit >= 0:
					matched[hit] = true
					c.tp++
				case opt[n]:
				default:
					c.fp++
					if typ == "weapons" && g.Trap {
						res.trapWeaponFP++
					}
				}
			}
			for _, m := range matched {
				if !m {
					c.fn++
				}
			}
			res.counts[typ] = c
		}
	}
	return res
}
