package extract_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/pipeline/catalog/catalogtest"
	"github.com/deskwire/newsroom/services/pipeline/evaltest"
)

var (
	fixtureOnce sync.Once
	fixtureEx   *extract.Extractor
)

func fixture(t testing.TB) *extract.Extractor {
	t.Helper()
	fixtureOnce.Do(func() { fixtureEx = extract.New(catalogtest.Load(t)) })
	return fixtureEx
}

func ids(es []extract.Entity) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.ID)
	}
	slices.Sort(out)
	return out
}

// A military background sentence used to give articles a war context.
const war = " Russian troops launched missiles and drones at Ukrainian army positions, and artillery shelling continued."

func TestExtractRules(t *testing.T) {
	ex := fixture(t)
	tests := []struct {
		name        string
		title, body string
		actors      []string // nil: not checked
		weapons     []string
		locations   []string
		categories  []string
	}{
		{
			name:    "weapon names need a military story",
			title:   "Patriots beat the Jets",
			body:    "The New England Patriots won 24-10 on Sunday. Patriots coach Jerod Mayo praised the defense and the quarterback threw two touchdowns in the game.",
			actors:  []string{"gen:person:jerod-mayo", "new-england-patriots"},
			weapons: []string{}, categories: []string{},
		},
		{
			name:    "the same name is a weapon in a war story, plural and designation",
			title:   "Ukraine gets more Patriot batteries",
			body:    "Washington will send two more Patriot air defense batteries and Tomahawks to Kyiv, officials said." + war,
			weapons: []string{"patriot", "tomahawk"},
		},
		{
			name:    "steak and town are not weapons",
			title:   "Dinner in Tomahawk",
			body:    "The tomahawk steak at a diner in Tomahawk, Wisconsin, costs $60, the owner said.",
			weapons: []string{}, locations: []string{"adm:US-WI", "geo:5275191"}, categories: []string{},
		},
		{
			name:    "lower-case javelin in sport",
			title:   "Javelin final",
			body:    "She won the javelin final with a throw of 66 metres. The crowd cheered the win, her first in a major championship.",
			weapons: []string{}, categories: []string{},
		},
		{
			name:      "dateline in capitals and a possessive",
			title:     "Strike reported",
			body:      "MOSCOW, May 16 (Reuters) - Russia's forces struck Kyiv overnight, Reuters reported." + war,
			locations: []string{"geo:524901", "geo:703448", "iso:RU"},
			actors:    []string{"armed-forces-of-ukraine"},
		},
		{
			name:      "Georgia the U.S. state among U.S. places",
			title:     "Runoff in Georgia",
			body:      "Voters in Georgia went to the polls in a Senate runoff on Tuesday, and a Republican governor urged turnout. Washington watched closely.",
			locations: []string{"adm:US-GA", "geo:4140963"},
		},
		{
			name:      "Georgia the country",
			title:     "Protests in Georgia",
			body:      "Thousands marched in Georgia against a law backed by Russia, and Moscow criticised the protesters.",
			locations: []string{"geo:524901", "iso:GE", "iso:RU"},
		},
		{
			name:      "Jordan the player is a person, not the country",
			title:     "Michael Jordan sells stake",
			body:      "Michael Jordan agreed to sell his stake in the team. Jordan bought it in 2010.",
			actors:    []string{"gen:person:michael-jordan"},
			locations: []string{},
		},
		{
			name:      "a place inside a team name is no location",
			title:     "Suns win",
			body:      "The Phoenix Suns beat the Jazz 110-98 in overtime, and the coach praised the team's defense in the game.",
			actors:    []string{"gen:org:phoenix-suns"},
			locations: []string{},
		},
		{
			name:      "demonyms alone are not places; national army is an actor",
			title:     "Front line",
			body:      "Ukrainian officials said the Ukrainian Army held the line.",
			actors:    []string{"armed-forces-of-ukraine"},
			locations: []string{},
		},
		{
			name:   "news agencies and platforms are not actors",
			title:  "Statement",
			body:   "Putin told Reuters in an interview that he posted on Telegram.",
			actors: []string{"vladimir-putin"},
		},
		{
			name:   "people after titles and before speech verbs; surname resolution",
			title:  "Talks",
			body:   "Foreign Minister Andrea Kovacs met Mayor Tomas Berg on Monday. Kovacs said the talks went well, and Berg agreed. Delegate Ilse Vandermolen told reporters more.",
			actors: []string{"gen:person:andrea-kovacs", "gen:person:ilse-vandermolen", "gen:person:tomas-berg"},
		},
		{
			name:   "credits are not people",
			title:  "Vote",
			body:   "Parliament voted on Tuesday. (Reporting by Ilse Vandermolen; Editing by Tomas Berg)",
			actors: []string{},
		},
		{
			name:      "a disambiguated place is found under its bare name",
			title:     "Storm",
			body:      "MOBILE – A storm flooded streets on Tuesday, the city said.",
			locations: []string{"geo:4076598"},
		},
		{
			name:   "ambiguous surname only after the full name",
			title:  "Harris speaks",
			body:   "Harris spoke at a rally. Later Kamala Harris met voters, and Harris said she was confident.",
			actors: []string{"kamala-harris"},
		},
		{
			name:   "ambiguous surname alone is not taken",
			title:  "Harris wins",
			body:   "Harris won the match in three sets.",
			actors: []string{},
		},
		{
			name:   "organizations by head noun",
			title:  "Contract",
			body:   "The Defense Procurement Coordination Agency said the Lakeside County Board of Supervisors approved the Rivermouth Fire Department budget.",
			actors: []string{"gen:org:defense-procurement-coordination-agency", "gen:org:lakeside-county-board-of-supervisors", "gen:org:rivermouth-fire-department"},
		},
		{
			name:   "ministries qualified by country merge with later bare mentions",
			title:  "Ministry statement",
			body:   "Russia's Defence Ministry said the strike succeeded. The Defence Ministry's spokesman gave no figures." + war,
			actors: []string{"armed-forces-of-ukraine", "russian-defense-ministry"},
		},
		{
			name:      "city and region are separate",
			title:     "Kherson",
			body:      "Shelling hit Kherson and villages across the Kherson region on Friday." + war,
			locations: []string{"adm:UA-65", "geo:706448"},
		},
		{
			name:      "a small town needs evidence",
			title:     "Fighting",
			body:      "Fighting raged for the town of Soledar in eastern Ukraine." + war,
			locations: []string{"geo:694131", "iso:UA"},
		},
		{
			name:      "month names and ships are not places",
			title:     "Report",
			body:      "In March the destroyer USS Carney sailed, and Carney later returned to port." + war,
			locations: []string{},
		},
		{
			name:       "categories only from words, not proper names",
			title:      "Drill",
			body:       "Ukraine used the High Mobility Artillery Rocket System and howitzers near the air defense identification zone; fighter jets flew over anti-tank positions." + war,
			weapons:    []string{"himars"},
			categories: []string{"drone", "missile", "artillery", "fighter aircraft"},
		},
		{
			name:       "generic missile only when not qualified",
			title:      "Launch",
			body:       "The army fired a cruise missile and two ballistic missiles at a naval base; an anti-missile system responded.",
			categories: []string{"cruise missile", "ballistic missile", "air defense"},
		},
		{
			name:       "figurative category words in sport",
			title:      "Tank race",
			body:       "The team may tank the season, a think tank said, after the coach fired a rocket of a pass in the game.",
			weapons:    []string{},
			categories: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ex.Extract(tt.title, tt.body)
			check := func(what string, want []string, got []extract.Entity) {
				if want == nil {
					return
				}
				slices.Sort(want)
				if diff := cmp.Diff(want, ids(got)); diff != "" {
					t.Errorf("%s mismatch (-want +got):\n%s\nresult: %+v", what, diff, got)
				}
			}
			check("actors", tt.actors, r.Actors)
			check("weapons", tt.weapons, r.Weapons)
			check("locations", tt.locations, r.Locations)
			if tt.categories != nil {
				got := r.WeaponCategories
				if got == nil {
					got = []string{}
				}
				if diff := cmp.Diff(tt.categories, got); diff != "" {
					t.Errorf("categories mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestMentionsAndOffsets(t *testing.T) {
	ex := fixture(t)
	title := "Zelensky in Kyiv"
	body := "«Hello», said Zelensky. President Volodymyr Zelensky met troops in Kiev."
	r := ex.Extract(title, body)
	want := []extract.Entity{{ID: "volodymyr-zelensky", Name: "Volodymyr Zelensky", Kind: "person", Country: "UA", Mentions: 3, Offset: 0,
		Spans: []extract.Span{{Start: 0, End: 8}, {Start: 31, End: 39}, {Start: 51, End: 69}}}}
	if diff := cmp.Diff(want, r.Actors); diff != "" {
		t.Errorf("actors mismatch (-want +got):\n%s", diff)
	}
	if len(r.Locations) != 1 {
		t.Fatalf("locations = %+v", r.Locations)
	}
	loc := r.Locations[0]
	text := []rune(title + "\n" + body)
	if loc.ID != "geo:703448" || loc.Mentions != 2 || string(text[loc.Offset:loc.Offset+4]) != "Kyiv" || !loc.HasCoord {
		t.Errorf("Kyiv = %+v", loc)
	}
}

func TestClassifierVersion(t *testing.T) {
	ex := fixture(t)
	v := ex.ClassifierVersion()
	if !strings.HasPrefix(v, extract.Version+"+") || len(v) != len(extract.Version)+9 {
		t.Errorf("ClassifierVersion() = %q", v)
	}
}

func TestEmptyAndOddInput(t *testing.T) {
	ex := fixture(t)
	for _, in := range [][2]string{{"", ""}, {"", "\n\n"}, {"—", "((( )))"}, {"U.S.", "U.S."}, {"ÆØÅ", "ß ẞ ĳ"},
		{"\u0301", "a \u0301\u0302 b"}, {"\xff", "Kyiv\xc3 \xe2\x80"}, {"Ⱥ", "ȺȺȺ Ⱥx"}} {
		r := ex.Extract(in[0], in[1])
		_ = r // must not panic
	}
}

func TestConcurrentExtract(t *testing.T) {
	ex := fixture(t)
	body := "Putin said Russian forces fired Tomahawk missiles at Kyiv." + war
	want := ex.Extract("Title", body)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if got := ex.Extract("Title", body); !cmp.Equal(want, got) {
					t.Errorf("concurrent result differs: %v", cmp.Diff(want, got))
					return
				}
			}
		}()
	}
	wg.Wait()
}

// A text whose last word is a lone capital letter that is no name, with a
// period ("see part A."), made an earlier version loop forever.
func TestExtractTerminates(t *testing.T) {
	ex := fixture(t)
	for _, body := range []string{"See part A.", "Then I.", "Kyiv, see annex A.", "A."} {
		t.Run(body, func(t *testing.T) {
			done := make(chan extract.Result, 1)
			go func() { done <- ex.Extract("Notes", body) }()
			select {
			case r := <-done:
				if len(r.Actors)+len(r.Weapons) != 0 {
					t.Errorf("Extract(%q) = %+v, want no actors or weapons", body, r)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("Extract(%q) did not return", body)
			}
		})
	}
}

// Extract reuses per-call buffers (the text among them); a result must not
// change when later calls overwrite them.
func TestResultsOutliveLaterCalls(t *testing.T) {
	ex := fixture(t)
	body := "Jane Quillfeather said on Monday that the Harbour Cooperation Agency of the town of Zembla will close." + war
	first := ex.Extract("Quillfeather speaks", body)
	if len(first.Actors) == 0 {
		t.Fatalf("no actors in %+v", first)
	}
	want := deepCopy(first)
	// Texts no longer than the first, so that its buffers are reused.
	for i := 0; i < 20; i++ {
		other := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' {
				return 'a' + (r-'a'+rune(i)+1)%26
			}
			return r
		}, body)
		ex.Extract("Quillfeather speaks", other)
	}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("result changed after later calls (-before +after):\n%s", diff)
	}
}

