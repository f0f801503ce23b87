package search

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCursorRoundTrip(t *testing.T) {
	h := &Handler{CursorKey: []byte("k")}
	c := cursor{Query: "actor=putin&size=5", After: json.RawMessage(`[1760000000000,"a1"]`), PIT: "pit-id", Page: 3}
	tok := h.encodeCursor(c)
	got, vals, err := h.decodeCursor(url.Values{"cursor": {tok}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&c, got); diff != "" {
		t.Errorf("cursor (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(url.Values{"actor": {"putin"}, "size": {"5"}}, vals); diff != "" {
		t.Errorf("its search (-want +got):\n%s", diff)
	}
}

func TestCursorRejects(t *testing.T) {
	h := &Handler{CursorKey: []byte("k")}
	other := &Handler{CursorKey: []byte("another replica's key")}
	good := cursor{Query: "actor=putin", After: json.RawMessage(`[1]`), Page: 2}
	tests := []struct {
		name string
		vals url.Values
		want string
	}{
		{"with other parameters", url.Values{"cursor": {h.encodeCursor(good)}, "size": {"5"}}, "send it alone"},
		{"twice", url.Values{"cursor": {"a", "b"}}, "send it alone"},
		{"not base64", url.Values{"cursor": {"!!!.???"}}, "not one this API issued"},
		{"unsigned", url.Values{"cursor": {strings.Split(h.encodeCursor(good), ".")[0]}}, "not one this API issued"},
		{"signed by another key", url.Values{"cursor": {other.encodeCursor(good)}}, "not one this API issued"},
		{"page 1", url.Values{"cursor": {h.encodeCursor(cursor{Query: "", After: json.RawMessage(`[1]`), Page: 1})}}, "not one this API issued"},
		{"after not a list", url.Values{"cursor": {h.encodeCursor(cursor{After: json.RawMessage(`{}`), Page: 2})}}, "not one this API issued"},
		{"nested cursor", url.Values{"cursor": {h.encodeCursor(cursor{Query: "cursor=x", After: json.RawMessage(`[1]`), Page: 2})}}, "not one this API issued"},
		{"too long", url.Values{"cursor": {strings.Repeat("a", maxCursorLen+1)}}, "bytes long"},
	}
	for _, tt := range tests {
		_, _, err := h.decodeCursor(tt.vals)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one saying %q", tt.name, err, tt.want)
		}
	}
}
