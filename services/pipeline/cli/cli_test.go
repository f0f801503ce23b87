package cli

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/deskwire/newsroom/services/pipeline/envflag"
)

func TestParseServesProfilesOnlyWhenAsked(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	var stderr strings.Builder
	if _, _, err := Parse("test", []string{"--pprof-addr", addr}, &stderr, func(*envflag.Set) {}); err != nil {
		t.Fatalf("Parse: %v", err)
	}
	res, err := http.Get("http://" + addr + "/debug/pprof/cmdline")
	if err != nil {
		t.Fatalf("profile server: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || len(body) == 0 {
		t.Fatalf("GET /debug/pprof/cmdline = %d %q", res.StatusCode, body)
	}
	if !strings.Contains(stderr.String(), "serving profiles") {
		t.Errorf("no log line says where the profiles are: %s", stderr.String())
	}

	// The address is taken now: a clear error, not a silent failure.
	if _, _, err := Parse("test", []string{"--pprof-addr", addr}, io.Discard, func(*envflag.Set) {}); err == nil || !strings.Contains(err.Error(), "PPROF_ADDR") {
		t.Errorf("Parse on a busy address = %v, want an error naming PPROF_ADDR", err)
	}
}

func TestSubcommand(t *testing.T) {
	tests := []struct {
		args    []string
		cmd     string
		restLen int
	}{
		{nil, "serve", 0},
		{[]string{"--x"}, "serve", 1},
		{[]string{"load", "a.ndjson"}, "load", 1},
	}
	for _, tt := range tests {
		cmd, rest := Subcommand(tt.args, "serve")
		if cmd != tt.cmd || len(rest) != tt.restLen {
			t.Errorf("Subcommand(%q) = %q, %q", tt.args, cmd, rest)
		}
	}
}
