// Package logging builds the zap JSON logger every service uses.
package logging

import (
	"fmt"
	"io"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// New returns a JSON logger at the given level (debug, info, warn, error)
// that writes to w (stderr in the services), with the service name on every
// line.
func New(service, level string, w io.Writer) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("parsing log level %q (want debug, info, warn or error): %w", level, err)
	}
	enc := zap.NewProductionEncoderConfig()
	enc.TimeKey = "ts"
	enc.EncodeTime = zapcore.ISO8601TimeEncoder
	core := zapcore.NewCore(zapcore.NewJSONEncoder(enc), zapcore.Lock(zapcore.AddSync(w)), lvl)
	return zap.New(core, zap.AddCaller()).With(zap.String("service", service)), nil
}

// Article returns the fields that every log line about an article carries.
func Article(id, traceID string) []zap.Field {
	return []zap.Field{zap.String("article_id", id), zap.String("trace_id", traceID)}
}
