package esindex

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
)

func TestNewDocumentLists(t *testing.T) {
	loc := func(id, cc string) *newsroomv1.Location {
		return &newsroomv1.Location{Id: id, Name: id, CountryCode: cc, Kind: newsroomv1.LocationKind_LOCATION_KIND_CITY,
			Point: &newsroomv1.GeoPoint{Lat: 1, Lon: 2}}
	}
	tests := []struct {
		name string
		c    *newsroomv1.ClassifiedArticle
		want string // the lists of the JSON document
	}{
		{"no entities: empty lists, not null", &newsroomv1.ClassifiedArticle{Article: &newsroomv1.Article{Id: "a"}},
			`{"actors":[],"weapons":[],"locations":[],"weapon_categories":[],"countries":[]}`},
		{"each entity in its own list; countries sorted once each", &newsroomv1.ClassifiedArticle{
			Article:          &newsroomv1.Article{Id: "a"},
			Actors:           []*newsroomv1.Actor{{Id: "p", Name: "P", Kind: newsroomv1.ActorKind_ACTOR_KIND_PERSON}, {Id: "o", Name: "O", Kind: newsroomv1.ActorKind_ACTOR_KIND_ORGANIZATION}},
			Weapons:          []*newsroomv1.Weapon{{Id: "w", Name: "W", Category: "cruise missile"}},
			Locations:        []*newsroomv1.Location{loc("kyiv", "UA"), loc("budapest", "HU"), loc("lviv", "UA"), loc("sea", "")},
			WeaponCategories: []string{"cruise missile"},
		}, `{"actors":[{"id":"p","name":"P","key":"p|P","kind":"person"},{"id":"o","name":"O","key":"o|O","kind":"organization"}],` +
			`"weapons":[{"id":"w","name":"W","key":"w|W","category":"cruise missile"}],` +
			`"locations":[{"id":"kyiv","name":"kyiv","key":"kyiv|kyiv","kind":"city","country_code":"UA","point":{"lat":1,"lon":2}},` +
			`{"id":"budapest","name":"budapest","key":"budapest|budapest","kind":"city","country_code":"HU","point":{"lat":1,"lon":2}},` +
			`{"id":"lviv","name":"lviv","key":"lviv|lviv","kind":"city","country_code":"UA","point":{"lat":1,"lon":2}},` +
			`{"id":"sea","name":"sea","key":"sea|sea","kind":"city","point":{"lat":1,"lon":2}}],` +
			`"weapon_categories":["cruise missile"],"countries":["HU","UA"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(NewDocument(tt.c))
			if err != nil {
				t.Fatal(err)
			}
			var got, want map[string]any
			json.Unmarshal(b, &got)
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			for k := range got {
				if _, ok := want[k]; !ok {
					delete(got, k) // only the lists are under test
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("document lists (-want +got):\n%s", diff)
			}
		})
	}
}
