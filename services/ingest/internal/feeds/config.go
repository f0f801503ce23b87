// Package feeds polls RSS 2.0, Atom 1.0, JSON Feed and IPTC ninjs sources
// listed in a YAML feeds file and publishes each item once per revision to
// articles.raw. Poll state lives in a compacted Kafka topic; replicas share
// the feeds through a consumer group (see README, "Feeds").
package feeds

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

// File is the feeds file.
type File struct {
	// Defaults apply to every feed that leaves a field empty.
	Defaults Feed `json:"defaults"`
	// Feeds are the sources, each with a unique name.
	Feeds []Feed `json:"feeds"`
}

// Feed is one source.
type Feed struct {
	// Name identifies the feed in state, metrics and logs (required, unique).
	Name string `json:"name"`
	// URL is the feed's http(s) address (required).
	URL string `json:"url"`
	// Interval between polls (default 5m; FEEDS_MIN_INTERVAL, default 10s, is the floor).
	Interval Duration `json:"interval"`
	// Language of the items when the feed does not say (default en).
	Language string `json:"language"`
	// Source is the articles' source name (default: the feed's title, else Name).
	Source string `json:"source"`
	// Headers are sent with every request of this feed.
	Headers map[string]string `json:"headers"`
	// Token is sent as "Authorization: Bearer …"; TokenFile reads it from a file.
	Token     string `json:"token"`
	TokenFile string `json:"token_file"`
	// FullText fetches the linked page of items that carry only a summary
	// and keeps its article text (default false).
	FullText *bool `json:"full_text"`
	// Format is auto (default: RSS, Atom, JSON Feed or ninjs by content) or ninjs.
	Format string `json:"format"`
}

// Duration reads "90s", "5m" or a number of seconds.
type Duration time.Duration

// UnmarshalJSON accepts a Go duration string or seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		var secs float64
		if _, err2 := fmt.Sscanf(s, "%g", &secs); err2 != nil {
			return fmt.Errorf("duration %q: want 90s, 5m or 1h", s)
		}
		v = time.Duration(secs * float64(time.Second))
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Duration(d).String() + `"`), nil
}

// Parse reads and checks a feeds file, filling defaults.
func Parse(b []byte) ([]Feed, error) {
	var f File
	if err := yaml.UnmarshalStrict(b, &f); err != nil {
		return nil, fmt.Errorf("reading feeds file: %w", err)
	}
	seen := map[string]bool{}
	var errs []error
	out := make([]Feed, 0, len(f.Feeds))
	for i, fd := range f.Feeds {
		fd = fd.withDefaults(f.Defaults)
		if err := fd.validate(); err != nil {
			errs = append(errs, fmt.Errorf("feeds[%d] (%s): %w", i, fd.Name, err))
			continue
		}
		if seen[fd.Name] {
			errs = append(errs, fmt.Errorf("feeds[%d]: name %q is used twice", i, fd.Name))
			continue
		}
		seen[fd.Name] = true
		out = append(out, fd)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// ReadFile parses the feeds file at path.
func ReadFile(path string) ([]Feed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading feeds file: %w", err)
	}
	feeds, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return feeds, nil
}

func (f Feed) withDefaults(d Feed) Feed {
	if f.Interval == 0 {
		f.Interval = d.Interval
	}
	if f.Interval == 0 {
		f.Interval = Duration(5 * time.Minute)
	}
	if f.Language == "" {
		f.Language = d.Language
	}
	if f.Language == "" {
		f.Language = "en"
	}
	if f.FullText == nil {
		f.FullText = d.FullText
	}
	if f.Format == "" {
		f.Format = d.Format
	}
	if f.Format == "" {
		f.Format = "auto"
	}
	if len(d.Headers) > 0 {
		h := map[string]string{}
		for k, v := range d.Headers {
			h[k] = v
		}
		for k, v := range f.Headers {
			h[k] = v
		}
		f.Headers = h
	}
	return f
}

func (f Feed) validate() error {
	if strings.TrimSpace(f.Name) == "" {
		return errors.New("name is required")
	}
	if strings.ContainsAny(f.Name, " \t\n/") {
		return fmt.Errorf("name %q: use letters, digits, '-', '_' and '.'", f.Name)
	}
	u, err := url.Parse(f.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("url %q: want an absolute http(s) URL", f.URL)
	}
	if f.Interval < 0 {
		return fmt.Errorf("interval %s is negative", time.Duration(f.Interval))
	}
	if f.Format != "auto" && f.Format != "ninjs" {
		return fmt.Errorf("format %q: want auto or ninjs", f.Format)
	}
	if f.Token != "" && f.TokenFile != "" {
		return errors.New("token and token_file are exclusive")
	}
	for k := range f.Headers {
		if k == "" || strings.ContainsAny(k, " :\r\n") {
			return fmt.Errorf("header name %q is not valid", k)
		}
	}
	return nil
}

// fullText reports whether the feed asks for the linked pages.
func (f Feed) fullText() bool { return f.FullText != nil && *f.FullText }

// header returns the request headers of the feed, the token read now (so a
// rotated token file takes effect at the next poll).
func (f Feed) header() (http.Header, error) {
	h := http.Header{}
	for k, v := range f.Headers {
		h.Set(k, v)
	}
	tok := f.Token
	if f.TokenFile != "" {
		b, err := os.ReadFile(f.TokenFile)
		if err != nil {
			return nil, fmt.Errorf("reading token_file: %w", err)
		}
		tok = strings.TrimSpace(string(b))
	}
	if tok != "" {
		h.Set("Authorization", "Bearer "+tok)
	}
	return h, nil
}

// same reports whether two configurations of a feed poll the same way (a
// changed one restarts its poller on reload).
func (f Feed) same(g Feed) bool {
	if f.Name != g.Name || f.URL != g.URL || f.Interval != g.Interval || f.Language != g.Language || f.Source != g.Source ||
		f.Token != g.Token || f.TokenFile != g.TokenFile || f.fullText() != g.fullText() || f.Format != g.Format ||
		len(f.Headers) != len(g.Headers) {
		return false
	}
	for k, v := range f.Headers {
		if g.Headers[k] != v {
			return false
		}
	}
	return true
}
