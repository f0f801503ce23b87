package search

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseText(t *testing.T) {
	w := func(s string) TextTerm { return TextTerm{Text: s} }
	ph := func(s string) TextTerm { return TextTerm{Text: s, Phrase: true} }
	tests := []struct {
		in   string
		want TextQuery
	}{
		{"drone strike", TextQuery{Groups: [][]TextTerm{{w("drone")}, {w("strike")}}}},
		{`"air defence" patriot`, TextQuery{Groups: [][]TextTerm{{ph("air defence")}, {w("patriot")}}}},
		{"kyiv OR kiev strike", TextQuery{Groups: [][]TextTerm{{w("kyiv"), w("kiev")}, {w("strike")}}}},
		{"a | b OR c", TextQuery{Groups: [][]TextTerm{{w("a"), w("b"), w("c")}}}},
		{`putin -moscow -"state tv"`, TextQuery{Groups: [][]TextTerm{{w("putin")}}, Excluded: []TextTerm{w("moscow"), ph("state tv")}}},
		{"OR first", TextQuery{Groups: [][]TextTerm{{w("OR")}, {w("first")}}}},
		{"last OR", TextQuery{Groups: [][]TextTerm{{w("last")}, {w("OR")}}}},
		{"or is a word", TextQuery{Groups: [][]TextTerm{{w("or")}, {w("is")}, {w("a")}, {w("word")}}}},
		{"F-16 - jets", TextQuery{Groups: [][]TextTerm{{w("F-16")}, {w("-")}, {w("jets")}}}},
		{`"unclosed phrase`, TextQuery{Groups: [][]TextTerm{{ph("unclosed phrase")}}}},
		{`"" "  " x`, TextQuery{Groups: [][]TextTerm{{w("x")}}}},
		{"title:x body:(y*) ~z", TextQuery{Groups: [][]TextTerm{{w("title:x")}, {w("body:(y*)")}, {w("~z")}}}},
		{"  ", TextQuery{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, ParseText(tt.in)); diff != "" {
			t.Errorf("ParseText(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
