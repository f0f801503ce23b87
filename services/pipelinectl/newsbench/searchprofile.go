package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// esProfile is where Elasticsearch spent one search, from its profile API
// (milliseconds; profiling slows the search, so the shares matter more than
// the sums).
type esProfile struct {
	TookMS      float64 `json:"took_ms"`
	QueryMS     float64 `json:"query_ms"`
	AggsMS      float64 `json:"aggs_ms"`
	FetchMS     float64 `json:"fetch_ms"`
	HighlightMS float64 `json:"highlight_ms"`
}

// parseProfile sums a profiled search's answer over its shards: query
// (matching, scoring and rewriting), aggregations and fetch, with the
// highlighting part of fetch.
func parseProfile(raw []byte) (esProfile, error) {
	type node struct {
		Type     string `json:"type"`
		Nanos    int64  `json:"time_in_nanos"`
		Children []node `json:"children"`
	}
	var r struct {
		Took    float64 `json:"took"`
		Profile struct {
			Shards []struct {
				Searches []struct {
					Query       []node `json:"query"`
					RewriteTime int64  `json:"rewrite_time"`
				} `json:"searches"`
				Aggregations []node `json:"aggregations"`
				Fetch        *node  `json:"fetch"`
			} `json:"shards"`
		} `json:"profile"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return esProfile{}, fmt.Errorf("reading a search profile: %w", err)
	}
	if len(r.Profile.Shards) == 0 {
		return esProfile{}, fmt.Errorf("reading a search profile: no shard in %.200s", raw)
	}
	var p esProfile
	ms := func(n int64) float64 { return float64(n) / 1e6 }
	for _, s := range r.Profile.Shards {
		for _, q := range s.Searches {
			p.QueryMS += ms(q.RewriteTime)
			for _, n := range q.Query {
				p.QueryMS += ms(n.Nanos)
			}
		}
		for _, a := range s.Aggregations {
			p.AggsMS += ms(a.Nanos)
		}
		if s.Fetch != nil {
			p.FetchMS += ms(s.Fetch.Nanos)
			for _, c := range s.Fetch.Children {
				if strings.Contains(c.Type, "Highlight") {
					p.HighlightMS += ms(c.Nanos)
				}
			}
		}
	}
	p.TookMS = r.Took
	return p, nil
}

// profileMix runs each recorded search of the mix once with profiling on
// and returns the mean breakdown per kind; queries that are not one search
// are left out.
func (m *mixRunner) profileMix(ctx context.Context, mix []mixQuery, calls [][]esCall) (map[string]esProfile, error) {
	sums, counts := map[string]esProfile{}, map[string]int{}
	for i, q := range mix {
		if len(calls[i]) != 1 || !strings.Contains(calls[i][0].Path, "/_search") {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(calls[i][0].Body, &body); err != nil {
			return nil, fmt.Errorf("profiling %s: the recorded body: %w", q.Path, err)
		}
		body["profile"] = true
		b, _ := json.Marshal(body)
		c := calls[i][0]
		c.Body = b
		raw, err := m.directBody(ctx, c)
		if err != nil {
			return nil, fmt.Errorf("profiling %s: %w", q.Path, err)
		}
		p, err := parseProfile(raw)
		if err != nil {
			return nil, err
		}
		s := sums[q.Kind]
		s.TookMS, s.QueryMS, s.AggsMS, s.FetchMS, s.HighlightMS = s.TookMS+p.TookMS, s.QueryMS+p.QueryMS, s.AggsMS+p.AggsMS, s.FetchMS+p.FetchMS, s.HighlightMS+p.HighlightMS
		sums[q.Kind] = s
		counts[q.Kind]++
	}
	out := map[string]esProfile{}
	for k, s := range sums {
		n := float64(counts[k])
		out[k] = esProfile{TookMS: round(s.TookMS/n, 1), QueryMS: round(s.QueryMS/n, 1), AggsMS: round(s.AggsMS/n, 1),
			FetchMS: round(s.FetchMS/n, 1), HighlightMS: round(s.HighlightMS/n, 1)}
	}
	return out, nil
}
