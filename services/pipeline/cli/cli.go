// Package cli holds the start-up every command shares: subcommand
// selection, flags with environment defaults, the logger, the one-time
// configuration dump, and waiting for a dependency that is still starting.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/pipeline/buildinfo"
	"github.com/deskwire/newsroom/services/pipeline/envflag"
	"github.com/deskwire/newsroom/services/pipeline/logging"
	"github.com/deskwire/newsroom/services/pipeline/retry"
)

// Subcommand splits args into a subcommand (def when the first argument is
// a flag or missing) and the rest.
func Subcommand(args []string, def string) (string, []string) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return def, args
	}
	return args[0], args[1:]
}

// Common are the settings every command has.
type Common struct {
	LogLevel string
	// PprofAddr serves net/http/pprof on its own address when set (never
	// on the service's API address).
	PprofAddr string
}

// Parse binds the common settings, lets bind add the command's own, parses
// args and returns the logger; positional arguments stay in the set's FS. The configuration is logged once, secrets
// masked.
func Parse(name string, args []string, stderr io.Writer, bind func(*envflag.Set)) (*zap.Logger, *envflag.Set, error) {
	s := envflag.New(name)
	s.SetOutput(stderr)
	var c Common
	s.String(&c.LogLevel, "log-level", "LOG_LEVEL", "info", "log level: debug, info, warn or error")
	s.String(&c.PprofAddr, "pprof-addr", "PPROF_ADDR", "", "serve Go profiles (/debug/pprof/) on this address, e.g. 127.0.0.1:6060 (off when empty)")
	bind(s)
	if err := s.Parse(args); err != nil {
		return nil, nil, err
	}
	log, err := logging.New(strings.Fields(name)[0], c.LogLevel, stderr)
	if err != nil {
		return nil, nil, err
	}
	log.Info("starting", append([]zap.Field{zap.String("command", name), zap.String("version", buildinfo.Version)}, s.Fields()...)...)
	if c.PprofAddr != "" {
		if err := servePprof(c.PprofAddr, log); err != nil {
			return nil, nil, err
		}
	}
	return log, s, nil
}

// Exit prints err for a command's main and returns the exit code: 0 for
// -h, 2 for usage errors, 1 otherwise.
func Exit(name string, err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	var ue UsageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// UsageError is a mistake in how the command was called.
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }

// WaitFor retries check with backoff until it succeeds or ctx ends, logging
// each failure: services start before Kafka or Elasticsearch is ready.
func WaitFor(ctx context.Context, log *zap.Logger, what string, check func(context.Context) error) error {
	return retry.Do(ctx, retry.Backoff{Min: 500 * time.Millisecond, Max: 5 * time.Second}, check,
		func(err error, attempt int, d time.Duration) {
			log.Warn("waiting for dependency", zap.String("dependency", what), zap.Int("attempt", attempt),
				zap.Duration("retry_in", d), zap.Error(err))
		})
}

// servePprof serves the runtime profiles on addr for the life of the
// process: a debugging aid, off by default.
func servePprof(addr string, log *zap.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("PPROF_ADDR=%s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Info("serving profiles", zap.String("addr", "http://"+ln.Addr().String()+"/debug/pprof/"))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil {
			log.Warn("profile server stopped", zap.Error(err))
		}
	}()
	return nil
}
