// Package web serves the desk's search page: one HTML shell for every page
// route (search, article, entity) and its embedded scripts, styles and world
// outline, each compressed once at start, under a strict same-origin
// Content-Security-Policy. The page calls the search API on the same origin.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed assets
var assets embed.FS

// CSP allows only same-origin scripts, styles, images and requests: no
// inline script or style, nothing from elsewhere, no framing.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// asset is one embedded file, kept plain and gzip-compressed.
type asset struct {
	body, gz []byte
	ctype    string
	etag     string
}

// Page serves the page's routes.
type Page struct {
	files map[string]*asset
}

// New reads and compresses the embedded assets.
func New() (*Page, error) {
	p := &Page{files: map[string]*asset{}}
	err := fs.WalkDir(assets, "assets", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assets.ReadFile(name)
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		gz, err := compress(b)
		if err != nil {
			return fmt.Errorf("compressing %s: %w", name, err)
		}
		sum := sha256.Sum256(b)
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		p.files[strings.TrimPrefix(name, "assets/")] = &asset{body: b, gz: gz, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("loading the page's assets: %w", err)
	}
	if p.files["index.html"] == nil {
		return nil, fmt.Errorf("loading the page's assets: index.html is missing")
	}
	return p, nil
}

func compress(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Register mounts the page on handle: GET / (search), /article/{id} and
// /entity/{type}/{id} answer the HTML shell, /assets/{file} the rest.
func (p *Page) Register(handle func(pattern string, h http.Handler)) {
	shell := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { p.serve(w, r, "index.html", false) })
	handle("GET /{$}", shell)
	handle("GET /article/{id}", shell)
	handle("GET /entity/{type}/{id}", shell)
	handle("GET /assets/{file}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if name == "index.html" || p.files[name] == nil {
			http.NotFound(w, r)
			return
		}
		p.serve(w, r, name, true)
	}))
}

// serve writes one asset, gzip-compressed when the client takes it.
// Assets are revalidated by ETag so a new build is picked up at once.
func (p *Page) serve(w http.ResponseWriter, r *http.Request, name string, static bool) {
	a := p.files[name]
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Vary", "Accept-Encoding")
	if static {
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", a.etag)
		if r.Header.Get("If-None-Match") == a.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	} else {
		h.Set("Cache-Control", "no-store")
		h.Set("X-Frame-Options", "DENY")
	}
	body := a.body
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// Weight is the compressed size of every asset, what a first visit loads.
func (p *Page) Weight() (compressed, plain int) {
	for _, a := range p.files {
		compressed += len(a.gz)
		plain += len(a.body)
	}
	return compressed, plain
}
