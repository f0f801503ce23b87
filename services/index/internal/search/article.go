package search

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/httpserver"
	"github.com/deskwire/newsroom/services/pipeline/record"
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
	// Aliases are a generated entity's other names (surname, acronym).
	Aliases  []string `json:"aliases,omitempty"`
	Mentions Mentions `json:"mentions"`
}

// Mentions says how often and where an entity is named.
type Mentions struct {
	// Count is how many times the entity is named (0 when not recorded).
	Count int32 `json:"count"`
	// Spans are where it is named, in order: every mention, up to
	// record.MaxSpans (100) per entity. Empty for documents indexed before
	// the classifier recorded spans (a client then finds the mentions by
	// name).
	Spans []Span `json:"spans"`
}

// Span is one mention: the text [Start, End) of Field, in UTF-16 code
// units (what a JavaScript string's index and slice count), so that a
// browser highlights title.slice(start, end) as given.
type Span struct {
	// Field is "title" or "body".
	Field string `json:"field"`
	Start int    `json:"start"`
	End   int    `json:"end"`
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
	// A missing document answers 404 with "found":false; a missing index
	// answers 404 with an error instead (a pipeline still starting: 503).
	var se *statusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound && strings.Contains(se.Body, `"found":false`) {
		httpserver.Error(w, http.StatusNotFound, "no article with id "+truncate(id, 80))
		return
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
	title, body := record.UTF16Len(d.Title), record.UTF16Len(d.Body)
	a := Article{
		ID: id, Title: d.Title, Body: d.Body, URL: d.URL, Source: d.Source, Language: d.Language,
		PublishedAt: d.PublishedAt, IngestedAt: d.IngestedAt, ClassifiedAt: d.ClassifiedAt, Revision: d.Revision,
		TraceID: d.TraceID, ClassifierVersion: d.ClassifierVersion,
		Actors: articleEntities(d.Actors, title, body), Weapons: articleEntities(d.Weapons, title, body),
		Locations:        articleEntities(d.Locations, title, body),
		WeaponCategories: nonNil(d.WeaponCategories), Countries: []ValueFacetName{},
	}
	for _, c := range d.Countries {
		a.Countries = append(a.Countries, ValueFacetName{Value: c, Name: h.countryName(c)})
	}
	return a
}

func articleEntities(list []esindex.Entity, title, body int) []ArticleEntity {
	out := make([]ArticleEntity, 0, len(list))
	var buf []record.Span
	for i, e := range hitEntities(list) {
		m := Mentions{Count: list[i].Mentions, Spans: []Span{}}
		buf = record.AppendDecodedSpans(buf[:0], list[i].Spans)
		for _, sp := range buf {
			if f, ok := fieldSpan(sp, title, body); ok {
				m.Spans = append(m.Spans, f)
			}
		}
		out = append(out, ArticleEntity{HitEntity: e, Aliases: list[i].Aliases, Mentions: m})
	}
	return out
}

// fieldSpan turns a span of title + "\n" + body into one of the title
// (title UTF-16 units long) or the body (body units); false for a span
// outside both, or across the line between them.
func fieldSpan(sp record.Span, title, body int) (Span, bool) {
	switch {
	case sp.End <= title:
		return Span{Field: "title", Start: sp.Start, End: sp.End}, sp.Start < sp.End
	case sp.Start > title && sp.End-title-1 <= body:
		return Span{Field: "body", Start: sp.Start - title - 1, End: sp.End - title - 1}, sp.Start < sp.End
	}
	return Span{}, false
}
