package esindex

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEncodeActions(t *testing.T) {
	ops := []Op{
		{ID: "plain-id", Version: 1734000000000001, Doc: []byte(`{"title":"a"}`)},
		{ID: `odd "id" \ with é and` + "\x01", Version: 7, Doc: []byte(`{"title":"b"}`)},
		{ID: "gone", Version: 9, Delete: true},
	}
	tests := []struct {
		name         string
		index        string
		requireAlias bool
	}{
		{"alias", "articles", true},
		{"index", "articles-v2", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &Bulk{Index: tt.index, RequireAlias: tt.requireAlias}
			body := b.encode(ops)
			if !bytes.HasSuffix(body, []byte("\n")) {
				t.Fatal("a _bulk body must end with a newline")
			}
			var lines []map[string]any
			sc := bufio.NewScanner(bytes.NewReader(body))
			for sc.Scan() {
				var m map[string]any
				if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
					t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
				}
				lines = append(lines, m)
			}
			meta := func(id string, version float64) map[string]any {
				m := map[string]any{"_index": tt.index, "_id": id, "version": version, "version_type": "external_gte"}
				if tt.requireAlias {
					m["require_alias"] = true
				}
				return m
			}
			want := []map[string]any{
				{"index": meta("plain-id", 1734000000000001)}, {"title": "a"},
				{"index": meta(ops[1].ID, 7)}, {"title": "b"},
				{"delete": meta("gone", 9)},
			}
			if diff := cmp.Diff(want, lines); diff != "" {
				t.Errorf("bulk body (-want +got):\n%s", diff)
			}
			if cap(body) < len(body) || cap(body) > len(body)+len(ops)*actionBytes {
				t.Errorf("body of %d bytes has capacity %d: not allocated once", len(body), cap(body))
			}
		})
	}
}
