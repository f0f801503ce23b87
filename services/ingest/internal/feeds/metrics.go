package feeds

import (
	"github.com/prometheus/client_golang/prometheus"
)

// feedMetrics are the per-feed series on ingest's /metrics.
type feedMetrics struct {
	lastSuccess *prometheus.GaugeVec   // feed
	lastStatus  *prometheus.GaugeVec   // feed
	published   *prometheus.CounterVec // feed
	errors      *prometheus.CounterVec // feed, reason
	polls       *prometheus.CounterVec // feed, result
	fullText    *prometheus.CounterVec // result
}

// newFeedMetrics registers the feed collectors on reg (nil: unregistered,
// for tests).
func newFeedMetrics(reg prometheus.Registerer) *feedMetrics {
	c := prometheus.Labels{"service": "ingest"}
	m := &feedMetrics{
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "newsroom_feed_last_success_timestamp_seconds",
			Help: "Unix time of the feed's last successful poll (200 or 304).", ConstLabels: c}, []string{"feed"}),
		lastStatus: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "newsroom_feed_last_http_status",
			Help: "HTTP status of the feed's last answer (0: no answer).", ConstLabels: c}, []string{"feed"}),
		published: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsroom_feed_items_published_total",
			Help: "Feed items published to the raw topic (new items and new revisions).", ConstLabels: c}, []string{"feed"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsroom_feed_errors_total",
			Help: "Failed polls by reason (fetch, http, too_large, parse, publish, config) and items skipped as invalid (invalid_item).", ConstLabels: c}, []string{"feed", "reason"}),
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsroom_feed_polls_total",
			Help: "Polls by result: new, unchanged (200 with nothing new), not_modified (304), error.", ConstLabels: c}, []string{"feed", "result"}),
		fullText: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsroom_feed_fulltext_total",
			Help: "Linked pages fetched for full text, by result: ok, no_article, error.", ConstLabels: c}, []string{"result"}),
	}
	if reg != nil {
		reg.MustRegister(m.lastSuccess, m.lastStatus, m.published, m.errors, m.polls, m.fullText)
	}
	return m
}
