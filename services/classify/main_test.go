package main

import (
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	good := config{MaxBatch: 500, Concurrency: 1, ShutdownTimeout: 20 * time.Second}
	tests := []struct {
		name string
		edit func(*config)
		want string // "" for valid
	}{
		{"defaults", func(*config) {}, ""},
		{"two batches in hand", func(c *config) { c.Concurrency = 2 }, ""},
		{"no batch", func(c *config) { c.MaxBatch = 0 }, "CLASSIFY_MAX_BATCH=0"},
		{"negative workers", func(c *config) { c.Workers = -1 }, "CLASSIFY_WORKERS=-1"},
		{"no concurrency", func(c *config) { c.Concurrency = 0 }, "CLASSIFY_CONCURRENCY=0"},
		{"too much concurrency", func(c *config) { c.Concurrency = 17 }, "CLASSIFY_CONCURRENCY=17"},
		{"short shutdown", func(c *config) { c.ShutdownTimeout = time.Second }, "SHUTDOWN_TIMEOUT=1s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.edit(&c)
			err := c.validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("validate() = %v, want an error naming %s", err, tt.want)
			}
		})
	}
}
