package article

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

var ingestTime = time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)

// full returns an article with every field at its limit.
func full() Input {
	return Input{
		ID:          strings.Repeat("i", MaxIDLen),
		URL:         "https://example.com/" + strings.Repeat("u", MaxURLBytes-len("https://example.com/")),
		Title:       strings.Repeat("t", MaxTitleBytes),
		Source:      strings.Repeat("s", MaxSourceBytes),
		Language:    strings.Repeat("l", MaxLanguageBytes),
		Body:        strings.Repeat("b", MaxBodyBytes),
		PublishedAt: "2026-12-06T12:00:00.000000000+00:00" + strings.Repeat(" ", MaxPublishedAtBytes-len("2026-12-06T12:00:00.000000000+00:00")),
	}
}

// fieldErrors lists "field: too large" or "field" for each *FieldError in err.
func fieldErrors(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var fe *FieldError
		if errors.As(e, &fe) {
			s := fe.Field
			if fe.TooLarge {
				s += ": too large"
			}
			out = append(out, s)
			return
		}
		out = append(out, "not a FieldError: "+e.Error())
	}
	if err != nil {
		walk(err)
	}
	return out
}

func TestBuildLimits(t *testing.T) {
	over := func(mod func(*Input)) Input {
		in := full()
		mod(&in)
		return in
	}
	for _, tc := range []struct {
		name string
		in   Input
		want []string
	}{
		{"every field at its limit", full(), nil},
		{"id over", over(func(in *Input) { in.ID += "i" }), []string{"id: too large"}},
		{"url over", over(func(in *Input) { in.URL += "u" }), []string{"url: too large"}},
		{"title over", over(func(in *Input) { in.Title += "t" }), []string{"title: too large"}},
		{"source over", over(func(in *Input) { in.Source += "s" }), []string{"source: too large"}},
		{"language over", over(func(in *Input) { in.Language += "l" }), []string{"language: too large"}},
		{"body over", over(func(in *Input) { in.Body += "b" }), []string{"body: too large"}},
		{"published_at over", over(func(in *Input) { in.PublishedAt += " " }), []string{"published_at: too large"}},
		{"2 MB title and url", Input{Title: strings.Repeat("t", 2<<20), URL: "https://e.com/" + strings.Repeat("u", 2<<20)},
			[]string{"url: too large", "title: too large"}},
		{"40,000-byte keyword fields", Input{Title: "t", Source: strings.Repeat("s", 40000), Language: strings.Repeat("l", 40000),
			URL: "https://e.com/" + strings.Repeat("u", 40000)}, []string{"url: too large", "source: too large", "language: too large"}},
		{"multi-byte text counts bytes", Input{Title: strings.Repeat("é", MaxTitleBytes/2+1)}, []string{"title: too large"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(tc.in, ingestTime, "")
			if diff := cmp.Diff(tc.want, fieldErrors(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%v", diff, err)
			}
			if got := TooLarge(err); got != (len(tc.want) > 0) {
				t.Errorf("TooLarge = %v", got)
			}
		})
	}
}

// TestRecordAtEveryLimitFitsKafka: the largest article ingest accepts makes
// a record that a writer takes (stream.MaxRecordBytes), with room left for
// the entities classify adds.
func TestRecordAtEveryLimitFitsKafka(t *testing.T) {
	in := full()
	in.PublishedAt = "2026-12-06T12:00:00Z"
	m, _, err := Record(in, ingestTime, record.NewTraceID())
	if err != nil {
		t.Fatal(err)
	}
	n := stream.RecordSize(m)
	if n > stream.MaxRecordBytes/2+64<<10 {
		t.Fatalf("record of an article at every limit is %d bytes: want well under stream.MaxRecordBytes (%d)", n, stream.MaxRecordBytes)
	}
	t.Logf("largest record: %d bytes of %d", n, stream.MaxRecordBytes)
}

// TestLineLimitHoldsFullyEscapedArticle: an article at every limit, every
// byte escaped as \u00XX, fits MaxLineBytes.
func TestLineLimitHoldsFullyEscapedArticle(t *testing.T) {
	sum := 0
	for _, l := range Limits {
		sum += l.Bytes
	}
	if need := 6*sum + 1024; MaxLineBytes < need {
		t.Fatalf("MaxLineBytes = %d, a fully escaped article at every limit needs %d", MaxLineBytes, need)
	}
}

func TestBuildText(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Input
		want string // "" when accepted
	}{
		{"tab, newline, carriage return", Input{Title: "a\tb", Body: "line\r\nline\n"}, ""},
		{"non-ASCII and emoji", Input{Title: "Zürich — 東京 😀", Source: "Le Monde"}, ""},
		{"replacement character sent as such", Input{Title: "\ufffd"}, ""},
		{"NUL in title", Input{Title: "a\x00b"}, "title: holds the control character U+0000 at byte 1"},
		{"escape in body", Input{Body: "a\x1bb"}, "body: holds the control character U+001B"},
		{"DEL in source", Input{Title: "t", Source: "x\x7f"}, "source: holds the control character U+007F"},
		{"C1 control in title", Input{Title: "a\u0085b"}, "title: holds the control character U+0085"},
		{"vertical tab in language", Input{Title: "t", Language: "e\vn"}, "language: holds the control character U+000B"},
		{"form feed in url", Input{Title: "t", URL: "https://e.com/\f"}, "url: holds the control character U+000C"},
		{"invalid UTF-8 in title", Input{Title: "a\xffb"}, "title: is not valid UTF-8 (byte 0xff at byte 1)"},
		{"truncated UTF-8 in body", Input{Body: "ok \xe2\x80"}, "body: is not valid UTF-8"},
		{"invalid UTF-8 in id", Input{Title: "t", ID: "a\xc3"}, "id: is not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(tc.in, ingestTime, "")
			if tc.want == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestBuildPublishedWindow(t *testing.T) {
	for _, tc := range []struct {
		name, published string
		want            string // "" when accepted; else part of the error
		wantUTC         string
	}{
		{"first day", "1900-01-01", "", "1900-01-01T00:00:00Z"},
		{"a day ahead", "2026-12-07T12:00:00Z", "", "2026-12-07T12:00:00Z"},
		{"a day ahead in another zone", "2026-12-07T13:00:00+01:00", "", "2026-12-07T12:00:00Z"},
		{"date only, tomorrow", "2026-12-07", "", "2026-12-07T00:00:00Z"},
		{"just before 1900", "1899-12-31T23:59:59Z", "outside the accepted window 1900-01-01 to 2026-12-07T12:00:00Z", ""},
		{"year one", "0001-01-01", "outside the accepted window", ""},
		{"past a day ahead", "2026-12-07T12:00:01Z", "outside the accepted window", ""},
		{"far future", "9999-12-31", "published_at: 9999-12-31T00:00:00Z is outside", ""},
		{"not a date", "yesterday", `published_at: "yesterday" is not an RFC 3339 date`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Build(Input{Title: "t", PublishedAt: tc.published}, ingestTime, "")
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := a.GetPublishedAt().AsTime().Format(time.RFC3339); got != tc.wantUTC {
				t.Errorf("published_at = %s, want %s", got, tc.wantUTC)
			}
		})
	}
}

// TestDecodeRefusesAlteredText: text encoding/json would silently change is
// an error naming the field, on the fast path and the encoding/json path.
func TestDecodeRefusesAlteredText(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		field      string // "" when accepted
	}{
		{"lone high surrogate", `{"title":"a\ud800b"}`, "title"},
		{"lone high surrogate at end", `{"body":"a\ud83d"}`, "body"},
		{"lone low surrogate", `{"source":"\udc00","title":"t"}`, "source"},
		{"high surrogate then non-surrogate", `{"title":"\ud83d\u0041"}`, "title"},
		{"surrogate pair", `{"title":"\ud83d\ude00"}`, ""},
		{"escaped backslash before u", `{"title":"\\ud800"}`, ""},
		{"invalid UTF-8 byte", "{\"title\":\"a\xffb\"}", "title"},
		{"invalid UTF-8 in url", "{\"title\":\"t\",\"url\":\"https://e.com/\xc3\"}", "url"},
		{"case-folded key (encoding/json path)", `{"Title":"\ud800"}`, "title"},
		{"later duplicate replaces the bad value", `{"title":"\ud800","title":"ok"}`, ""},
		{"null keeps the bad value", `{"title":"\ud800","title":null}`, "title"},
		{"unknown field is not kept", `{"title":"t","x":"\ud800","y":"` + "\xff" + `"}`, ""},
		{"first field in order named", `{"body":"\ud800","id":"\udc00"}`, "id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.line))
			var fe *FieldError
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tc.field == "":
			case !errors.As(err, &fe):
				t.Fatalf("err = %v, want a FieldError for %s", err, tc.field)
			case fe.Field != tc.field:
				t.Fatalf("err names %s, want %s: %v", fe.Field, tc.field, err)
			}
		})
	}
}

