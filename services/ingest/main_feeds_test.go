package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskwire/newsroom/services/pipeline/cli"
	"github.com/deskwire/newsroom/services/pipeline/kafkatest"
)

func TestFeedsCommandUsage(t *testing.T) {
	for _, args := range [][]string{{"feeds"}, {"feeds", "list"}} {
		err := run(context.Background(), args, nil, io.Discard)
		var ue cli.UsageError
		if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "ingest feeds status") {
			t.Errorf("run %v = %v, want a usage error naming ingest feeds status", args, err)
		}
	}
}

// TestServeRefusesBadFeedsFile: a feeds file that does not parse stops
// ingest at start with the file's problem, not later in a log line.
func TestServeRefusesBadFeedsFile(t *testing.T) {
	cfg := kafkatest.Config(t)
	file := filepath.Join(t.TempDir(), "feeds.yaml")
	if err := os.WriteFile(file, []byte("feeds: [{name: a, url: 'ftp://x/y'}]"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"serve", "--kafka-brokers", cfg.Brokers, "--topic-raw", cfg.TopicRaw, "--topic-dlq", cfg.TopicDLQ,
		"--kafka-partitions", "1", "--http-addr", freeAddr(t), "--feeds-file", file,
		"--feeds-state-topic", kafkatest.Name(t, "state"), "--feeds-assign-topic", kafkatest.Name(t, "assign")}, nil, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "want an absolute http(s) URL") {
		t.Fatalf("run serve with a bad feeds file = %v, want the file's error", err)
	}
}
