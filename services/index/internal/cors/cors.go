// Package cors lets browser pages on configured origins call the API:
// answers carry Access-Control-Allow-Origin for those origins only, and
// preflight requests are answered without authentication. No origin is
// allowed unless configured.
package cors

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskwire/newsroom/services/pipeline/httpserver"
)

// Policy is the origin allow-list.
type Policy struct {
	// Origins are the allowed origins ("https://desk.example.org"); "*"
	// allows any origin. Empty allows none.
	Origins []string
	// MaxAge is how long a browser may cache a preflight answer (default 10m).
	MaxAge time.Duration
}

// Parse reads a comma-separated allow-list, checking each origin is
// scheme://host[:port] without path, or "*".
func Parse(s string) ([]string, error) {
	var out []string
	for _, o := range strings.Split(s, ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if o != "*" {
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") ||
				u.RawQuery != "" || u.Fragment != "" || u.User != nil {
				return nil, fmt.Errorf("origin %q: want scheme://host[:port] (https://desk.example.org) or *", o)
			}
			o = strings.ToLower(u.Scheme + "://" + u.Host)
		}
		out = append(out, o)
	}
	return out, nil
}

func (p *Policy) allowed(origin string) bool {
	return origin != "" && (slices.Contains(p.Origins, "*") || slices.Contains(p.Origins, strings.ToLower(origin)))
}

// allowHeaders are what a page may send; exposeHeaders what it may read.
const (
	allowHeaders  = "Authorization, Content-Type"
	exposeHeaders = "Retry-After, Content-Disposition"
)

// Wrap adds the CORS headers to h's answers for allowed origins.
func (p *Policy) Wrap(h http.Handler) http.Handler {
	if len(p.Origins) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		if o := r.Header.Get("Origin"); p.allowed(o) {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Expose-Headers", exposeHeaders)
		}
		h.ServeHTTP(w, r)
	})
}

// Preflight answers OPTIONS requests: 204 with the allowed method and
// headers for an allowed origin asking for GET, 403 otherwise.
func (p *Policy) Preflight() http.Handler {
	maxAge := p.MaxAge
	if maxAge <= 0 {
		maxAge = 10 * time.Minute
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		w.Header().Add("Vary", "Access-Control-Request-Method")
		w.Header().Add("Vary", "Access-Control-Request-Headers")
		o := r.Header.Get("Origin")
		if !p.allowed(o) {
			httpserver.Error(w, http.StatusForbidden, "cross-origin requests from this origin are not allowed (see CORS_ORIGINS)")
			return
		}
		if m := r.Header.Get("Access-Control-Request-Method"); m != http.MethodGet && m != http.MethodHead {
			httpserver.Error(w, http.StatusForbidden, fmt.Sprintf("method %q is not allowed: the API takes GET", m))
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", o)
		w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD")
		w.Header().Set("Access-Control-Allow-Headers", allowHeaders)
		w.Header().Set("Access-Control-Max-Age", strconv.Itoa(int(maxAge/time.Second)))
		w.WriteHeader(http.StatusNoContent)
	})
}
