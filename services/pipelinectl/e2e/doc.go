// Package e2e holds the end-to-end tests: they build and start the three
// services as processes against the real Kafka and Elasticsearch and drive
// them over HTTP, as a newsroom would.
package e2e
