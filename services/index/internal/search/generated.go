package search

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// maxGeneratedIDs bounds the generated entities one value resolves to (a
// common surname may name many people).
const maxGeneratedIDs = 50

// resolve is Resolve and then, for the entity values the catalog does not
// know, the entities of the articles that the value names: generated ones
// (ids "gen:…", found by rules and known only from articles) by a name or
// alias that folds to the same key (case and diacritics ignored, as the
// catalog does), and any by its id or exact name, case-insensitively (an
// entity of a catalog other than the service's, or a generated one in a
// document indexed before lookup values existed). Those ids join the
// filter's IDs; a value that names none stays Unresolved and matches
// nothing.
func (h *Handler) resolve(ctx context.Context, p Params) (Query, error) {
	q := Resolve(p, h.Catalog)
	asks, body := lookupRequest(q)
	if len(asks) == 0 {
		return q, nil
	}
	raw, err := h.search(ctx, searchRequest{body: body})
	if err != nil {
		return q, fmt.Errorf("resolving generated entities: %w", err)
	}
	var es esResponse
	if err := json.Unmarshal(raw, &es); err != nil {
		return q, fmt.Errorf("resolving generated entities: %w", err)
	}
	found := map[ask]bool{}
	for n, a := range asks {
		f := &q.Filters[a.filter]
		add := func(id string) {
			if id != "" {
				f.IDs = appendNew(f.IDs, id)
				found[a] = true
			}
		}
		for _, b := range es.Aggregations[fmt.Sprintf("l%d", n)].Buckets {
			_, id, _ := strings.Cut(b.key(), "|")
			add(id)
		}
		for _, b := range es.Aggregations[fmt.Sprintf("i%d", n)].Buckets {
			add(b.key())
		}
		for _, b := range es.Aggregations[fmt.Sprintf("n%d", n)].Buckets {
			id, _, _ := strings.Cut(b.key(), "|")
			add(id)
		}
	}
	for i := range q.Filters {
		f := &q.Filters[i]
		var still []string
		for _, alt := range f.Unresolved {
			if !found[ask{filter: i, alt: alt}] {
				still = append(still, alt)
			}
		}
		f.Unresolved = still
	}
	return q, nil
}

// ask is an entity value of a filter (index in Query.Filters) that the
// catalog did not resolve.
type ask struct {
	filter int
	alt    string
}

// lookupRequest returns the values of q to look up in the articles and the
// search body that does: documents naming an entity by id, exact name or
// lookup key, and per value n the matching lookup values (aggregation
// "l<n>"), ids ("i<n>") and "id|name" keys ("n<n>"). No values, no body.
func lookupRequest(q Query) ([]ask, map[string]any) {
	var asks []ask
	var should []any
	aggs := map[string]any{}
	for i, f := range q.Filters {
		param, _ := strings.CutPrefix(f.Param, "not_")
		field, ok := entityFields[param]
		if !ok {
			continue
		}
		for _, alt := range f.Unresolved {
			n := len(asks)
			asks = append(asks, ask{filter: i, alt: alt})
			should = append(should, term(field+".id", alt), term(field+".name.keyword", alt))
			if key := catalog.Key(alt); key != "" {
				should = append(should, map[string]any{"prefix": map[string]any{field + ".lookup": key + "|"}})
				aggs[fmt.Sprintf("l%d", n)] = includeAgg(field+".lookup", regexpQuote(key)+`\|.*`)
			}
			aggs[fmt.Sprintf("i%d", n)] = includeAgg(field+".id", foldedRegexp(alt))
			aggs[fmt.Sprintf("n%d", n)] = includeAgg(field+".key", `[^|]*\|`+foldedRegexp(alt))
		}
	}
	if len(asks) == 0 {
		return nil, nil
	}
	return asks, map[string]any{"size": 0, "query": anyOf(should), "aggs": aggs}
}

// includeAgg lists the values of field that match the Lucene regular
// expression re, among the documents the query matched.
func includeAgg(field, re string) map[string]any {
	return map[string]any{"terms": map[string]any{"field": field, "include": re, "size": maxGeneratedIDs}}
}

// regexpQuote escapes every character of s but letters and digits for a
// Lucene regular expression, where a backslash makes any character literal.
func regexpQuote(s string) string {
	var b strings.Builder
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldedRegexp matches s ignoring case: each cased letter becomes a class
// of its forms ("[pP]"), everything else is quoted.
func foldedRegexp(s string) string {
	var b strings.Builder
	for _, r := range s {
		lo, up := unicode.ToLower(r), unicode.ToUpper(r)
		switch {
		case lo != up:
			b.WriteByte('[')
			b.WriteRune(lo)
			b.WriteRune(up)
			if t := unicode.ToTitle(r); t != lo && t != up {
				b.WriteRune(t)
			}
			b.WriteByte(']')
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte('\\')
			b.WriteRune(r)
		}
	}
	return b.String()
}
