package article

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// Field limits, in bytes of UTF-8. They keep every accepted article inside
// what Kafka and Elasticsearch accept: the largest record an article makes
// stays under stream.MaxRecordBytes, and the keyword fields (id, url,
// source, language) far under Lucene's 32,766-byte term limit.
const (
	// MaxIDLen bounds a given article id.
	MaxIDLen = 200
	// MaxURLBytes bounds url.
	MaxURLBytes = 8 << 10
	// MaxTitleBytes bounds title.
	MaxTitleBytes = 4 << 10
	// MaxSourceBytes bounds source.
	MaxSourceBytes = 512
	// MaxLanguageBytes bounds language (a BCP 47 tag such as "en" or "pt-BR").
	MaxLanguageBytes = 64
	// MaxBodyBytes is the largest article body accepted (1 MiB).
	MaxBodyBytes = 1 << 20
	// MaxPublishedAtBytes bounds published_at before it is parsed.
	MaxPublishedAtBytes = 64
)

// Limits lists every field with its maximum, in the order the README's
// table shows them.
var Limits = []struct {
	Field string
	Bytes int
}{
	{"id", MaxIDLen}, {"url", MaxURLBytes}, {"title", MaxTitleBytes}, {"source", MaxSourceBytes},
	{"language", MaxLanguageBytes}, {"body", MaxBodyBytes}, {"published_at", MaxPublishedAtBytes},
}

// MinPublished is the earliest published_at accepted; the latest is one day
// after the ingest time (MaxPublishedAhead), for clocks and time zones ahead.
var MinPublished = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// MaxPublishedAhead is how far past the ingest time published_at may lie.
const MaxPublishedAhead = 24 * time.Hour

// FieldError is a field that failed validation. TooLarge marks a value over
// its limit (HTTP 413 when nothing else is wrong).
type FieldError struct {
	Field    string
	Msg      string
	TooLarge bool
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// TooLarge reports whether err consists only of values over their limits
// (and other size refusals marked the same way).
func TooLarge(err error) bool {
	if err == nil {
		return false
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if !TooLarge(e) {
				return false
			}
		}
		return len(j.Unwrap()) > 0
	}
	var fe *FieldError
	return errors.As(err, &fe) && fe.TooLarge
}

// checkLen refuses a value over max bytes.
func checkLen(field, s string, max int) error {
	if len(s) > max {
		return &FieldError{Field: field, TooLarge: true,
			Msg: fmt.Sprintf("is %d bytes, the limit is %d: shorten it", len(s), max)}
	}
	return nil
}

// checkText refuses text that would not be kept as sent: invalid UTF-8 and
// control characters other than tab, newline and carriage return.
func checkText(field, s string) error {
	for i := 0; i < len(s); {
		for i+8 <= len(s) && plain(binary.LittleEndian.Uint64([]byte(s[i:i+8]))) {
			i += 8
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				return &FieldError{Field: field, Msg: fmt.Sprintf("holds the control character U+%04X at byte %d: "+
					"only tab, newline and carriage return are allowed; remove it", c, i)}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return &FieldError{Field: field, Msg: fmt.Sprintf("is not valid UTF-8 (byte 0x%02x at byte %d): send UTF-8 text", c, i)}
		}
		if r >= 0x80 && r <= 0x9f {
			return &FieldError{Field: field, Msg: fmt.Sprintf("holds the control character U+%04X at byte %d: "+
				"only tab, newline and carriage return are allowed; remove it", r, i)}
		}
		i += n
	}
	return nil
}

// plain reports whether the 8 bytes in w are all printable ASCII: no byte
// below 0x20, no DEL, no byte from 0x80 (the word tests of decode.go's
// special, exact for whether any byte matches).
func plain(w uint64) bool {
	del := w ^ (lsb * 0x7f)
	return (w|(w-lsb*0x20)&^w|(del-lsb)&^del)&msb == 0
}

// checkPublished refuses a publication time outside [MinPublished,
// ingestedAt + MaxPublishedAhead].
func checkPublished(t, ingestedAt time.Time) error {
	latest := ingestedAt.Add(MaxPublishedAhead)
	if t.Before(MinPublished) || t.After(latest) {
		return &FieldError{Field: "published_at", Msg: fmt.Sprintf("%s is outside the accepted window %s to %s (one day after now): "+
			"send the real publication time, or leave it out", t.Format(time.RFC3339), MinPublished.Format(time.DateOnly),
			latest.UTC().Format(time.RFC3339))}
	}
	return nil
}

// quote quotes s for an error message, cut to 80 bytes so that a huge value
// never floods a response or a log line.
func quote(s string) string {
	const max = 80
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}

// Rejection reasons: the reason label of newsroom_articles_rejected_total.
const (
	// ReasonInvalid is an article that fails decoding or validation.
	ReasonInvalid = "invalid"
	// ReasonTooLarge is an article over a size limit (a field, the line,
	// or the record Kafka takes).
	ReasonTooLarge = "too_large"
	// ReasonRefused is an article Kafka refused for good for another reason.
	ReasonRefused = "kafka_refused"
)

// Reasons lists every rejection reason.
var Reasons = []string{ReasonInvalid, ReasonTooLarge, ReasonRefused}

// RejectReason classifies why an article was rejected.
func RejectReason(err error) string {
	switch {
	case TooLarge(err) || errors.Is(err, stream.ErrRecordTooLarge) || errors.Is(err, ErrLineTooLong):
		return ReasonTooLarge
	case stream.RecordRefused(err):
		return ReasonRefused
	}
	return ReasonInvalid
}

// ShownID is a submitted id as rejections and logs show it: cut to
// MaxIDLen bytes (marked with …) and made valid UTF-8, so that an oversized
// or broken id never floods an answer or a log line.
func ShownID(id string) string {
	if len(id) > MaxIDLen {
		cut := MaxIDLen
		for cut > 0 && !utf8.RuneStart(id[cut]) {
			cut--
		}
		id = id[:cut] + "…"
	}
	return strings.ToValidUTF8(id, "\ufffd")
}
