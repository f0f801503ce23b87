// Command index writes classified articles into Elasticsearch and serves
// the search API.
//
//	index [serve]   consume articles.classified into the "articles" alias;
//	                serve the search API (GET /v1/search, /v1/articles/{id},
//	                /v1/entities, /v1/entities/{type}/{id}, /v1/timeline,
//	                /v1/export, /openapi.json), the desk's search page at /
//	                (internal/web), /healthz, /readyz and /metrics
//
// Settings come from environment variables, flags override them; run
// `index serve -h` for the list. With -target-index, -group and
// -topic-classified the same loop fills another index from another topic
// on its own consumer group (what a reindex does).
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/indexer"
	"github.com/deskwire/newsroom/services/index/internal/cors"
	"github.com/deskwire/newsroom/services/index/internal/search"
	"github.com/deskwire/newsroom/services/index/internal/web"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/cli"
	"github.com/deskwire/newsroom/services/pipeline/envflag"
	"github.com/deskwire/newsroom/services/pipeline/httpserver"
	"github.com/deskwire/newsroom/services/pipeline/memlimit"
	"github.com/deskwire/newsroom/services/pipeline/metrics"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(cli.Exit("index", err))
}

// config is the index service's configuration.
type config struct {
	Kafka stream.Config
	ES    esindex.Config
	// HTTPAddr serves search, health and metrics (default 127.0.0.1:8083).
	HTTPAddr string
	// Group is the consumer group on the classified topic (default index).
	Group string
	// TargetIndex is where documents are written (default: the alias).
	TargetIndex string
	// BulkMaxDocs caps the records of one batch (default 500).
	BulkMaxDocs int
	// BulkMaxBytes caps one bulk request (default 5 MiB).
	BulkMaxBytes int
	// BulkFlushInterval is how long a batch waits for more records (default
	// 50ms, chosen by the latency figure in BENCHMARKS.md; a backlog fills
	// batches anyway).
	BulkFlushInterval time.Duration
	// BulkConcurrency is how many bulk requests may be in flight (default
	// 3: the next batches are fetched, encoded and sent while one is still
	// being written; offsets are still committed in order; BENCHMARKS.md).
	BulkConcurrency int
	// BacklogRecords is the consumer lag at which the index refreshes every
	// BacklogRefresh instead of every second, until the lag falls to a
	// tenth of it (0: never).
	BacklogRecords int
	BacklogRefresh time.Duration
	// ShutdownTimeout bounds the stop after SIGTERM (default 20s).
	ShutdownTimeout time.Duration
	// APIToken (or the content of APITokenFile) is the search bearer token.
	APIToken, APITokenFile string
	// SearchMaxSize caps size= (default 100).
	SearchMaxSize int
	// SearchTimeout bounds one search (default 10s).
	SearchTimeout time.Duration
	// CatalogDir loads the catalogs from a directory instead of the build.
	CatalogDir string
	// CatalogOverlay is a directory of overlay files merged over the catalogs.
	CatalogOverlay string
	// CORSOrigins are the origins browsers may call the API from,
	// comma-separated (default none).
	CORSOrigins string
	// CursorSecret signs search cursors (default: a random key per process,
	// so that cursors only work on the replica that issued them).
	CursorSecret string
	// CursorKeepAlive is how long a cursor stays valid after its page
	// (default 5m).
	CursorKeepAlive time.Duration
}

