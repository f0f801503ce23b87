// Package article turns submitted JSON articles into the contract's Article:
// decoding with clear errors, validation, the stable article id and the
// content revision. Ingest, its load command and classify's batch mode all
// read articles through it.
package article

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// Input is an article as submitted. Unknown JSON fields are ignored.
type Input struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Title       string `json:"title"`
	Body        string `json:"body"`
	PublishedAt string `json:"published_at"`
	Source      string `json:"source"`
	Language    string `json:"language"`
}

// Decode parses one JSON object. Unknown fields are ignored, a field given
// twice keeps its last value and null leaves a field as it is. A field
// whose text encoding/json would change — invalid UTF-8 or an escaped lone
// UTF-16 surrogate such as \ud800, both silently turned into U+FFFD — is
// an error naming the field (a *FieldError); the input is still returned
// for its id.
func Decode(b []byte) (Input, error) {
	in, _, err := decode(b)
	return in, err
}

// decode is Decode that also returns the fields whose text it found
// checkText accepts, for build to skip.
func decode(b []byte) (Input, fieldSet, error) {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '{' {
		if in, clean, ok := decodeFast(t); ok {
			return in, clean, nil
		}
	}
	in, err := decodeStd(b)
	return in, 0, err
}

// decodeStd is Decode through encoding/json: the reference for decodeFast,
// and the path for every line decodeFast declines, so that errors read the
// same.
func decodeStd(b []byte) (Input, error) {
	var in Input
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return in, errors.New("empty line: want one JSON object per line")
	}
	if b[0] != '{' {
		return in, errors.New("not a JSON object: each article is one {...} object")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return in, fmt.Errorf("field %q must be a %s, got %s", te.Field, "string", te.Value)
		}
		return in, fmt.Errorf("invalid JSON: %w", err)
	}
	if dec.More() {
		return in, errors.New("more than one JSON value on the line: put one article per line")
	}
	return in, checkEncoding(b)
}

// Build validates in and returns the article with its id, revision and
// ingest time set. Every field is checked against its limit (Limits) and
// the text rules (valid UTF-8, no control characters but tab, newline and
// carriage return); published_at must parse and lie between MinPublished
// and a day after ingestedAt. The errors are *FieldError, joined.
func Build(in Input, ingestedAt time.Time, traceID string) (*newsroomv1.Article, error) {
	return build(in, 0, ingestedAt, traceID)
}

// build is Build for an input whose fields in clean are known to pass
// checkText (decode saw them): only their length is checked.
func build(in Input, clean fieldSet, ingestedAt time.Time, traceID string) (*newsroomv1.Article, error) {
	var errs []error
	fields := [...]struct {
		name, value string
		max, f      int // f: the field's index in fieldNames
	}{
		{"id", in.ID, MaxIDLen, fieldID}, {"url", in.URL, MaxURLBytes, fieldURL}, {"title", in.Title, MaxTitleBytes, fieldTitle},
		{"source", in.Source, MaxSourceBytes, fieldSource}, {"language", in.Language, MaxLanguageBytes, fieldLanguage},
		{"body", in.Body, MaxBodyBytes, fieldBody}, {"published_at", in.PublishedAt, MaxPublishedAtBytes, fieldPublishedAt},
	}
	bad := map[string]bool{}
	for _, f := range fields {
		err := checkLen(f.name, f.value, f.max)
		if err == nil && !clean.has(f.f) {
			err = checkText(f.name, f.value)
		}
		if err != nil {
			errs = append(errs, err)
			bad[f.name] = true
		}
	}
	title := strings.TrimSpace(in.Title)
	body := strings.TrimSpace(in.Body)
	if title == "" && body == "" && !bad["title"] && !bad["body"] {
		errs = append(errs, &FieldError{Field: "title", Msg: "title or body is required"})
	}
	var canon string
	if in.URL != "" && !bad["url"] {
		c, err := CanonicalURL(in.URL)
		if err != nil {
			errs = append(errs, &FieldError{Field: "url", Msg: err.Error()})
		}
		canon = c
	}
	var published *timestamppb.Timestamp
	if in.PublishedAt != "" && !bad["published_at"] {
		t, err := ParseTime(in.PublishedAt)
		if err == nil {
			err = checkPublished(t, ingestedAt)
		} else {
			err = &FieldError{Field: "published_at", Msg: err.Error()}
		}
		if err != nil {
			errs = append(errs, err)
		} else {
			published = timestamppb.New(t)
		}
	}
	id := strings.TrimSpace(in.ID)
	if id != "" && !bad["id"] {
		if err := ValidateID(id); err != nil {
			errs = append(errs, &FieldError{Field: "id", Msg: err.Error()})
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if id == "" {
		id = DeriveID(canon, in.Source, title, in.PublishedAt)
	}
	lang := strings.TrimSpace(in.Language)
	if lang == "" {
		lang = "en"
	}
	a := &newsroomv1.Article{
		Id: id, Url: in.URL, Source: strings.TrimSpace(in.Source), Title: title, Body: body, Language: lang,
		PublishedAt: published, IngestedAt: timestamppb.New(ingestedAt), TraceId: traceID,
	}
	a.Revision = Revision(a)
	return a, nil
}

// ValidateID checks a given article id: printable, no spaces or "/", at
// most MaxIDLen bytes.
func ValidateID(id string) error {
	if len(id) > MaxIDLen {
		return fmt.Errorf("the id is %d bytes long, the limit is %d", len(id), MaxIDLen)
	}
	for _, r := range id {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) || r == '/' || r == '|' {
			return fmt.Errorf("%s contains %q: use letters, digits and punctuation other than / and |", quote(id), r)
		}
	}
	return nil
}

// ParseTime accepts an RFC 3339 timestamp or an RFC 3339 full-date
// (YYYY-MM-DD, taken as midnight UTC).
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	// An RFC 3339 timestamp is longer than a date: a date skips that
	// parse, whose error value would cost an allocation or two.
	if len(s) != len(time.DateOnly) {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC(), nil
		}
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%s is not an RFC 3339 date: want 2025-10-16T09:30:00Z or 2025-10-16", quote(s))
}

