package article

import (
	"strings"
	"testing"
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
