package classifier_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/classify/classifier"
	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// Classify carries every field the extractor finds into the contract, one
// message per entity, in the extractor's order.
func TestClassifyCarriesEntities(t *testing.T) {
	cat, err := catalog.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	ex := extract.New(cat)
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	cases := []struct {
		name, title, body string
		empty             bool
	}{
		{name: "all three kinds", title: "Strikes near Kharkiv",
			body: "Vladimir Putin said Russian forces fired Iskander missiles at Kharkiv and Odesa. " +
				"NATO and the European Union condemned the attack; Ukraine's air force said Patriot " +
				"systems shot some down over Kyiv, while Emmanuel Macron spoke in Paris."},
		{name: "generated actors with aliases", title: "Regional officials respond",
			body: "The Kherson City Military Administration (KCMA) said two people died. The KCMA added that " +
				"Russian forces fired artillery. Spokesman Dmytro Brovarchuk said repairs began; Brovarchuk gave no date."},
		{name: "nothing found", title: "Weather", body: "It rained all day and the roads were quiet.", empty: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := &newsroomv1.Article{Id: "a-1", Title: tc.title, Body: tc.body}
			want := ex.Extract(tc.title, tc.body)
			c := classifier.Classify(ex, a, now)
			if c.GetArticle() != a || c.GetClassifierVersion() != ex.ClassifierVersion() || !c.GetClassifiedAt().AsTime().Equal(now) {
				t.Fatalf("article, version or time not carried: %v", c)
			}
			n := len(want.Actors) + len(want.Weapons) + len(want.Locations)
			if tc.empty != (n == 0) {
				t.Fatalf("extractor found %d entities; the case expects empty=%v", n, tc.empty)
			}
			if len(c.Actors) != len(want.Actors) || len(c.Weapons) != len(want.Weapons) || len(c.Locations) != len(want.Locations) {
				t.Fatalf("got %d/%d/%d entities, extractor found %d/%d/%d", len(c.Actors), len(c.Weapons), len(c.Locations),
					len(want.Actors), len(want.Weapons), len(want.Locations))
			}
			seen := map[any]bool{}
			unique := func(p any) {
				if seen[p] {
					t.Errorf("two entities share one message %p", p)
				}
				seen[p] = true
			}
			checkMention := func(m *newsroomv1.Mention, e extract.Entity) {
				unique(m)
				if int(m.GetCount()) != e.Mentions || int(m.GetFirstOffset()) != e.Offset || e.Mentions == 0 {
					t.Errorf("%s: mention %d@%d, want %d@%d", e.ID, m.GetCount(), m.GetFirstOffset(), e.Mentions, e.Offset)
				}
				var want []record.Span
				for _, sp := range e.Spans {
					want = append(want, record.Span(sp))
				}
				if got := record.AppendDecodedSpans(nil, m.GetSpans()); len(want) == 0 || !cmp.Equal(want, got) {
					t.Errorf("%s: spans %v, want %v", e.ID, got, want)
				}
			}
			for i, e := range want.Actors {
				g := c.Actors[i]
				unique(g)
				kind := newsroomv1.ActorKind_ACTOR_KIND_ORGANIZATION
				if e.Kind == "person" {
					kind = newsroomv1.ActorKind_ACTOR_KIND_PERSON
				}
				if g.GetId() != e.ID || g.GetName() != e.Name || g.GetKind() != kind || !cmp.Equal(g.GetAliases(), e.Aliases, cmpopts.EquateEmpty()) {
					t.Errorf("actor %d = %v, want %+v", i, g, e)
				}
				checkMention(g.GetMention(), e)
			}
			for i, e := range want.Weapons {
				g := c.Weapons[i]
				unique(g)
				if g.GetId() != e.ID || g.GetName() != e.Name || g.GetCategory() != e.Category {
					t.Errorf("weapon %d = %v, want %+v", i, g, e)
				}
				checkMention(g.GetMention(), e)
			}
			for i, e := range want.Locations {
				g := c.Locations[i]
				unique(g)
				if g.GetId() != e.ID || g.GetName() != e.Name || g.GetCountryCode() != e.Country ||
					g.GetKind() != classifier.LocationKind(e.Kind) || g.GetKind() == newsroomv1.LocationKind_LOCATION_KIND_UNSPECIFIED {
					t.Errorf("location %d = %v, want %+v", i, g, e)
				}
				switch p := g.GetPoint(); {
				case !e.HasCoord && p != nil:
					t.Errorf("%s: point %v, the extractor has none", e.ID, p)
				case e.HasCoord && (p == nil || p.GetLat() != e.Lat || p.GetLon() != e.Lon):
					t.Errorf("%s: point %v, want %v,%v", e.ID, p, e.Lat, e.Lon)
				case p != nil:
					unique(p)
				}
				checkMention(g.GetMention(), e)
			}
			aliases := 0
			for _, a := range c.Actors {
				aliases += len(a.GetAliases())
			}
			if tc.name == "generated actors with aliases" && aliases < 2 {
				t.Errorf("%d aliases carried, want the acronym and the surname", aliases)
			}
			if tc.name == "all three kinds" && (len(c.Actors) < 3 || len(c.Weapons) < 1 || len(c.Locations) < 3) {
				t.Errorf("want several of each kind in the sample, got %d/%d/%d", len(c.Actors), len(c.Weapons), len(c.Locations))
			}
		})
	}
}

func TestLocationKind(t *testing.T) {
	for kind, want := range map[string]newsroomv1.LocationKind{
		"country": newsroomv1.LocationKind_LOCATION_KIND_COUNTRY, "region": newsroomv1.LocationKind_LOCATION_KIND_REGION,
		"city": newsroomv1.LocationKind_LOCATION_KIND_CITY, "place": newsroomv1.LocationKind_LOCATION_KIND_PLACE,
		"": newsroomv1.LocationKind_LOCATION_KIND_UNSPECIFIED, "planet": newsroomv1.LocationKind_LOCATION_KIND_UNSPECIFIED,
	} {
		if got := classifier.LocationKind(kind); got != want {
			t.Errorf("LocationKind(%q) = %v, want %v", kind, got, want)
		}
	}
}