// deepCopy copies a result, strings included.
func deepCopy(r extract.Result) extract.Result {
	cp := func(es []extract.Entity) []extract.Entity {
		if es == nil {
			return nil
		}
		out := make([]extract.Entity, len(es))
		for i, e := range es {
			e.ID, e.Name, e.Kind = strings.Clone(e.ID), strings.Clone(e.Name), strings.Clone(e.Kind)
			e.Category, e.Country = strings.Clone(e.Category), strings.Clone(e.Country)
			out[i] = e
		}
		return out
	}
	return extract.Result{Actors: cp(r.Actors), Weapons: cp(r.Weapons), Locations: cp(r.Locations),
		WeaponCategories: slices.Clone(r.WeaponCategories)}
}

// ExtractTo with one Buffers reused from article to article returns what
// Extract returns, however the previous results sized the buffers.
func TestExtractToMatchesExtract(t *testing.T) {
	ex := fixture(t)
	arts := evaltest.Load(t)
	var b extract.Buffers
	for round := range 2 {
		for i, a := range arts {
			if round == 1 {
				a = arts[len(arts)-1-i] // reverse: larger results into smaller buffers and back
			}
			want := ex.Extract(a.Title, a.Body)
			if got := ex.ExtractTo(&b, a.Title, a.Body); !cmp.Equal(want, got) {
				t.Fatalf("round %d, article %d: ExtractTo differs from Extract:\n%s", round, i, cmp.Diff(want, got))
			}
		}
	}
}
