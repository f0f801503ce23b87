package httpserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap"
)

func TestRequireToken(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	for _, tc := range []struct {
		name, token, header string
		want                int
	}{
		{"no token configured", "", "", 204},
		{"missing header", "s3cret", "", 401},
		{"not bearer", "s3cret", "Basic czNjcmV0", 401},
		{"wrong token", "s3cret", "Bearer nope", 403},
		{"right token", "s3cret", "Bearer s3cret", 204},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/v1/search", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			w := httptest.NewRecorder()
			RequireToken(tc.token, ok).ServeHTTP(w, req)
			if w.Code != tc.want {
				t.Fatalf("code = %d, want %d", w.Code, tc.want)
			}
			if tc.token != "" && strings.Contains(w.Body.String(), tc.token) {
				t.Fatal("response echoes the token")
			}
		})
	}
}

func TestServerTimeoutsAreSet(t *testing.T) {
	s := New("127.0.0.1:0", zap.NewNop(), nil, 0)
	if s.srv.ReadHeaderTimeout == 0 || s.srv.ReadTimeout == 0 || s.srv.WriteTimeout == 0 || s.srv.IdleTimeout == 0 || s.srv.MaxHeaderBytes == 0 {
		t.Fatalf("server without timeouts or header limit: %+v", s.srv)
	}
}

// TestErrorsAreJSON: the answers the mux and the header limit give are
// JSON with a message, like every other answer of the API.
func TestErrorsAreJSON(t *testing.T) {
	s := New("127.0.0.1:0", zap.NewNop(), nil, 0)
	s.Handle("POST /v1/articles", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { WriteJSON(w, 202, map[string]int{}) }))
	s.Handle("DELETE /v1/articles/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(202) }))
	for _, tc := range []struct {
		name, method, path string
		header             int // bytes of an extra header
		want               int
		wantAllow, wantMsg string
	}{
		{"route", "POST", "/v1/articles", 0, 202, "", ""},
		{"health", "GET", "/healthz", 0, 200, "", ""},
		{"unknown path", "GET", "/v1/nothing", 0, 404, "", "no endpoint at /v1/nothing"},
		{"root", "GET", "/", 0, 404, "", "no endpoint at /"},
		{"wrong method", "GET", "/v1/articles", 0, 405, "POST", "GET is not allowed on /v1/articles: use POST"},
		{"wrong method on a pattern", "PUT", "/v1/articles/a1", 0, 405, "DELETE", "PUT is not allowed"},
		{"headers at the limit", "POST", "/v1/articles", MaxHeaderBytes - 200, 202, "", ""},
		{"headers over the limit", "POST", "/v1/articles", MaxHeaderBytes + 1, 431, "", "request headers are about"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			if tc.header > 0 {
				req.Header.Set("X-Big", strings.Repeat("x", tc.header))
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			if w.Code != tc.want {
				t.Fatalf("code = %d, want %d: %s", w.Code, tc.want, w.Body)
			}
			if tc.wantMsg == "" {
				return
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			var body struct{ Error string }
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || !strings.Contains(body.Error, tc.wantMsg) {
				t.Errorf("body = %s (%v), want JSON with an error mentioning %q", w.Body, err, tc.wantMsg)
			}
			if diff := cmp.Diff(tc.wantAllow, w.Header().Get("Allow")); diff != "" {
				t.Errorf("Allow (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHeaderLimitOverTheWire: a real server answers headers over the limit
// with a JSON 431.
func TestHeaderLimitOverTheWire(t *testing.T) {
	s := New("127.0.0.1:0", zap.NewNop(), nil, 0)
	ts := httptest.NewServer(s.srv.Handler)
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+"/healthz", nil)
	req.Header.Set("X-Big", strings.Repeat("x", 2*MaxHeaderBytes))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct{ Error string }
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != 431 || body.Error == "" {
		t.Fatalf("answer %d, body %+v (%v): want 431 with a JSON error", res.StatusCode, body, err)
	}
}

// A route's path values reach its handler through the server.
func TestPathValues(t *testing.T) {
	s := New("127.0.0.1:0", zap.NewNop(), nil, 0)
	s.Handle("DELETE /v1/articles/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, 202, map[string]string{"id": r.PathValue("id")})
	}))
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("DELETE", "/v1/articles/a-7", nil))
	if w.Code != 202 || !strings.Contains(w.Body.String(), `"id":"a-7"`) {
		t.Errorf("DELETE /v1/articles/a-7 = %d %s, want 202 with the id", w.Code, w.Body)
	}
}
