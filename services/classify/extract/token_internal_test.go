package extract

import (
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
