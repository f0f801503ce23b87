package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// treeRoot is where the manifest tree is copied inside the in-memory file system;
// wrapperRoot holds the kustomizations made up to combine an overlay with components.
const (
	treeRoot    = "/k8s"
	wrapperRoot = "/render"
)

// kustomizationFiles are the names kustomize accepts for a kustomization.
var kustomizationFiles = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// tree is an in-memory copy of a manifest directory and what it contains.
type tree struct {
	fsys       filesys.FileSystem
	overlays   []string // "base" and "overlays/<name>", relative to the tree
	components []string // "components/<name>"
}

// renderSpec names one render: an overlay, optionally with components.
type renderSpec struct {
	Name       string // e.g. "prod+keda"
	Overlay    string
	Components []string
}

// loadTree copies dir into memory and finds its overlays and components.
func loadTree(dir string) (*tree, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("reading manifest tree: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("reading manifest tree: %s is not a directory", dir)
	}
	t := &tree{fsys: filesys.MakeFsInMemory()}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		dst := path.Join(treeRoot, filepath.ToSlash(rel))
		if d.IsDir() {
			return t.fsys.MkdirAll(dst)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return t.fsys.WriteFile(dst, data)
	})
	if err != nil {
		return nil, fmt.Errorf("copying manifest tree %s: %w", dir, err)
	}
	if t.isKustomization("base") {
		t.overlays = append(t.overlays, "base")
	}
	t.overlays = append(t.overlays, t.subdirs("overlays")...)
	t.components = t.subdirs("components")
	return t, nil
}

// subdirs lists the kustomization directories directly below dir, sorted.
func (t *tree) subdirs(dir string) []string {
	entries, err := t.fsys.ReadDir(path.Join(treeRoot, dir))
	if err != nil {
		return nil // no such directory
	}
	var out []string
	for _, e := range entries {
		rel := path.Join(dir, e)
		if t.fsys.IsDir(path.Join(treeRoot, rel)) && t.isKustomization(rel) {
			out = append(out, rel)
		}
	}
	sort.Strings(out)
	return out
}

func (t *tree) isKustomization(rel string) bool {
	for _, name := range kustomizationFiles {
		if t.fsys.Exists(path.Join(treeRoot, rel, name)) {
			return true
		}
	}
	return false
}

// renders lists every overlay alone, with each component, and with all components.
func (t *tree) renders() []renderSpec {
	var out []renderSpec
	for _, o := range t.overlays {
		name := path.Base(o)
		out = append(out, renderSpec{Name: name, Overlay: o})
		for _, c := range t.components {
			out = append(out, renderSpec{Name: name + "+" + path.Base(c), Overlay: o, Components: []string{c}})
		}
		if len(t.components) > 1 {
			names := make([]string, len(t.components))
			for i, c := range t.components {
				names[i] = path.Base(c)
			}
			out = append(out, renderSpec{Name: name + "+" + strings.Join(names, "+"), Overlay: o, Components: t.components})
		}
	}
	return out
}

// render runs kustomize for r and decodes every object it produces.
func (t *tree) render(r renderSpec) ([]object, error) {
	dir := path.Join(treeRoot, r.Overlay)
	if len(r.Components) > 0 {
		// Components go into a kustomization of their own that takes the rendered overlay
		// as its resource, the way an operator combines them, in the overlay's namespace.
		plain, err := t.build(dir)
		if err != nil {
			return nil, err
		}
		ns, err := soleNamespace(plain)
		if err != nil {
			return nil, fmt.Errorf("overlay %s: %w", r.Overlay, err)
		}
		dir, err = t.writeWrapper(r, ns)
		if err != nil {
			return nil, err
		}
	}
	return t.build(dir)
}

func (t *tree) build(dir string) ([]object, error) {
	opts := krusty.MakeDefaultOptions()
	resMap, err := krusty.MakeKustomizer(opts).Run(t.fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", strings.TrimPrefix(dir, treeRoot+"/"), err)
	}
	var objs []object
	var errs []error // every object that fails to decode, not just the first
	for _, res := range resMap.Resources() {
		data, err := res.MarshalJSON()
		if err != nil {
			errs = append(errs, fmt.Errorf("encoding %s %s: %w", res.GetKind(), res.GetName(), err))
			continue
		}
		o, err := decode(data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		objs = append(objs, o)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return objs, nil
}

func (t *tree) writeWrapper(r renderSpec, namespace string) (string, error) {
	dir := path.Join(wrapperRoot, strings.ReplaceAll(r.Name, "+", "_"))
	var b strings.Builder
	b.WriteString("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n")
	if namespace != "" {
		fmt.Fprintf(&b, "namespace: %s\n", namespace)
	}
	fmt.Fprintf(&b, "resources:\n- ../..%s\ncomponents:\n", path.Join(treeRoot, r.Overlay))
	for _, c := range r.Components {
		fmt.Fprintf(&b, "- ../..%s\n", path.Join(treeRoot, c))
	}
	if err := t.fsys.MkdirAll(dir); err != nil {
		return "", fmt.Errorf("writing wrapper for %s: %w", r.Name, err)
	}
	if err := t.fsys.WriteFile(path.Join(dir, "kustomization.yaml"), []byte(b.String())); err != nil {
		return "", fmt.Errorf("writing wrapper for %s: %w", r.Name, err)
	}
	return dir, nil
}

// soleNamespace returns the one namespace the namespaced objects share ("" for none).
func soleNamespace(objs []object) (string, error) {
	seen := map[string]bool{}
	for _, o := range objs {
		if o.namespaced {
			seen[o.Namespace] = true
		}
	}
	if len(seen) > 1 {
		return "", fmt.Errorf("objects spread over %d namespaces", len(seen))
	}
	for ns := range seen {
		return ns, nil
	}
	return "", nil
}

// kindCounts summarises objects as "(ConfigMap 1, Deployment 3, ...)".
func kindCounts(objs []object) string {
	counts := map[string]int{}
	for _, o := range objs {
		counts[o.Kind]++
	}
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s %d", k, counts[k])
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
