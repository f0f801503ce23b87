package search

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // time zones without the system's database

	"github.com/deskwire/newsroom/services/pipeline/httpserver"
)

// Timeline limits.
const (
	DefaultSplitSize = 5
	MaxSplitSize     = 20
	// MaxIntervals caps the intervals between from and to.
	MaxIntervals = 2000
)

var timelineParams = append(slices.Clone(filterParams), "interval", "tz", "split", "split_size")

// intervalDays approximates each interval, to bound the number of buckets.
var intervalDays = map[string]float64{"day": 1, "week": 7, "month": 28}

// Timeline counts articles per calendar interval.
type Timeline struct {
	Interval string `json:"interval"`
	TZ       string `json:"tz"`
	// Split is the facet each interval is split by, "" for none.
	Split   string       `json:"split,omitempty"`
	Buckets []TimeBucket `json:"buckets"`
	// Undated counts the matching articles without a publication time,
	// which no interval holds.
	Undated int64 `json:"undated"`
}

// TimeBucket is one interval.
type TimeBucket struct {
	// Start is the interval's first instant, in the time zone.
	Start time.Time `json:"start"`
	Count int64     `json:"count"`
	// Split are the top values of the split facet in the interval, and
	// Other counts the interval's articles naming none of them.
	Split []SplitCount `json:"split,omitempty"`
	Other *int64       `json:"other,omitempty"`
}

// SplitCount is a facet value's article count in one interval.
type SplitCount struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Count int64  `json:"count"`
}

// TimelineResponse is the body of GET /v1/timeline.
type TimelineResponse struct {
	Total int64 `json:"total"`
	Timeline
	Resolved []Filter `json:"resolved"`
}

// histogram is a parsed interval and time zone.
type histogram struct {
	interval, tz string
	loc          *time.Location
	from, to     *time.Time
	split        string
	splitSize    int
	name         func(string) string
}

// parseHistogram reads interval= (default def) and tz= (default UTC).
func parseHistogram(v map[string][]string, def string) (histogram, error) {
	h := histogram{interval: def, tz: "UTC", loc: time.UTC}
	iv, err := single(v, "interval")
	if err != nil {
		return h, err
	}
	if iv != "" {
		if _, ok := intervalDays[iv]; !ok {
			return h, bad("interval=%q: want day, week or month", truncate(iv, 40))
		}
		h.interval = iv
	}
	tz, err := single(v, "tz")
	if err != nil || tz == "" {
		return h, err
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "Local" || strings.HasPrefix(tz, "/") {
		return h, bad("tz=%q: want an IANA time zone such as Europe/Kyiv or UTC", truncate(tz, 40))
	}
	h.tz, h.loc = tz, loc
	return h, nil
}

// agg is the date_histogram aggregation with sub-aggregations sub.
func (h histogram) agg(sub map[string]any) map[string]any {
	dh := map[string]any{"field": "published_at", "calendar_interval": h.interval, "time_zone": h.tz, "min_doc_count": 0}
	if h.from != nil && h.to != nil {
		b := map[string]any{"min": h.from.UnixMilli(), "max": h.to.UnixMilli() - 1}
		dh["extended_bounds"] = b
	}
	a := map[string]any{"date_histogram": dh}
	if sub != nil {
		a["aggs"] = sub
	}
	return a
}

// undatedAgg counts the documents without published_at.
var undatedAgg = map[string]any{"missing": map[string]any{"field": "published_at"}}

// timeline reads the histogram's buckets and the undated count.
func (h histogram) timeline(es *esResponse, split string) Timeline {
	buckets := es.Aggregations["timeline"].Buckets
	t := Timeline{Interval: h.interval, TZ: h.tz, Split: split, Buckets: []TimeBucket{}, Undated: es.Aggregations["undated"].DocCount}
	for _, b := range buckets {
		var ms int64
		if err := jsonNumber(b.Key, &ms); err != nil {
			continue
		}
		tb := TimeBucket{Start: time.UnixMilli(ms).In(h.loc), Count: b.DocCount}
		if split != "" {
			tb.Split = []SplitCount{}
			other := int64(0)
			if b.Split != nil {
				for _, s := range b.Split.Buckets {
					id, name, _ := strings.Cut(s.key(), "|")
					if h.name != nil {
						name = h.name(id)
					}
					tb.Split = append(tb.Split, SplitCount{ID: id, Name: name, Count: s.DocCount})
				}
				other = b.Split.SumOther
			}
			tb.Other = &other
		}
		t.Buckets = append(t.Buckets, tb)
	}
	return t
}

// ServeTimeline answers GET /v1/timeline.
func (h *Handler) ServeTimeline(w http.ResponseWriter, r *http.Request) {
	vals, err := ParseQuery(r.URL.RawQuery)
	if err == nil {
		err = checkValues(vals, timelineParams)
	}
	var p Params
	if err == nil {
		p, err = parseFilters(vals)
	}
	var hist histogram
	if err == nil {
		hist, err = parseHistogram(vals, "day")
	}
	if err == nil {
		hist.split, err = single(vals, "split")
		if err == nil && hist.split != "" && !slices.Contains(entityTypes, hist.split) {
			err = bad("split=%q: want actor, weapon, location, category or country", truncate(hist.split, 40))
		}
	}
	if err == nil {
		hist.splitSize, err = optNumber(vals, "split_size", DefaultSplitSize, 1, MaxSplitSize)
	}
	if err == nil && p.From != nil && p.To != nil {
		hist.from, hist.to = p.From, p.To
		if n := p.To.Sub(*p.From).Hours() / 24 / intervalDays[hist.interval]; n > MaxIntervals {
			err = bad("from and to span about %.0f %ss: at most %d intervals; use a longer interval or a shorter range", n, hist.interval, MaxIntervals)
		}
	}
	if err != nil {
		httpserver.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	if hist.split == TypeCountry {
		hist.name = h.countryName
	}
	q, err := h.resolve(r.Context(), p)
	if err != nil {
		h.fail(w, err)
		return
	}
	query, _ := q.Clauses()
	var sub map[string]any
	if hist.split != "" {
		sub = map[string]any{"split": map[string]any{"terms": map[string]any{"field": splitFields[hist.split], "size": hist.splitSize}}}
	}
	body := map[string]any{"query": query, "size": 0, "track_total_hits": true, "aggs": map[string]any{"timeline": hist.agg(sub), "undated": undatedAgg}}
	raw, err := h.search(r.Context(), searchRequest{body: body})
	if err != nil {
		if tooManyBuckets(err) {
			httpserver.Error(w, http.StatusBadRequest, "too many intervals: give from and to, or use a longer interval")
			return
		}
		h.fail(w, err)
		return
	}
	var es esResponse
	if !h.decode(w, raw, &es) {
		return
	}
	httpserver.WriteJSON(w, http.StatusOK, TimelineResponse{
		Total: es.Hits.Total.Value, Timeline: hist.timeline(&es, hist.split),
		Resolved: nonNil(q.Filters),
	})
}

// tooManyBuckets reports Elasticsearch refusing a histogram's size.
func tooManyBuckets(err error) bool {
	var se *statusError
	var ue unavailableError
	return errors.As(err, &se) && strings.Contains(se.Body, "too_many_buckets") ||
		errors.As(err, &ue) && strings.Contains(ue.Error(), "too_many_buckets")
}
