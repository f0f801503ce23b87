package article

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/pipeline/record"
)

// pinTrace is the trace id of the pinned records.
const pinTrace = "0af7651916cd43dd8448eb211c80319c"

// pinBody is a body shaped like a news article: paragraphs, curly quotes,
// escapes, non-ASCII text and an escaped emoji.
var pinBody = strings.Repeat(`The minister said on Tuesday that talks in Brüssel would resume “within days”.\n`+
	`Observers \"monitored\" the line \u003cin principle\u003e \u0026 more \ud83d\ude00 — 東京\tend. `, 12)

// pinnedLines are lines with the record Decode and Record make of them at
// ingestTime with pinTrace: key, value (its length and SHA-256) and the
// error, as the code gave them when the table was written. A change to any
// of them changes the records in Kafka.
var pinnedLines = []struct{ name, line, key, value, err string }{
	{"every field", `{"id":"a-1","url":"HTTPS://Example.COM:443/news/a?utm_source=x&b=2&a=1#top","title":" Title ",` +
		`"body":"Body\ntext","published_at":"2025-10-16T09:30:00+02:00","source":" wire ","language":" de "}`,
		"a-1", "158:f83469b0b5a3df879ad39ba36543ec7eabba9ff14a5d1b905a2ec74187cf0344", ""},
	{"id from the url", `{"url":"https://example.com/a?fbclid=1","title":"t","body":"b"}`, "u-b67773365158bb85dab278fd", "130:e9d002b9e4b67534bc8ff26dd626a358106b4ab802089a07bbb3e0753e04fa89", ""},
	{"id from source, title and date", `{"source":"Wire","title":"Headline","published_at":"2025-10-16"}`, "h-ddc291e83e30c1824df9aaa9", "116:7c4cde8675cb6440682347d609d3f0e51b096dbcb69896e547565a84caf2befd", ""},
	{"news body", `{"id":"n-1","title":"“Quoted” title — ça","body":"` + pinBody + `","published_at":"2025-01-02","source":"bench","language":"en"}`,
		"n-1", "2010:4fc4ec15044dbe15cd33eaebd395abda11a6ce972973b2d95d293022e17ace36", ""},
	{"unknown fields and nulls", `{"id":"u-1","gold":{"x":[1,2]},"title":null,"title":"t","body":"b","language":null}`, "u-1", "75:e13a81b7de756d5af617ffc39130888415411f5e87fb4d55cb16a36c5c274529", ""},
	{"white space only body and title", `{"id":"w-1","title":" \t","body":"\n\n"}`, "", "", "title: title or body is required"},
	{"no-break space, U+FFFD and C1 neighbours", "{\"id\":\"k-1\",\"title\":\"a\u00a0b\ufffd\u00a0\",\"body\":\"\\u00a0\\ufffd\\u00a0\\r\\u007e\"}", "k-1", "87:0dee7f3579c095e2bcabeaecb003aeacff60147e8fdd2f6518c0ac7c5965e5a1", ""},
	{"DEL in the title", "{\"id\":\"c-1\",\"title\":\"a\x7fb\"}", "", "", "title: holds the control character U+007F at byte 1: only tab, newline and carriage return are allowed; remove it"},
	{"C1 control in the body", "{\"id\":\"c-2\",\"title\":\"t\",\"body\":\"a\u0085b\"}", "", "", "body: holds the control character U+0085 at byte 1: only tab, newline and carriage return are allowed; remove it"},
	{"escaped control in the body", `{"id":"c-3","title":"t","body":"a\u0001b"}`, "", "", "body: holds the control character U+0001 at byte 1: only tab, newline and carriage return are allowed; remove it"},
	{"backspace escape in the title", `{"id":"c-4","title":"a\bb"}`, "", "", "title: holds the control character U+0008 at byte 1: only tab, newline and carriage return are allowed; remove it"},
	{"escaped DEL and C1 control", `{"id":"c-5","title":"a\u007fb","body":"\u009f"}`, "", "", "title: holds the control character U+007F at byte 1: only tab, newline and carriage return are allowed; remove it\nbody: holds the control character U+009F at byte 0: only tab, newline and carriage return are allowed; remove it"},
	{"invalid UTF-8", "{\"id\":\"c-6\",\"title\":\"a\xffb\"}", "", "", "title: is not valid UTF-8 (byte 0xff): send UTF-8 text"},
	{"lone surrogate", `{"id":"c-7","title":"a\ud800b"}`, "", "", "title: holds the lone surrogate escape \\ud800 (half of a UTF-16 pair, no character): send valid UTF-8 text"},
	{"bad date", `{"id":"d-1","title":"t","published_at":"16/10/2025"}`, "", "", "published_at: \"16/10/2025\" is not an RFC 3339 date: want 2025-10-16T09:30:00Z or 2025-10-16"},
	{"date out of range", `{"id":"d-2","title":"t","published_at":"1899-12-31"}`, "", "", "published_at: 1899-12-31T00:00:00Z is outside the accepted window 1900-01-01 to 2026-12-07T12:00:00Z (one day after now): send the real publication time, or leave it out"},
	{"bad id and url", `{"id":"a b","url":"nope","title":"t"}`, "", "", "url: \"nope\": want an absolute URL such as https://example.com/news/1\nid: \"a b\" contains ' ': use letters, digits and punctuation other than / and |"},
	{"wrong type", `{"id":"x","title":5}`, "", "", "field \"title\" must be a string, got number"},
}

