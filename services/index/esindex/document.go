package esindex

import (
	"slices"
	"sort"
	"strings"
	"time"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// Document is an article as stored in Elasticsearch.
type Document struct {
	ID                string     `json:"id"`
	URL               string     `json:"url,omitempty"`
	Source            string     `json:"source,omitempty"`
	Title             string     `json:"title,omitempty"`
	Body              string     `json:"body,omitempty"`
	Language          string     `json:"language,omitempty"`
	PublishedAt       *time.Time `json:"published_at,omitempty"`
	IngestedAt        *time.Time `json:"ingested_at,omitempty"`
	ClassifiedAt      *time.Time `json:"classified_at,omitempty"`
	Revision          string     `json:"revision,omitempty"`
	ClassifierVersion string     `json:"classifier_version,omitempty"`
	TraceID           string     `json:"trace_id,omitempty"`
	Actors            []Entity   `json:"actors"`
	Weapons           []Entity   `json:"weapons"`
	Locations         []Entity   `json:"locations"`
	WeaponCategories  []string   `json:"weapon_categories"`
	Countries         []string   `json:"countries"`
}

// Entity is an entity inside a Document.
type Entity struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Key         string    `json:"key"`
	Kind        string    `json:"kind,omitempty"`
	Category    string    `json:"category,omitempty"`
	CountryCode string    `json:"country_code,omitempty"`
	Point       *GeoPoint `json:"point,omitempty"`
	Mentions    int32     `json:"mentions,omitempty"`
	// FirstOffset is where the entity is first named, in characters of
	// title + "\n" + body; nil for a document written without it.
	FirstOffset *int32 `json:"first_offset,omitempty"`
	// Spans are every mention as Mention.spans codes them (pairs of gap
	// and length in UTF-16 code units of title + "\n" + body), kept in
	// _source only; empty for a document written without them.
	Spans []uint32 `json:"spans,omitempty"`
	// Aliases are a generated entity's other names (surname, acronym).
	Aliases []string `json:"aliases,omitempty"`
	// Lookup finds a generated entity by name or alias: "<key>|<id>" per
	// distinct catalog.Key of its name and aliases (see LookupKeys).
	Lookup []string `json:"lookup,omitempty"`
}

// LookupKeys returns the lookup values of an entity: for a generated one
// (id "gen:…") "<catalog.Key(form)>|<id>" for its name and each alias,
// without repeats; nil for a catalog entity, which the catalog resolves.
func LookupKeys(id, name string, aliases []string) []string {
	if !strings.HasPrefix(id, "gen:") {
		return nil
	}
	out := make([]string, 0, 1+len(aliases))
	for _, form := range append([]string{name}, aliases...) {
		if k := catalog.Key(form); k != "" && !slices.Contains(out, k+"|"+id) {
			out = append(out, k+"|"+id)
		}
	}
	return out
}

// spans returns m's coded spans, nil when there are none.
func spans(m *newsroomv1.Mention) []uint32 {
	if s := m.GetSpans(); len(s) > 0 {
		return s
	}
	return nil
}

// firstOffset is m's first offset, nil without a Mention.
func firstOffset(m *newsroomv1.Mention) *int32 {
	if m == nil {
		return nil
	}
	v := m.GetFirstOffset()
	return &v
}

// nonEmpty is list, nil when empty (omitempty writes neither).
func nonEmpty(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	return list
}

// GeoPoint is a geo_point value.
type GeoPoint struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// FacetKey joins id and name for facet fields; ids never contain "|".
func FacetKey(id, name string) string { return id + "|" + name }

func ts(t interface{ AsTime() time.Time }, valid bool) *time.Time {
	if !valid {
		return nil
	}
	v := t.AsTime().UTC()
	return &v
}