func (c *config) bind(s *envflag.Set) {
	c.Kafka.Bind(s)
	c.ES.Bind(s)
	s.String(&c.HTTPAddr, "http-addr", "HTTP_ADDR", "127.0.0.1:8083", "address of the search API, health and metrics")
	s.String(&c.CatalogDir, "catalog-dir", "CATALOG_DIR", "", "load catalogs from this directory instead of the embedded ones")
	s.String(&c.CatalogOverlay, "catalog-overlay-dir", "CATALOG_OVERLAY_DIR", "", "merge the overlay files of this directory (added entries, aliases, blocked names) over the catalogs")
	s.String(&c.Group, "group", "INDEX_GROUP", "index", "consumer group on the classified topic")
	s.String(&c.TargetIndex, "target-index", "INDEX_TARGET", "", "index to write into (default: the alias); created from the template when missing")
	s.Int(&c.BulkMaxDocs, "bulk-max-docs", "BULK_MAX_DOCS", 500, "records per bulk batch")
	s.Int(&c.BulkMaxBytes, "bulk-max-bytes", "BULK_MAX_BYTES", 5<<20, "bytes per bulk request (larger batches are split)")
	s.Duration(&c.BulkFlushInterval, "bulk-flush-interval", "BULK_FLUSH_INTERVAL", 50*time.Millisecond,
		"wait for more records once one arrived before writing the batch")
	s.Int(&c.BulkConcurrency, "bulk-concurrency", "BULK_CONCURRENCY", 3, "bulk requests in flight at once (offsets are committed in order)")
	s.Int(&c.BacklogRecords, "backlog-records", "INDEX_BACKLOG_RECORDS", 2000,
		"records behind the classified topic at which the index refreshes less often, until a tenth of it is left (0: never)")
	s.Duration(&c.BacklogRefresh, "backlog-refresh", "INDEX_BACKLOG_REFRESH", 30*time.Second,
		"the index's refresh interval during such a backlog (1s to 1h)")
	s.Duration(&c.ShutdownTimeout, "shutdown-timeout", "SHUTDOWN_TIMEOUT", 20*time.Second, "time to finish and commit the batch in hand after SIGTERM")
	s.Secret(&c.APIToken, "api-token", "API_TOKEN", "bearer token required on /v1 (none when empty)")
	s.String(&c.APITokenFile, "api-token-file", "API_TOKEN_FILE", "", "file holding the bearer token (instead of API_TOKEN)")
	s.Int(&c.SearchMaxSize, "search-max-size", "SEARCH_MAX_SIZE", 100, "largest size= a search accepts (400 above)")
	s.Duration(&c.SearchTimeout, "search-timeout", "SEARCH_TIMEOUT", 10*time.Second, "time one search may take before 503")
	s.String(&c.CORSOrigins, "cors-origins", "CORS_ORIGINS", "", "origins browsers may call the API from, comma-separated (https://desk.example.org; * for any; none when empty)")
	s.Secret(&c.CursorSecret, "search-cursor-secret", "SEARCH_CURSOR_SECRET", "key signing search cursors; give every replica the same (random per process when empty)")
	s.Duration(&c.CursorKeepAlive, "search-cursor-keep-alive", "SEARCH_CURSOR_KEEP_ALIVE", 5*time.Minute, "how long a search cursor stays valid after its page")
}

