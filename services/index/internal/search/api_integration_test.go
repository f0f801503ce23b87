package search

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap/zaptest"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/estest"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

var (
	kyiv   = &newsroomv1.Location{Id: "geo:703448", Name: "Kyiv", Kind: newsroomv1.LocationKind_LOCATION_KIND_CITY, CountryCode: "UA", Point: &newsroomv1.GeoPoint{Lat: 50.45, Lon: 30.52}}
	shahed = &newsroomv1.Weapon{Id: "shahed-136", Name: "Shahed-136", Category: "drone", Mention: &newsroomv1.Mention{Count: 1, FirstOffset: 21,
		Spans: spansOf("Night attack on Kyiv", "Shahed drones hit the capital overnight, Zelensky said.", "Shahed")}}
	tomahawk  = &newsroomv1.Weapon{Id: "tomahawk", Name: "Tomahawk", Category: "cruise missile", Mention: &newsroomv1.Mention{Count: 1, FirstOffset: 30}}
	apiActors = map[string]*newsroomv1.Actor{
		"putin":    {Id: "vladimir-putin", Name: "Vladimir Putin", Kind: newsroomv1.ActorKind_ACTOR_KIND_PERSON, Mention: &newsroomv1.Mention{Count: 1, FirstOffset: 0}},
		"zelensky": {Id: "volodymyr-zelensky", Name: "Volodymyr Zelensky", Kind: newsroomv1.ActorKind_ACTOR_KIND_PERSON, Mention: &newsroomv1.Mention{Count: 3, FirstOffset: 22}},
		"doe": {Id: "gen:person:jane-doe", Name: "Jane Doe", Kind: newsroomv1.ActorKind_ACTOR_KIND_PERSON, Aliases: []string{"Doe"},
			Mention: &newsroomv1.Mention{Count: 2, FirstOffset: 35, Spans: spansOf(m1Title, m1Body, "Jane Doe", "Doe")}},
	}
)

// m1's text: a flag beyond the Basic Multilingual Plane in the title puts
// the body's UTF-16 offsets apart from its code point offsets.
const (
	m1Title = "Moscow briefing 🇷🇺"
	m1Body  = "Putin spoke in Moscow. Jane Doe, an analyst, commented; Doe said more."
)

// spansOf codes the spans of forms in title + "\n" + body as classify
// does: every occurrence, in UTF-16 code units, ordered, a longer form
// winning where two overlap.
func spansOf(title, body string, forms ...string) []uint32 {
	text := title + "\n" + body
	var spans []record.Span
	for _, f := range forms {
		for i := 0; ; {
			k := strings.Index(text[i:], f)
			if k < 0 {
				break
			}
			start := len(utf16.Encode([]rune(text[:i+k])))
			spans = append(spans, record.Span{Start: start, End: start + len(utf16.Encode([]rune(f)))})
			i += k + len(f)
		}
	}
	slices.SortFunc(spans, func(a, b record.Span) int { return a.Start - b.Start })
	return record.AppendSpans(nil, spans) // drops the overlapped ones
}

// apiArticle builds a classified article for the API tests.
func apiArticle(id, published, source, lang, title, body string, actors []string, weapons []*newsroomv1.Weapon, locs ...*newsroomv1.Location) *newsroomv1.ClassifiedArticle {
	pub, err := time.Parse(time.RFC3339, published)
	if err != nil {
		panic(err)
	}
	c := &newsroomv1.ClassifiedArticle{
		Article: &newsroomv1.Article{Id: id, Title: title, Body: body, Url: "https://" + source + "/" + id, Source: source, Language: lang,
			PublishedAt: timestamppb.New(pub), IngestedAt: timestamppb.New(pub), TraceId: "trace-" + id, Revision: "r1"},
		Weapons: weapons, Locations: locs, ClassifierVersion: "test+1", ClassifiedAt: timestamppb.New(pub),
	}
	for _, a := range actors {
		c.Actors = append(c.Actors, apiActors[a])
	}
	for _, w := range weapons {
		c.WeaponCategories = appendNew(c.WeaponCategories, w.GetCategory())
	}
	return c
}

