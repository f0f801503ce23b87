package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"github.com/deskwire/newsroom/services/pipeline/evaltest"
)

// pageToken is the stack's API_TOKEN: the page must ask for it once.
const pageToken = "e2e-desk-token"

// pageStack is a stack with the dev articles loaded and the index's API
// behind a bearer token.
func pageStack(t *testing.T, corpus string) *stack {
	t.Helper()
	start := time.Now()
	s := newStack(t)
	s.start("ingest")
	s.start("classify")
	s.start("index", "API_TOKEN="+pageToken)
	t.Logf("stack started in %s", time.Since(start).Round(time.Millisecond))
	dev, err := os.ReadFile(corpus)
	if err != nil {
		t.Fatalf("the page tests load their articles: %v", err)
	}
	if code, body := s.post(dev); code != 202 {
		t.Fatalf("POST dev articles = %d %v", code, body)
	}
	want := int64(strings.Count(strings.TrimSpace(string(dev)), "\n") + 1)
	deadline := time.Now().Add(60 * time.Second)
	for {
		var r struct {
			Total int64 `json:"total"`
		}
		if apiGet(t, s, "/v1/search?size=0", &r) == 200 && r.Total == want {
			t.Logf("%d articles searchable %s after the stack started", want, time.Since(start).Round(time.Millisecond))
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d articles searchable after 60 s", r.Total, want)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// apiGet calls the search API with the token and decodes the answer.
func apiGet(t *testing.T, s *stack, path string, out any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", s.search+path, nil)
	req.Header.Set("Authorization", "Bearer "+pageToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && res.StatusCode == 200 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	return res.StatusCode
}

type pageHits struct {
	Total int64 `json:"total"`
	Hits  []struct {
		ID string `json:"id"`
	} `json:"hits"`
}

// shownIDs are the article ids of the result list.
func shownIDs(b *browser) []string {
	return eval[[]string](b, `[...document.querySelectorAll('#results .hit')].map(li => li.dataset.id)`)
}

func noConsoleErrors(t *testing.T, b *browser, allowed ...string) {
	t.Helper()
	if errs := b.consoleErrors(allowed...); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestPage drives the desk's search page in headless Chromium against the
// real stack with the dev articles: token, suggestions, facets, map,
// timeline, article highlights, entity page, export, phone width, and an
// axe-core scan of each view. Screenshots go to .cache/screenshots.
func TestPage(t *testing.T) {
	s := pageStack(t, evaltest.Path())
	b := newBrowser(t, s.search)

	t.Run("Token", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.wait("the token dialog", `document.getElementById('token-dialog').open`)
		b.do("typing the token", chromedp.SendKeys(chromedp.CSS("#token-input"), pageToken+kb.Enter))
		b.wait("results", `document.querySelectorAll('#results .hit').length === 10`)
		if got := eval[string](b, `localStorage.getItem('desk.token')`); got != pageToken {
			t.Errorf("stored token %q, want %q", got, pageToken)
		}
		// The refused calls before the token was given are expected.
		noConsoleErrors(t, b, "401")
		b.open("/")
		b.wait("results without asking again", `document.querySelectorAll('#results .hit').length === 10 && !document.getElementById('token-dialog').open`)
		b.wait("the map and the timeline", `document.querySelectorAll('#map svg a').length > 0 && document.querySelectorAll('#timeline rect.bar').length > 0`)
		b.shot("search")
		noConsoleErrors(t, b)
	})

	t.Run("Suggest", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.wait("results", `document.querySelectorAll('#results .hit').length > 0`)
		b.click("#q")
		b.keys("zel")
		b.wait("suggestions", `!document.getElementById('suggestions').hidden && document.querySelectorAll('#suggestions li').length > 0`)
		first := eval[string](b, `document.querySelector('#suggestions li').textContent`)
		if !strings.Contains(first, "Zelensky") || !strings.Contains(first, "Actor") || !strings.Contains(first, "article") {
			t.Errorf("first suggestion %q, want Zelensky, its kind and article count", first)
		}
		b.shot("suggest")
		b.keys(kb.ArrowDown + kb.Enter)
		b.wait("the actor filter in the address", `new URLSearchParams(location.search).get('actor')`)
		actor := eval[string](b, `new URLSearchParams(location.search).get('actor')`)
		var want pageHits
		apiGet(t, s, "/v1/search?"+url.Values{"actor": {actor}}.Encode(), &want)
		b.wait("the filtered results", fmt.Sprintf(`document.querySelector('#result-count').textContent.startsWith('%d article')`, want.Total))
		ids := shownIDs(b)
		if len(ids) != len(want.Hits) || want.Total == 0 || !strings.Contains(strings.Join(ids, " "), "dev-000") {
			t.Errorf("actor=%s shows %v, want the API's %d hits with the seed article dev-000", actor, ids, want.Total)
		}
		if n := eval[int](b, `document.querySelectorAll('#chips .chip').length`); n != 1 {
			t.Errorf("%d chips, want 1", n)
		}
		b.shot("suggest-picked")
		noConsoleErrors(t, b)
	})

	t.Run("WeaponFacet", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.wait("weapon facet", `document.querySelectorAll('[data-facet=weapon] li button').length > 0`)
		before := len(shownIDs(b))
		total := eval[string](b, `document.querySelector('#result-count').textContent`)
		weapon := eval[string](b, `document.querySelector('[data-facet=weapon] li button').dataset.value`)
		b.click("[data-facet=weapon] li button")
		b.wait("the weapon in the address", `new URLSearchParams(location.search).get('weapon')`)
		if got := eval[string](b, `new URLSearchParams(location.search).get('weapon')`); got != weapon {
			t.Errorf("address weapon=%q, want %q", got, weapon)
		}
		var want pageHits
		apiGet(t, s, "/v1/search?"+url.Values{"weapon": {weapon}}.Encode(), &want)
		b.wait("the list to narrow", fmt.Sprintf(`document.querySelector('#result-count').textContent.startsWith('%d article')`, want.Total))
		ids := shownIDs(b)
		if len(ids) != len(want.Hits) || len(ids) > before {
			t.Errorf("weapon=%s shows %d articles (%s before), want the API's %d", weapon, len(ids), total, len(want.Hits))
		}
		if !eval[bool](b, `document.querySelector('[data-facet=weapon] button[aria-pressed=true]') !== null`) {
			t.Error("the chosen weapon is not shown pressed in its facet")
		}
		b.shot("weapon-facet")
		// An entity chip of a result adds its filter too.
		chip := eval[[]string](b, `(() => { const c = document.querySelector('#results .ents button[data-type=location]'); return [c.dataset.type, c.dataset.value]; })()`)
		b.click("#results .ents button[data-type=location]")
		b.wait("the chip's filter", fmt.Sprintf(`new URLSearchParams(location.search).getAll(%q).includes(%q) && new URLSearchParams(location.search).get('weapon')`, chip[0], chip[1]))
		// A facet's minus excludes its value (not_weapon=).
		b.open("/")
		b.wait("weapon facet", `document.querySelector('[data-facet=weapon] li button.not')`)
		b.click("[data-facet=weapon] li button.not")
		b.wait("the exclusion in the address", fmt.Sprintf(`new URLSearchParams(location.search).get('not_weapon') === %q`, weapon))
		var rest pageHits
		apiGet(t, s, "/v1/search?"+url.Values{"not_weapon": {weapon}}.Encode(), &rest)
		b.wait("the other articles", fmt.Sprintf(`document.querySelector('#result-count').textContent.startsWith('%d article')`, rest.Total))
		if rest.Total+want.Total != 26 {
			t.Errorf("weapon=%s gives %d and not_weapon=%s %d, want 26 together", weapon, want.Total, weapon, rest.Total)
		}
		noConsoleErrors(t, b)
	})

	t.Run("Map", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.wait("map markers", `document.querySelectorAll('#map svg a circle').length > 0`)
		n := eval[int](b, `document.querySelectorAll('#map svg a circle').length`)
		t.Logf("%d places on the map", n)
		if !eval[bool](b, `performance.getEntriesByName(location.origin + '/assets/world.svg').length > 0`) {
			t.Error("the world outline was not loaded")
		}
		place := eval[string](b, `document.querySelector('#map svg a').getAttribute('aria-label').split(':')[0]`)
		b.do("focusing the first place", chromedp.Focus(chromedp.CSS("#map svg a")))
		b.keys(kb.Enter)
		b.wait("the place filter", `new URLSearchParams(location.search).get('location')`)
		if got := eval[string](b, `new URLSearchParams(location.search).get('location')`); got != place {
			t.Errorf("location=%q after choosing %q on the map", got, place)
		}
		b.wait("markers of the filtered articles", `document.querySelectorAll('#map svg a circle').length > 0 && !document.querySelector('#result-count').textContent.startsWith('Searching')`)
		b.shot("map")
		noConsoleErrors(t, b)
	})

	t.Run("Timeline", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.wait("timeline bars", `[...document.querySelectorAll('#timeline rect.bar')].some(r => +r.dataset.count > 0)`)
		// Drag from the first bar with articles to the last.
		box := eval[[]float64](b, `(() => {
			const bars = [...document.querySelectorAll('#timeline rect.bar')].filter(r => +r.dataset.count > 0);
			bars[0].scrollIntoView({block: 'center'});
			const a = bars[0].getBoundingClientRect(), z = bars[bars.length - 1].getBoundingClientRect();
			return [a.left + a.width / 2, z.left + z.width / 2, a.bottom - 2];
		})()`)
		b.drag(box[0], box[1], box[2])
		b.wait("from and to in the address", `new URLSearchParams(location.search).get('from') && new URLSearchParams(location.search).get('to')`)
		p := eval[string](b, `location.search`)
		v, _ := url.ParseQuery(strings.TrimPrefix(p, "?"))
		var want pageHits
		apiGet(t, s, "/v1/search?"+url.Values{"from": {v.Get("from")}, "to": {v.Get("to")}}.Encode(), &want)
		b.wait("the dated articles", fmt.Sprintf(`document.querySelector('#result-count').textContent.startsWith('%d article')`, want.Total))
		if want.Total == 0 {
			t.Errorf("dragging over every bar gave from=%s to=%s with no articles", v.Get("from"), v.Get("to"))
		}
		b.shot("timeline")
		// The keyboard does the same: focus the chart, right arrow, Enter.
		b.open("/")
		b.wait("timeline bars", `document.querySelectorAll('#timeline rect.bar').length > 0`)
		b.do("focusing the timeline", chromedp.Focus(chromedp.CSS("#timeline svg")))
		b.keys(kb.ArrowRight + kb.Enter)
		b.wait("from and to set by keys", `new URLSearchParams(location.search).get('from') && new URLSearchParams(location.search).get('to')`)
		noConsoleErrors(t, b)
	})

	t.Run("Article", func(t *testing.T) {
		b.t = t
		b.open("/?actor=Vladimir+Putin")
		b.wait("results", `document.querySelector('#results .hit[data-id="dev-000"] h3 a')`)
		b.click(`#results .hit[data-id="dev-000"] h3 a`)
		b.wait("the article", `location.pathname === '/article/dev-000' && document.querySelectorAll('.article-body mark').length > 0`)
		b.wait("the marks of the aliases", `document.getElementById('view-article').dataset.marked === 'aliases'`)
		var got struct {
			Marks   map[string]int `json:"marks"`
			Putin   int            `json:"putin"`
			Listed  []string       `json:"listed"`
			Missing []string       `json:"missing"`
		}
		raw := eval[string](b, `(() => {
			const marks = [...document.querySelectorAll('#view-article mark')];
			const by = {};
			for (const m of marks) by[m.dataset.type] = (by[m.dataset.type] || 0) + 1;
			const ids = new Set(marks.map(m => m.dataset.type + ':' + m.dataset.id));
			const listed = [...document.querySelectorAll('.ent-list a.t-actor, .ent-list a.t-weapon, .ent-list a.t-location')]
				.map(a => a.getAttribute('href').split('/').slice(2).map(decodeURIComponent).join(':'));
			return JSON.stringify({marks: by, putin: marks.filter(m => m.dataset.id === 'vladimir-putin').length,
				listed, missing: listed.filter(x => !ids.has(x))});
		})()`)
		if err := json.Unmarshal([]byte(raw), &got); err != nil {
			t.Fatal(err)
		}
		t.Logf("marks by type %v; %d entities listed", got.Marks, len(got.Listed))
		for _, typ := range []string{"actor", "weapon", "location"} {
			if got.Marks[typ] == 0 {
				t.Errorf("no %s highlighted in dev-000", typ)
			}
		}
		if got.Putin < 4 {
			t.Errorf("Putin highlighted %d times, want every mention (4 or more)", got.Putin)
		}
		// The marks are the spans the API recorded, as given.
		marked := eval[[]string](b, `[...document.querySelectorAll('#view-article mark[data-id="vladimir-putin"]')].map(m => m.textContent)`)
		if diff := cmp.Diff(putinSpans(t, s, "dev-000"), marked); diff != "" {
			t.Errorf("Putin's marks are not his recorded spans (-spans +marks):\n%s", diff)
		}
		if len(got.Missing) > 0 {
			t.Errorf("entities listed but not highlighted: %v", got.Missing)
		}
		b.shot("article")
		if vs := b.axe(); len(vs) > 0 {
			t.Errorf("axe-core on the article: %+v", vs)
		}
		noConsoleErrors(t, b)
	})

	t.Run("Entity", func(t *testing.T) {
		b.t = t
		b.open("/entity/actor/vladimir-putin")
		b.wait("the entity page", `document.querySelector('#view-entity h1') && document.querySelector('#view-entity h1').textContent === 'Vladimir Putin'`)
		b.wait("latest articles", `document.querySelector('#view-entity .latest a[href="/article/dev-000"]')`)
		b.wait("related entities", `document.querySelectorAll('#view-entity .related li').length > 0`)
		b.wait("its timeline", `document.querySelectorAll('#view-entity rect.bar').length > 0 || document.querySelector('#view-entity .timeline .missing')`)
		if !eval[bool](b, `document.querySelector('#view-entity .aliases') !== null`) {
			t.Error("no aliases shown for Vladimir Putin")
		}
		b.shot("entity")
		// Countries and weapon categories have pages too, linked from articles.
		for _, p := range [][2]string{{"/entity/country/UA", "Ukraine"}, {"/entity/category/missile", "missile"}} {
			b.open(p[0])
			b.wait(p[0], fmt.Sprintf(`document.querySelector('#view-entity h1') && document.querySelector('#view-entity h1').textContent === %q && document.querySelectorAll('#view-entity .latest a').length > 0`, p[1]))
		}
		// A place is shown on the map.
		b.open("/entity/country/UA")
		b.wait("Ukraine on the map", `document.querySelectorAll('#view-entity .map circle').length === 1`)
		b.shot("entity-place")
		if vs := b.axe(); len(vs) > 0 {
			t.Errorf("axe-core on the entity page: %+v", vs)
		}
		noConsoleErrors(t, b)
	})

	t.Run("ExportAndQuery", func(t *testing.T) {
		b.t = t
		b.open("/?weapon=Patriot")
		b.wait("results", `document.querySelector('#result-count').textContent.includes('article')`)
		q := eval[string](b, `document.getElementById('api-query').value`)
		if !strings.HasSuffix(q, "/v1/search?weapon=Patriot") {
			t.Errorf("API query %q, want …/v1/search?weapon=Patriot", q)
		}
		// The export goes through the API with the token: read it the way
		// the page does.
		csv := eval[string](b, `fetch('/v1/export?weapon=Patriot&format=csv', {headers: {Authorization: 'Bearer ' + localStorage.getItem('desk.token')}}).then(r => r.text())`)
		if !strings.HasPrefix(csv, "id,") || !strings.Contains(csv, "dev-000") {
			t.Errorf("CSV export %.200q, want a header and dev-000", csv)
		}
		b.click("#export-ndjson")
		b.wait("the export to finish", `document.getElementById('status').textContent === ''`)
		noConsoleErrors(t, b)
	})

	t.Run("Accessibility", func(t *testing.T) {
		b.t = t
		b.open("/?location=Budapest")
		b.wait("results", `document.querySelectorAll('#results .hit').length > 0 && document.querySelectorAll('#map svg a').length > 0`)
		if vs := b.axe(); len(vs) > 0 {
			t.Errorf("axe-core on the search page: %+v", vs)
		}
		// Keyboard only: the skip link is the first stop, then the search box.
		eval[bool](b, `(document.activeElement && document.activeElement.blur(), true)`)
		b.keys(kb.Tab)
		if got := eval[string](b, `document.activeElement.className`); got != "skip" {
			t.Errorf("first Tab stop %q, want the skip link", got)
		}
		// "/" jumps to the search box.
		b.keys("/")
		if got := eval[string](b, `document.activeElement.id`); got != "q" {
			t.Errorf("after /, the focus is on %q, want the search box", got)
		}
		// The page size is part of the address and survives a new filter.
		b.do("choosing 25 per page", chromedp.SetValue(chromedp.CSS("#size"), "25"))
		eval[bool](b, `(document.getElementById('size').dispatchEvent(new Event('change')), true)`)
		b.wait("size=25 in the address", `new URLSearchParams(location.search).get('size') === '25'`)
		// The facets are redrawn when that search answers: wait for it, so
		// the button focused below is not replaced under the key press.
		b.wait("the search with 25 per page", `!document.querySelector('#results[aria-busy]')`)
		// A facet pressed with Enter filters, and the focus stays on it.
		b.wait("weapon facet", `document.querySelector('[data-facet=weapon] li button')`)
		weapon := eval[string](b, `document.querySelector('[data-facet=weapon] li button').dataset.value`)
		b.do("focusing a weapon", chromedp.Focus(chromedp.CSS("[data-facet=weapon] li button")))
		b.keys(kb.Enter)
		b.wait("the weapon filter", `new URLSearchParams(location.search).get('weapon')`)
		b.wait("the focus back on the pressed facet", fmt.Sprintf(
			`document.activeElement.dataset.value === %q && document.activeElement.getAttribute('aria-pressed') === 'true'`, weapon))
		if got := eval[string](b, `new URLSearchParams(location.search).get('size')`); got != "25" {
			t.Errorf("size=%q after a new filter, want 25 kept", got)
		}
		noConsoleErrors(t, b)
	})

	t.Run("OlderServer", func(t *testing.T) {
		b.t = t
		// A server without the newer endpoints answers them 404: the page
		// says what is missing and the rest keeps working.
		target, _ := url.Parse(s.search)
		proxy := httputil.NewSingleHostReverseProxy(target)
		older := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := r.URL.Path
			if strings.HasPrefix(p, "/v1/timeline") || strings.HasPrefix(p, "/v1/articles/") || strings.HasPrefix(p, "/v1/export") ||
				strings.HasPrefix(p, "/v1/entities/") {
				http.NotFound(w, r)
				return
			}
			r.Header.Set("Authorization", "Bearer "+pageToken) // another origin: the page has no token for it
			proxy.ServeHTTP(w, r)
		}))
		defer older.Close()
		base := b.base
		b.base = older.URL
		defer func() { b.base = base }()
		b.open("/?weapon=Patriot")
		b.wait("results and the timeline's notice", `document.querySelectorAll('#results .hit').length > 0 &&
			(document.querySelector('#timeline .missing') || {textContent: ''}).textContent.includes('/v1/timeline')`)
		b.shot("older-server")
		b.open("/article/dev-000")
		b.wait("the article's notice", `(document.querySelector('#view-article .missing') || {textContent: ''}).textContent.includes('/v1/articles/')`)
		b.open("/entity/actor/vladimir-putin")
		b.wait("the entity page's notice", `(document.querySelector('#view-entity .missing') || {textContent: ''}).textContent.includes('/v1/entities/')`)
		noConsoleErrors(t, b, "404 (Not Found)")
	})

	t.Run("Phone", func(t *testing.T) {
		b.t = t
		b.viewport(390, 844, true)
		defer b.do("resetting the viewport", chromedp.EmulateReset())
		b.open("/?weapon=Patriot")
		b.wait("results", `document.querySelectorAll('#results .hit').length > 0`)
		if w := eval[int](b, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("page is %d px wide on a 390 px phone, want no sideways scrolling", w)
		}
		b.shot("phone")
		for _, p := range []string{"/article/dev-000", "/entity/country/UA"} {
			b.open(p)
			b.wait(p, `[...document.querySelectorAll('#view-article h1, #view-entity h1')].some(h => h.offsetParent !== null)`)
			if w := eval[int](b, `document.documentElement.scrollWidth`); w > 390 {
				t.Errorf("%s is %d px wide on a 390 px phone", p, w)
			}
		}
		b.shot("phone-entity")
		noConsoleErrors(t, b)
	})
}

