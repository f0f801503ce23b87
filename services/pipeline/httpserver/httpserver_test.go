package httpserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
