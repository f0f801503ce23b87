package main

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/pipeline/stream"
)

func deadLetter(key, stage, reason, at, topic string) kafka.Message {
	return kafka.Message{Topic: "articles.dlq", Partition: 2, Offset: 41, Key: []byte(key), Value: []byte("v"), Headers: []kafka.Header{
		{Key: "content-type", Value: []byte("application/x-protobuf")},
		{Key: stream.HeaderDLQStage, Value: []byte(stage)},
		{Key: stream.HeaderDLQReason, Value: []byte(reason)},
		{Key: stream.HeaderDLQTime, Value: []byte(at)},
		{Key: stream.HeaderDLQTopic, Value: []byte(topic)},
		{Key: stream.HeaderDLQPartition, Value: []byte("1")},
		{Key: stream.HeaderDLQOffset, Value: []byte("7")},
	}}
}

func TestRedriveFilter(t *testing.T) {
	m := deadLetter("a1", "index", "es_rejected", "2026-03-04T05:06:07.5Z", "articles.classified")
	tests := []struct {
		name                               string
		stages, reasons, ids, since, until string
		want                               bool
	}{
		{"no filter", "", "", "", "", "", true},
		{"stage", "classify,index", "", "", "", "", true},
		{"other stage", "classify", "", "", "", "", false},
		{"reason", "", "es_rejected", "", "", "", true},
		{"other reason", "", "decode", "", "", "", false},
		{"id", "", "", "a0, a1", "", "", true},
		{"other id", "", "", "a2", "", "", false},
		{"since before", "", "", "", "2026-03-04", "", true},
		{"since after", "", "", "", "2026-03-04T05:06:08Z", "", false},
		{"until after", "", "", "", "", "2026-03-05", true},
		{"until is exclusive", "", "", "", "", "2026-03-04T05:06:07.5Z", false},
		{"all together", "index", "es_rejected", "a1", "2026-03-01", "2026-04-01", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseRedriveFilter(tt.stages, tt.reasons, tt.ids, tt.since, tt.until)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.match(m); got != tt.want {
				t.Errorf("match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRedriveFilterErrors(t *testing.T) {
	for _, tt := range []struct{ since, until, want string }{
		{"yesterday", "", `--since "yesterday": want an RFC 3339 time (2026-01-02T15:04:05Z) or a date (2026-01-02)`},
		{"", "2026-13-01", `--until "2026-13-01": want an RFC 3339 time (2026-01-02T15:04:05Z) or a date (2026-01-02)`},
		{"2026-02-01", "2026-01-01", "--until 2026-01-01 is not after --since 2026-02-01"},
	} {
		_, err := parseRedriveFilter("", "", "", tt.since, tt.until)
		if err == nil || err.Error() != tt.want {
			t.Errorf("since %q until %q: error %v, want %q", tt.since, tt.until, err, tt.want)
		}
	}
}

func TestRedrivenRecord(t *testing.T) {
	m := deadLetter("a1", "classify", "invalid", time.Now().Format(time.RFC3339Nano), "articles.raw")
	topic, out, ok := redriven(m, "articles.dlq")
	if !ok || topic != "articles.raw" {
		t.Fatalf("redriven = %q, %v; want articles.raw, true", topic, ok)
	}
	want := kafka.Message{Key: []byte("a1"), Value: []byte("v"), Headers: []kafka.Header{
		{Key: "content-type", Value: []byte("application/x-protobuf")},
		{Key: HeaderRedriven, Value: []byte("articles.dlq/2@41")},
	}}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("redriven record (-want +got):\n%s", diff)
	}
	for _, origin := range []string{"", "articles.dlq"} {
		if _, _, ok := redriven(deadLetter("a1", "s", "r", "", origin), "articles.dlq"); ok {
			t.Errorf("a dead letter from %q was redriven; it names no other topic", origin)
		}
	}
}
