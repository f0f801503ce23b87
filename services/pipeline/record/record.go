// Package record encodes the pipeline's Kafka records: key = article id,
// value = protobuf, headers for content type, schema version and trace id.
// A record with a nil value is a tombstone: the article was retracted.
package record

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
)

// Header names.
const (
	HeaderContentType   = "content-type"
	HeaderSchema        = "schema-version"
	HeaderTraceID       = "trace-id"
	HeaderTraceparent   = "traceparent"
	HeaderDeletedAt     = "deleted-at"
	ContentTypeProtobuf = "application/x-protobuf"
	// SchemaArticle and SchemaClassified name the message in the value.
	SchemaArticle    = "newsroom.v1.Article"
	SchemaClassified = "newsroom.v1.ClassifiedArticle"
)

// Meta is what travels in a record's headers.
type Meta struct {
	TraceID string
	// DeletedAt is set on tombstones.
	DeletedAt time.Time
}

// EncodeArticle builds the articles.raw record for a.
func EncodeArticle(a *newsroomv1.Article) (kafka.Message, error) {
	return encode(a.GetId(), a, validArticle(a), SchemaArticle, a.GetTraceId())
}

// EncodeValidArticle is EncodeArticle for an article whose strings the
// caller has checked are valid UTF-8 (ingest validates every one it
// makes): it skips the scan of every string, the body's included.
func EncodeValidArticle(a *newsroomv1.Article) (kafka.Message, error) {
	return encode(a.GetId(), a, true, SchemaArticle, a.GetTraceId())
}

// EncodeClassified builds the articles.classified record for c.
func EncodeClassified(c *newsroomv1.ClassifiedArticle) (kafka.Message, error) {
	return encode(c.GetArticle().GetId(), c, validClassified(c), SchemaClassified, c.GetArticle().GetTraceId())
}

// marshaler is a message with the generated codec (protoc-gen-go-vtproto):
// no reflection, one allocation.
type marshaler interface {
	MarshalVT() ([]byte, error)
}

// encode marshals m; valid says whether all its strings are UTF-8, which
// proto3 requires and the generated codec does not check.
func encode(id string, m marshaler, valid bool, schema, traceID string) (kafka.Message, error) {
	if id == "" {
		return kafka.Message{}, errors.New("encoding record: article id is empty")
	}
	if !valid {
		return kafka.Message{}, fmt.Errorf("encoding %s %s: %w", schema, id, errNotUTF8)
	}
	b, err := m.MarshalVT()
	if err != nil {
		return kafka.Message{}, fmt.Errorf("encoding %s %s: %w", schema, id, err)
	}
	return kafka.Message{Key: []byte(id), Value: b, Headers: headers(schema, traceID)}, nil
}

// headers returns a record's headers. Their values share one array (each
// capped at its end), so that a record takes two allocations for them.
func headers(schema, traceID string) []kafka.Header {
	n := len(ContentTypeProtobuf) + len(schema)
	if traceID != "" {
		n += len(traceID) + traceparentLen(traceID)
	}
	buf := make([]byte, 0, n)
	value := func(start int) []byte { return buf[start:len(buf):len(buf)] }
	h := make([]kafka.Header, 2, 4)
	buf = append(buf, ContentTypeProtobuf...)
	h[0] = kafka.Header{Key: HeaderContentType, Value: value(0)}
	buf = append(buf, schema...)
	h[1] = kafka.Header{Key: HeaderSchema, Value: value(len(ContentTypeProtobuf))}
	if traceID != "" {
		start := len(buf)
		buf = append(buf, traceID...)
		h = append(h, kafka.Header{Key: HeaderTraceID, Value: value(start)})
		start = len(buf)
		buf = appendTraceparent(buf, traceID)
		h = append(h, kafka.Header{Key: HeaderTraceparent, Value: value(start)})
	}
	return h
}

// Tombstone builds the record that retracts article id on a compacted topic.
func Tombstone(id, traceID string, deletedAt time.Time) kafka.Message {
	h := headers("", traceID)[:0]
	if traceID != "" {
		h = append(h, kafka.Header{Key: HeaderTraceID, Value: []byte(traceID)})
	}
	h = append(h, kafka.Header{Key: HeaderDeletedAt, Value: []byte(deletedAt.UTC().Format(time.RFC3339Nano))})
	return kafka.Message{Key: []byte(id), Value: nil, Headers: h}
}

// IsTombstone reports whether m retracts its key.
func IsTombstone(m kafka.Message) bool { return m.Value == nil }

// Header returns the value of header key, or "".
func Header(m kafka.Message, key string) string { return string(headerValue(m, key)) }