// NewDocument builds the document for a classified article.
func NewDocument(c *newsroomv1.ClassifiedArticle) Document {
	a := c.GetArticle()
	na, nw := len(c.GetActors()), len(c.GetWeapons())
	n := na + nw + len(c.GetLocations())
	ents := make([]Entity, 0, n) // one allocation for all three lists
	d := Document{
		ID: a.GetId(), URL: a.GetUrl(), Source: a.GetSource(), Title: a.GetTitle(), Body: a.GetBody(),
		Language: a.GetLanguage(), Revision: a.GetRevision(), TraceID: a.GetTraceId(),
		PublishedAt:       ts(a.GetPublishedAt(), a.GetPublishedAt() != nil),
		IngestedAt:        ts(a.GetIngestedAt(), a.GetIngestedAt() != nil),
		ClassifiedAt:      ts(c.GetClassifiedAt(), c.GetClassifiedAt() != nil),
		ClassifierVersion: c.GetClassifierVersion(),
		Actors:            ents[0:0:na],
		Weapons:           ents[na : na : na+nw],
		Locations:         ents[na+nw : na+nw : n],
		WeaponCategories:  append([]string{}, c.GetWeaponCategories()...),
		Countries:         []string{},
	}
	for _, e := range c.GetActors() {
		d.Actors = append(d.Actors, Entity{ID: e.GetId(), Name: e.GetName(), Key: FacetKey(e.GetId(), e.GetName()), Kind: actorKind(e.GetKind()),
			Mentions: e.GetMention().GetCount(), FirstOffset: firstOffset(e.GetMention()), Spans: spans(e.GetMention()),
			Aliases: nonEmpty(e.GetAliases()), Lookup: LookupKeys(e.GetId(), e.GetName(), e.GetAliases())})
	}
	for _, e := range c.GetWeapons() {
		d.Weapons = append(d.Weapons, Entity{ID: e.GetId(), Name: e.GetName(), Key: FacetKey(e.GetId(), e.GetName()), Category: e.GetCategory(),
			Mentions: e.GetMention().GetCount(), FirstOffset: firstOffset(e.GetMention()), Spans: spans(e.GetMention()),
			Aliases: nonEmpty(e.GetAliases()), Lookup: LookupKeys(e.GetId(), e.GetName(), e.GetAliases())})
	}
	for _, e := range c.GetLocations() {
		ent := Entity{ID: e.GetId(), Name: e.GetName(), Key: FacetKey(e.GetId(), e.GetName()), Kind: LocationKind(e.GetKind()),
			CountryCode: e.GetCountryCode(), Mentions: e.GetMention().GetCount(), FirstOffset: firstOffset(e.GetMention()),
			Spans: spans(e.GetMention()), Aliases: nonEmpty(e.GetAliases()), Lookup: LookupKeys(e.GetId(), e.GetName(), e.GetAliases())}
		if p := e.GetPoint(); p != nil {
			ent.Point = &GeoPoint{Lat: p.GetLat(), Lon: p.GetLon()}
		}
		if cc := e.GetCountryCode(); cc != "" {
			d.Countries = append(d.Countries, cc)
		}
		d.Locations = append(d.Locations, ent)
	}
	sort.Strings(d.Countries)
	d.Countries = slices.Compact(d.Countries)
	return d
}

// actorKind names an actor kind as stored; "" for an unspecified or
// unknown kind.
func actorKind(k newsroomv1.ActorKind) string {
	switch k {
	case newsroomv1.ActorKind_ACTOR_KIND_PERSON:
		return "person"
	case newsroomv1.ActorKind_ACTOR_KIND_ORGANIZATION:
		return "organization"
	}
	return ""
}

// LocationKind names a location kind as stored.
func LocationKind(k newsroomv1.LocationKind) string {
	switch k {
	case newsroomv1.LocationKind_LOCATION_KIND_COUNTRY:
		return "country"
	case newsroomv1.LocationKind_LOCATION_KIND_REGION:
		return "region"
	case newsroomv1.LocationKind_LOCATION_KIND_CITY:
		return "city"
	case newsroomv1.LocationKind_LOCATION_KIND_PLACE:
		return "place"
	}
	return ""
}

// Version is the external version of a document: the revision's ingest time
// in microseconds. A re-delivered or re-classified revision has the same
// version and replaces the document (version_type external_gte); an older
// revision has a lower one and is rejected.
func Version(c *newsroomv1.ClassifiedArticle) int64 {
	if t := c.GetArticle().GetIngestedAt(); t != nil {
		return t.AsTime().UnixMicro()
	}
	return 0
}
