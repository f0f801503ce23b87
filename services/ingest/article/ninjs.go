package article

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"
)

// NinjsContentType is the media type of IPTC ninjs documents.
const NinjsContentType = "application/ninjs+json"

// Ninjs is the part of an IPTC ninjs 2.x item (1.x spellings included)
// that maps onto the article contract.
type Ninjs struct {
	URI            string          `json:"uri"`
	Headline       string          `json:"headline"`  // 1.x
	Headlines      []ninjsValue    `json:"headlines"` // 2.x
	BodyText       string          `json:"body_text"`
	BodyHTML       string          `json:"body_html"`
	Bodies         []ninjsBody     `json:"bodies"` // 2.x
	VersionCreated string          `json:"versioncreated"`
	FirstCreated   string          `json:"firstcreated"`
	Language       string          `json:"language"`
	Provider       json.RawMessage `json:"provider"` // a name, or {"name": …}
	InfoSources    []ninjsValue    `json:"infosources"`
	Type           string          `json:"type"`
}

type ninjsValue struct {
	Value string `json:"value"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

type ninjsBody struct {
	Role        string `json:"role"`
	ContentType string `json:"contenttype"`
	Value       string `json:"value"`
}

// DecodeNinjs parses one ninjs item and maps it onto an Input: uri gives
// the id by the rules of a submitted url (an http(s) uri is also the
// article's url), headline the title, body_text (else body_html as text)
// the body, versioncreated (else firstcreated) the publication time, and
// the provider (else the first info source) the source.
func DecodeNinjs(b []byte) (Input, error) {
	var n Ninjs
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return Input{}, errors.New("ninjs: want one JSON object")
	}
	if err := json.Unmarshal(b, &n); err != nil {
		return Input{}, fmt.Errorf("ninjs: invalid JSON: %w", err)
	}
	return n.Input()
}

// Input maps the item onto the article contract (see DecodeNinjs).
func (n *Ninjs) Input() (Input, error) {
	uri := strings.TrimSpace(n.URI)
	if uri == "" {
		return Input{}, errors.New("ninjs: uri is required")
	}
	canon, err := CanonicalURL(uri)
	if err != nil {
		return Input{}, fmt.Errorf("ninjs: uri: %w", err)
	}
	in := Input{ID: DeriveID(canon, "", "", ""), Title: n.headline(), Body: n.body(), Language: n.Language, Source: n.provider()}
	if strings.HasPrefix(canon, "http://") || strings.HasPrefix(canon, "https://") {
		in.URL = uri
	}
	in.PublishedAt = strings.TrimSpace(n.VersionCreated)
	if in.PublishedAt == "" {
		in.PublishedAt = strings.TrimSpace(n.FirstCreated)
	}
	return in, nil
}

func (n *Ninjs) headline() string {
	if n.Headline != "" {
		return n.Headline
	}
	for _, h := range n.Headlines {
		if h.Role == "" || h.Role == "main" {
			return h.Value
		}
	}
	if len(n.Headlines) > 0 {
		return n.Headlines[0].Value
	}
	return ""
}

// body prefers plain text over HTML, 1.x fields over 2.x bodies.
func (n *Ninjs) body() string {
	if n.BodyText != "" {
		return n.BodyText
	}
	if n.BodyHTML != "" {
		return HTMLText(n.BodyHTML)
	}
	for _, b := range n.Bodies {
		if strings.HasPrefix(b.ContentType, "text/plain") {
			return b.Value
		}
	}
	for _, b := range n.Bodies {
		if b.ContentType == "" || strings.HasPrefix(b.ContentType, "text/html") {
			return HTMLText(b.Value)
		}
	}
	return ""
}

func (n *Ninjs) provider() string {
	var name string
	if json.Unmarshal(n.Provider, &name) == nil && name != "" {
		return name
	}
	var obj ninjsValue
	if json.Unmarshal(n.Provider, &obj) == nil && obj.Name != "" {
		return obj.Name
	}
	for _, s := range n.InfoSources {
		if s.Name != "" {
			return s.Name
		}
	}
	return ""
}

// blockTags end a paragraph when HTMLText meets them.
var blockTags = map[string]bool{"p": true, "br": true, "div": true, "li": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "blockquote": true, "tr": true, "section": true, "article": true}

// HTMLText turns an HTML fragment (a feed summary, a ninjs body_html) into
// plain text: tags dropped, script and style left out, entities decoded,
// block elements separated by blank lines.
func HTMLText(s string) string {
	var out strings.Builder
	skip := ""
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			if skip == "" {
				out.WriteString(s)
			}
			break
		}
		if skip == "" {
			out.WriteString(s[:lt])
		}
		gt := strings.IndexByte(s[lt:], '>')
		if gt < 0 {
			break
		}
		tag := strings.ToLower(strings.TrimSpace(strings.Trim(s[lt+1:lt+gt], "/")))
		if i := strings.IndexAny(tag, " \t\n/"); i >= 0 {
			tag = tag[:i]
		}
		closing := strings.HasPrefix(s[lt+1:], "/")
		switch {
		case skip != "" && closing && tag == skip:
			skip = ""
		case skip == "" && !closing && (tag == "script" || tag == "style"):
			skip = tag
		case skip == "" && blockTags[tag]:
			out.WriteString("\n\n")
		}
		s = s[lt+gt+1:]
	}
	text := html.UnescapeString(out.String())
	var paras []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}
