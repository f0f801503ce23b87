package article

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScanLines(t *testing.T) {
	in := "{\"id\":\"a\",\"title\":\"A\"}\n\n{bad\n{\"id\":\"c\",\"body\":\"" + strings.Repeat("x", 300<<10) + "\"}\n" + `{"id":"d","title":"no newline"}`
	var got []string
	err := ScanLines(strings.NewReader(in), func(l Line) error {
		if l.Err != nil {
			got = append(got, "err@"+string(rune('0'+l.N)))
		} else {
			got = append(got, l.Input.ID+"@"+string(rune('0'+l.N)))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a@1", "err@3", "c@4", "d@5"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestScanRaw(t *testing.T) {
	long := `{"body":"` + strings.Repeat("y", 300<<10) + `"}`
	tooLong := strings.Repeat("z", MaxLineBytes+10)
	type got struct {
		N     int
		Data  string
		Bytes int
		Err   bool
	}
	for _, tc := range []struct {
		name string
		in   string
		want []got
	}{
		{"blank lines skipped, numbers kept", "a\n\n  \t\nb\r\n", []got{{1, "a\n", 2, false}, {4, "b\r\n", 3, false}}},
		{"last line without newline", "a\nb", []got{{1, "a\n", 2, false}, {2, "b", 1, false}}},
		{"longer than the read buffer", "a\n" + long + "\nb\n", []got{{1, "a\n", 2, false}, {2, long + "\n", len(long) + 1, false}, {3, "b\n", 2, false}}},
		{"too long, then more", tooLong + "\n" + long + "\nc", []got{{1, "", len(tooLong) + 1, true}, {2, long + "\n", len(long) + 1, false}, {3, "c", 1, false}}},
		{"empty", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var lines []got
			err := ScanRaw(strings.NewReader(tc.in), func(l RawLine) error {
				lines = append(lines, got{l.N, string(l.Data), l.Bytes, l.Err != nil})
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScanRawStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := ScanRaw(strings.NewReader("a\nb\nc\n"), func(RawLine) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("err = %v after %d calls, want stop after 1", err, calls)
	}
}