// recordOutcome is what a test compares of a record: key, value digest,
// headers (the traceparent's random span id cut out) and error.
type recordOutcome struct {
	Key, Value, Err string
	Headers         []string
}

func outcome(m kafka.Message, err error) recordOutcome {
	if err != nil {
		return recordOutcome{Err: err.Error()}
	}
	sum := sha256.Sum256(m.Value)
	o := recordOutcome{Key: string(m.Key), Value: fmt.Sprintf("%d:%s", len(m.Value), hex.EncodeToString(sum[:]))}
	for _, h := range m.Headers {
		v := string(h.Value)
		if h.Key == record.HeaderTraceparent && len(v) == 55 {
			v = v[:36] + "<span>" + v[52:]
		}
		o.Headers = append(o.Headers, h.Key+"="+v)
	}
	return o
}

// decodeRecord is Decode then Record, as the loader and the API run them.
func decodeRecord(line string) recordOutcome {
	in, err := Decode([]byte(line))
	if err != nil {
		return outcome(kafka.Message{}, err)
	}
	m, _, err := Record(in, ingestTime, pinTrace)
	return outcome(m, err)
}

// TestRecordPinned keeps the records made of submitted lines byte for byte,
// through Decode and Record and through DecodeRecord.
func TestRecordPinned(t *testing.T) {
	headers := []string{"content-type=application/x-protobuf", "schema-version=newsroom.v1.Article",
		"trace-id=" + pinTrace, "traceparent=00-" + pinTrace + "-<span>-01"}
	for _, tc := range pinnedLines {
		t.Run(tc.name, func(t *testing.T) {
			want := recordOutcome{Key: tc.key, Value: tc.value, Err: tc.err}
			if tc.err == "" {
				want.Headers = headers
			}
			if diff := cmp.Diff(want, decodeRecord(tc.line)); diff != "" {
				t.Errorf("Decode and Record (-want +got):\n%s", diff)
			}
			in, m, err := DecodeRecord([]byte(tc.line), ingestTime, pinTrace)
			if diff := cmp.Diff(want, outcome(m, err)); diff != "" {
				t.Errorf("DecodeRecord (-want +got):\n%s", diff)
			}
			if wantIn, _ := Decode([]byte(tc.line)); in != wantIn {
				t.Errorf("DecodeRecord input = %+v, Decode gives %+v", in, wantIn)
			}
		})
	}
}

// A trace id that is not UTF-8 is refused as before: the record package
// still checks what Build did not.
func TestRecordRefusesBadTraceID(t *testing.T) {
	in := Input{ID: "t-1", Title: "t", Body: "b"}
	for _, trace := range []string{"\xff", "ab\xc2"} {
		if _, _, err := Record(in, ingestTime, trace); err == nil || !strings.Contains(err.Error(), "UTF-8") {
			t.Errorf("Record with trace id %q: err = %v, want a UTF-8 error", trace, err)
		}
		if _, _, err := DecodeRecord([]byte(`{"id":"t-1","title":"t","body":"b"}`), ingestTime, trace); err == nil ||
			!strings.Contains(err.Error(), "UTF-8") {
			t.Errorf("DecodeRecord with trace id %q: err = %v, want a UTF-8 error", trace, err)
		}
	}
}
