// Package metrics defines the Prometheus metrics every service exports on
// /metrics. One Metrics value per process, passed explicitly.
package metrics

import (
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/deskwire/newsroom/services/pipeline/buildinfo"
)

// Metrics holds the collectors of one service.
type Metrics struct {
	Registry     *prometheus.Registry
	Consumed     *prometheus.CounterVec   // topic
	Produced     *prometheus.CounterVec   // topic
	Failed       *prometheus.CounterVec   // topic
	DeadLettered *prometheus.CounterVec   // topic, reason
	Processing   *prometheus.HistogramVec // stage
	Bulk         prometheus.Histogram
	BulkFailures *prometheus.CounterVec // status
	Lag          *prometheus.GaugeVec   // topic, partition
	HTTPRequests *prometheus.CounterVec // route, code
	Rejected     *prometheus.CounterVec // reason: articles ingest refused
	HTTPLatency  *prometheus.HistogramVec
}

// New registers the collectors for service.
func New(service string) *Metrics {
	reg := prometheus.NewRegistry()
	c := prometheus.Labels{"service": service}
	f := func(name, help string, labels ...string) *prometheus.CounterVec {
		v := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: c}, labels)
		reg.MustRegister(v)
		return v
	}
	m := &Metrics{
		Registry:     reg,
		Consumed:     f("newsroom_messages_consumed_total", "Records fetched from Kafka.", "topic"),
		Produced:     f("newsroom_messages_produced_total", "Records acknowledged by Kafka.", "topic"),
		Failed:       f("newsroom_messages_failed_total", "Records whose handling failed (retried or dead-lettered).", "topic"),
		DeadLettered: f("newsroom_messages_deadlettered_total", "Records sent to the dead-letter topic.", "topic", "reason"),
		BulkFailures: f("newsroom_bulk_item_failures_total", "Elasticsearch bulk items that failed, by HTTP status.", "status"),
		HTTPRequests: f("newsroom_http_requests_total", "HTTP requests served.", "route", "code"),
		Rejected:     f("newsroom_articles_rejected_total", "Submitted articles refused (HTTP or ingest load), by reason.", "reason"),
	}
	m.Processing = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "newsroom_processing_seconds", Help: "Time to handle one batch of records, by stage.",
		ConstLabels: c, Buckets: prometheus.ExponentialBuckets(0.001, 2, 16),
	}, []string{"stage"})
	m.Bulk = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "newsroom_bulk_seconds", Help: "Elasticsearch bulk request latency.",
		ConstLabels: c, Buckets: prometheus.ExponentialBuckets(0.002, 2, 14),
	})
	m.Lag = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "newsroom_consumer_lag", Help: "Records behind the partition's high watermark at the last fetch.", ConstLabels: c,
	}, []string{"topic", "partition"})
	m.HTTPLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "newsroom_http_request_seconds", Help: "HTTP request latency.", ConstLabels: c,
		Buckets: prometheus.ExponentialBuckets(0.001, 2, 15),
	}, []string{"route"})
	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "newsroom_build_info", Help: "Build version of the running binary.",
	}, []string{"service", "version", "goversion"})
	info.WithLabelValues(service, buildinfo.Version, buildinfo.GoVersion()).Set(1)
	reg.MustRegister(m.Processing, m.Bulk, m.Lag, m.HTTPLatency, info,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// SetLag records the lag of one partition.
func (m *Metrics) SetLag(topic string, partition int, lag int64) {
	m.Lag.WithLabelValues(topic, strconv.Itoa(partition)).Set(float64(lag))
}

// Server-error codes every route starts with at zero (InitRoute).
var baselineCodes = []string{"500", "503"}

// The error and dead-letter counters start at zero for every label value a
// service knows, through the Init methods below: an alert on their rate
// then has a series from the start instead of none until the first error.

// InitProduced exports the produced and failed counters of the topics the
// service writes.
func (m *Metrics) InitProduced(topics ...string) {
	for _, t := range topics {
		m.Produced.WithLabelValues(t)
		m.Failed.WithLabelValues(t)
	}
}

// InitDeadLetters exports the dead-letter counter of records consumed from
// topic for every reason the service dead-letters for.
func (m *Metrics) InitDeadLetters(topic string, reasons ...string) {
	for _, r := range reasons {
		m.DeadLettered.WithLabelValues(topic, r)
	}
}

// InitBulkFailures exports the bulk item failure counter for the statuses
// the service tells apart.
func (m *Metrics) InitBulkFailures(statuses ...int) {
	for _, s := range statuses {
		m.BulkFailures.WithLabelValues(strconv.Itoa(s))
	}
}

// InitRejected exports ingest's rejection counter for every reason.
func (m *Metrics) InitRejected(reasons ...string) {
	for _, r := range reasons {
		m.Rejected.WithLabelValues(r)
	}
}

// InitRoute exports the request counter of route with the server-error
// codes (500, 503).
func (m *Metrics) InitRoute(route string) {
	for _, c := range baselineCodes {
		m.HTTPRequests.WithLabelValues(route, c)
	}
}
