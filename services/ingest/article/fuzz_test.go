package article

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// FuzzDecodeBuild feeds arbitrary lines through the decoder and validation:
// they may reject, never panic, and an accepted article always has an id and
// a revision. DecodeRecord agrees with Decode then Record.
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
	for _, tc := range pinnedLines {
		f.Add([]byte(tc.line))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		// The loader's path makes the same record, or the same error.
		_, m, err := DecodeRecord(line, ingestTime, pinTrace)
		if got, want := outcome(m, err), decodeRecord(string(line)); !cmp.Equal(got, want) {
			t.Fatalf("DecodeRecord(%q) = %+v, Decode and Record give %+v", line, got, want)
		}
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