// fillerCount articles from one source give the cursor and the export
// several pages.
const fillerCount = 25

func apiFixture() []*newsroomv1.ClassifiedArticle {
	arts := []*newsroomv1.ClassifiedArticle{
		apiArticle("k1", "2025-10-01T06:00:00Z", "kyivindependent.com", "en", "Night attack on Kyiv",
			"Shahed drones hit the capital overnight, Zelensky said.", []string{"zelensky"}, []*newsroomv1.Weapon{shahed}, kyiv),
		apiArticle("k2", "2025-10-08T12:00:00Z", "reuters.com", "en", "Talks in Kiev",
			"Putin and Zelensky sent envoys to Kiev for talks.", []string{"putin", "zelensky"}, nil, kyiv),
		apiArticle("b1", "2025-10-16T09:00:00Z", "reuters.com", "en", "Summit in Budapest",
			"Putin discussed Tomahawk cruise missiles before the summit.", []string{"putin"}, []*newsroomv1.Weapon{tomahawk}, budapest),
		apiArticle("m1", "2025-09-20T23:30:00Z", "tass.ru", "ru", m1Title, m1Body, []string{"putin", "doe"}, nil, moscow),
	}
	undated := apiArticle("u1", "2025-01-01T00:00:00Z", "undated.test", "en", "No date", "Undated text.", nil, nil)
	undated.Article.PublishedAt = nil
	arts = append(arts, undated)
	for i := range fillerCount {
		arts = append(arts, apiArticle(fmt.Sprintf("f%02d", i), fmt.Sprintf("2025-08-%02dT10:00:00Z", i+1), "filler.test", "en",
			fmt.Sprintf("Filler %d", i), "Nothing happened today.", nil, nil))
	}
	return arts
}

// apiServer indexes the fixture into a unique index of the real cluster and
// returns a handler on it.
func apiServer(t testing.TB) (*Handler, *esindex.Admin, string) {
	t.Helper()
	ecfg, es := estest.Config(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	admin := &esindex.Admin{ES: es, Cfg: ecfg}
	index, err := admin.Setup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ops []esindex.Op
	for i, c := range apiFixture() {
		ops = append(ops, esindex.Op{ID: c.GetArticle().GetId(), Version: esindex.Version(c), Source: c, Tag: i})
	}
	bulk := &esindex.Bulk{ES: es, Index: ecfg.Alias, RequireAlias: true, Log: zaptest.NewLogger(t)}
	if rej, err := bulk.Write(ctx, ops); err != nil || len(rej) > 0 {
		t.Fatalf("indexing the fixture: %v %+v", err, rej)
	}
	if err := admin.Refresh(ctx, ecfg.Alias); err != nil {
		t.Fatal(err)
	}
	h := &Handler{ES: es, Index: ecfg.Alias, Catalog: testCatalog, Log: zaptest.NewLogger(t), MaxSize: 100,
		CursorKey: []byte("test key"), ExportBatch: 7}
	return h, admin, index
}

// call serves one GET, checks the answer against the OpenAPI document and
// decodes a JSON answer into out.
func call(t *testing.T, h *Handler, target string, out any) *httptest.ResponseRecorder {
	t.Helper()
	mux := http.NewServeMux()
	h.Register(Routes{Handle: func(p string, x http.Handler) { mux.Handle(p, x) }, Stream: func(p string, x http.Handler) { mux.Handle(p, x) },
		Auth: func(x http.Handler) http.Handler { return x }})
	req := httptest.NewRequest(http.MethodGet, target, nil)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	checkContract(t, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8083"+target, nil), rec)
	if out != nil && rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("GET %s: decoding %.300s: %v", target, rec.Body, err)
		}
	}
	return rec
}

