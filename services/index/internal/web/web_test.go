package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func server(t *testing.T) *httptest.Server {
	t.Helper()
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	p.Register(mux.Handle)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestRoutes(t *testing.T) {
	srv := server(t)
	for _, tc := range []struct {
		path, ctype string
		code        int
	}{
		{"/", "text/html", 200},
		{"/?location=Budapest&weapon=Patriot", "text/html", 200},
		{"/article/dev-000", "text/html", 200},
		{"/entity/actor/vladimir-putin", "text/html", 200},
		{"/assets/main.js", "text/javascript", 200},
		{"/assets/style.css", "text/css", 200},
		{"/assets/world.svg", "image/svg+xml", 200},
		{"/assets/index.html", "", 404},
		{"/assets/nothing.js", "", 404},
		{"/elsewhere", "", 404},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res, err := http.Get(srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tc.code {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.code)
			}
			if tc.code != 200 {
				return
			}
			if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, tc.ctype) {
				t.Errorf("Content-Type %q, want %s", got, tc.ctype)
			}
			if got := res.Header.Get("Content-Security-Policy"); got != CSP {
				t.Errorf("Content-Security-Policy %q, want %q", got, CSP)
			}
		})
	}
}

// TestGzip: a client taking gzip gets the compressed asset, which unpacks
// to the plain one; a revalidation with the ETag is answered 304.
func TestGzip(t *testing.T) {
	srv := server(t)
	req, _ := http.NewRequest("GET", srv.URL+"/assets/main.js", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	want, _ := assets.ReadFile("assets/main.js")
	if string(got) != string(want) {
		t.Error("gzip body differs from the asset")
	}
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	res2, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if res2.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation = %d, want 304", res2.StatusCode)
	}
}

// TestWeight holds the whole page under the 300 KB compressed.
func TestWeight(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	gz, plain := p.Weight()
	t.Logf("page weight: %d bytes compressed, %d plain", gz, plain)
	if gz > 300_000 {
		t.Errorf("page is %d bytes compressed, want at most 300,000", gz)
	}
}

// TestNoInlineCode: the HTML carries no inline script, style or event
// handler, which the CSP would block.
func TestNoInlineCode(t *testing.T) {
	b, _ := assets.ReadFile("assets/index.html")
	html := string(b)
	for _, bad := range []string{"<script>", "<style", " style=", " onclick=", " onload=", " oninput=", "javascript:"} {
		if strings.Contains(html, bad) {
			t.Errorf("index.html contains %q", bad)
		}
	}
}
