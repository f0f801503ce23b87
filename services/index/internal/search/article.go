package search

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/httpserver"
)

// Article is the body of GET /v1/articles/{id}: the stored article with
// every entity the classifier found in it.
type Article struct {
	ID                string           `json:"id"`
	Title             string           `json:"title"`
	Body              string           `json:"body"`
	URL               string           `json:"url,omitempty"`
	Source            string           `json:"source,omitempty"`
	Language          string           `json:"language,omitempty"`
	PublishedAt       *time.Time       `json:"published_at,omitempty"`
	IngestedAt        *time.Time       `json:"ingested_at,omitempty"`
	ClassifiedAt      *time.Time       `json:"classified_at,omitempty"`
	Revision          string           `json:"revision,omitempty"`
	TraceID           string           `json:"trace_id,omitempty"`
	ClassifierVersion string           `json:"classifier_version,omitempty"`
	Actors            []ArticleEntity  `json:"actors"`
	Weapons           []ArticleEntity  `json:"weapons"`
	Locations         []ArticleEntity  `json:"locations"`
	WeaponCategories  []string         `json:"weapon_categories"`
	Countries         []ValueFacetName `json:"countries"`
}

// ValueFacetName is a country code with its name.
type ValueFacetName struct {
	Value string `json:"value"`
	Name  string `json:"name,omitempty"`
}

// ArticleEntity is an entity of an article with where it is named.
type ArticleEntity struct {
	HitEntity
	Mentions Mentions `json:"mentions"`
}

// Mentions says how often and where an entity is named. Offsets count
// characters (Unicode code points) of title + "\n" + body.
type Mentions struct {
	// Count is how many times the entity is named (0 when not recorded).
	Count int32 `json:"count"`
	// Spans are the places it is named. Documents record the first mention
	// only, as a span without a length; the list will carry every mention
	// once the classifier records them.
	Spans []Span `json:"spans"`
}

// Span is one mention.
type Span struct {
	// Offset is where it starts.
	Offset int32 `json:"offset"`
	// Length is its length in characters, when known.
	Length int32 `json:"length,omitempty"`
}

// ServeArticle answers GET /v1/articles/{id}.
func (h *Handler) ServeArticle(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if r.URL.RawQuery != "" {
		httpserver.Error(w, http.StatusBadRequest, "GET /v1/articles/{id} takes no parameters")
		return
	}
	if id == "" || len(id) > 512 {
		httpserver.Error(w, http.StatusBadRequest, "article id: want 1 to 512 bytes")
		return
	}
	// esapi puts the id into the path as it is: escape it, so that "/", "?"
	// or "#" in an id cannot change the request.
	raw, err := h.call(r.Context(), esapi.GetRequest{Index: h.Index, DocumentID: url.PathEscape(id)}, "reading article "+id)
	if notFound(err) {
		// A missing index also answers 404, with an error instead of found.
		var miss struct {
			Found *bool `json:"found"`
		}
		var se *statusError
		if asStatus(err, &se) && json.Unmarshal([]byte(se.Body), &miss) == nil && miss.Found != nil {
			httpserver.Error(w, http.StatusNotFound, "no article with id "+truncate(id, 80))
			return
		}
	}
	if err != nil {
		h.fail(w, err)
		return
	}
	var got struct {
		Source esindex.Document `json:"_source"`
	}
	if !h.decode(w, raw, &got) {
		return
	}
	httpserver.WriteJSON(w, http.StatusOK, h.article(id, &got.Source))
}

func (h *Handler) article(id string, d *esindex.Document) Article {
	a := Article{
		ID: id, Title: d.Title, Body: d.Body, URL: d.URL, Source: d.Source, Language: d.Language,
		PublishedAt: d.PublishedAt, IngestedAt: d.IngestedAt, ClassifiedAt: d.ClassifiedAt, Revision: d.Revision,
		TraceID: d.TraceID, ClassifierVersion: d.ClassifierVersion,
		Actors: articleEntities(d.Actors), Weapons: articleEntities(d.Weapons), Locations: articleEntities(d.Locations),
		WeaponCategories: nonNil(d.WeaponCategories), Countries: []ValueFacetName{},
	}
	for _, c := range d.Countries {
		a.Countries = append(a.Countries, ValueFacetName{Value: c, Name: h.countryName(c)})
	}
	return a
}

func articleEntities(list []esindex.Entity) []ArticleEntity {
	out := make([]ArticleEntity, 0, len(list))
	for i, e := range hitEntities(list) {
		m := Mentions{Count: list[i].Mentions, Spans: []Span{}}
		if off := list[i].FirstOffset; off != nil {
			m.Spans = append(m.Spans, Span{Offset: *off})
		}
		out = append(out, ArticleEntity{HitEntity: e, Mentions: m})
	}
	return out
}
