// Package esindex is the pipeline's Elasticsearch layer: client settings
// (TLS, basic auth, API key), the versioned index with its strict mapping
// and template, the alias that search reads, the document built from a
// classified article, and a bulk writer that retries what is temporary and
// reports what Elasticsearch rejects.
package esindex

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8"

	"github.com/deskwire/newsroom/services/pipeline/envflag"
	"github.com/deskwire/newsroom/services/pipeline/retry"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// Config holds the Elasticsearch settings.
type Config struct {
	// URL of the cluster (default http://127.0.0.1:9200), comma-separated for several nodes.
	URL      string
	Username string
	Password string
	APIKey   string
	// PasswordFile and APIKeyFile hold Password and APIKey (mounted
	// secrets); Validate reads them.
	PasswordFile, APIKeyFile string
	// CAFile is a PEM CA bundle for https URLs (system roots when empty).
	CAFile string
	// Alias is what search reads and the live index service writes (default "articles").
	Alias string
	// Version selects the index articles-v<Version> created at start when the alias is missing (default 1).
	Version int
	// Replicas of new indices (default 0: a single-node cluster stays green).
	Replicas int
	// Shards of new indices (0 means DefaultShards).
	Shards int
}

// DefaultShards is two primary shards: Elasticsearch runs a search's
// aggregations on one thread per shard, so two shards let one desk query
// use two cores (figure 8 in BENCHMARKS.md: p99 at 300,000 documents fell
// by about a third against one shard).
const DefaultShards = 2

// maxShards is Elasticsearch's own limit on primary shards per index.
const maxShards = 1024

// shards is Shards, or DefaultShards when unset.
func (c *Config) shards() int {
	if c.Shards == 0 {
		return DefaultShards
	}
	return c.Shards
}

// Bind registers the settings as flags with environment defaults.
func (c *Config) Bind(s *envflag.Set) {
	s.String(&c.URL, "elasticsearch-url", "ELASTICSEARCH_URL", "http://127.0.0.1:9200", "Elasticsearch URL(s), comma-separated")
	s.String(&c.Username, "elasticsearch-username", "ELASTICSEARCH_USERNAME", "", "Elasticsearch basic-auth user")
	s.Secret(&c.Password, "elasticsearch-password", "ELASTICSEARCH_PASSWORD", "Elasticsearch basic-auth password")
	s.Secret(&c.APIKey, "elasticsearch-api-key", "ELASTICSEARCH_API_KEY", "Elasticsearch API key (base64 id:key), instead of basic auth")
	s.String(&c.PasswordFile, "elasticsearch-password-file", "ELASTICSEARCH_PASSWORD_FILE", "", "read the basic-auth password from this file (a mounted secret)")
	s.String(&c.APIKeyFile, "elasticsearch-api-key-file", "ELASTICSEARCH_API_KEY_FILE", "", "read the API key from this file (a mounted secret)")
	s.String(&c.CAFile, "elasticsearch-ca-file", "ELASTICSEARCH_CA_FILE", "", "PEM CA bundle for Elasticsearch TLS")
	s.String(&c.Alias, "index-alias", "INDEX_ALIAS", "articles", "alias that search reads and the index service writes")
	s.Int(&c.Version, "index-version", "INDEX_VERSION", 1, "version N of the index articles-vN created when the alias is missing")
	s.Int(&c.Replicas, "index-replicas", "INDEX_REPLICAS", 0, "replicas of newly created indices")
	s.Int(&c.Shards, "index-shards", "INDEX_SHARDS", DefaultShards, "primary shards of newly created indices (existing ones keep theirs; reindex into a new version to change them)")
}