func hitIDs(r Response) []string {
	var ids []string
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

func TestAPISearchFilters(t *testing.T) {
	h, admin, index := apiServer(t)
	analyzer, err := admin.IndexAnalyzer(context.Background(), index)
	if err != nil {
		t.Fatal(err)
	}
	stems := analyzer == esindex.EnglishAnalyzer
	t.Logf("text analyzer of %s: %q", index, analyzer)
	var drone []string // q=drone: "drones" in k1 matches only with stemming
	if stems {
		drone = []string{"k1"}
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"actor=putin|zelensky", []string{"b1", "k1", "k2", "m1"}},
		{"actor=putin&actor=zelensky", []string{"k2"}},
		{"actor=zelensky&not_actor=putin", []string{"k1"}},
		{"actor=putin&not_location=moscow|budapest", []string{"k2"}},
		{"category=drone|cruise+missile", []string{"b1", "k1"}},
		{"not_category=drone&country=ua", []string{"k2"}},
		{"not_weapon=tomahawk&actor=putin", []string{"k2", "m1"}},
		{"country=ru|hu&not_country=ua", []string{"b1", "m1"}},
		{"source=reuters.com", []string{"b1", "k2"}},
		{"source=TASS.ru|kyivindependent.com", []string{"k1", "m1"}},
		{"language=ru", []string{"m1"}},
		{"near=50.45,30.52&within=10km", []string{"k1", "k2"}},
		{"near=48.5,25&within=500mi", []string{"b1", "k1", "k2"}},
		{"bbox=18,46,20,48", []string{"b1"}},
		{"bbox=30,50,31,51&actor=putin", []string{"k2"}},
		{"q=kiev", []string{"k1", "k2"}},
		{"q=" + url.QueryEscape(`"cruise missiles"`), []string{"b1"}},
		{"q=" + url.QueryEscape(`"missiles cruise"`), nil},
		{"q=talks+OR+summit", []string{"b1", "k2"}},
		{"q=putin+-moscow", []string{"b1", "k2"}},
		{"q=" + url.QueryEscape(`putin -"spoke in moscow" -summit`), []string{"k2"}},
		{"q=drone", drone},
		{"q=drones", []string{"k1"}},
		{"q=title:talks", nil},
		{"actor=Jane+Doe", []string{"m1"}},
		{"actor=nobody+atall", nil},
		{"country=Narnia", nil},
	}
	for _, tt := range tests {
		var r Response
		rec := call(t, h, "/v1/search?facet_size=0&"+tt.query, &r)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: %d %s", tt.query, rec.Code, rec.Body)
			continue
		}
		if diff := cmp.Diff(tt.want, hitIDs(r)); diff != "" {
			t.Errorf("%s: ids (-want +got):\n%s", tt.query, diff)
		}
	}

	t.Run("resolved lists the ids used and what resolved to nothing", func(t *testing.T) {
		var r Response
		call(t, h, "/v1/search?actor=putin|nobody&country=xx&q=kiev", &r)
		want := []Filter{
			{Param: "actor", Value: "putin|nobody", IDs: []string{"vladimir-putin"}, Unresolved: []string{"nobody"}},
			{Param: "country", Value: "xx", IDs: []string{}, Unresolved: []string{"xx"}},
			{Param: "q", Value: "kiev", IDs: []string{"geo:703448"}},
		}
		if diff := cmp.Diff(want, r.Resolved, cmp.AllowUnexported(Filter{}), cmpopts_ignoreNames); diff != "" {
			t.Errorf("resolved (-want +got):\n%s", diff)
		}
	})

	t.Run("sort and facets", func(t *testing.T) {
		var r Response
		call(t, h, "/v1/search?actor=putin&sort=date&facet_size=1", &r)
		if len(r.Hits) != 3 || r.Hits[0].ID != "m1" || r.Hits[2].ID != "b1" {
			t.Errorf("sort=date: %v, want m1 first and b1 last", hitIDs(r))
		}
		want := Facets{
			Actors:     []EntityFacet{{ID: "vladimir-putin", Name: "Vladimir Putin", Count: 3}},
			Weapons:    []EntityFacet{{ID: "tomahawk", Name: "Tomahawk", Count: 1}},
			Locations:  []EntityFacet{{ID: "geo:3054643", Name: "Budapest", Count: 1}},
			Categories: []ValueFacet{{Value: "cruise missile", Count: 1}},
			Countries:  []ValueFacet{{Value: "HU", Name: "Hungary", Count: 1}},
		}
		if diff := cmp.Diff(want, r.Facets); diff != "" {
			t.Errorf("facet_size=1 (-want +got):\n%s", diff)
		}
		call(t, h, "/v1/search?actor=putin&sort=-date", &r)
		if r.Hits[0].ID != "b1" {
			t.Errorf("sort=-date starts with %s, want b1", r.Hits[0].ID)
		}
		call(t, h, "/v1/search?q=kiev+OR+putin&sort=relevance", &r)
		if r.Total != 4 {
			t.Errorf("q=kiev OR putin: total %d, want 4", r.Total)
		}
	})

	t.Run("bad requests", func(t *testing.T) {
		for _, q := range []string{"near=91,0", "within=5km", "near=1,2&within=5parsecs", "bbox=1,2,3", "bbox=0,10,1,5",
			"sort=score", "facet_size=51", "actor=|", "actor=a|b|c|d|e|f|g|h|i|j|k", "cursor=abc&size=5", "cursor=abc"} {
			if rec := call(t, h, "/v1/search?"+q, nil); rec.Code != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400", q, rec.Code)
			}
		}
	})
}

