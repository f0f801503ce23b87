package catalog_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/catalog/catalogtest"
)

func TestCyrillicKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Путин", "putin"},
		{"ПУТИН", "putin"},
		{"Зеленський", "zelenskiy"},
		{"Щукин", "shchukin"},
		{"Їжакевич", "izhakevich"},
		{"Ґудзь", "gudz"},
		{"Ельцин", "eltsin"},
		{"Хмельницький", "khmelnitskiy"},
		{"Шахед-136", "shakhed 136"},
	}
	for _, tt := range tests {
		if got := catalog.Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRomanizeUkrainian(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Київ", "kyiv"},
		{"Харків", "kharkiv"},
		{"Запоріжжя", "zaporizhzhia"},
		{"Гуляйполе", "huliaipole"},
		{"Згурівка", "zghurivka"},
		{"Юрій Їжак", "yurii yizhak"},
		{"Єнакієве", "yenakiieve"},
		{"Знам’янка", "znamianka"},
		{"Kyiv 2", "Kyiv 2"},
	}
	for _, tt := range tests {
		if got := catalog.RomanizeUkrainian(tt.in); got != tt.want {
			t.Errorf("RomanizeUkrainian(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVariantKey(t *testing.T) {
	same := [][]string{
		{"Bashar al-Assad", "Bashar al-Asad", "Bashar Assad", "Bashar el-Assad", "bashar al assad", "Bashar Al-Asad"},
		{"Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskyi", "Зеленський", "Зеленский"},
		{"Mt. Hermon", "Mount Hermon", "Mt Hermon", "Mount-Hermon"},
		{"St. Petersburg", "Saint Petersburg", "St Petersburg", "Saint-Petersburg"},
		{"Ft. Bragg", "Fort Bragg"},
		{"Da'esh", "Da’esh", "Daesh", "DAESH"},
		{"Shahed-136", "Shahed 136", "Shahed136"},
		{"Beit Lahia", "Beit Lahiya", "Bet Lahia"},
		{"Mahmoud Abbas", "Mahmud Abbas", "Mahmoud Abas"},
		{"Yekaterinburg", "Ekaterinburg", "Екатеринбург"},
		{"Sergei Lavrov", "Sergey Lavrov", "Сергей Лавров"},
		{"Alexei", "Aleksey", "Алексей"},
		{"Mykolaiv", "Mikolaiv", "Миколаїв"},
	}
	for _, group := range same {
		want := catalog.VariantKey(group[0])
		for _, v := range group[1:] {
			if got := catalog.VariantKey(v); got != want {
				t.Errorf("VariantKey(%q) = %q, want %q as for %q", v, got, want, group[0])
			}
		}
	}
	differ := [][2]string{
		{"Georgia", "Jordan"},
		{"Al", "El"}, // an article alone is a word
		{"Patriot", "Patriots"},
		{"Kyiv", "Kiev"}, // a different name, not a spelling: an alias
	}
	for _, d := range differ {
		if catalog.VariantKey(d[0]) == catalog.VariantKey(d[1]) {
			t.Errorf("VariantKey(%q) = VariantKey(%q) = %q", d[0], d[1], catalog.VariantKey(d[0]))
		}
	}
}

func TestResolveVariants(t *testing.T) {
	ov := overlayFS(map[string]string{
		"actors.tsv": "bashar-example\tBashar al-Exammad\tperson\tJO\tal-Exammad\t-\t-\n" +
			"daesh-example\tDa'esh Example\torganization\t-\t-\t-\t-\n" +
			"ivan-exampleskyy\tIvan Exampleskyy\tperson\tUA\tExampleskyy\t-\t-\n",
		"locations.tsv": "place:mount-example\tMount Example\tplace\tUA\t48\t37\t0\t-\t-\n" +
			"place:huliaipole-example\tHuliaipole\tcity\tUA\t47.66\t36.26\t13000\t-\t-\n",
	})
	c, err := catalog.LoadFSOverlay(catalogtest.FS(t), ov)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		typ   catalog.Type
		value string
		want  []string
	}{
		{catalog.Actor, "Putin", []string{"vladimir-putin"}}, // exact keys unchanged
		{catalog.Actor, "Путин", []string{"vladimir-putin"}},
		{catalog.Actor, "Владимир Путин", []string{"vladimir-putin"}},
		{catalog.Actor, "Зеленський", []string{"volodymyr-zelensky"}},
		{catalog.Actor, "Володимир Зеленський", []string{"volodymyr-zelensky"}},
		{catalog.Actor, "Zelenskiy", []string{"volodymyr-zelensky"}},
		{catalog.Location, "Київ", []string{"geo:703448"}},
		{catalog.Location, "Москва", []string{"geo:524901"}},
		{catalog.Actor, "Bashar el-Exammad", []string{"bashar-example"}},
		{catalog.Actor, "Bashar Examad", []string{"bashar-example"}},
		{catalog.Actor, "Daesh Example", []string{"daesh-example"}},
		{catalog.Location, "Mt. Example", []string{"place:mount-example"}},
		{catalog.Location, "Гуляйполе", []string{"place:huliaipole-example"}},
		{catalog.Location, "Atlantis", []string{}},
	}
	for _, tt := range tests {
		got := names(c.Resolve(tt.typ, tt.value))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Resolve(%s, %q) (-want +got):\n%s", tt.typ, tt.value, diff)
		}
	}
	if got := names(c.Suggest(catalog.Actor, "Путі", 3)); !slices.Contains(got, "vladimir-putin") {
		t.Errorf("Suggest(Путі) = %v, want vladimir-putin", got)
	}
}

// TestVariants checks the spellings generated for the extractor, which
// matches exact keys of Names only.
func TestVariants(t *testing.T) {
	ov := overlayFS(map[string]string{
		"actors.tsv": "bashar-example\tBashar al-Exammad\tperson\tJO\tal-Exammad\t-\t-\n" +
			"daesh-example\tDa'esh Example\torganization\t-\t-\t-\t-\n" +
			"ivan-exampleskyy\tIvan Exampleskyy\tperson\tUA\tExampleskyy|Putin\t-\t-\n" +
			"mahmoud-example\tMahmoud Examplour\tperson\tJO\t-\t-\t-\n" +
			"alexei-samplny\tAlexei Samplny\tperson\tRU\tSamplny\t-\t-\n",
		"locations.tsv": "place:mount-example\tMount Example\tplace\tUA\t48\t37\t0\t-\t-\n" +
			"place:kryvyi-example\tKryvyi Example\tcity\tUA\t47.9\t33.4\t600000\t-\t-\n" +
			"place:yekaterinsample\tYekaterinsample\tcity\tRU\t56.8\t60.6\t0\t-\t-\n",
	})
	c, err := catalog.LoadFSOverlay(catalogtest.FS(t), ov)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id   string
		want []string
	}{
		{"bashar-example", []string{"Bashar el-Exammad", "Bashar Exammad", "Bashar al-Examad", "el-Exammad", "al-Examad"}},
		{"daesh-example", []string{"Daesh Example"}},
		{"ivan-exampleskyy", []string{"Ivan Exampleskyi", "Ivan Exampleskiy", "Ivan Examplesky",
			"Exampleskyi", "Exampleskiy", "Examplesky"}}, // not "Putyn": Putin is another entry's name
		{"mahmoud-example", []string{"Mahmud Examplur"}},
		{"place:mount-example", []string{"Mt. Example"}},
		{"place:kryvyi-example", []string{"Krivii Example", "Kriviy Example"}},
		{"place:yekaterinsample", []string{"Ekaterinsample"}},
		{"alexei-samplny", []string{"Aleksey Samplniy", "Aleksey Samplnyy", "Samplniy", "Samplnyy"}},
	}
	for _, tt := range tests {
		e, _ := c.Get(tt.id)
		if diff := cmp.Diff(tt.want, e.Variants); diff != "" {
			t.Errorf("%s: Variants (-want +got):\n%s", tt.id, diff)
		}
		if n := e.Names(); len(n) != 1+len(e.Aliases)+len(e.Variants) {
			t.Errorf("%s: Names() = %q, want name, aliases and variants", tt.id, n)
		}
	}
	if e, _ := c.Get("vladimir-putin"); len(e.Variants) != 0 {
		t.Errorf("vladimir-putin: Variants = %q, want none", e.Variants)
	}
}
