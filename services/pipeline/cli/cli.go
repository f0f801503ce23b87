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
}

// Parse binds the common settings, lets bind add the command's own, parses
// args and returns the logger; positional arguments stay in the set's FS. The configuration is logged once, secrets
// masked.
func Parse(name string, args []string, stderr io.Writer, bind func(*envflag.Set)) (*zap.Logger, *envflag.Set, error) {
	s := envflag.New(name)
	s.SetOutput(stderr)
	var c Common
	s.String(&c.LogLevel, "log-level", "LOG_LEVEL", "info", "log level: debug, info, warn or error")
	bind(s)
	if err := s.Parse(args); err != nil {
		return nil, nil, err
	}
	log, err := logging.New(strings.Fields(name)[0], c.LogLevel, stderr)
	if err != nil {
		return nil, nil, err
	}
	log.Info("starting", append([]zap.Field{zap.String("command", name), zap.String("version", buildinfo.Version)}, s.Fields()...)...)
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