// cmpopts_ignoreNames ignores Filter's unexported highlight names.
var cmpopts_ignoreNames = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".names" }, cmp.Ignore())

func TestAPICursor(t *testing.T) {
	h, _, _ := apiServer(t)
	var seen []string
	target := "/v1/search?source=filler.test&size=10&facet_size=0"
	for page := 1; ; page++ {
		var r Response
		rec := call(t, h, target, &r)
		if rec.Code != http.StatusOK {
			t.Fatalf("page %d: %d %s", page, rec.Code, rec.Body)
		}
		if r.Page != page || r.Total != fillerCount {
			t.Errorf("page %d: page %d total %d", page, r.Page, r.Total)
		}
		for _, x := range r.Hits {
			seen = append(seen, x.ID)
		}
		if r.Next == "" {
			break
		}
		if page > 5 {
			t.Fatal("the cursor does not end")
		}
		target = "/v1/search?cursor=" + url.QueryEscape(r.Next)
	}
	var want []string
	for i := fillerCount - 1; i >= 0; i-- {
		want = append(want, fmt.Sprintf("f%02d", i))
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("pages in order, each article once (-want +got):\n%s", diff)
	}

	var r Response
	call(t, h, "/v1/search?source=filler.test&size=10", &r)
	forged := []byte(r.Next)
	forged[5] ^= 1
	if rec := call(t, h, "/v1/search?cursor="+url.QueryEscape(string(forged)), nil); rec.Code != http.StatusBadRequest {
		t.Errorf("a changed cursor: %d, want 400", rec.Code)
	}
	// A cursor on a point in time that was closed: 410.
	var p2 Response
	call(t, h, "/v1/search?cursor="+url.QueryEscape(r.Next), &p2)
	c, _, err := h.decodeCursor(url.Values{"cursor": {p2.Next}})
	if err != nil || c.PIT == "" {
		t.Fatalf("second page's cursor %+v, %v: want one with a point in time", c, err)
	}
	h.closePIT(context.Background(), c.PIT)
	if rec := call(t, h, "/v1/search?cursor="+url.QueryEscape(p2.Next), nil); rec.Code != http.StatusGone {
		t.Errorf("expired cursor: %d %s, want 410", rec.Code, rec.Body)
	}
}

