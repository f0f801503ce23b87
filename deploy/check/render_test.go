package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepositoryManifests renders the real tree: every overlay, alone and with components.
func TestRepositoryManifests(t *testing.T) {
	tr, err := loadTree("../k8s")
	if err != nil {
		t.Fatal(err)
	}
	renders := tr.renders()
	var names []string
	for _, r := range renders {
		names = append(names, r.Name)
	}
	for _, want := range []string{"base", "dev", "prod", "dev+keda", "prod+operators", "prod+keda+operators"} {
		if !contains(names, want) {
			t.Errorf("renders %v lack %q", names, want)
		}
	}
	for _, r := range renders {
		t.Run(r.Name, func(t *testing.T) {
			objs, err := tr.render(r)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range checkAll(objs) {
				t.Error(p)
			}
		})
	}
}

// TestRenderFacts pins what the overlays are meant to change.
func TestRenderFacts(t *testing.T) {
	tr, err := loadTree("../k8s")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		render string
		want   map[string]bool // object refs that must be present (true) or absent (false)
	}{
		{"prod", map[string]bool{
			"HorizontalPodAutoscaler newsroom/classify": true,
			"Namespace newsroom":                        true,
		}},
		{"prod+keda", map[string]bool{
			"HorizontalPodAutoscaler newsroom/classify": false,
			"HorizontalPodAutoscaler newsroom/index":    false,
			"ScaledObject newsroom/classify":            true,
			"ScaledObject newsroom/index":               true,
		}},
		{"dev+operators", map[string]bool{
			"Kafka newsroom-dev/newsroom":                   true,
			"KafkaTopic newsroom-dev/articles.raw":          true,
			"Elasticsearch newsroom-dev/newsroom":           true,
			"Secret newsroom-dev/newsroom-es-roles":         true,
			"HorizontalPodAutoscaler newsroom-dev/classify": true,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.render, func(t *testing.T) {
			var spec renderSpec
			for _, r := range tr.renders() {
				if r.Name == tc.render {
					spec = r
				}
			}
			objs, err := tr.render(spec)
			if err != nil {
				t.Fatal(err)
			}
			refs := map[string]bool{}
			for _, o := range objs {
				refs[o.ref()] = true
			}
			for ref, present := range tc.want {
				if refs[ref] != present {
					t.Errorf("%s present = %v, want %v", ref, refs[ref], present)
				}
			}
		})
	}
}

// TestRunReportsBrokenCopy breaks a copy of the tree and expects the exact complaint.
func TestRunReportsBrokenCopy(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		old     string
		new     string
		wantOut []string
	}{
		{
			name:    "latest image in base",
			file:    "base/ingest.yaml",
			old:     "deskwire/newsroom-ingest:0.1.0",
			new:     "deskwire/newsroom-ingest:latest",
			wantOut: []string{`Deployment ingest: container ingest: image "deskwire/newsroom-ingest:latest" uses the :latest tag`},
		},
		{
			name: "unknown field",
			file: "base/classify.yaml",
			old:  "readOnlyRootFilesystem: true",
			new:  "readOnlyRootFileSystem: true",
			wantOut: []string{
				`unknown field "spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem"`,
			},
		},
		{
			name:    "keda component no longer deletes the HPA",
			file:    "components/keda/kustomization.yaml",
			old:     "$patch: delete",
			new:     "$patch: merge",
			wantOut: []string{`ScaledObject newsroom/index: Deployment "index" is also scaled by HorizontalPodAutoscaler newsroom/index`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, "../k8s", dir)
			path := filepath.Join(dir, tc.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(data, []byte(tc.old)) {
				t.Fatalf("%s does not contain %q", tc.file, tc.old)
			}
			if err := os.WriteFile(path, bytes.ReplaceAll(data, []byte(tc.old), []byte(tc.new)), 0o644); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			err = run([]string{dir}, &out)
			if err == nil {
				t.Fatalf("run succeeded on a broken tree; output:\n%s", out.String())
			}
			for _, want := range tc.wantOut {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
}

func TestRunUsage(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, &out); !errors.Is(err, errUsage) {
		t.Fatalf("run() = %v, want errUsage", err)
	}
	if err := run([]string{t.TempDir()}, &out); err == nil || !strings.Contains(err.Error(), "no kustomization found") {
		t.Fatalf("run(empty dir) = %v, want no kustomization found", err)
	}
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
