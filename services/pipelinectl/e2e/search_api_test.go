package e2e

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/deskwire/newsroom/services/pipeline/evaltest"
)

// getJSON sends a GET to the index service and decodes a 200 answer.
func (s *stack) getJSON(path string, out any) (int, string) {
	s.t.Helper()
	res, err := http.Get(s.search + path)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode == http.StatusOK && out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			s.t.Fatalf("GET %s: decoding %.300s: %v", path, b, err)
		}
	}
	return res.StatusCode, string(b)
}

// apiHit is the part of a hit the tests read.
type apiHit struct {
	ID        string `json:"id"`
	Locations []struct {
		Point *struct{ Lat, Lon float64 } `json:"point"`
	} `json:"locations"`
}

type apiSearch struct {
	Total    int64    `json:"total"`
	Hits     []apiHit `json:"hits"`
	Next     string   `json:"next"`
	Resolved []struct {
		Param, Value string
		IDs          []string `json:"ids"`
		Unresolved   []string `json:"unresolved"`
	} `json:"resolved"`
}

// km is the great-circle distance.
func km(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	a := math.Pow(math.Sin((lat2-lat1)*rad/2), 2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Pow(math.Sin((lon2-lon1)*rad/2), 2)
	return 2 * 6371 * math.Asin(math.Sqrt(a))
}

// TestSearchAPIOnDevArticles runs the three services on the dev articles and
// exercises every endpoint of the search API against what was indexed.
func TestSearchAPIOnDevArticles(t *testing.T) {
	s := newStack(t)
	s.start("ingest")
	s.start("classify")
	s.start("index")
	dev, err := os.ReadFile(evaltest.Path())
	if err != nil {
		t.Fatal(err)
	}
	n := int64(bytes.Count(bytes.TrimSpace(dev), []byte("\n")) + 1)
	if code, body := s.post(dev); code != 202 {
		t.Fatalf("POST the dev set = %d %v", code, body)
	}
	s.waitTotal("", n, 60*time.Second)

	total := func(query string) int64 {
		t.Helper()
		var r apiSearch
		if code, body := s.getJSON("/v1/search?facet_size=0&"+query, &r); code != 200 {
			t.Fatalf("search %s: %d %.300s", query, code, body)
		}
		return r.Total
	}

	t.Run("filters", func(t *testing.T) {
		putin, zelensky := total("actor=putin"), total("actor=zelensky")
		either, both := total("actor=putin|zelensky"), total("actor=putin&actor=zelensky")
		if putin == 0 || zelensky == 0 || either != putin+zelensky-both {
			t.Errorf("putin %d, zelensky %d, either %d, both %d: want either = putin + zelensky - both", putin, zelensky, either, both)
		}
		if not := total("not_actor=putin"); not+putin != n {
			t.Errorf("not_actor=putin %d + actor=putin %d != %d articles", not, putin, n)
		}
		if got := total("source=tass.com|axios.com"); got != total("source=tass.com")+total("source=axios.com") || got == 0 {
			t.Errorf("source=tass.com|axios.com: %d", got)
		}
		// q=kiev also finds the articles naming Kyiv, however they spell it.
		if kyiv, kiev := total("location=kyiv"), total("q=kiev"); kyiv == 0 || kiev < kyiv {
			t.Errorf("location=kyiv %d, q=kiev %d: want q=kiev to find at least the Kyiv articles", kyiv, kiev)
		}
		var r apiSearch
		s.getJSON("/v1/search?size=100&near=50.45,30.52&within=30km", &r)
		if r.Total == 0 {
			t.Error("nothing near Kyiv")
		}
		for _, h := range r.Hits {
			near := false
			for _, l := range h.Locations {
				near = near || l.Point != nil && km(50.45, 30.52, l.Point.Lat, l.Point.Lon) <= 30.5
			}
			if !near {
				t.Errorf("%s has no location within 30 km of Kyiv", h.ID)
			}
		}
		if in, out := total("bbox=22,44,40,53"), total("bbox=-10,-10,-9,-9"); in == 0 || out != 0 {
			t.Errorf("bbox around Ukraine %d (want some), in the Gulf of Guinea %d (want 0)", in, out)
		}
		s.getJSON("/v1/search?actor=putin|Nobody+Atall&country=Narnia", &r)
		if len(r.Resolved) != 2 || r.Resolved[0].IDs[0] != "vladimir-putin" || r.Resolved[0].Unresolved[0] != "Nobody Atall" ||
			len(r.Resolved[1].IDs) != 0 || r.Total != 0 {
			t.Errorf("resolved = %+v, total %d", r.Resolved, r.Total)
		}
	})

	t.Run("cursor visits every article once", func(t *testing.T) {
		seen := map[string]bool{}
		path := "/v1/search?size=4&facet_size=0"
		for page := 0; path != ""; page++ {
			var r apiSearch
			if code, body := s.getJSON(path, &r); code != 200 || page > int(n) {
				t.Fatalf("page %d: %d %.300s", page, code, body)
			}
			for _, h := range r.Hits {
				if seen[h.ID] {
					t.Errorf("%s twice", h.ID)
				}
				seen[h.ID] = true
			}
			path = ""
			if r.Next != "" {
				path = "/v1/search?cursor=" + url.QueryEscape(r.Next)
			}
		}
		if int64(len(seen)) != n {
			t.Errorf("the cursor visited %d articles, want %d", len(seen), n)
		}
	})

	t.Run("article spans are the entities' surface forms", func(t *testing.T) {
		checkArticleSpans(t, s)
		if code, _ := s.getJSON("/v1/articles/no-such-article", nil); code != 404 {
			t.Errorf("missing article: %d, want 404", code)
		}
	})

	t.Run("generated entities resolve by their aliases", func(t *testing.T) {
		checkAliasResolution(t, s)
	})

	t.Run("entity page and suggestions agree with search", func(t *testing.T) {
		want := total("actor=vladimir-putin")
		var p struct {
			Name         string
			ArticleCount int64 `json:"article_count"`
			Timeline     struct {
				Buckets []struct{ Count int64 }
				Undated int64
			}
			Related struct{ Locations []struct{ ID string } }
		}
		if code, body := s.getJSON("/v1/entities/actor/vladimir-putin", &p); code != 200 {
			t.Fatalf("%d %.300s", code, body)
		}
		sum := p.Timeline.Undated
		for _, b := range p.Timeline.Buckets {
			sum += b.Count
		}
		if p.Name != "Vladimir Putin" || p.ArticleCount != want || sum != want || len(p.Related.Locations) == 0 {
			t.Errorf("entity page = %+v, want %d articles", p, want)
		}
		var sg struct {
			Entities []struct {
				ID           string
				ArticleCount int64 `json:"article_count"`
			}
		}
		s.getJSON("/v1/entities?type=actor&prefix=vladimir+pu&has_articles=true", &sg)
		if len(sg.Entities) == 0 || sg.Entities[0].ID != "vladimir-putin" || sg.Entities[0].ArticleCount != want {
			t.Errorf("suggestions = %+v, want vladimir-putin with %d", sg.Entities, want)
		}
	})

	t.Run("timeline sums to the search total", func(t *testing.T) {
		var tl struct {
			Total   int64
			Undated int64
			Buckets []struct {
				Count int64
				Split []struct{ Count int64 }
			}
		}
		if code, body := s.getJSON("/v1/timeline?country=ua&interval=month&split=weapon", &tl); code != 200 {
			t.Fatalf("%d %.300s", code, body)
		}
		sum := tl.Undated // dev articles without a date are in no interval
		for _, b := range tl.Buckets {
			sum += b.Count
		}
		if want := total("country=ua"); tl.Total != want || sum != want {
			t.Errorf("timeline total %d, buckets sum %d, search %d", tl.Total, sum, want)
		}
	})

	t.Run("export", func(t *testing.T) {
		res, err := http.Get(s.search + "/v1/export")
		if err != nil {
			t.Fatal(err)
		}
		lines := 0
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if !json.Valid(sc.Bytes()) {
				t.Errorf("line %d is not JSON", lines+1)
			}
			lines++
		}
		res.Body.Close()
		if int64(lines) != n {
			t.Errorf("exported %d lines, want %d", lines, n)
		}
		res, err = http.Get(s.search + "/v1/export?format=csv&weapon=patriot")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(res.Body).ReadAll()
		res.Body.Close()
		if err != nil || int64(len(rows)-1) != total("weapon=patriot") || !utf8.ValidString(strings.Join(rows[0], "")) {
			t.Errorf("csv: %d rows, %v", len(rows), err)
		}
	})

	var doc map[string]any
	if code, _ := s.getJSON("/openapi.json", &doc); code != 200 || doc["openapi"] != "3.1.0" {
		t.Errorf("openapi.json: %d %v", code, doc["openapi"])
	}
}
