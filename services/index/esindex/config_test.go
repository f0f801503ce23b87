package esindex

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recordingServer answers like Elasticsearch (product header) and keeps the
// Authorization header it saw.
func recordingServer(t *testing.T, tlsOn bool) (*httptest.Server, *string) {
	var auth string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = r.Header.Get("Authorization")
		w.Header().Set("X-Elastic-Product", "Elasticsearch")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"green"}`))
	})
	var srv *httptest.Server
	if tlsOn {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return srv, &auth
}

func TestCredentialsAreSent(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"basic auth", Config{Username: "elastic", Password: "pw"}, "Basic " + base64.StdEncoding.EncodeToString([]byte("elastic:pw"))},
		{"api key", Config{APIKey: "a2V5OnNlY3JldA=="}, "APIKey a2V5OnNlY3JldA=="},
		{"none", Config{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, auth := recordingServer(t, false)
			tc.cfg.URL = srv.URL
			es, err := tc.cfg.NewClient()
			if err != nil {
				t.Fatal(err)
			}
			if err := Ping(context.Background(), es); err != nil {
				t.Fatal(err)
			}
			if *auth != tc.want {
				t.Fatalf("Authorization = %q, want %q", *auth, tc.want)
			}
		})
	}
}

func TestCAFileIsTrusted(t *testing.T) {
	srv, _ := recordingServer(t, true)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	trusted := Config{URL: srv.URL, CAFile: ca}
	es, err := trusted.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	if err := Ping(context.Background(), es); err != nil {
		t.Fatalf("with the CA file: %v", err)
	}
	// Without the CA the server's certificate is not trusted.
	untrusted := Config{URL: srv.URL}
	es, _ = untrusted.NewClient()
	if err := Ping(context.Background(), es); err == nil {
		t.Fatal("a self-signed server was trusted without its CA file")
	}
	// A file without a certificate is a clear error.
	bad := filepath.Join(dir, "bad.pem")
	os.WriteFile(bad, []byte("not pem"), 0o600)
	if _, err := (&Config{URL: srv.URL, CAFile: bad}).NewClient(); err == nil {
		t.Fatal("a CA file without certificates was accepted")
	}
}

func TestSecretFiles(t *testing.T) {
	dir := t.TempDir()
	pw, key := filepath.Join(dir, "pw"), filepath.Join(dir, "key")
	_ = os.WriteFile(pw, []byte("s3cret\n"), 0o600)
	_ = os.WriteFile(key, []byte("a2V5\n"), 0o600)
	for _, tc := range []struct {
		name         string
		cfg          Config
		want         string // error text; "" for none
		pass, apiKey string
	}{
		{"password file", Config{URL: "u", Alias: "a", Version: 1, Username: "u", PasswordFile: pw}, "", "s3cret", ""},
		{"api key file", Config{URL: "u", Alias: "a", Version: 1, APIKeyFile: key}, "", "", "a2V5"},
		{"both ways", Config{URL: "u", Alias: "a", Version: 1, Password: "x", PasswordFile: pw}, "ELASTICSEARCH_PASSWORD or ELASTICSEARCH_PASSWORD_FILE", "", ""},
		{"missing file", Config{URL: "u", Alias: "a", Version: 1, APIKeyFile: key + ".missing"}, "ELASTICSEARCH_API_KEY_FILE", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.cfg
			err := c.Validate()
			if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v, want %q", err, tc.want)
			}
			if err == nil && (c.Password != tc.pass || c.APIKey != tc.apiKey) {
				t.Errorf("password %q, API key %q; want %q, %q", c.Password, c.APIKey, tc.pass, tc.apiKey)
			}
		})
	}
}

func TestValidateIndexShape(t *testing.T) {
	for _, tc := range []struct {
		name             string
		shards, replicas int
		want             string // error text; "" for none
		wantShards       int
	}{
		{"default", 0, 0, "", DefaultShards},
		{"one shard", 1, 0, "", 1},
		{"many shards, replicas", 1024, 2, "", 1024},
		{"too many shards", 1025, 0, "INDEX_SHARDS=1025: want 1 to 1024", 0},
		{"negative shards", -1, 0, "INDEX_SHARDS=-1", 0},
		{"negative replicas", 1, -1, "INDEX_REPLICAS=-1: want 0 or more", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Config{URL: "u", Alias: "a", Version: 1, Shards: tc.shards, Replicas: tc.replicas}
			err := c.Validate()
			if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v, want %q", err, tc.want)
			}
			if err == nil && c.shards() != tc.wantShards {
				t.Errorf("shards() = %d, want %d", c.shards(), tc.wantShards)
			}
		})
	}
}
