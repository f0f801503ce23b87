package cors

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{"", nil, false},
		{"https://Desk.Example.org, http://localhost:3000", []string{"https://desk.example.org", "http://localhost:3000"}, false},
		{"*", []string{"*"}, false},
		{"https://desk.example.org/", []string{"https://desk.example.org"}, false},
		{"desk.example.org", nil, true},
		{"https://desk.example.org/app", nil, true},
		{"ftp://desk.example.org", nil, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("Parse(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestPolicy(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	p := &Policy{Origins: []string{"https://desk.example.org"}}
	tests := []struct {
		name, method, origin, reqMethod string
		h                               http.Handler
		wantCode                        int
		wantAllow                       string
	}{
		{"allowed origin", http.MethodGet, "https://desk.example.org", "", p.Wrap(ok), 200, "https://desk.example.org"},
		{"other origin gets no header", http.MethodGet, "https://evil.example", "", p.Wrap(ok), 200, ""},
		{"no origin", http.MethodGet, "", "", p.Wrap(ok), 200, ""},
		{"preflight allowed", http.MethodOptions, "https://desk.example.org", "GET", p.Preflight(), 204, "https://desk.example.org"},
		{"preflight other origin", http.MethodOptions, "https://evil.example", "GET", p.Preflight(), 403, ""},
		{"preflight for POST", http.MethodOptions, "https://desk.example.org", "POST", p.Preflight(), 403, ""},
		{"none configured", http.MethodOptions, "https://desk.example.org", "GET", (&Policy{}).Preflight(), 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/v1/search", nil)
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			if tt.reqMethod != "" {
				req.Header.Set("Access-Control-Request-Method", tt.reqMethod)
			}
			rec := httptest.NewRecorder()
			tt.h.ServeHTTP(rec, req)
			got := [2]any{rec.Code, rec.Header().Get("Access-Control-Allow-Origin")}
			if diff := cmp.Diff([2]any{tt.wantCode, tt.wantAllow}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tt.wantCode == 204 && rec.Header().Get("Access-Control-Allow-Headers") != allowHeaders {
				t.Errorf("preflight allows headers %q", rec.Header().Get("Access-Control-Allow-Headers"))
			}
		})
	}
}
