package feeds

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskwire/newsroom/services/ingest/article"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func urlID(u string) string {
	c, err := article.CanonicalURL(u)
	if err != nil {
		panic(err)
	}
	return article.DeriveID(c, "", "", "")
}

func TestParseFeed(t *testing.T) {
	feed := Feed{Name: "fx", Format: "auto"}
	for _, tc := range []struct {
		file, ctype string
		want        parsed
	}{
		{"rss.xml", "application/rss+xml", parsed{Title: "Harbour Gazette", Language: "en", Entries: []entry{
			{In: article.Input{ID: urlID("https://gazette.example/news/port-reopens"), URL: "https://gazette.example/news/port-reopens",
				Title: "Port reopens after storm", Body: "The port of Rotterdam reopened on Saturday after the storm.\n\nShips queued overnight.",
				PublishedAt: "2026-12-05T18:00:00Z"}},
			{In: article.Input{ID: urlID("https://gazette.example/news/vienna-talks"), URL: "https://gazette.example/news/vienna-talks?utm_source=rss",
				Title: "Ministers meet in Vienna", Body: "Foreign ministers met in Vienna on Sunday.", PublishedAt: "2026-12-06T09:30:00Z"}, SummaryOnly: true},
		}}},
		{"atom.xml", "application/atom+xml", parsed{Title: "Atlas Wire", Language: "en", Entries: []entry{
			{In: article.Input{ID: urlID("tag:atlas.example,2026:entry-8"), Title: "Entry without a link", Body: "Plain text entry.",
				PublishedAt: "2026-12-06T12:00:00Z"}},
			{In: article.Input{ID: urlID("https://atlas.example/2026/12/06/grain"), URL: "https://atlas.example/2026/12/06/grain",
				Title: "Grain corridor extended", Body: "Ships may sail from Odesa for another month, officials said.", PublishedAt: "2026-12-06T10:00:00Z"}},
		}}},
		{"feed.json", "application/feed+json", parsed{Title: "Ledger Daily", Language: "en", Entries: []entry{
			{In: article.Input{ID: article.DeriveID("feed-guid:fx:ledger-54", "", "", ""), Title: "No link here", Body: "Only an id.",
				PublishedAt: "2026-12-05T08:00:00Z"}},
			{In: article.Input{ID: urlID("https://ledger.example/markets/55"), URL: "https://ledger.example/markets/55", Title: "Markets steady",
				Body: "Markets held steady in Frankfurt on Sunday.", PublishedAt: "2026-12-06T08:00:00Z"}},
		}}},
		{"ninjs.json", "application/json", parsed{Entries: []entry{
			{In: article.Input{ID: urlID("urn:newsml:wire.example:20261206:n1"), Title: "Talks resume in Geneva",
				Body: "Delegations returned to Geneva on Sunday.", PublishedAt: "2026-12-06T07:00:00Z", Language: "en", Source: "Wire Agency"}},
			{In: article.Input{ID: urlID("https://wire.example/stories/n2"), URL: "https://wire.example/stories/n2", Title: "Rail line restored",
				Body: "The rail line to Lviv was restored.", PublishedAt: "2026-12-06T06:00:00Z", Source: "Wire Agency"}},
		}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, err := parseFeed(feed, fixture(t, tc.file), tc.ctype)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("parseFeed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseFeedMalformed(t *testing.T) {
	for _, body := range []string{string(fixture(t, "malformed.xml")), "", "<html><body>not a feed</body></html>", `{"items":[{"headline":"no uri"}]}`} {
		if p, err := parseFeed(Feed{Name: "fx", Format: "auto"}, []byte(body), ""); err == nil {
			t.Errorf("parseFeed(%.40q) = %+v, want an error", body, p)
		}
	}
}

func TestItemID(t *testing.T) {
	for _, tc := range []struct{ name, link, guid, want string }{
		{"link wins, tracking dropped", "https://A.example/x?utm_medium=1", "g1", urlID("https://a.example/x")},
		{"guid URI without link", "", "urn:x:1", urlID("urn:x:1")},
		{"guid permalink", "", "https://a.example/y", urlID("https://a.example/y")},
		{"opaque guid scoped by feed", "", "42", article.DeriveID("feed-guid:f:42", "", "", "")},
		{"nothing", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, itemID("f", tc.link, tc.guid)); diff != "" {
				t.Errorf("itemID (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseConfig(t *testing.T) {
	yes := true
	got, err := Parse([]byte(`
defaults:
  interval: 2m
  headers: {X-Client: newsroom}
feeds:
  - name: gazette
    url: https://gazette.example/rss.xml
    source: Harbour Gazette
    full_text: true
  - name: wire
    url: https://wire.example/ninjs
    interval: 30
    language: de
    format: ninjs
    token: s3cret
    headers: {X-Client: other}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Feed{
		{Name: "gazette", URL: "https://gazette.example/rss.xml", Interval: Duration(120e9), Language: "en", Source: "Harbour Gazette",
			Headers: map[string]string{"X-Client": "newsroom"}, FullText: &yes, Format: "auto"},
		{Name: "wire", URL: "https://wire.example/ninjs", Interval: Duration(30e9), Language: "de", Format: "ninjs", Token: "s3cret",
			Headers: map[string]string{"X-Client": "other"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
	for name, doc := range map[string]string{
		"no url":        "feeds: [{name: a}]",
		"ftp url":       "feeds: [{name: a, url: 'ftp://x/y'}]",
		"duplicate":     "feeds: [{name: a, url: 'https://x/1'}, {name: a, url: 'https://x/2'}]",
		"unknown field": "feeds: [{name: a, url: 'https://x/1', intervall: 5m}]",
		"bad interval":  "feeds: [{name: a, url: 'https://x/1', interval: soon}]",
		"bad format":    "feeds: [{name: a, url: 'https://x/1', format: rdf}]",
		"token twice":   "feeds: [{name: a, url: 'https://x/1', token: a, token_file: /b}]",
	} {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%s: Parse succeeded, want an error", name)
		}
	}
}
