package catalog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestVariantHelpers(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) []string
		in   string
		want []string
	}{
		{"abbrev out", abbrevForms, "Mount Example", []string{"Mt. Example"}},
		{"abbrev in", abbrevForms, "St. Example-Bay", []string{"Saint Example-Bay"}},
		{"abbrev last word kept", abbrevForms, "Example Mount", nil},
		{"abbrev inside a word kept", abbrevForms, "Fortville", nil},
		{"article hyphen", articleForms, "Abu al-Example", []string{"Abu el-Example", "Abu Example"}},
		{"article lower case", articleForms, "Abu el Example", []string{"Abu al Example", "Abu Example"}},
		{"article capital with space kept", articleForms, "Al Example", nil},
		{"article alone kept", articleForms, "al-Example", []string{"el-Example"}},
		{"slavic ending", slavicEndings, "Petr Exampleskiy", []string{"Petr Exampleskyy", "Petr Exampleskyi", "Petr Examplesky"}},
		{"slavic short stem", slavicEndings, "Sky", nil},
		{"ukrainian", ukrainianFolds, "Oleksiy Kyrylenko", []string{"Oleksiy Kirilenko"}},
		{"ukrainian -yi ending", ukrainianFolds, "Khmelnytskyi", []string{"Khmelnitskii", "Khmelnitskiy"}},
		{"ukrainian non-ascii", ukrainianFolds, "Kyïv", nil},
		{"russian", func(s string) []string { return russianFolds(s, true) }, "Yevgeny Example", []string{"Evgeniy Eksample", "Evgenyy Eksample"}},
		{"russian place", func(s string) []string { return russianFolds(s, false) }, "Yeysk", []string{"Eysk"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.fn(tt.in)); diff != "" {
				t.Errorf("%q (-want +got):\n%s", tt.in, diff)
			}
		})
	}
	one := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"apostrophe joined", joinApostrophes, "Da'esh", "Daesh"},
		{"curly apostrophe joined", joinApostrophes, "Da’esh", "Daesh"},
		{"possessive kept", joinApostrophes, "People's Army", ""},
		{"doubles", collapseDoubles, "Bashar Assad", "Bashar Asad"},
		{"short word kept", collapseDoubles, "Ott Ess", ""},
		{"vowels kept", collapseDoubles, "Mohammed Saeed", "Mohamed Saeed"},
		{"capitals kept", collapseDoubles, "UNHCR ISSS", ""},
		{"ou", ouToU, "Youssef Mahmoud", "Yussef Mahmud"},
	}
	for _, tt := range one {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn(tt.in); got != tt.want {
				t.Errorf("%q = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
