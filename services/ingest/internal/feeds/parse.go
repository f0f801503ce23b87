package feeds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/deskwire/newsroom/services/ingest/article"
)

// entry is one feed item mapped onto the article contract.
type entry struct {
	In article.Input
	// SummaryOnly is set when the feed carried a summary but no full
	// content: the linked page may hold the article.
	SummaryOnly bool
}

// parsed is a feed document.
type parsed struct {
	Title    string
	Language string
	Entries  []entry
}

// parseFeed reads RSS 2.0, Atom 1.0, JSON Feed (through gofeed) or IPTC
// ninjs (a single item, an array, or an object with "items" of them).
func parseFeed(f Feed, body []byte, contentType string) (parsed, error) {
	if isNinjsDoc(f, body, contentType) {
		return parseNinjs(f, body)
	}
	fd, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return parsed{}, fmt.Errorf("parsing feed: %w", err)
	}
	p := parsed{Title: strings.TrimSpace(fd.Title), Language: fd.Language}
	// Feeds list the newest first; publishing oldest first keeps the
	// topic in publication order.
	for i := len(fd.Items) - 1; i >= 0; i-- {
		it := fd.Items[i]
		if it == nil {
			continue
		}
		link := strings.TrimSpace(it.Link)
		if link == "" && len(it.Links) > 0 {
			link = strings.TrimSpace(it.Links[0])
		}
		e := entry{In: article.Input{Title: strings.TrimSpace(it.Title), URL: link}}
		e.In.ID = itemID(f.Name, link, strings.TrimSpace(it.GUID))
		if !isHTTP(link) {
			e.In.URL = ""
		}
		if it.Content != "" {
			e.In.Body = article.HTMLText(it.Content)
		} else {
			e.In.Body = article.HTMLText(it.Description)
			e.SummaryOnly = e.In.URL != ""
		}
		switch {
		case it.PublishedParsed != nil:
			e.In.PublishedAt = it.PublishedParsed.UTC().Format(time.RFC3339)
		case it.UpdatedParsed != nil:
			e.In.PublishedAt = it.UpdatedParsed.UTC().Format(time.RFC3339)
		}
		p.Entries = append(p.Entries, e)
	}
	return p, nil
}

// itemID applies POST's id rules to a feed item: the canonical link first
// (the id a POST of the same article with its url gets, and shared by the
// same story in two feeds), else the GUID as a canonical URI, else the GUID
// scoped by the feed. Empty means neither: article.Build then derives the
// id from source, title and time, as for POST.
func itemID(feed, link, guid string) string {
	if isHTTP(link) {
		if c, err := article.CanonicalURL(link); err == nil {
			return article.DeriveID(c, "", "", "")
		}
	}
	if guid == "" {
		return ""
	}
	if c, err := article.CanonicalURL(guid); err == nil {
		return article.DeriveID(c, "", "", "")
	}
	return article.DeriveID("feed-guid:"+url.PathEscape(feed)+":"+guid, "", "", "")
}

func isHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// isNinjsDoc tells a ninjs document from the formats gofeed reads: by the
// feed's format, the content type, or a JSON body shaped like ninjs (an
// array, an item with "uri", "items" without JSON Feed's "version").
func isNinjsDoc(f Feed, body []byte, contentType string) bool {
	if f.Format == "ninjs" {
		return true
	}
	if mt, _, _ := mime.ParseMediaType(contentType); mt == article.NinjsContentType {
		return true
	}
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return false
	}
	if b[0] == '[' {
		return true
	}
	if b[0] != '{' {
		return false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(b, &top) != nil {
		return false
	}
	_, hasURI := top["uri"]
	_, hasItems := top["items"]
	_, hasVersion := top["version"]
	return hasURI || hasItems && !hasVersion
}

func parseNinjs(f Feed, body []byte) (parsed, error) {
	b := bytes.TrimSpace(body)
	var raws []json.RawMessage
	switch {
	case len(b) > 0 && b[0] == '[':
		if err := json.Unmarshal(b, &raws); err != nil {
			return parsed{}, fmt.Errorf("parsing ninjs array: %w", err)
		}
	default:
		var top struct {
			URI   string            `json:"uri"`
			Items []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(b, &top); err != nil {
			return parsed{}, fmt.Errorf("parsing ninjs: %w", err)
		}
		raws = top.Items
		if top.URI != "" {
			raws = []json.RawMessage{b}
		}
	}
	if len(raws) == 0 && len(b) > 0 && b[0] != '[' {
		return parsed{}, errors.New("parsing ninjs: no items")
	}
	var p parsed
	var errs []error
	for i, raw := range raws {
		in, err := article.DecodeNinjs(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("item %d: %w", i, err))
			continue
		}
		p.Entries = append(p.Entries, entry{In: in})
	}
	if len(p.Entries) == 0 && len(errs) > 0 {
		return parsed{}, errors.Join(errs...)
	}
	return p, nil
}
