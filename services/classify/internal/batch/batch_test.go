package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/pipeline/catalog/catalogtest"
)

var (
	exOnce sync.Once
	ex     *extract.Extractor
)

func fixture(t *testing.T) *extract.Extractor {
	exOnce.Do(func() { ex = extract.New(catalogtest.Load(t)) })
	return ex
}

func TestRun(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"a1","title":"Strike on Kyiv","body":"Russian troops fired missiles at Kyiv, Putin said.","gold":{"actors":[]},"trap":false}`,
		``,
		`{"id":"a2","title":"Empty","body":""}`,
		`{not json`,
		`{"title":"no id","body":"Kyiv"}`,
		`{"id":"a3","url":"https://example.test/x","title":"Talks","body":"NATO met.","published_at":"2024-01-02","source":"example.test","language":"en"}`,
	}, "\n")
	var out bytes.Buffer
	st, err := Run(context.Background(), fixture(t), strings.NewReader(in), &out)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if st.Lines != 5 || st.Written != 3 || st.Skipped != 2 {
		t.Errorf("stats = %+v", st)
	}
	if len(st.Errors) != 2 || st.Errors[0].Line != 4 || st.Errors[1].Line != 5 {
		t.Errorf("line errors = %v", st.Errors)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("output lines = %d:\n%s", len(lines), out.String())
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "actors", "weapons", "weapon_categories", "locations"} {
		if _, ok := first[k]; !ok {
			t.Errorf("output lacks %q: %s", k, lines[0])
		}
	}
	var o Output
	if err := json.Unmarshal([]byte(lines[0]), &o); err != nil {
		t.Fatal(err)
	}
	if o.ID != "a1" || len(o.Locations) != 1 || o.Locations[0].Name != "Kyiv" || o.Locations[0].Lat == nil ||
		o.Locations[0].CountryCode != "UA" || o.Locations[0].Mentions != 2 {
		t.Errorf("a1 = %+v", o)
	}
	if len(o.Actors) != 1 || o.Actors[0].ID != "vladimir-putin" || o.Actors[0].Kind != "person" {
		t.Errorf("a1 actors = %+v", o.Actors)
	}
	if !slicesEqual(o.WeaponCategories, []string{"missile"}) {
		t.Errorf("a1 categories = %v", o.WeaponCategories)
	}
	// Empty lists are written as [], never null.
	if !strings.Contains(lines[1], `"weapons":[]`) || !strings.Contains(lines[1], `"weapon_categories":[]`) {
		t.Errorf("a2 = %s", lines[1])
	}
}

func TestLocationWithoutCoordinates(t *testing.T) {
	o := Convert("x", extract.Result{Locations: []extract.Entity{{ID: "gen:place:x", Name: "X", Kind: "place"}}})
	b, _ := json.Marshal(o)
	if strings.Contains(string(b), `"lat"`) || strings.Contains(string(b), `"lon"`) {
		t.Errorf("lat/lon written for a place without coordinates: %s", b)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRunWriteError(t *testing.T) {
	in := strings.Repeat(`{"id":"a","title":"t","body":"b"}`+"\n", 5000)
	_, err := Run(context.Background(), fixture(t), strings.NewReader(in), failWriter{})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v", err)
	}
}

func TestRunCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, fixture(t), strings.NewReader(`{"id":"a","title":"t","body":"b"}`), io.Discard)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func slicesEqual(a, b []string) bool {
	return strings.Join(a, "|") == strings.Join(b, "|")
}