// TestPageSampleScreenshots renders the search and article views on the
// project's own sample articles (scripts/demo), not the evaluation set, and
// saves them as readme-search.png and readme-article.png: the README shows
// copies of them (services/index/screenshots).
func TestPageSampleScreenshots(t *testing.T) {
	s := pageStack(t, filepath.Join(repoRoot(), "scripts", "demo", "sample-articles.ndjson"))
	b := newBrowser(t, s.search)
	b.open("/")
	b.wait("the token dialog", `document.getElementById('token-dialog').open`)
	b.do("typing the token", chromedp.SendKeys(chromedp.CSS("#token-input"), pageToken+kb.Enter))
	b.wait("results, map and timeline", `document.querySelectorAll('#results .hit').length === 4 && `+
		`document.querySelectorAll('#map svg a').length > 0 && document.querySelectorAll('#timeline rect.bar').length > 0`)
	b.shot("readme-search")
	b.open("/article/sample-1")
	b.wait("the article with its mentions marked", `document.querySelectorAll('.article-body mark').length > 0`)
	b.shot("readme-article")
	noConsoleErrors(t, b, "401")
}

// putinSpans reads the texts of Vladimir Putin's spans in an article from
// the API (with the page's token), title first.
func putinSpans(t *testing.T, s *stack, id string) []string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.search+"/v1/articles/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+pageToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var a apiArticle
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /v1/articles/%s: %d %v", id, res.StatusCode, err)
	}
	fields := map[string][]uint16{"title": utf16.Encode([]rune(a.Title)), "body": utf16.Encode([]rune(a.Body))}
	var out []string
	for _, e := range a.Actors {
		if e.ID != "vladimir-putin" {
			continue
		}
		for _, sp := range e.Mentions.Spans {
			out = append(out, string(utf16.Decode(fields[sp.Field][sp.Start:sp.End])))
		}
	}
	return out
}
