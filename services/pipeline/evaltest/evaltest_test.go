package evaltest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.jsonl")
	os.WriteFile(good, []byte(`{"id":"a","title":"T","body":"B"}`+"\n"+`{"id":"b","title":"U","body":"C"}`+"\n"), 0o644)
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"id":"a"}`+"\n{oops\n"), 0o644)
	empty := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(empty, nil, 0o644)

	arts, err := Read(good)
	if err != nil || len(arts) != 2 || arts[1].ID != "b" || arts[1].Body != "C" {
		t.Fatalf("Read(good) = %+v, %v", arts, err)
	}
	if _, err := Read(bad); err == nil || !strings.Contains(err.Error(), "bad.jsonl:2") {
		t.Errorf("Read(bad) error = %v, want the file and line", err)
	}
	if _, err := Read(empty); err == nil {
		t.Error("Read(empty) gave no error")
	}
	if _, err := Read(filepath.Join(dir, "missing")); err == nil {
		t.Error("Read(missing) gave no error")
	}
}

func TestSharedDirFromEnv(t *testing.T) {
	t.Setenv("SHARED_DIR", "/x/y")
	if got := Path(); got != "/x/y/eval/dev/articles.jsonl" {
		t.Errorf("Path() = %q", got)
	}
	if got := SetPath("dev2"); got != "/x/y/eval/dev2/articles.jsonl" {
		t.Errorf("SetPath(dev2) = %q", got)
	}
}
