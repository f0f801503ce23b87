package e2e

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/kafkatest"
)

// secureEnv returns the settings that reach the secured pair (Kafka's TLS +
// SCRAM listener and the Elasticsearch node with security on), as
// `scripts/infra.sh secure-env` prints them, after checking that the node
// runs. With INTEGRATION=1 a missing secured pair fails the test.
func secureEnv(t *testing.T) map[string]string {
	t.Helper()
	kafkatest.SkipShort(t)
	_, file, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(file), "..", "..", "..", "scripts", "infra.sh")
	if out, err := exec.Command("bash", script, "status", "elasticsearch-secure").CombinedOutput(); err != nil {
		kafkatest.Unavailable(t, "the secured Elasticsearch (scripts/infra.sh up elasticsearch-secure)", strings.TrimSpace(string(out)), err)
	}
	out, err := exec.Command("bash", script, "secure-env").Output()
	if err != nil {
		t.Fatalf("scripts/infra.sh secure-env: %v", err)
	}
	env := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
			env[k] = v
		}
	}
	return env
}

// secret reads a credential file named by the secure settings.
func secret(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// withEnv returns base with the settings of over replacing or adding theirs.
func withEnv(base []string, over map[string]string) []string {
	var out []string
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := over[k]; !ok {
			out = append(out, kv)
		}
	}
	for k, v := range over {
		out = append(out, k+"="+v)
	}
	return out
}

// TestSecuredPipeline runs the three services and pipelinectl against Kafka
// over TLS with SCRAM-SHA-512 and Elasticsearch over HTTPS with basic auth:
// an article becomes searchable, and no log line holds a secret.
func TestSecuredPipeline(t *testing.T) {
	sec := secureEnv(t)
	s := newStack(t)
	s.env = withEnv(s.env, sec)
	// The alias lives on the secured node: delete its indices there.
	ecfg := &esindex.Config{URL: sec["ELASTICSEARCH_URL"], CAFile: sec["ELASTICSEARCH_CA_FILE"],
		Username: sec["ELASTICSEARCH_USERNAME"], PasswordFile: sec["ELASTICSEARCH_PASSWORD_FILE"], Alias: s.alias, Version: 1}
	if err := ecfg.Validate(); err != nil {
		t.Fatal(err)
	}
	es, err := ecfg.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if res, err := (esapi.IndicesDeleteRequest{Index: []string{s.alias + "-v*"}}).Do(context.Background(), es); err == nil {
			res.Body.Close()
		}
		if res, err := (esapi.IndicesDeleteIndexTemplateRequest{Name: s.alias + "-template"}).Do(context.Background(), es); err == nil {
			res.Body.Close()
		}
	})
	s.start("ingest")
	s.start("classify")
	s.start("index")
	if code, body := s.post(devArticle(t, "dev-000")); code != 202 {
		t.Fatalf("POST dev-000 = %d %v, want 202", code, body)
	}
	s.waitTotal(q("actor", "Putin"), 1, 60*time.Second)

	cmd := exec.Command(filepath.Join(binaries(t), "pipelinectl"), "status", "--log-level", "debug")
	cmd.Env = s.env
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "alias "+s.alias+" -> "+s.alias+"-v1") {
		t.Errorf("pipelinectl status against the secured pair = %v:\n%s", err, out)
	}
	secrets := []string{secret(t, sec["KAFKA_SASL_PASSWORD_FILE"]), secret(t, sec["ELASTICSEARCH_PASSWORD_FILE"])}
	logs := map[string]string{"pipelinectl": string(out)}
	for name, p := range s.procs {
		logs[name] = p.Logs()
	}
	for name, l := range logs {
		for _, sc := range secrets {
			if strings.Contains(l, sc) {
				t.Errorf("the %s log holds a secret", name)
			}
		}
	}
}

// TestSecuredRefusals: a service given a wrong password or a CA that does
// not trust the server stops at start with a message saying what is wrong,
// and without the password.
func TestSecuredRefusals(t *testing.T) {
	sec := secureEnv(t)
	dir := filepath.Dir(sec["KAFKA_TLS_CA_FILE"])
	wrong := filepath.Join(t.TempDir(), "wrong-password")
	if err := os.WriteFile(wrong, []byte("not-the-password-0123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	untrusted := filepath.Join(dir, "other-ca.pem")
	cases := []struct {
		name, service string
		over          map[string]string
		want          string
	}{
		{"kafka wrong password", "classify", map[string]string{"KAFKA_SASL_PASSWORD_FILE": wrong}, "SASL authentication failed"},
		{"kafka untrusted certificate", "classify", map[string]string{"KAFKA_TLS_CA_FILE": untrusted}, "certificate"},
		{"elasticsearch wrong password", "index", map[string]string{"ELASTICSEARCH_PASSWORD_FILE": wrong}, "401"},
		{"elasticsearch untrusted certificate", "index", map[string]string{"ELASTICSEARCH_CA_FILE": untrusted}, "certificate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range sec {
				env[k] = v
			}
			for k, v := range tc.over {
				env[k] = v
			}
			env["TOPIC_RAW"], env["TOPIC_CLASSIFIED"], env["TOPIC_DLQ"] = kafkatest.Name(t, "raw"), kafkatest.Name(t, "cl"), kafkatest.Name(t, "dlq")
			env["HTTP_ADDR"], env["INDEX_ALIAS"] = freePort(t), "t-refusal"
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, filepath.Join(binaries(t), tc.service), "serve")
			cmd.Env = withEnv(os.Environ(), env)
			start := time.Now()
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("%s still running after 60 s; want it to stop at start:\n%s", tc.service, tail(string(out)))
			}
			if err == nil || !strings.Contains(string(out), tc.want) {
				t.Fatalf("%s = %v after %s, want a failure naming %q:\n%s", tc.service, err, time.Since(start).Round(time.Millisecond), tc.want, tail(string(out)))
			}
			if strings.Contains(string(out), "not-the-password-0123") {
				t.Errorf("the %s log holds the password", tc.service)
			}
		})
	}
}