func TestRejectReason(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"field over its limit", errors.Join(&FieldError{Field: "body", TooLarge: true}), ReasonTooLarge},
		{"size and format", errors.Join(&FieldError{Field: "body", TooLarge: true}, &FieldError{Field: "url"}), ReasonInvalid},
		{"line too long", ErrLineTooLong, ReasonTooLarge},
		{"record too large for Kafka", stream.ErrRecordTooLarge, ReasonTooLarge},
		{"bad JSON", errors.New("invalid JSON"), ReasonInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := RejectReason(tc.err); got != tc.want {
				t.Errorf("RejectReason = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestReadmeListsTheLimits: the README's size-limit table shows every
// field's limit as the code enforces it.
func TestReadmeListsTheLimits(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range Limits {
		row := fmt.Sprintf("| `%s` | %s bytes", l.Field, thousands(l.Bytes))
		if !strings.Contains(string(readme), row) {
			t.Errorf("README has no row starting %q", row)
		}
	}
}

// thousands writes n with commas: 1,048,576.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func TestPlain(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := c >= 0x20 && c < 0x7f
		for pos := 0; pos < 8; pos++ {
			w := [8]byte{'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'}
			w[pos] = byte(c)
			if got := plain(binary.LittleEndian.Uint64(w[:])); got != want {
				t.Fatalf("plain(%#x at %d) = %v, want %v", c, pos, got, want)
			}
		}
	}
}

func TestShownID(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"short", "a-1", "a-1"},
		{"at the limit", strings.Repeat("i", MaxIDLen), strings.Repeat("i", MaxIDLen)},
		{"over the limit", strings.Repeat("i", 2<<20), strings.Repeat("i", MaxIDLen) + "…"},
		{"cut inside a character", strings.Repeat("é", MaxIDLen), strings.Repeat("é", MaxIDLen/2) + "…"},
		{"invalid UTF-8", "a\xffb", "a\ufffdb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ShownID(tc.in); got != tc.want {
				t.Errorf("ShownID = %.40q…, want %.40q…", got, tc.want)
			}
		})
	}
}