// Validate checks the settings.
func (c *Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.URL) == "" {
		errs = append(errs, errors.New("ELASTICSEARCH_URL is empty"))
	}
	for _, f := range []struct {
		name, path string
		dst        *string
	}{{"ELASTICSEARCH_PASSWORD", c.PasswordFile, &c.Password}, {"ELASTICSEARCH_API_KEY", c.APIKeyFile, &c.APIKey}} {
		if f.path == "" {
			continue
		}
		if *f.dst != "" {
			errs = append(errs, fmt.Errorf("set %s or %s_FILE, not both", f.name, f.name))
			continue
		}
		v, err := envflag.ReadSecretFile("", f.path)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s_FILE: %w", f.name, err))
			continue
		}
		*f.dst = v
	}
	if c.APIKey != "" && c.Username != "" {
		errs = append(errs, errors.New("set ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD, not both"))
	}
	if c.Alias == "" {
		errs = append(errs, errors.New("INDEX_ALIAS is empty"))
	}
	if c.Version < 1 {
		errs = append(errs, fmt.Errorf("INDEX_VERSION=%d: want 1 or more", c.Version))
	}
	if c.Replicas < 0 {
		errs = append(errs, fmt.Errorf("INDEX_REPLICAS=%d: want 0 or more", c.Replicas))
	}
	if c.Shards < 0 || c.Shards > maxShards {
		errs = append(errs, fmt.Errorf("INDEX_SHARDS=%d: want 1 to %d (0 for the default, %d)", c.Shards, maxShards, DefaultShards))
	}
	return errors.Join(errs...)
}

// IndexName returns the versioned index name for version v: "articles-v3".
func (c *Config) IndexName(v int) string { return fmt.Sprintf("%s-v%d", c.Alias, v) }

// NewClient builds the client. Every request carries the configured
// credentials; https URLs use the CA file.
func (c *Config) NewClient() (*elasticsearch.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 32
	tr.ResponseHeaderTimeout = 60 * time.Second
	if c.CAFile != "" {
		t, err := stream.ClientTLS(c.CAFile, "", "")
		if err != nil {
			return nil, fmt.Errorf("elasticsearch TLS: %w", err)
		}
		tr.TLSClientConfig = t
	}
	var addrs []string
	for _, u := range strings.Split(c.URL, ",") {
		if u = strings.TrimSpace(u); u != "" {
			addrs = append(addrs, u)
		}
	}
	es, err := elasticsearch.NewClient(elasticsearch.Config{
		Addresses:     addrs,
		Username:      c.Username,
		Password:      c.Password,
		APIKey:        c.APIKey,
		Transport:     tr,
		MaxRetries:    0, // the pipeline retries with its own backoff
		DisableRetry:  true,
		EnableMetrics: false,
	})
	if err != nil {
		return nil, fmt.Errorf("creating elasticsearch client for %s: %w", c.URL, err)
	}
	return es, nil
}

// Ping checks that the cluster answers and is at least yellow: the readiness
// check.
func Ping(ctx context.Context, es *elasticsearch.Client) error {
	res, err := es.Cluster.Health(es.Cluster.Health.WithContext(ctx), es.Cluster.Health.WithTimeout(2*time.Second))
	if err != nil {
		return refusedConnection(fmt.Errorf("elasticsearch health: %w", err))
	}
	defer res.Body.Close()
	if res.IsError() {
		return refusedStatus(res.StatusCode, fmt.Errorf("elasticsearch health: %s", res.Status()))
	}
	return nil
}

// refusedConnection marks a refused server certificate permanent, saying
// what to check; other connection errors stay temporary.
func refusedConnection(err error) error {
	if retry.CertificateError(err) {
		return retry.Permanent(fmt.Errorf("%w (the server's certificate is not trusted: check ELASTICSEARCH_CA_FILE "+
			"and the cluster's certificate)", err))
	}
	return err
}

// refusedStatus marks refused credentials (401) and missing privileges
// (403) permanent, saying what to check.
func refusedStatus(code int, err error) error {
	switch code {
	case http.StatusUnauthorized:
		return retry.Permanent(fmt.Errorf("%w (Elasticsearch refused the credentials: check ELASTICSEARCH_USERNAME "+
			"and the password, or ELASTICSEARCH_API_KEY)", err))
	case http.StatusForbidden:
		return retry.Permanent(fmt.Errorf("%w (the Elasticsearch user lacks a privilege it needs)", err))
	}
	return err
}
