package extract_test

import (
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/deskwire/newsroom/services/classify/extract"
)

// TestMentionSpans checks every mention's span on sentences written for
// the test: the text each span covers (UTF-16 code units of title + "\n" +
// body, as a browser indexes a string) is a surface form of its entity,
// every mention has one, and they come in order without overlapping.
func TestMentionSpans(t *testing.T) {
	ex := fixture(t)
	tests := []struct {
		name, title, body string
		// want lists, per entity id, the text of each span in order.
		want map[string][]string
	}{
		{
			name:  "catalog person and place, after flags beyond the BMP",
			title: "Zelensky in Kyiv 🇺🇦",
			body:  "🇺🇦 Volodymyr Zelensky visited Kiev on Monday. Zelensky said the city would hold.",
			want: map[string][]string{
				"volodymyr-zelensky": {"Zelensky", "Volodymyr Zelensky", "Zelensky"},
				"geo:703448":         {"Kyiv", "Kiev"},
			},
		},
		{
			name:  "generated organization by acronym, generated person by surname",
			title: "Officials warn of shelling",
			body: "The Kherson City Military Administration (KCMA) said two people died. The KCMA added that Russian forces " +
				"fired artillery. Spokesman Dmytro Brovarchuk said repairs began; Brovarchuk did not give a date.",
			want: map[string][]string{
				"gen:org:kherson-city-military-administration": {"Kherson City Military Administration", "KCMA", "KCMA"},
				"gen:person:dmytro-brovarchuk":                 {"Dmytro Brovarchuk", "Brovarchuk"},
			},
		},
		{
			name:  "ministries and the countries inside their names",
			title: "Ministry statement",
			body: "Russia's Defence Ministry said its air defence shot down 12 drones over the Belgorod region. The Ministry of " +
				"Defence of Ukraine denied it. Later the country's defence ministry spoke again.",
			want: map[string][]string{
				"russian-defense-ministry":       {"Russia's Defence Ministry", "defence ministry"},
				"gen:org:ua-ministry-of-defense": {"Ministry of Defence of Ukraine"},
				"iso:RU":                         {"Russia"},
				"iso:UA":                         {"Ukraine"},
				"gen:place:belgorod":             {"Belgorod region"},
			},
		},
		{
			name:  "weapons and a place no catalog lists",
			title: "Missiles over the capital",
			body:  "Russian forces launched Shahed-136 drones at Kyiv overnight. Ukraine's air force said Patriot systems downed most of them near the town of Vasylkiv.",
			want: map[string][]string{
				"gen:org:ua-air-force": {"Ukraine's air force"},
				"shahed-136":           {"Shahed-136"},
				"patriot":              {"Patriot"},
				"geo:703448":           {"Kyiv"},
				"gen:place:vasylkiv":   {"Vasylkiv"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ex.Extract(tt.title, tt.body)
			text := utf16.Encode([]rune(tt.title + "\n" + tt.body))
			got := map[string][]string{}
			for _, e := range append(append(append([]extract.Entity{}, r.Actors...), r.Weapons...), r.Locations...) {
				if len(e.Spans) == 0 || len(e.Spans) > e.Mentions {
					t.Errorf("%s: %d spans for %d mentions", e.ID, len(e.Spans), e.Mentions)
				}
				for k, sp := range e.Spans {
					if sp.Start >= sp.End || sp.End > len(text) || k > 0 && sp.Start < e.Spans[k-1].End {
						t.Errorf("%s: span %d %+v out of order or outside the text (%d units)", e.ID, k, sp, len(text))
						continue
					}
					got[e.ID] = append(got[e.ID], string(utf16.Decode(text[sp.Start:sp.End])))
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("span texts (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMentionSpansAndOffset: a text without entities gives no entities, and
// Offset stays a rune offset while spans count UTF-16 code units.
func TestMentionSpansAndOffset(t *testing.T) {
	ex := fixture(t)
	r := ex.Extract("Nothing here", "No names at all, only words.")
	if n := len(r.Actors) + len(r.Weapons) + len(r.Locations); n != 0 {
		t.Fatalf("found %d entities in a text without names", n)
	}
	r = ex.Extract("😀 Kyiv", "")
	if len(r.Locations) != 1 {
		t.Fatalf("locations = %+v", r.Locations)
	}
	if l := r.Locations[0]; l.Offset != 2 || cmp.Diff([]extract.Span{{Start: 3, End: 7}}, l.Spans) != "" {
		t.Errorf("Kyiv after an emoji: offset %d (runes, want 2), spans %+v (UTF-16, want 3–7)", l.Offset, l.Spans)
	}
}