// trackingParams are query parameters that identify a campaign, not a page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true, "igshid": true,
	"ocid": true, "cmpid": true, "_ga": true, "_gl": true, "ref": true, "ref_src": true, "smid": true, "yclid": true,
}

// CanonicalURL normalizes an article URL so that the same page always gives
// the same id: scheme and host lower-cased, default port, fragment and
// tracking parameters (utm_*, fbclid, gclid, …) dropped, remaining query
// parameters sorted.
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("%s: %w", quote(raw), err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		// Other absolute URIs (feed ids such as "urn:…" or "seed:42") are
		// kept as they are, scheme lower-cased.
		if u.Scheme == "" || u.Opaque == "" && u.Host == "" {
			return "", fmt.Errorf("%s: want an absolute URL such as https://example.com/news/1", quote(raw))
		}
		return u.String(), nil
	}
	if u.Host == "" {
		return "", fmt.Errorf("%s: http(s) URL without a host", quote(raw))
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port != "" && !(u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443") {
		host += ":" + port
	}
	u.Host = host
	u.Fragment, u.RawFragment, u.User = "", "", nil
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(strings.ToLower(k), "utm_") || trackingParams[strings.ToLower(k)] {
			q.Del(k)
		}
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vs := q[k]
		sort.Strings(vs)
		for _, v := range vs {
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	u.RawQuery = strings.Join(parts, "&")
	u.ForceQuery = false
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), nil
}

// DeriveID returns the id of an article submitted without one: from the
// canonical URL when there is one, else from source, title and publication
// time.
func DeriveID(canonicalURL, source, title, publishedAt string) string {
	if canonicalURL != "" {
		return "u-" + hexHash(24, canonicalURL)
	}
	return "h-" + hexHash(24, strings.ToLower(strings.TrimSpace(source)), strings.TrimSpace(title), strings.TrimSpace(publishedAt))
}

// Revision hashes the content of an article: it changes when, and only
// when, the content changes.
func Revision(a *newsroomv1.Article) string {
	pub := ""
	if a.GetPublishedAt() != nil {
		pub = a.GetPublishedAt().AsTime().Format(time.RFC3339Nano)
	}
	return hexHash(16, a.GetUrl(), a.GetSource(), a.GetTitle(), a.GetBody(), a.GetLanguage(), pub)
}

// hashers holds SHA-256 states for hexHash, so that hashing a body
// allocates nothing but the result.
var hashers = sync.Pool{New: func() any { return &hasher{h: sha256.New()} }}

// hasher is a SHA-256 state with room for its sum, which would escape to
// the heap from a local array (Sum is an interface method).
type hasher struct {
	h   hash.Hash
	sum [sha256.Size]byte
}

// zeroByte ends each part hexHash hashes.
var zeroByte = []byte{0}

// hexHash returns the first n hex digits of the SHA-256 of the parts, each
// followed by a zero byte. The parts go to the hash as they are, not
// joined first, so that a body is not copied.
func hexHash(n int, parts ...string) string {
	x := hashers.Get().(*hasher)
	x.h.Reset()
	for _, p := range parts {
		// A Write never modifies or keeps its argument (io.Writer), so
		// the string's bytes can be passed without a copy.
		x.h.Write(unsafe.Slice(unsafe.StringData(p), len(p)))
		x.h.Write(zeroByte)
	}
	var digits [2 * sha256.Size]byte
	hex.Encode(digits[:], x.h.Sum(x.sum[:0]))
	hashers.Put(x)
	return string(digits[:n])
}

// Record validates in and encodes it as an articles.raw record.
func Record(in Input, ingestedAt time.Time, traceID string) (kafka.Message, string, error) {
	return buildRecord(in, 0, ingestedAt, traceID)
}

// DecodeRecord is Decode then Record, for the loader: the text checks that
// decoding makes on the way are not made again. The input is returned for
// its id, also when the line is rejected.
func DecodeRecord(b []byte, ingestedAt time.Time, traceID string) (Input, kafka.Message, error) {
	in, clean, err := decode(b)
	if err != nil {
		return in, kafka.Message{}, err
	}
	m, _, err := buildRecord(in, clean, ingestedAt, traceID)
	return in, m, err
}

// buildRecord is Record for an input whose fields in clean pass checkText.
func buildRecord(in Input, clean fieldSet, ingestedAt time.Time, traceID string) (kafka.Message, string, error) {
	a, err := build(in, clean, ingestedAt, traceID)
	if err != nil {
		return kafka.Message{}, "", err
	}
	// Build checked every string of a but the caller's trace id, so the
	// record package need not scan them again.
	encode := record.EncodeValidArticle
	if !utf8.ValidString(traceID) {
		encode = record.EncodeArticle // which refuses it
	}
	m, err := encode(a)
	if err != nil {
		return kafka.Message{}, "", err
	}
	// The field limits keep records far below this; the check guards them.
	if n := stream.RecordSize(m); n > stream.MaxRecordBytes {
		return kafka.Message{}, "", &FieldError{Field: "article", TooLarge: true,
			Msg: fmt.Sprintf("makes a %d-byte record, the limit is %d: shorten the body", n, stream.MaxRecordBytes)}
	}
	return m, a.GetId(), nil
}
