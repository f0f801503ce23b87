package feeds

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFeedHeader(t *testing.T) {
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		feed    Feed
		want    http.Header
		wantErr bool
	}{
		{"none", Feed{}, http.Header{}, false},
		{"headers and token", Feed{Headers: map[string]string{"x-client": "newsroom"}, Token: "t1"},
			http.Header{"X-Client": {"newsroom"}, "Authorization": {"Bearer t1"}}, false},
		{"token file, read at each poll", Feed{TokenFile: tokenFile}, http.Header{"Authorization": {"Bearer from-file"}}, false},
		{"missing token file", Feed{TokenFile: filepath.Join(t.TempDir(), "nope")}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.feed.header()
			if (err != nil) != tc.wantErr {
				t.Fatalf("header() error = %v, want error %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("header() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFeedSame(t *testing.T) {
	base := Feed{Name: "a", URL: "https://x/1", Interval: Duration(60e9), Headers: map[string]string{"k": "v"}}
	changed := base
	changed.Headers = map[string]string{"k": "w"}
	for _, tc := range []struct {
		name string
		g    Feed
		want bool
	}{
		{"identical", base, true},
		{"header value", changed, false},
		{"interval", Feed{Name: "a", URL: "https://x/1", Interval: Duration(30e9), Headers: map[string]string{"k": "v"}}, false},
	} {
		if got := base.same(tc.g); got != tc.want {
			t.Errorf("%s: same = %v, want %v", tc.name, got, tc.want)
		}
	}
}