func (c *config) validate() error {
	errs := []error{c.Kafka.Validate(), c.ES.Validate()}
	if c.Group == "" {
		errs = append(errs, errors.New("INDEX_GROUP is empty"))
	}
	if c.BulkMaxDocs < 1 {
		errs = append(errs, fmt.Errorf("BULK_MAX_DOCS=%d: want at least 1", c.BulkMaxDocs))
	}
	if c.BulkMaxBytes < 64<<10 {
		errs = append(errs, fmt.Errorf("BULK_MAX_BYTES=%d: want at least 65536", c.BulkMaxBytes))
	}
	if c.BulkFlushInterval <= 0 {
		errs = append(errs, fmt.Errorf("BULK_FLUSH_INTERVAL=%s: want more than 0", c.BulkFlushInterval))
	}
	if c.BulkConcurrency < 1 || c.BulkConcurrency > 16 {
		errs = append(errs, fmt.Errorf("BULK_CONCURRENCY=%d: want 1 to 16", c.BulkConcurrency))
	}
	if c.BacklogRecords < 0 {
		errs = append(errs, fmt.Errorf("INDEX_BACKLOG_RECORDS=%d: want 0 (never) or more", c.BacklogRecords))
	}
	if c.BacklogRefresh < time.Second || c.BacklogRefresh > time.Hour || c.BacklogRefresh%time.Millisecond != 0 {
		errs = append(errs, fmt.Errorf("INDEX_BACKLOG_REFRESH=%s: want 1s to 1h in whole milliseconds", c.BacklogRefresh))
	}
	if c.ShutdownTimeout < 2*time.Second {
		errs = append(errs, fmt.Errorf("SHUTDOWN_TIMEOUT=%s: want at least 2s", c.ShutdownTimeout))
	}
	if c.SearchMaxSize < 1 || c.SearchMaxSize > search.MaxWindow {
		errs = append(errs, fmt.Errorf("SEARCH_MAX_SIZE=%d: want 1 to %d", c.SearchMaxSize, search.MaxWindow))
	}
	if c.SearchTimeout <= 0 {
		errs = append(errs, fmt.Errorf("SEARCH_TIMEOUT=%s: want more than 0", c.SearchTimeout))
	}
	if _, err := cors.Parse(c.CORSOrigins); err != nil {
		errs = append(errs, fmt.Errorf("CORS_ORIGINS: %w", err))
	}
	if c.CursorKeepAlive < 10*time.Second || c.CursorKeepAlive > time.Hour {
		errs = append(errs, fmt.Errorf("SEARCH_CURSOR_KEEP_ALIVE=%s: want 10s to 1h", c.CursorKeepAlive))
	}
	return errors.Join(errs...)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd, args := cli.Subcommand(args, "serve")
	if cmd != "serve" {
		return cli.UsageError{Msg: fmt.Sprintf("unknown command %q: want serve (see index serve -h)", cmd)}
	}
	var cfg config
	log, fs, err := cli.Parse("index serve", args, stderr, cfg.bind)
	if err != nil {
		return err
	}
	defer log.Sync()
	memlimit.Apply(log, memlimit.Default)
	if fs.FS.NArg() > 0 {
		return cli.UsageError{Msg: fmt.Sprintf("unexpected arguments %q (see index serve -h)", fs.FS.Args())}
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	token, err := envflag.ReadSecretFile(cfg.APIToken, cfg.APITokenFile)
	if err != nil {
		return fmt.Errorf("API_TOKEN_FILE: %w", err)
	}
	start := time.Now()
	cat, err := catalog.LoadOverlay(cfg.CatalogDir, cfg.CatalogOverlay)
	if err != nil {
		return fmt.Errorf("loading catalogs: %w", err)
	}
	log.Info("catalogs loaded", zap.Duration("took", time.Since(start)), zap.String("catalog_version", cat.Version()))

	m := metrics.New("index")
	m.InitProduced(cfg.Kafka.TopicDLQ)
	m.InitDeadLetters(cfg.Kafka.TopicClassified, indexer.Reasons...)
	m.InitBulkFailures(bulkStatuses...)
	kc, err := stream.NewClient(&cfg.Kafka)
	if err != nil {
		return err
	}
	es, err := cfg.ES.NewClient()
	if err != nil {
		return err
	}

	// Serve health and search at once: liveness holds while Kafka or
	// Elasticsearch is still starting, readiness says which is missing.
	srv := httpserver.New(cfg.HTTPAddr, log, m, cfg.SearchTimeout+5*time.Second,
		httpserver.Check{Name: "kafka", Fn: kc.Ping},
		httpserver.Check{Name: "elasticsearch", Fn: func(ctx context.Context) error { return esindex.Ping(ctx, es) }})
	cursorKey := []byte(cfg.CursorSecret)
	if len(cursorKey) == 0 {
		cursorKey = make([]byte, 32)
		_, _ = rand.Read(cursorKey)
		log.Info("search cursors are signed with a key of this process: set SEARCH_CURSOR_SECRET when several replicas serve one address")
	}
	origins, _ := cors.Parse(cfg.CORSOrigins) // validated above
	h := &search.Handler{ES: es, Index: cfg.ES.Alias, Catalog: newCatalogAdapter(cat), Log: log,
		MaxSize: cfg.SearchMaxSize, Timeout: cfg.SearchTimeout, CursorKey: cursorKey, CursorKeepAlive: cfg.CursorKeepAlive}
	mountSearch(srv, m, h, token, &cors.Policy{Origins: origins})
	page, err := web.New()
	if err != nil {
		return err
	}
	mountPage(srv, page)
	ln, err := srv.Listen()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "index: serving on http://%s\n", ln.Addr())

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(runCtx, ln, cfg.ShutdownTimeout) }()

	err = consume(runCtx, log, m, &cfg, kc, es)
	cancel() // the consumer ended: stop serving too
	if serr := <-served; serr != nil && err == nil {
		err = serr
	}
	return err
}

