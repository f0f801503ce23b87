package esindex

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
)

// mappedLeaves is Fields without the keyword sub-fields, which documents do
// not write.
func mappedLeaves() []string {
	var out []string
	walkProperties(Mapping()["properties"].(map[string]any), "", func(path string, _ map[string]any) {
		out = append(out, path)
	})
	sort.Strings(out)
	return out
}

// jsonPaths lists the field paths of a JSON document; objects holding only
// lat and lon are geo points, leaves.
func jsonPaths(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		if _, lat := x["lat"]; lat && len(x) == 2 {
			out[strings.TrimSuffix(prefix, ".")] = true
			return
		}
		for k, e := range x {
			jsonPaths(e, prefix+k+".", out)
		}
	case []any:
		for _, e := range x {
			jsonPaths(e, prefix, out)
		}
	default:
		out[strings.TrimSuffix(prefix, ".")] = true
	}
}

// fullClassified sets every field a document can carry.
func fullClassified() *newsroomv1.ClassifiedArticle {
	ts := timestamppb.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	m := &newsroomv1.Mention{Count: 2, FirstOffset: 7, Spans: []uint32{7, 1, 3, 1}}
	al := []string{"a"}
	return &newsroomv1.ClassifiedArticle{
		Article: &newsroomv1.Article{Id: "a-1", Url: "u", Source: "s", Title: "t", Body: "b", Language: "en",
			PublishedAt: ts, IngestedAt: ts, Revision: "r", TraceId: "x"},
		Actors:  []*newsroomv1.Actor{{Id: "gen:person:i", Name: "n", Kind: newsroomv1.ActorKind_ACTOR_KIND_PERSON, Mention: m, Aliases: al}},
		Weapons: []*newsroomv1.Weapon{{Id: "gen:weapon:i", Name: "n", Category: "c", Mention: m, Aliases: al}},
		Locations: []*newsroomv1.Location{{Id: "gen:place:i", Name: "n", Kind: newsroomv1.LocationKind_LOCATION_KIND_CITY,
			CountryCode: "UA", Point: &newsroomv1.GeoPoint{Lat: 1, Lon: 2}, Mention: m, Aliases: al}},
		WeaponCategories:  []string{"drone"},
		ClassifiedAt:      ts,
		ClassifierVersion: "v",
	}
}

// TestSchemaAgrees holds the descriptions of a document to one another:
// the mapping, the Document type (the encoder's oracle) and what
// AppendDocument writes, for an article with every field set.
func TestSchemaAgrees(t *testing.T) {
	want := mappedLeaves()
	c := fullClassified()
	oracle, err := json.Marshal(NewDocument(c))
	if err != nil {
		t.Fatal(err)
	}
	fast, err := AppendDocument(nil, c)
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string][]byte{"Document": oracle, "AppendDocument": fast} {
		var v any
		if err := json.Unmarshal(doc, &v); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		jsonPaths(v, "", seen)
		var written []string
		for p := range seen {
			written = append(written, p)
		}
		sort.Strings(written)
		if diff := cmp.Diff(want, written); diff != "" {
			t.Errorf("%s writes other fields than the mapping has (-mapping +written):\n%s", name, diff)
		}
	}
}

func TestHasField(t *testing.T) {
	for path, want := range map[string]bool{
		"actors.id": true, "actors.name.keyword": true, "actors": true, "title^2": true,
		"locations.point": true, "actors.nickname": false, "headline": false, "act": false,
	} {
		if got := HasField(path); got != want {
			t.Errorf("HasField(%q) = %v, want %v", path, got, want)
		}
	}
}