func TestAPIArticle(t *testing.T) {
	h, _, _ := apiServer(t)
	var a Article
	if rec := call(t, h, "/v1/articles/k1", &a); rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if a.Title != "Night attack on Kyiv" || !strings.HasPrefix(a.Body, "Shahed drones") || a.TraceID != "trace-k1" ||
		a.ClassifierVersion != "test+1" || a.PublishedAt == nil || a.Source != "kyivindependent.com" {
		t.Errorf("article = %+v", a)
	}
	wantW := []ArticleEntity{{HitEntity: HitEntity{ID: "shahed-136", Name: "Shahed-136", Category: "drone"},
		Mentions: Mentions{Count: 1, Spans: []Span{{Field: "body", Start: 0, End: 6}}}}}
	if diff := cmp.Diff(wantW, a.Weapons); diff != "" {
		t.Errorf("weapons (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]ValueFacetName{{Value: "UA", Name: "Ukraine"}}, a.Countries); diff != "" {
		t.Errorf("countries (-want +got):\n%s", diff)
	}
	if got := a.Locations[0]; got.ID != "geo:703448" || got.Mentions.Count != 0 || len(got.Mentions.Spans) != 0 {
		t.Errorf("an entity without a Mention: %+v", got)
	}
	// A generated person with its alias and both spans, in UTF-16 units of
	// the body (the title's flag counts four units and two code points).
	var m Article
	call(t, h, "/v1/articles/m1", &m)
	doe := m.Actors[1]
	if doe.ID != "gen:person:jane-doe" || !cmp.Equal(doe.Aliases, []string{"Doe"}) || doe.Mentions.Count != 2 {
		t.Errorf("Jane Doe = %+v", doe)
	}
	body := utf16.Encode([]rune(m.Body))
	var texts []string
	for _, sp := range doe.Mentions.Spans {
		if sp.Field != "body" {
			t.Errorf("span %+v: want the body", sp)
			continue
		}
		texts = append(texts, string(utf16.Decode(body[sp.Start:sp.End])))
	}
	if diff := cmp.Diff([]string{"Jane Doe", "Doe"}, texts); diff != "" {
		t.Errorf("Jane Doe's spans %+v (-want +got):\n%s", doe.Mentions.Spans, diff)
	}
	for _, id := range []string{"nope", "k1%3Fpretty", "..%2F_search", "k1%23x", "%2E%2E"} {
		if rec := call(t, h, "/v1/articles/"+id, nil); rec.Code != http.StatusNotFound {
			t.Errorf("missing article %s: %d %s, want 404", id, rec.Code, rec.Body)
		}
	}
}

func TestAPIEntities(t *testing.T) {
	h, _, _ := apiServer(t)
	t.Run("page of a catalog actor", func(t *testing.T) {
		var p EntityPage
		if rec := call(t, h, "/v1/entities/actor/vladimir-putin?facet_size=3", &p); rec.Code != http.StatusOK {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		if p.Name != "Vladimir Putin" || !p.InCatalog || p.ArticleCount != 3 || p.Country != "RU" || p.CountryName != "Russia" ||
			!slices.Contains(p.Aliases, "Putin") || p.Kind != "person" {
			t.Errorf("page = %+v", p)
		}
		if p.FirstSeen == nil || !p.FirstSeen.Equal(time.Date(2025, 9, 20, 23, 30, 0, 0, time.UTC)) ||
			p.LastSeen == nil || !p.LastSeen.Equal(time.Date(2025, 10, 16, 9, 0, 0, 0, time.UTC)) {
			t.Errorf("first/last seen %v %v", p.FirstSeen, p.LastSeen)
		}
		var months []string
		for _, b := range p.Timeline.Buckets {
			months = append(months, fmt.Sprintf("%s:%d", b.Start.Format("2006-01"), b.Count))
		}
		if diff := cmp.Diff([]string{"2025-09:1", "2025-10:2"}, months); diff != "" {
			t.Errorf("timeline (-want +got):\n%s", diff)
		}
		wantRel := Facets{
			Actors:     []EntityFacet{{ID: "gen:person:jane-doe", Name: "Jane Doe", Count: 1}, {ID: "volodymyr-zelensky", Name: "Volodymyr Zelensky", Count: 1}},
			Weapons:    []EntityFacet{{ID: "tomahawk", Name: "Tomahawk", Count: 1}},
			Locations:  []EntityFacet{{ID: "geo:3054643", Name: "Budapest", Count: 1}, {ID: "geo:524901", Name: "Moscow", Count: 1}, {ID: "geo:703448", Name: "Kyiv", Count: 1}},
			Categories: []ValueFacet{{Value: "cruise missile", Count: 1}},
			Countries:  []ValueFacet{{Value: "HU", Name: "Hungary", Count: 1}, {Value: "RU", Name: "Russia", Count: 1}, {Value: "UA", Name: "Ukraine", Count: 1}},
		}
		if diff := cmp.Diff(wantRel, p.Related); diff != "" {
			t.Errorf("related (-want +got):\n%s", diff)
		}
	})
	t.Run("pages of a location, a category, a country and an entity found by rules", func(t *testing.T) {
		var p EntityPage
		call(t, h, "/v1/entities/location/geo:703448?interval=week&tz=Europe/Kyiv", &p)
		if p.Point == nil || p.Point.Lat != 50.45 || p.ArticleCount != 2 || p.CountryName != "Ukraine" || p.Timeline.Interval != "week" {
			t.Errorf("Kyiv = %+v", p)
		}
		if b := p.Timeline.Buckets; len(b) != 2 || b[0].Start.Format(time.RFC3339) != "2025-09-29T00:00:00+03:00" {
			t.Errorf("weeks in Kyiv time: %+v", b)
		}
		call(t, h, "/v1/entities/category/Drone", &p)
		if p.ID != "drone" || !p.InCatalog || p.ArticleCount != 1 || len(p.Related.Weapons) != 1 {
			t.Errorf("category = %+v", p)
		}
		call(t, h, "/v1/entities/country/ua", &p)
		if p.ID != "UA" || p.Name != "Ukraine" || p.ArticleCount != 2 || len(p.Related.Countries) != 0 {
			t.Errorf("country = %+v", p)
		}
		call(t, h, "/v1/entities/actor/gen:person:jane-doe", &p)
		if p.InCatalog || p.Name != "Jane Doe" || p.ArticleCount != 1 {
			t.Errorf("entity found by rules = %+v", p)
		}
		if rec := call(t, h, "/v1/entities/actor/nobody-at-all", nil); rec.Code != http.StatusNotFound {
			t.Errorf("unknown entity: %d, want 404", rec.Code)
		}
	})
	t.Run("suggestions", func(t *testing.T) {
		tests := []struct {
			query string
			want  []string
		}{
			{"type=actor&prefix=zel", []string{"volodymyr-zelensky:2"}},
			{"type=location&prefix=k", []string{"geo:703448:2"}},
			{"type=country&prefix=u", []string{"UA:2"}},
			{"type=category&prefix=cru", []string{"cruise missile:1"}},
			{"prefix=ge", []string{"iso:GE:0", "geo:4197000:0", "GE:0"}},
			{"prefix=ge&has_articles=true", nil},
			{"type=actor|weapon&prefix=t", []string{"tomahawk:1"}},
		}
		for _, tt := range tests {
			var r struct{ Entities []Suggestion }
			if rec := call(t, h, "/v1/entities?"+tt.query, &r); rec.Code != http.StatusOK {
				t.Errorf("%s: %d %s", tt.query, rec.Code, rec.Body)
				continue
			}
			var got []string
			for _, s := range r.Entities {
				got = append(got, fmt.Sprintf("%s:%d", s.ID, s.ArticleCount))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.query, diff)
			}
		}
	})
}

func TestAPITimeline(t *testing.T) {
	h, _, _ := apiServer(t)
	var r TimelineResponse
	if rec := call(t, h, "/v1/timeline?actor=putin|zelensky&interval=week&split=actor&split_size=1", &r); rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var got []string
	for _, b := range r.Buckets {
		s := fmt.Sprintf("%s:%d", b.Start.Format(time.DateOnly), b.Count)
		for _, x := range b.Split {
			s += fmt.Sprintf(" %s=%d", x.ID, x.Count)
		}
		got = append(got, s+fmt.Sprintf(" other=%d", *b.Other))
	}
	want := []string{
		"2025-09-15:1 gen:person:jane-doe=1 other=1", "2025-09-22:0 other=0", "2025-09-29:1 volodymyr-zelensky=1 other=0",
		"2025-10-06:1 vladimir-putin=1 other=1", "2025-10-13:1 vladimir-putin=1 other=0",
	}
	if diff := cmp.Diff(want, got); diff != "" || r.Total != 4 || r.Split != "actor" {
		t.Errorf("total %d split %q, weeks (-want +got):\n%s", r.Total, r.Split, diff)
	}
	r = TimelineResponse{}
	call(t, h, "/v1/timeline?source=undated.test", &r)
	if r.Total != 1 || len(r.Buckets) != 0 || r.Undated != 1 {
		t.Errorf("an undated article: total %d, buckets %v, undated %d; want it counted as undated", r.Total, r.Buckets, r.Undated)
	}
	r = TimelineResponse{}
	call(t, h, "/v1/timeline?country=ua|ru&interval=month&tz=Asia/Tokyo&split=country&from=2025-09-01&to=2025-11-30", &r)
	got = nil
	for _, b := range r.Buckets {
		s := fmt.Sprintf("%s:%d", b.Start.Format(time.RFC3339), b.Count)
		for _, x := range b.Split {
			s += fmt.Sprintf(" %s/%s=%d", x.ID, x.Name, x.Count)
		}
		got = append(got, s)
	}
	// m1 (2025-09-20T23:30Z) is on the 21st in Tokyo; the empty November
	// counts 0, and so does December: to (the end of 2025-11-30 in UTC) is
	// 1 December in Tokyo.
	want = []string{"2025-09-01T00:00:00+09:00:1 RU/Russia=1", "2025-10-01T00:00:00+09:00:2 UA/Ukraine=2",
		"2025-11-01T00:00:00+09:00:0", "2025-12-01T00:00:00+09:00:0"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("months in Tokyo (-want +got):\n%s", diff)
	}
}

func TestAPIExport(t *testing.T) {
	h, _, _ := apiServer(t)
	rec := call(t, h, "/v1/export?source=filler.test|reuters.com&sort=date", nil)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("%d %s %.300s", rec.Code, rec.Header(), rec.Body)
	}
	var ids []string
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		var x ExportRecord
		if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, x.ID)
		if x.ID == "k2" && (len(x.Actors) != 2 || x.Countries[0] != "UA") {
			t.Errorf("k2 without its entities: %+v", x)
		}
	}
	// Batches of 7 over 27 articles, oldest first, each once.
	if len(ids) != fillerCount+2 || ids[0] != "f00" || ids[len(ids)-1] != "b1" || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
		t.Errorf("exported %d: %v", len(ids), ids)
	}

	rec = call(t, h, "/v1/export?actor=putin&format=csv&sort=-date", nil)
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(csvHeader, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	want := []string{"b1", "2025-10-16T09:00:00Z", "Summit in Budapest", "https://reuters.com/b1", "reuters.com", "en", "test+1",
		"vladimir-putin", "Vladimir Putin", "tomahawk", "Tomahawk", "geo:3054643", "Budapest", "cruise missile", "HU"}
	if len(rows) != 4 || !cmp.Equal(want, rows[1]) {
		t.Errorf("csv rows %d, first (-want +got):\n%s", len(rows), cmp.Diff(want, rows[1]))
	}
}

// TestAPIMissingIndex: before the index service created its index, every
// endpoint answers 503 with Retry-After, not 404 or 500.
func TestAPIMissingIndex(t *testing.T) {
	ecfg, es := estest.Config(t)
	h := &Handler{ES: es, Index: ecfg.Alias, Catalog: testCatalog, Log: zaptest.NewLogger(t), CursorKey: []byte("k")}
	for _, target := range []string{"/v1/search?actor=putin", "/v1/articles/a1", "/v1/entities?prefix=zel",
		"/v1/entities/actor/vladimir-putin", "/v1/timeline", "/v1/export"} {
		rec := call(t, h, target, nil)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("GET %s: %d %s, want 503 with Retry-After", target, rec.Code, rec.Body)
		}
	}
}