// bulkStatuses are the bulk item statuses the bulk writer tells apart
// (refused, alias missing, overloaded, failing), exported at zero from the
// start.
var bulkStatuses = []int{400, 404, 429, 500, 503}

// consume sets up topics, template and alias, then indexes until ctx ends.
func consume(ctx context.Context, log *zap.Logger, m *metrics.Metrics, cfg *config, kc *stream.Client, es *elasticsearch.Client) error {
	if err := cli.WaitFor(ctx, log, "kafka", func(ctx context.Context) error {
		return kc.EnsureTopics(ctx, stream.TopicSpec{Name: cfg.Kafka.TopicClassified}, stream.TopicSpec{Name: cfg.Kafka.TopicDLQ})
	}); err != nil {
		return stopped(ctx, fmt.Errorf("creating topics: %w", err))
	}
	admin := &esindex.Admin{ES: es, Cfg: &cfg.ES}
	target := cfg.TargetIndex
	if err := cli.WaitFor(ctx, log, "elasticsearch", func(ctx context.Context) error {
		idx, err := admin.Setup(ctx)
		if err != nil {
			return err
		}
		log.Info("index ready", zap.String("alias", cfg.ES.Alias), zap.String("alias_target", idx))
		if target != "" {
			return admin.EnsureIndex(ctx, target)
		}
		return nil
	}); err != nil {
		return stopped(ctx, fmt.Errorf("setting up the index: %w", err))
	}
	if target == "" {
		target = cfg.ES.Alias
	}
	r, err := kc.NewReader(cfg.Group, cfg.Kafka.TopicClassified)
	if err != nil {
		return err
	}
	defer r.Close()
	w := kc.NewWriter(cfg.Kafka.TopicDLQ)
	defer w.Close()
	ix := &indexer.Indexer{
		Reader: r,
		// The memory of one request body for each batch in flight.
		Bulk: &esindex.Bulk{ES: es, Index: target, RequireAlias: cfg.TargetIndex == "", MaxBytes: cfg.BulkMaxBytes,
			Buffers: esindex.NewBuffers(cfg.BulkConcurrency), Log: log, Metrics: m},
		DeadLetters: &stream.DeadLetters{Stage: indexer.Stage,
			P: &stream.Producer{W: w, Topic: cfg.Kafka.TopicDLQ, Log: log, Metrics: m}},
		Log: log, Metrics: m, MaxDocs: cfg.BulkMaxDocs, FlushInterval: cfg.BulkFlushInterval, Concurrency: cfg.BulkConcurrency,
		// Leave part of the shutdown budget for leaving the group.
		Grace: max(cfg.ShutdownTimeout-3*time.Second, cfg.ShutdownTimeout/2),
		Backlog: &indexer.Backlog{Admin: admin, Index: target, Normal: esindex.RefreshInterval,
			Interval: fmt.Sprintf("%dms", cfg.BacklogRefresh.Milliseconds()), Enter: int64(cfg.BacklogRecords), Log: log},
	}
	log.Info("indexing", zap.String("topic", cfg.Kafka.TopicClassified), zap.String("group", cfg.Group), zap.String("index", target))
	return ix.Run(ctx)
}

// stopped drops err when it only says that ctx ended during start-up.
func stopped(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}
