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

// Request header limits. Past MaxHeaderBytes a request is answered 431
// with a JSON error like every other; net/http itself stops reading at
// hardHeaderBytes and then answers 431 in plain text, as it does for
// requests it cannot parse.
const (
	MaxHeaderBytes  = 64 << 10
	hardHeaderBytes = 1 << 20
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
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    hardHeaderBytes,
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

// ServeHTTP serves r through the mux, answering in JSON what the mux would
// answer in plain text: 404 for an unknown path, 405 for a method the path
// does not take (with Allow), and 431 for headers over MaxHeaderBytes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if n := headerBytes(r); n > MaxHeaderBytes {
		Error(w, http.StatusRequestHeaderFieldsTooLarge,
			fmt.Sprintf("request headers are about %d bytes, the limit is %d: send fewer or shorter headers", n, MaxHeaderBytes))
		return
	}
	h, pattern := s.Mux.Handler(r)
	if pattern != "" {
		s.Mux.ServeHTTP(w, r) // the mux sets the path values ({id}); Handler does not
		return
	}
	// No route: let the mux decide the status and headers, then say it in JSON.
	rec := &bufferedWriter{header: http.Header{}, code: http.StatusOK}
	h.ServeHTTP(rec, r)
	switch rec.code {
	case http.StatusNotFound:
		Error(w, http.StatusNotFound, fmt.Sprintf("no endpoint at %s: see the API section of the README", truncate(r.URL.Path, 100)))
	case http.StatusMethodNotAllowed:
		allow := rec.header.Get("Allow")
		w.Header().Set("Allow", allow)
		Error(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed on %s: use %s", truncate(r.Method, 20), truncate(r.URL.Path, 100), allow))
	default:
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.code)
		_, _ = w.Write(rec.body)
	}
}

// headerBytes is about the size of r's request line and headers as sent.
func headerBytes(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// bufferedWriter keeps a response instead of sending it.
type bufferedWriter struct {
	header http.Header
	code   int
	body   []byte
}

func (b *bufferedWriter) Header() http.Header  { return b.header }
func (b *bufferedWriter) WriteHeader(code int) { b.code = code }
func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.body = append(b.body, p...)
	return len(p), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
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

// Handle mounts h on pattern with request metrics, exported at zero for
// the server-error codes from the start.
func (s *Server) Handle(pattern string, h http.Handler) {
	route := pattern
	if s.metrics != nil {
		s.metrics.InitRoute(route)
	}
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
