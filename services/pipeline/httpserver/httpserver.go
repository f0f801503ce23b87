// Package httpserver runs a service's HTTP server: timeouts and body limits
// on every server, /healthz, /readyz and /metrics, request metrics, optional
// bearer-token auth, and a graceful stop.
package httpserver

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/pipeline/metrics"
)

// Check is one readiness dependency.
type Check struct {
	Name string
	Fn   func(ctx context.Context) error
}

// Server is an HTTP server with the operational endpoints mounted.
type Server struct {
	Mux     *http.ServeMux
	srv     *http.Server
	log     *zap.Logger
	metrics *metrics.Metrics
	checks  []Check
}

// New returns a server for addr with operational endpoints. WriteTimeout
// bounds a whole response (default 30s when zero).
func New(addr string, log *zap.Logger, m *metrics.Metrics, writeTimeout time.Duration, checks ...Check) *Server {
	if writeTimeout <= 0 {
		writeTimeout = 30 * time.Second
	}
	s := &Server{Mux: http.NewServeMux(), log: log, metrics: m, checks: checks}
	s.srv = &http.Server{
		Addr:              addr,
		Handler:           s.Mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          zap.NewStdLog(log),
	}
	s.Mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.Mux.HandleFunc("GET /readyz", s.ready)
	if m != nil {
		s.Mux.Handle("GET /metrics", m.Handler())
	}
	return s
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	res := map[string]string{}
	ok := true
	for _, c := range s.checks {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		err := c.Fn(ctx)
		cancel()
		if err != nil {
			ok = false
			res[c.Name] = err.Error()
		} else {
			res[c.Name] = "ok"
		}
	}
	code := http.StatusOK
	if !ok {
		code = http.StatusServiceUnavailable
	}
	WriteJSON(w, code, res)
}

// Handle mounts h on pattern with request metrics.
func (s *Server) Handle(pattern string, h http.Handler) {
	route := pattern
	s.Mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(sw, r)
		if s.metrics != nil {
			s.metrics.HTTPRequests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
			s.metrics.HTTPLatency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		}
	}))
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) { w.code = code; w.ResponseWriter.WriteHeader(code) }

// Listen binds the address, so a caller learns of a port in use at once.
func (s *Server) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", s.srv.Addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", s.srv.Addr, err)
	}
	return ln, nil
}

// Serve serves on ln until ctx ends, then shuts down gracefully within
// shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener, shutdown time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(ln) }()
	s.log.Info("http server listening", zap.String("addr", ln.Addr().String()))
	select {
	case err := <-errc:
		return fmt.Errorf("serving http on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdown)
	defer cancel()
	if err := s.srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down http server: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// WriteJSON writes v as JSON with the status code.
func WriteJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// Error writes {"error": msg} with the status code.
func Error(w http.ResponseWriter, code int, msg string) {
	WriteJSON(w, code, map[string]string{"error": msg})
}

// RequireToken wraps h with bearer-token auth when token is not empty:
// 401 without a token, 403 for a wrong one. The comparison takes constant
// time and the token never appears in responses or logs.
func RequireToken(token string, h http.Handler) http.Handler {
	if token == "" {
		return h
	}
	want := []byte(token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		got, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok || got == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="newsroom"`)
			Error(w, http.StatusUnauthorized, "missing bearer token: send Authorization: Bearer <token>")
			return
		}
		if subtle.ConstantTimeCompare([]byte(got), want) != 1 {
			Error(w, http.StatusForbidden, "invalid bearer token")
			return
		}
		h.ServeHTTP(w, r)
	})
}
