package envflag

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestEnvDefaultsFlagsOverrideSecretsMasked(t *testing.T) {
	env := map[string]string{"NAME": "from-env", "COUNT": "7", "WAIT": "2s", "PASSWORD": "hunter2"}
	s := New("test")
	var out bytes.Buffer
	s.SetOutput(&out)
	s.SetLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	var name, pw string
	var count int
	var wait time.Duration
	s.String(&name, "name", "NAME", "def", "a name")
	s.Int(&count, "count", "COUNT", 1, "a count")
	s.Duration(&wait, "wait", "WAIT", time.Second, "a wait")
	s.Secret(&pw, "password", "PASSWORD", "a password")
	if err := s.Parse([]string{"--count", "9"}); err != nil {
		t.Fatal(err)
	}
	if name != "from-env" || count != 9 || wait != 2*time.Second || pw != "hunter2" {
		t.Fatalf("got name=%q count=%d wait=%v pw set=%v", name, count, wait, pw != "")
	}
	for _, f := range s.Fields() {
		if f.Key == "password" && f.String != "***" {
			t.Fatalf("secret dumped as %q", f.String)
		}
	}
	s.FS.Usage()
	if strings.Contains(out.String(), "hunter2") {
		t.Fatal("usage shows the secret")
	}
}

func TestBadEnvironmentValueIsAnError(t *testing.T) {
	s := New("test")
	s.SetLookup(func(k string) (string, bool) { return "many", k == "COUNT" })
	var n int
	s.Int(&n, "count", "COUNT", 1, "")
	err := s.Parse(nil)
	if err == nil || !strings.Contains(err.Error(), "COUNT") {
		t.Fatalf("err = %v, want it to name COUNT", err)
	}
}
