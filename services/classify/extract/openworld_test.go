package extract_test

import (
	"slices"
	"testing"
)

// TestOpenWorldRules covers the open-world and variant rules with invented
// sentences: has lists names that must be found, hasNot names that must not.
func TestOpenWorldRules(t *testing.T) {
	ex := embedded(t)
	type want struct{ actors, weapons, locations []string }
	tests := []struct {
		name        string
		title, body string
		has, hasNot want
	}{
		{
			name:   "ship names after a class designation or a ship noun are not places",
			title:  "Naval drills",
			body:   "Two Type 052D Wuhan and Type 055 Nanchang escorts led the flotilla; later the Type 054A frigates Hefei, Xuzhou and Ningbo joined, and the carrier Liaoning sailed past Okinawa.",
			has:    want{weapons: []string{"Type 052D", "Type 055"}, locations: []string{"Okinawa Island"}},
			hasNot: want{locations: []string{"Wuhan", "Nanchang", "Hefei", "Xuzhou", "Ningbo", "Liaoning"}},
		},
		{
			name:   "a ship list stops at a country",
			title:  "Patrol",
			body:   "The destroyer Kirishima and Japan's coast guard patrolled the strait, officials in Tokyo said.",
			has:    want{locations: []string{"Japan", "Tokyo"}},
			hasNot: want{locations: []string{"Kirishima"}},
		},
		{
			name:  "a well-known surname that is also a word counts alone inside a sentence",
			title: "Tariffs",
			body:  "Ministers said they would write to Trump again after the levy hit Trump’s own allies.",
			has:   want{actors: []string{"Donald Trump"}},
		},
		{
			name:   "the surname word in lower case or inside a longer name is not the person",
			title:  "Cards",
			body:   "She played her trump card at the bridge club, then walked past Trump Tower.",
			hasNot: want{actors: []string{"Donald Trump"}},
		},
		{
			name:   "news agencies and outlets no list names are not actors",
			title:  "Test",
			body:   "According to the official Borovia Central News Agency BCNA, the test succeeded. The state-run National News Agency said one man died. Citing the Diario Nuevo newspaper, officials said the Riverside Daily Mail is wrong.",
			hasNot: want{actors: []string{"Borovia Central News Agency", "National News Agency", "Diario Nuevo"}},
		},
		{
			name:   "lower-case local bodies after their place",
			title:  "Night raid on Lviv",
			body:   "Lviv’s military administration said the city was hit. Ivan Petrenko, head of the Bakhmut city military administration, urged people to leave.",
			has:    want{actors: []string{"Lviv City Military Administration", "Bakhmut City Military Administration"}, locations: []string{"Lviv"}},
			hasNot: want{locations: []string{"Bakhmut"}}, // a place inside a body's name
		},
		{
			name:   "a later short form of a body merges into its full name",
			title:  "Shelling",
			body:   "The Volyn Regional Forestry Administration reported fires. Later the Regional Forestry Administration said two crews were out.",
			has:    want{actors: []string{"Volyn Regional Forestry Administration"}},
			hasNot: want{actors: []string{"Regional Forestry Administration"}},
		},
		{
			name:  "a country qualifier shared across a list of services",
			title: "Exercise",
			body:  "Units of the Chinese Navy, Air Force and Coast Guard took part, while Ukraine's Navy and Marine Corps watched.",
			has:   want{actors: []string{"PLA Navy", "PLA Air Force", "China Coast Guard", "Ukrainian Navy", "Ukrainian Marine Corps"}},
		},
		{
			name:  "a catalog body before a possessive keeps its name; its command is its own",
			title: "Drills",
			body:  "Late on Friday, China’s People’s Liberation Army’s Southern Theatre Command warned ships away.",
			has:   want{actors: []string{"People's Liberation Army", "PLA Southern Theater Command"}},
		},
		{
			name:   "a title-case headline word is no acronym",
			title:  "Carmaker Has No Plans To Quit",
			body:   "The carmaker said sales were steady.",
			hasNot: want{actors: []string{"PLA Navy"}},
		},
		{
			name:   "a word of a title-case headline is not an ambiguous company without the body",
			title:  "Invaders Twice Shell Kharkiv With Rockets At Night",
			body:   "Kharkiv was hit twice overnight, the governor said.",
			has:    want{locations: []string{"Kharkiv"}},
			hasNot: want{actors: []string{"Shell"}},
		},
		{
			name:   "places no catalog lists, from contexts only places take",
			title:  "Raid",
			body:   "Gunmen searched the rural municipalities of Zelta, El Morro and Quenara. A drone hit a car in Kafr Tala, about 15 kilometres from the border, and a van in Mazraat Yusuf, some 8 km from Kafr Tala. Rockets fell on Kibbutz Yaara, and a jet crashed 12 nautical miles north of Ostrava. Shells landed around Zorvan in India.",
			has:    want{locations: []string{"Zelta", "El Morro", "Quenara", "Kafr Tala", "Mazraat Yusuf", "Kibbutz Yaara", "Ostrava", "Zorvan", "India"}},
			hasNot: want{actors: []string{"Kafr Tala", "Mazraat Yusuf"}},
		},
		{
			name:   "a rule-found person named like a place found elsewhere is that place",
			title:  "Strike",
			body:   "The commander was killed in Kafr Tala on Monday. Kafr Tala mourned him. A second strike hit a road 10 km from Kafr Tala.",
			has:    want{locations: []string{"Kafr Tala"}},
			hasNot: want{actors: []string{"Kafr Tala"}},
		},
		{
			name:  "a designation next to a weapon word counts in a short industry item",
			title: "Engine deal signed",
			body:  "Under the deal the firm supplies parts to KF-21 fighters built next year, the ministry said on Monday.",
			has:   want{weapons: []string{"KF-21 Boramae"}},
		},
		{
			name:   "designations in a car review are no weapons",
			title:  "Review",
			body:   "The BMW M3 engine roars, the Kia Stinger GT-Line feels quick, and the new coupe is fast.",
			hasNot: want{weapons: []string{"M3", "Stinger"}},
		},
		{
			name:  "Mt. and Ft. are Mount and Fort",
			title: "Tour",
			body:  "The band played at Ft. Worth on Friday before a show near Mt. Kenya in the rain.",
			has:   want{locations: []string{"Fort Worth"}},
		},
		{
			name:  "organizations named next to a lower-case organization noun",
			title: "Tanker hit",
			body:  "The tanker, owned by Oslo-based firm Blue Anchor, was struck, according to the Gulf Maritime Trade Office agency. Shipping firm Norvale said crews were safe, and the Coordination Headquarters for Missing Sailors opened a line.",
			has:   want{actors: []string{"Blue Anchor", "Gulf Maritime Trade Office", "Norvale", "Coordination Headquarters for Missing Sailors"}},
		},
		{
			name:   "a place or a common word next to an organization noun is no organization",
			title:  "Markets",
			body:   "The Texas company said profits rose, and a Paris firm agreed. Analysts at the firm Apple watched.",
			hasNot: want{actors: []string{"Texas", "Paris"}},
		},
		{
			name:  "people with unknown given names: a possessive or a past-tense verb after the name",
			title: "Late rally",
			body:  "The coach praised the defence, but Tavian Okoro's two fumbles cost the game. Later Kamari Stone scored twice in the final quarter.",
			has:   want{actors: []string{"Tavian Okoro", "Kamari Stone"}},
		},
		{
			name:   "a place or an ordinary pair of words before a verb is no person",
			title:  "Weather",
			body:   "Strong winds hit the coast, and the Black Sea warmed quickly while the Golden Gate reopened.",
			hasNot: want{actors: []string{"Black Sea", "Golden Gate"}},
		},
		{
			name:   "transcript labels at the start are no datelines",
			title:  "Briefing",
			body:   "QUESTION: Will the talks go on? MR. HALE: They will, and Secretary Rubio will attend.",
			has:    want{actors: []string{"Marco Rubio"}},
			hasNot: want{locations: []string{"Question", "Mr Hale"}},
		},
		{
			name:  "a surname spelled with a single letter for a double one is the catalog person",
			title: "Exile",
			body:  "Bashar al-Asad left the country by plane, officials said.",
			has:   want{actors: []string{"Bashar al-Assad"}},
		},
		{
			name:   "a city used once as a modifier is the region of its name",
			title:  "Kyiv presses on after Kursk setback",
			body:   "Losses mounted in the Kursk region this week.",
			has:    want{locations: []string{"Kursk Oblast"}},
			hasNot: want{locations: []string{"Kursk"}},
		},
		{
			name:  "a city named with a preposition stays a city beside its region",
			title: "Front",
			body:  "Fighting raged in the Kursk region, and shells hit Kursk overnight.",
			has:   want{locations: []string{"Kursk Oblast", "Kursk"}},
		},
		{
			name:   "a capitalised preposition opening a sentence is no part of a name",
			title:  "Front",
			body:   "Near Zorvka Hills, troops dug in. Near Ruth Valley, shelling went on overnight.",
			has:    want{locations: []string{"Zorvka Hills"}},
			hasNot: want{locations: []string{"Near Zorvka Hills"}, actors: []string{"Near Ruth", "Ruth Valley"}},
		},
		{
			name:   "members of a list of organizations",
			title:  "Sahel",
			body:   "The alliance unites militant organizations such as Ansar Tal, al-Morabit (MUJ), Katiba Orun, and others. Rebels including Mali's army fought on.",
			has:    want{actors: []string{"Ansar Tal", "al-Morabit", "Katiba Orun"}},
			hasNot: want{actors: []string{"Mali"}},
		},
		{
			name:   "a long name defined by a catalog acronym is the catalog organization",
			title:  "Clashes",
			body:   "Army units attacked camps of National Liberation Army (in Spanish: ELN) rebels for days. Later the ELN said it would talk.",
			has:    want{actors: []string{"National Liberation Army (Colombia)"}},
			hasNot: want{actors: []string{"National Liberation Army"}},
		},
		{
			name:   "teams with a digit nickname; a team's city alone is the team in a match report",
			title:  "Late surge",
			body:   "The Charlotte Hornets beat the Philadelphia 76ers 110-99 on Tuesday. Charlotte led early and the coach praised the defense, while fans cheered the win after overtime in the league match and the season goes on.",
			has:    want{actors: []string{"Charlotte Hornets", "Philadelphia 76ers"}},
			hasNot: want{locations: []string{"Charlotte", "Philadelphia"}},
		},
		{
			name:  "the city after a preposition stays a place in a match report",
			title: "Late surge",
			body:  "The Charlotte Hornets won again on Tuesday in Charlotte, and the coach praised the defense, while fans cheered the win after overtime in the league match and the season goes on.",
			has:   want{actors: []string{"Charlotte Hornets"}, locations: []string{"Charlotte"}},
		},
		{
			name:   "a landmark that speaks is the body it houses; a capital that speaks stays a place",
			title:  "Tariffs",
			body:   "The White House says the levy stays. Moscow warned of a response.",
			has:    want{actors: []string{"White House"}, locations: []string{"Moscow"}},
			hasNot: want{actors: []string{"Moscow"}},
		},
		{
			name:  "an entry list's lines name people and their countries",
			title: "Start list",
			body:  "The start list for the final:\n\n1) Tomas Varga - Hungary\n\n2) Ilkka Rautio - Finland",
			has:   want{actors: []string{"Tomas Varga", "Ilkka Rautio"}, locations: []string{"Hungary", "Finland"}},
		},
		{
			name:   "regions no catalog lists are named without their noun, with a leading qualifier; districts keep it",
			title:  "Raid",
			body:   "Fighters attacked a base in Lower Shabelle region and in the Kandor district overnight.",
			has:    want{locations: []string{"Lower Shabelle", "Kandor district"}},
			hasNot: want{locations: []string{"Shabelle region", "Lower Shabelle region"}},
		},
		{
			name:   "title plus a surname that is also a given name; a speaker label is no place",
			title:  "Briefing",
			body:   "MR HALE: Good afternoon. Secretary Kerry spoke with the envoy today.",
			has:    want{actors: []string{"Kerry"}},
			hasNot: want{locations: []string{"Mr Hale"}},
		},
		{
			name:  "the country's ministry is that of the country the article is about",
			title: "Budget",
			body:  "Japan will spend more, Japan's cabinet agreed in Tokyo. The country's defense ministry asked for longer-range missiles.",
			has:   want{actors: []string{"Ministry of Defense (Japan)"}},
		},
		{
			name:   "the maker named right before a designation; a variant label is no maker",
			title:  "Jets",
			body:   "The air force still flies the McDonnell Douglas F-4 Phantom, and Block III F-35 fighters follow, like Chinese J-10C jets.",
			has:    want{actors: []string{"McDonnell Douglas"}, weapons: []string{"F-4 Phantom II", "F-35"}},
			hasNot: want{actors: []string{"Block III", "Chinese"}},
		},
		{
			name:   "a vessel named or called X; ships a country seized are no ship names",
			title:  "Ship hit",
			body:   "A missile struck a cargo ship named Eagle Gibraltar near Aden, the landing ship Odessa Star burned, and the tankers Iran seized were freed.",
			has:    want{locations: []string{"Aden", "Iran"}},
			hasNot: want{locations: []string{"Gibraltar", "Odesa"}},
		},
		{
			name:   "an origin before a designation is no maker; a city after a capitalised preposition stays a place",
			title:  "Deal for Korean K2 tanks",
			body:   "The Toronto Raptors won again. In Toronto, fans cheered the win after overtime as the coach praised the league's best defense this season.",
			has:    want{actors: []string{"Toronto Raptors"}, locations: []string{"Toronto"}},
			hasNot: want{actors: []string{"Korean"}},
		},
		{
			name:  "a name spelled out before its acronym is one organization",
			title: "Clashes",
			body:  "Fighters of the Movement for Unity in the Western Hills (MUWH), of al-Jabha al-Wataniya (AJW) and the Northern Defence Coalition (NDC) fought near the border.",
			has:   want{actors: []string{"Movement for Unity in the Western Hills", "Northern Defence Coalition"}},
		},
		{
			name:   "a numbered unit right after its country; a league division is none",
			title:  "Front",
			body:   "Ukraine's 47th Brigade reported heavy fighting, and the Russian 20th Army advanced. The club moved up to the 2nd Division.",
			has:    want{actors: []string{"47th Brigade", "20th Army"}},
			hasNot: want{actors: []string{"2nd Division"}},
		},
		{
			name:   "the place of an event follows \"in\"; a possessive name is no place",
			title:  "Summit",
			body:   "Leaders met at the Alpine Summit in Vaskarna, and the talks in Kushner's office failed.",
			has:    want{locations: []string{"Vaskarna"}},
			hasNot: want{locations: []string{"Kushner"}},
		},
		{
			name:   "the possessor of a corporate noun is a company; a country is not",
			title:  "Markets",
			body:   "Voltra's shares fell on Monday while Russia's sales of oil grew, and Orlan Motors' dealers waited.",
			has:    want{actors: []string{"Voltra"}, locations: []string{"Russia"}},
			hasNot: want{actors: []string{"Russia"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ex.Extract(tt.title, tt.body)
			got := map[string][]string{"actors": names(r.Actors), "weapons": names(r.Weapons), "locations": names(r.Locations)}
			check := func(kind string, list []string, want bool) {
				for _, n := range list {
					if slices.Contains(got[kind], n) != want {
						t.Errorf("%s: %q present = %v, want %v (got %q)", kind, n, !want, want, got[kind])
					}
				}
			}
			check("actors", tt.has.actors, true)
			check("weapons", tt.has.weapons, true)
			check("locations", tt.has.locations, true)
			check("actors", tt.hasNot.actors, false)
			check("weapons", tt.hasNot.weapons, false)
			check("locations", tt.hasNot.locations, false)
		})
	}
}

// TestGeneratedAliases checks that generated people carry their surname and
// generated organizations their acronym and shorter name.
func TestGeneratedAliases(t *testing.T) {
	r := embedded(t).Extract("Night attack",
		"Ivan Petrenko Jr., head of the Zorvan City Military Administration (ZCMA), said the city was hit. "+
			"Later the City Military Administration said two people died, and Petrenko asked for calm.")
	want := map[string][]string{
		"Ivan Petrenko Jr":                    {"Petrenko"},
		"Zorvan City Military Administration": {"City Military Administration", "ZCMA"},
	}
	for _, a := range r.Actors {
		if w, ok := want[a.Name]; ok {
			if !slices.Equal(a.Aliases, w) {
				t.Errorf("%s aliases = %q, want %q", a.Name, a.Aliases, w)
			}
			delete(want, a.Name)
		}
	}
	for n := range want {
		t.Errorf("%s not found in %q", n, names(r.Actors))
	}
}
