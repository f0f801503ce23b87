package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"

	"github.com/deskwire/newsroom/services/ingest/article"
)

// errNoArticle is returned for a page readability finds no article in.
var errNoArticle = errors.New("no article text on the page")

// fullText fetches an item's linked page and extracts the article text,
// with its own fetcher (timeout, size limit) and at most perHost pages in
// flight per host.
type fullText struct {
	f       *fetcher
	perHost int

	mu    sync.Mutex
	hosts map[string]chan struct{}
}

func newFullText(f *fetcher, perHost int) *fullText {
	if perHost < 1 {
		perHost = 1
	}
	return &fullText{f: f, perHost: perHost, hosts: map[string]chan struct{}{}}
}

// slot returns the semaphore of host.
func (x *fullText) slot(host string) chan struct{} {
	x.mu.Lock()
	defer x.mu.Unlock()
	s, ok := x.hosts[host]
	if !ok {
		s = make(chan struct{}, x.perHost)
		x.hosts[host] = s
	}
	return s
}

// extract returns the plain text of the article at link.
func (x *fullText) extract(ctx context.Context, link string) (string, error) {
	u, err := url.Parse(link)
	if err != nil {
		return "", fmt.Errorf("page url %q: %w", link, err)
	}
	s := x.slot(strings.ToLower(u.Host))
	select {
	case s <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-s }()
	res, err := x.f.get(ctx, link, nil, "", "")
	if err != nil {
		return "", fmt.Errorf("fetching page %s: %w", u.Redacted(), err)
	}
	doc, err := html.Parse(bytes.NewReader(res.Body))
	if err != nil {
		return "", fmt.Errorf("parsing page %s: %w", u.Redacted(), err)
	}
	p := readability.NewParser()
	if !p.CheckDocument(doc) {
		return "", errNoArticle
	}
	a, err := p.ParseDocument(doc, u)
	if err != nil {
		return "", fmt.Errorf("extracting article from %s: %w", u.Redacted(), err)
	}
	if a.Node == nil {
		return "", errNoArticle
	}
	var b strings.Builder
	if err := a.RenderHTML(&b); err != nil {
		return "", fmt.Errorf("rendering article from %s: %w", u.Redacted(), err)
	}
	text := article.HTMLText(b.String())
	if text == "" {
		return "", errNoArticle
	}
	return truncate(text, article.MaxBodyBytes), nil
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
