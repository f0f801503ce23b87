package extract

import (
	"strings"
	"testing"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// TestTokenizerCyrillic checks that Cyrillic words are letters with their
// case, so a name written in Cyrillic reaches the catalog look-up folded.
func TestTokenizerCyrillic(t *testing.T) {
	c, err := catalog.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	e := New(c)
	s := &state{}
	text := "Title\nЗеленський зустрівся з ЗСУ у Києві."
	s.reset(e, text, len("Title"))
	tests := []struct {
		word     string
		has, not uint32
	}{
		{"Зеленський", fCap | fAlpha | fUpper1, fLower | fAllCaps},
		{"зустрівся", fLower | fAlpha, fCap},
		{"ЗСУ", fAllCaps | fNoLower | fAlpha, fLower},
		{"Києві", fCap | fAlpha, fLower},
	}
	byNorm := map[string]token{}
	for _, tk := range s.toks {
		byNorm[tk.norm] = tk
	}
	for _, tt := range tests {
		norm := catalog.Key(tt.word) // the catalog's folding, whatever it does to Cyrillic
		tk, ok := byNorm[norm]
		if !ok {
			var got []string
			for _, tk := range s.toks {
				got = append(got, tk.norm)
			}
			t.Errorf("no token %q in %q", norm, got)
			continue
		}
		if tk.f&tt.has != tt.has || tk.f&tt.not != 0 {
			t.Errorf("%q flags %b, want %b set and %b clear", tt.word, tk.f, tt.has, tt.not)
		}
	}
}

// TestTokenizerSupplementary checks that the tokenizer notes a code point
// beyond U+FFFF (a lead byte 0xF0 or more, valid or not) wherever it is.
func TestTokenizerSupplementary(t *testing.T) {
	c, err := catalog.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	e := New(c)
	tests := []struct {
		text string
		want bool
	}{
		{"Title\nplain words only.", false},
		{"Title\nCafé — “quoted” Києві.", false},
		{"Title\nan emoji 😀 alone", true},
		{"Title\nin a word😀word", true},
		{"Title\nafter a fold é😀", true},
		{"Title 𝐁old\nbody", true},
		{"Title\ninvalid \xf0 byte", true},
		{"Title\ninvalid word\xf8x", true},
		{"Title\ntrailing \xf0", true},
	}
	for _, tt := range tests {
		var tz tokenizer
		tz.dict, tz.small, tz.lower = &e.dict.tab, &e.lexSmall, &e.dict.lower
		tz.tokenize(tt.text, strings.IndexByte(tt.text, '\n'))
		if scan := countSupplementary(tt.text) > 0; tz.supp != tt.want || scan != tt.want {
			t.Errorf("%q: supp %v, scan %v, want %v", tt.text, tz.supp, scan, tt.want)
		}
	}
}
