package esindex

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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
