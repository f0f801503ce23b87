package article

import (
	"strings"
	"testing"
	"time"
)

func TestCanonicalURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"HTTPS://Example.COM/news/a?utm_source=x&b=2&a=1#top", "https://example.com/news/a?a=1&b=2"},
		{"http://example.com:80", "http://example.com/"},
		{"https://example.com:8443/x?fbclid=1&gclid=2", "https://example.com:8443/x"},
		{"SEED:000", "seed:000"},
		{"urn:feed:item:42", "urn:feed:item:42"},
	} {
		got, err := CanonicalURL(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("CanonicalURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"not a url", "/relative/path", "https://", "https:///path-only"} {
		if _, err := CanonicalURL(bad); err == nil {
			t.Errorf("CanonicalURL(%q) accepted", bad)
		}
	}
}

func TestBuildIDs(t *testing.T) {
	now := time.Now()
	mk := func(in Input) string {
		a, err := Build(in, now, "")
		if err != nil {
			t.Fatalf("Build(%+v): %v", in, err)
		}
		return a.GetId()
	}
	if got := mk(Input{ID: "given-1", Title: "x"}); got != "given-1" {
		t.Errorf("given id not kept: %q", got)
	}
	a := mk(Input{URL: "https://Example.com/a?utm_medium=y#f", Title: "x"})
	b := mk(Input{URL: "https://example.com/a", Title: "different title"})
	if a != b || !strings.HasPrefix(a, "u-") {
		t.Errorf("same canonical URL gave ids %q and %q", a, b)
	}
	c := mk(Input{Source: "wire", Title: "Headline", PublishedAt: "2025-10-16"})
	d := mk(Input{Source: "Wire", Title: "Headline ", PublishedAt: "2025-10-16"})
	if c != d || !strings.HasPrefix(c, "h-") {
		t.Errorf("same source+title+date gave ids %q and %q", c, d)
	}
}

func TestBuildRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Input
		want string
	}{
		{"no title or body", Input{ID: "x"}, "title or body is required"},
		{"body too large", Input{Body: strings.Repeat("a", MaxBodyBytes+1)}, "limit is"},
		{"bad url", Input{Title: "t", URL: "nope"}, "want an absolute URL"},
		{"bad date", Input{Title: "t", PublishedAt: "16/10/2025"}, "not an RFC 3339 date"},
		{"bad id", Input{Title: "t", ID: "a b"}, "contains"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(tc.in, time.Now(), "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestRevisionChangesWithContentOnly(t *testing.T) {
	in := Input{ID: "r", Title: "T", Body: "B"}
	a1, _ := Build(in, time.Now(), "t1")
	a2, _ := Build(in, time.Now().Add(time.Hour), "t2")
	in.Body = "B2"
	a3, _ := Build(in, time.Now(), "t1")
	if a1.GetRevision() != a2.GetRevision() {
		t.Error("revision changed without a content change")
	}
	if a1.GetRevision() == a3.GetRevision() {
		t.Error("revision did not change with the body")
	}
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		line string
		ok   bool
	}{
		{`{"id":"a","title":"t","gold":{"x":1}}`, true},
		{`{"title": 5}`, false},
		{`[1,2]`, false},
		{`{"title":"a"} {"title":"b"}`, false},
		{`{"title":`, false},
	} {
		_, err := Decode([]byte(tc.line))
		if (err == nil) != tc.ok {
			t.Errorf("Decode(%s) err = %v, want ok=%v", tc.line, err, tc.ok)
		}
	}
}

// TestIDsAndRevisionPinned keeps derived ids and revisions stable across
// versions: they are the keys and versions of records already in Kafka
// and Elasticsearch. The values are SHA-256 of the parts, each followed by
// a zero byte, computed independently.
func TestIDsAndRevisionPinned(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name         string
		in           Input
		id, revision string
	}{
		{"from url", Input{URL: "https://Example.com/a?utm_source=x", Title: "x"}, "u-b67773365158bb85dab278fd", ""},
		{"from source, title and date", Input{Source: "wire", Title: "Headline", PublishedAt: "2025-10-16"}, "h-ddc291e83e30c1824df9aaa9", ""},
		{"revision", Input{ID: "r", Source: "wire", Title: "T", Body: "B", PublishedAt: "2025-10-16"}, "r", "44ca618f9d802a26"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Build(tc.in, now, "")
			if err != nil {
				t.Fatal(err)
			}
			if a.GetId() != tc.id {
				t.Errorf("id = %q, want %q", a.GetId(), tc.id)
			}
			if tc.revision != "" && a.GetRevision() != tc.revision {
				t.Errorf("revision = %q, want %q", a.GetRevision(), tc.revision)
			}
		})
	}
}
