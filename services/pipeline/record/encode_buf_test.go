package record_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/segmentio/kafka-go"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// sameRecord reports how a and b differ in key, value or headers, the
// random span id of the traceparent aside.
func sameRecord(t *testing.T, a, b kafka.Message) {
	t.Helper()
	if !bytes.Equal(a.Key, b.Key) || !bytes.Equal(a.Value, b.Value) {
		t.Fatalf("key or value differ: %q/%d bytes vs %q/%d bytes", a.Key, len(a.Value), b.Key, len(b.Value))
	}
	if len(a.Headers) != len(b.Headers) {
		t.Fatalf("%d headers vs %d", len(a.Headers), len(b.Headers))
	}
	for i, h := range a.Headers {
		g := b.Headers[i]
		if h.Key != g.Key || h.Key != record.HeaderTraceparent && !bytes.Equal(h.Value, g.Value) {
			t.Errorf("header %d: %s=%q vs %s=%q", i, h.Key, h.Value, g.Key, g.Value)
		}
	}
}

// AppendClassified writes the record EncodeClassified writes, into the
// spare room of the buffer while it lasts, and moves on to a new array
// without touching the values already in the old one.
func TestAppendClassifiedMatchesEncode(t *testing.T) {
	c := full()
	want, err := record.EncodeClassified(c)
	if err != nil {
		t.Fatal(err)
	}
	n := len(want.Value)
	for _, tc := range []struct {
		name    string
		buf     []byte
		inPlace bool // the value lands in buf's array
	}{
		{"nil buffer", nil, false},
		{"room for one", make([]byte, 3, 3+n), true},
		{"one byte short", make([]byte, 3, 2+n), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i := range tc.buf {
				tc.buf[i] = 'x'
			}
			rec, buf, err := record.AppendClassified(tc.buf, c)
			if err != nil {
				t.Fatal(err)
			}
			sameRecord(t, want, rec)
			if cap(rec.Value) != len(rec.Value) {
				t.Errorf("value has room to append over the next one: len %d, cap %d", len(rec.Value), cap(rec.Value))
			}
			end := &buf[:cap(buf)][len(buf)-1]
			if &rec.Value[n-1] != end {
				t.Errorf("the returned buffer does not end with the value")
			}
			if inPlace := cap(tc.buf) > 0 && &tc.buf[:cap(tc.buf)][cap(tc.buf)-1] == end; inPlace != tc.inPlace {
				t.Errorf("value in the given array: %v, want %v", inPlace, tc.inPlace)
			}
			if string(tc.buf) != "xxx"[:len(tc.buf)] {
				t.Errorf("the given buffer's contents changed to %q", tc.buf)
			}
		})
	}
}

// Records appended one after the other keep their values, the buffer
// growing or not.
func TestAppendClassifiedKeepsEarlierValues(t *testing.T) {
	var buf []byte
	var recs []kafka.Message
	var want [][]byte
	for i := range 40 {
		c := full()
		c.Article.Body = strings.Repeat("b", i*i*100) // past the first array
		rec, b, err := record.AppendClassified(buf, c)
		if err != nil {
			t.Fatal(err)
		}
		buf = b
		w, err := record.EncodeClassified(c)
		if err != nil {
			t.Fatal(err)
		}
		recs, want = append(recs, rec), append(want, w.Value)
	}
	for i := range recs {
		if !bytes.Equal(recs[i].Value, want[i]) {
			t.Errorf("record %d: value changed", i)
		}
	}
}

// AppendClassified refuses what EncodeClassified refuses, with its error,
// and leaves the buffer as it was.
func TestAppendClassifiedRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		modify func(c *newsroomv1.ClassifiedArticle)
	}{
		{"empty id", func(c *newsroomv1.ClassifiedArticle) { c.Article.Id = "" }},
		{"no article", func(c *newsroomv1.ClassifiedArticle) { c.Article = nil }},
		{"invalid UTF-8", func(c *newsroomv1.ClassifiedArticle) { c.Actors[0].Name = "\xff" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := full()
			tc.modify(c)
			_, want := record.EncodeClassified(c)
			buf := make([]byte, 2, 64)
			_, got, err := record.AppendClassified(buf, c)
			if want == nil || err == nil || err.Error() != want.Error() {
				t.Errorf("AppendClassified error %v, want %v", err, want)
			}
			if len(got) != 2 || &got[:1][0] != &buf[0] {
				t.Errorf("buffer changed: len %d", len(got))
			}
		})
	}
}

// AppendClassifiedValidArticle writes what AppendClassified writes and
// checks what the classifier added; the article's strings are the
// caller's to have checked (DecodeArticle does).
func TestAppendClassifiedValidArticle(t *testing.T) {
	for _, tc := range []struct {
		name    string
		modify  func(c *newsroomv1.ClassifiedArticle)
		refused bool
	}{
		{"valid", func(*newsroomv1.ClassifiedArticle) {}, false},
		{"actor name", func(c *newsroomv1.ClassifiedArticle) { c.Actors[0].Name = "\xff" }, true},
		{"weapon category", func(c *newsroomv1.ClassifiedArticle) { c.Weapons[0].Category = "\xfe" }, true},
		{"location alias", func(c *newsroomv1.ClassifiedArticle) { c.Locations[0].Aliases = []string{"ok", "\xc3"} }, true},
		{"classifier version", func(c *newsroomv1.ClassifiedArticle) { c.ClassifierVersion = "1.\xff" }, true},
		{"weapon categories", func(c *newsroomv1.ClassifiedArticle) { c.WeaponCategories = []string{"\xff"} }, true},
		{"empty id", func(c *newsroomv1.ClassifiedArticle) { c.Article.Id = "" }, true},
		{"article body, not checked", func(c *newsroomv1.ClassifiedArticle) { c.Article.Body = "\xff" }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := full()
			tc.modify(c)
			rec, _, err := record.AppendClassifiedValidArticle(nil, c)
			if tc.refused {
				_, want := record.EncodeClassified(c)
				if want == nil || err == nil || err.Error() != want.Error() {
					t.Errorf("error %v, want %v", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want, _, err := record.AppendClassified(nil, full())
			if err != nil {
				t.Fatal(err)
			}
			if tc.name == "valid" {
				sameRecord(t, want, rec)
			} else if bytes.Equal(rec.Value, want.Value) {
				t.Error("the modified article encoded as the unmodified one")
			}
		})
	}
}
