package article

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeNinjs(t *testing.T) {
	wireID := DeriveID("urn:newsml:wire.example:20261206:a1", "", "", "")
	webID := DeriveID("https://wire.example/a/2", "", "", "")
	for _, tc := range []struct {
		name, doc string
		want      Input
		wantErr   bool
	}{
		{"1.x fields, provider as a name", `{"uri":"urn:newsml:wire.example:20261206:a1","type":"text","headline":"Strike on depot",
			"body_text":"Text.","versioncreated":"2026-12-06T10:00:00Z","language":"en","provider":"Wire"}`,
			Input{ID: wireID, Title: "Strike on depot", Body: "Text.", PublishedAt: "2026-12-06T10:00:00Z", Language: "en", Source: "Wire"}, false},
		{"2.x headlines and bodies, provider object, http uri is the url", `{"uri":"https://wire.example/a/2?utm_source=x",
			"headlines":[{"role":"main","value":"Talks resume"}],"bodies":[{"role":"main","contenttype":"text/html","value":"<p>One &amp; two.</p><p>Three</p>"}],
			"firstcreated":"2026-12-05","provider":{"name":"Wire Agency"}}`,
			Input{ID: webID, URL: "https://wire.example/a/2?utm_source=x", Title: "Talks resume", Body: "One & two.\n\nThree", PublishedAt: "2026-12-05", Source: "Wire Agency"}, false},
		{"body_html and info sources", `{"uri":"urn:newsml:wire.example:20261206:a1","headline":"H","body_html":"<div>A<script>x()</script> B</div>","infosources":[{"name":"Desk"}]}`,
			Input{ID: wireID, Title: "H", Body: "A B", Source: "Desk"}, false},
		{"no uri", `{"headline":"H"}`, Input{}, true},
		{"not an object", `[1]`, Input{}, true},
		{"bad JSON", `{"uri":`, Input{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeNinjs([]byte(tc.doc))
			if (err != nil) != tc.wantErr {
				t.Fatalf("error = %v, want error %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("DecodeNinjs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHTMLText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"<p>a  <b>b</b></p><p>c&nbsp;d</p>", "a b\n\nc d"},
		{"x<br/>y", "x\n\ny"},
		{"<style>p{}</style>text", "text"},
		{"unclosed <b", "unclosed"},
	} {
		if diff := cmp.Diff(tc.want, HTMLText(tc.in)); diff != "" {
			t.Errorf("HTMLText(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}