// headerValue is Header without the copy: the value's memory is m's.
func headerValue(m kafka.Message, key string) []byte {
	for _, h := range m.Headers {
		if h.Key == key {
			return h.Value
		}
	}
	return nil
}

// ReadMeta returns the metadata in m's headers.
func ReadMeta(m kafka.Message) Meta {
	meta := Meta{TraceID: Header(m, HeaderTraceID)}
	if meta.TraceID == "" {
		meta.TraceID, _ = ParseTraceparent(Header(m, HeaderTraceparent))
	}
	if s := Header(m, HeaderDeletedAt); s != "" {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			meta.DeletedAt = t
		}
	}
	return meta
}

// DecodeArticle decodes an articles.raw record value. The decoded strings
// share m.Value's memory instead of copying it (a record's value is never
// written after it is read): m.Value must not be modified afterwards.
func DecodeArticle(m kafka.Message) (*newsroomv1.Article, error) {
	if err := checkSchema(m, SchemaArticle); err != nil {
		return nil, err
	}
	a := &newsroomv1.Article{}
	if err := a.UnmarshalVTUnsafe(m.Value); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", SchemaArticle, err)
	}
	if !validArticle(a) {
		return nil, fmt.Errorf("decoding %s: %w", SchemaArticle, errNotUTF8)
	}
	if a.GetId() == "" {
		return nil, errors.New("decoding article: id is empty")
	}
	if a.GetId() != string(m.Key) {
		return nil, fmt.Errorf("decoding article: id %q does not match record key %q", a.GetId(), m.Key)
	}
	return a, nil
}

// DecodeClassified decodes an articles.classified record value. Like
// DecodeArticle, it shares m.Value's memory: m.Value must not be modified
// afterwards.
func DecodeClassified(m kafka.Message) (*newsroomv1.ClassifiedArticle, error) {
	if err := checkSchema(m, SchemaClassified); err != nil {
		return nil, err
	}
	c := &newsroomv1.ClassifiedArticle{}
	if err := checkClassified(m, c, c.UnmarshalVTUnsafe(m.Value)); err != nil {
		return nil, err
	}
	return c, nil
}

// checkClassified is what DecodeClassified and DecodeClassifiedInto check
// once c was decoded from m with the error err.
func checkClassified(m kafka.Message, c *newsroomv1.ClassifiedArticle, err error) error {
	if err != nil {
		return fmt.Errorf("decoding %s: %w", SchemaClassified, err)
	}
	if !validClassified(c) {
		return fmt.Errorf("decoding %s: %w", SchemaClassified, errNotUTF8)
	}
	if c.GetArticle().GetId() == "" {
		return errors.New("decoding classified article: article id is empty")
	}
	if c.GetArticle().GetId() != string(m.Key) {
		return fmt.Errorf("decoding classified article: id %q does not match record key %q", c.GetArticle().GetId(), m.Key)
	}
	return nil
}

// checkSchema reads the headers in place: it runs on every record.
func checkSchema(m kafka.Message, want string) error {
	if ct := headerValue(m, HeaderContentType); len(ct) > 0 && string(ct) != ContentTypeProtobuf {
		return fmt.Errorf("unsupported content type %q (want %s)", ct, ContentTypeProtobuf)
	}
	if s := headerValue(m, HeaderSchema); len(s) > 0 && string(s) != want {
		return fmt.Errorf("unexpected schema %q (want %s)", s, want)
	}
	return nil
}

var traceparentRE = regexp.MustCompile(`^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$`)

// ParseTraceparent extracts the trace id of a W3C traceparent header.
func ParseTraceparent(s string) (string, bool) {
	m := traceparentRE.FindStringSubmatch(s)
	if m == nil || m[1] == "00000000000000000000000000000000" {
		return "", false
	}
	return m[1], true
}

// Traceparent formats a W3C traceparent for traceID with a new span id.
func Traceparent(traceID string) string { return string(appendTraceparent(nil, traceID)) }

// appendTraceparent appends Traceparent(traceID) to dst.
func appendTraceparent(dst []byte, traceID string) []byte {
	var span [8]byte
	_, _ = rand.Read(span[:])
	dst = append(append(append(dst, "00-"...), traceID...), '-')
	return append(hex.AppendEncode(dst, span[:]), "-01"...)
}

// traceparentLen is len(Traceparent(traceID)).
func traceparentLen(traceID string) int {
	return len("00-") + len(traceID) + len("-") + 2*8 + len("-01")
}

// NewTraceID returns a random W3C trace id.
func NewTraceID() string { return randomHex(16) }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Position formats a record's topic, partition and offset for errors and logs.
func Position(m kafka.Message) string {
	return m.Topic + "/" + strconv.Itoa(m.Partition) + "@" + strconv.FormatInt(m.Offset, 10)
}
