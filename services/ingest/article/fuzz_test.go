package article

import (
	"testing"
	"time"
)

// FuzzDecodeBuild feeds arbitrary lines through the decoder and validation:
// they may reject, never panic, and an accepted article always has an id and
// a revision.
func FuzzDecodeBuild(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","title":"t","body":"b"}`,
		`{"url":"https://Example.com/a?utm_source=x#f","title":"t"}`,
		`{"title":"t","published_at":"2025-10-16"}`,
		`{"title":5}`,
		`{"id":"a/b","title":"t"}`,
		`{"url":"seed:000","title":"t"}`,
		`[]`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		in, err := Decode(line)
		if err != nil {
			return
		}
		a, err := Build(in, time.Unix(0, 0), "")
		if err != nil {
			return
		}
		if a.GetId() == "" || a.GetRevision() == "" {
			t.Fatalf("accepted article without id or revision: %+v", a)
		}
		if ValidateID(a.GetId()) != nil {
			t.Fatalf("accepted article with invalid id %q", a.GetId())
		}
	})
}
