package feeds

import (
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fixtureServer serves the fixtures and the misbehaving feeds of the
// tests.
func fixtureServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/rss", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Sun, 06 Dec 2026 10:00:00 GMT")
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(fixture(t, "rss.xml"))
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			http.Error(w, "gzip expected", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(fixture(t, "atom.xml"))
		zw.Close()
	})
	mux.HandleFunc("/ua", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.Header.Get("User-Agent") + "|" + r.Header.Get("Authorization")))
	})
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	mux.HandleFunc("/503", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "later", http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<rss><channel>"))
		chunk := []byte(strings.Repeat("<item><title>x</title></item>", 100))
		for i := 0; i < 2000; i++ {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop2", http.StatusFound) })
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/rss", http.StatusMovedPermanently) })
	mux.HandleFunc("/page/article", func(w http.ResponseWriter, r *http.Request) { w.Write(fixture(t, "article.html")) })
	mux.HandleFunc("/page/none", func(w http.ResponseWriter, r *http.Request) { w.Write(fixture(t, "nonarticle.html")) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func testFetcher() *fetcher {
	return &fetcher{client: newHTTPClient(300*time.Millisecond, 3, false), userAgent: "newsroom-ingest/test (feed poller)", maxBytes: 256 << 10}
}

func TestFetch(t *testing.T) {
	srv := fixtureServer(t)
	f := testFetcher()
	ctx := context.Background()
	type result struct {
		Status     int
		ETag       string
		BodyPrefix string
		Err        string
		HTTPStatus int
		RetryAfter time.Duration
		TooLarge   bool
	}
	for _, tc := range []struct {
		name, path, etag string
		header           http.Header
		want             result
	}{
		{"200 with validators", "/rss", "", nil, result{Status: 200, ETag: `"v1"`, BodyPrefix: "<?xml"}},
		{"304 on a matching ETag", "/rss", `"v1"`, nil, result{Status: 304, ETag: ""}},
		{"redirect followed", "/moved", "", nil, result{Status: 200, ETag: `"v1"`, BodyPrefix: "<?xml"}},
		{"gzip inflated", "/gzip", "", nil, result{Status: 200, BodyPrefix: "<?xml"}},
		{"user agent and token", "/ua", "", http.Header{"Authorization": {"Bearer t0k"}},
			result{Status: 200, BodyPrefix: "newsroom-ingest/test (feed poller)|Bearer t0k"}},
		{"500", "/500", "", nil, result{Status: 500, Err: "HTTP 500 Internal Server Error", HTTPStatus: 500}},
		{"503 with Retry-After", "/503", "", nil, result{Status: 503, Err: "HTTP 503 Service Unavailable", HTTPStatus: 503, RetryAfter: 2 * time.Minute}},
		{"slow", "/slow", "", nil, result{Err: "Client.Timeout"}},
		{"huge", "/huge", "", nil, result{Status: 200, Err: "exceeds the size limit", TooLarge: true}},
		{"redirect loop", "/loop", "", nil, result{Err: "stopped after 3 redirects"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := f.get(ctx, srv.URL+tc.path, tc.header, tc.etag, "")
			got := result{Status: res.Status, ETag: res.ETag}
			if len(res.Body) > 0 {
				got.BodyPrefix = string(res.Body[:min(len(res.Body), len(tc.want.BodyPrefix))])
			}
			if err != nil {
				got.Err = tc.want.Err
				if !strings.Contains(err.Error(), tc.want.Err) || tc.want.Err == "" {
					got.Err = err.Error()
				}
				var he *HTTPError
				if errors.As(err, &he) {
					got.HTTPStatus, got.RetryAfter = he.Status, he.RetryAfter
				}
				got.TooLarge = errors.Is(err, ErrTooLarge)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("get %s (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}

func TestFullText(t *testing.T) {
	srv := fixtureServer(t)
	x := newFullText(testFetcher(), 1)
	text, err := x.extract(context.Background(), srv.URL+"/page/article")
	if err != nil {
		t.Fatalf("page with an article: %v", err)
	}
	if !strings.Contains(text, "Leaders at the summit in Brussels") || strings.Contains(text, "Sport") || strings.Contains(text, "Copyright") {
		t.Errorf("extracted text lacks the article or keeps the page furniture:\n%s", text)
	}
	if _, err := x.extract(context.Background(), srv.URL+"/page/none"); !errors.Is(err, errNoArticle) {
		t.Errorf("page without an article: err = %v, want errNoArticle", err)
	}
	if _, err := x.extract(context.Background(), srv.URL+"/500"); err == nil || errors.Is(err, errNoArticle) {
		t.Errorf("failing page: err = %v, want a fetch error", err)
	}
}

// TestFullTextRefusesPrivateAddresses: by default a link in a feed cannot
// make ingest fetch a page inside the network (here: the loopback test
// server).
func TestFullTextRefusesPrivateAddresses(t *testing.T) {
	srv := fixtureServer(t)
	x := newFullText(&fetcher{client: newHTTPClient(time.Second, 3, true), userAgent: "test", maxBytes: 1 << 20}, 1)
	if _, err := x.extract(context.Background(), srv.URL+"/page/article"); !errors.Is(err, errPrivateAddress) {
		t.Errorf("full text of a loopback page: err = %v, want errPrivateAddress", err)
	}
	for _, tc := range []struct {
		addr string
		ok   bool
	}{{"127.0.0.1:80", false}, {"10.1.2.3:443", false}, {"169.254.169.254:80", false}, {"[::1]:443", false},
		{"192.168.0.1:80", false}, {"[fd00::1]:443", false}, {"93.184.216.34:443", true}, {"[2606:4700::1]:443", true}} {
		if err := publicOnly("tcp", tc.addr, nil); (err == nil) != tc.ok {
			t.Errorf("publicOnly(%s) = %v, want allowed %v", tc.addr, err, tc.ok)
		}
	}
}
