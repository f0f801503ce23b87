package esindex

import (
	"sort"
	"strings"
)

// Fields lists every field path of Mapping, dotted ("actors.id"), sub-fields
// included ("actors.name.keyword"), sorted. The mapping is the schema's one
// source of truth: Document (and AppendDocument) write exactly its
// properties, and search reads and queries only paths listed here; tests hold
// all of them to it.
func Fields() []string {
	var out []string
	walkProperties(Mapping()["properties"].(map[string]any), "", func(path string, def map[string]any) {
		out = append(out, path)
		if sub, ok := def["fields"].(map[string]any); ok {
			for name := range sub {
				out = append(out, path+"."+name)
			}
		}
	})
	sort.Strings(out)
	return out
}

// HasField reports whether path (a field, an object or a sub-field) is in
// the mapping. A query boost suffix ("title^2") is ignored.
func HasField(path string) bool {
	path, _, _ = strings.Cut(path, "^")
	for _, f := range Fields() {
		if f == path || strings.HasPrefix(f, path+".") {
			return true
		}
	}
	return false
}

// walkProperties calls fn for every leaf field under props, with its path.
func walkProperties(props map[string]any, prefix string, fn func(path string, def map[string]any)) {
	for name, v := range props {
		def := v.(map[string]any)
		if sub, ok := def["properties"].(map[string]any); ok {
			walkProperties(sub, prefix+name+".", fn)
			continue
		}
		fn(prefix+name, def)
	}
}
