// Command classify extracts actors, weapon systems and locations from
// articles.
//
//	classify [serve]                   consume articles.raw, produce articles.classified
//	classify batch < in.ndjson > out   classify NDJSON articles without Kafka (quality evaluation)
//
// Settings come from environment variables, flags override them; run
// `classify serve -h` for the list.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/classify/classifier"
	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/classify/internal/batch"
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
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(cli.Exit("classify", err))
}

type config struct {
	Kafka           stream.Config
	HTTPAddr        string
	Group           string
	MaxBatch        int
	BatchWait       time.Duration
	Workers         int
	Concurrency     int
	ShutdownTimeout time.Duration
	CatalogDir      string
	CatalogOverlay  string
}

func (c *config) bind(s *envflag.Set) {
	c.Kafka.Bind(s)
	s.String(&c.HTTPAddr, "http-addr", "HTTP_ADDR", "127.0.0.1:8082", "address of health and metrics")
	s.String(&c.Group, "group", "CLASSIFY_GROUP", "classify", "consumer group on the raw topic")
	s.String(&c.CatalogDir, "catalog-dir", "CATALOG_DIR", "", "load catalogs from this directory instead of the embedded ones")
	s.String(&c.CatalogOverlay, "catalog-overlay-dir", "CATALOG_OVERLAY_DIR", "", "merge the overlay files of this directory (added entries, aliases, blocked names) over the catalogs")
	s.Int(&c.MaxBatch, "max-batch", "CLASSIFY_MAX_BATCH", 500, "records handled per batch before a commit")
	// 10ms: each record waits at most this long for company; a backlog
	// fills batches anyway (BENCHMARKS.md, latency figure).
	s.Duration(&c.BatchWait, "batch-wait", "CLASSIFY_BATCH_WAIT", 10*time.Millisecond, "wait for more records once one arrived")
	s.Int(&c.Workers, "workers", "CLASSIFY_WORKERS", 0, "parallel extractions per batch (0: one per CPU)")
	// Batches may finish out of order with more than one; index orders the
	// revisions of an article by their ingest time, so that is safe.
	s.Int(&c.Concurrency, "concurrency", "CLASSIFY_CONCURRENCY", 2, "batches in hand at once: the next is classified while one is produced (offsets are committed in order)")
	s.Duration(&c.ShutdownTimeout, "shutdown-timeout", "SHUTDOWN_TIMEOUT", 20*time.Second, "time to finish work in hand after SIGTERM")
}

func (c *config) validate() error {
	var errs []error
	if c.MaxBatch < 1 {
		errs = append(errs, fmt.Errorf("CLASSIFY_MAX_BATCH=%d: want at least 1", c.MaxBatch))
	}
	if c.Workers < 0 {
		errs = append(errs, fmt.Errorf("CLASSIFY_WORKERS=%d: want 0 (one per CPU) or more", c.Workers))
	}
	if c.Concurrency < 1 || c.Concurrency > 16 {
		errs = append(errs, fmt.Errorf("CLASSIFY_CONCURRENCY=%d: want 1 to 16", c.Concurrency))
	}
	if c.ShutdownTimeout < 6*time.Second {
		errs = append(errs, fmt.Errorf("SHUTDOWN_TIMEOUT=%s: want at least 6s", c.ShutdownTimeout))
	}
	return errors.Join(errs...)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd, args := cli.Subcommand(args, "serve")
	switch cmd {
	case "serve":
		return serve(ctx, args, stderr)
	case "batch":
		return runBatch(ctx, args, stdin, stdout, stderr)
	}
	return cli.UsageError{Msg: fmt.Sprintf("unknown command %q: want serve or batch (see classify serve -h)", cmd)}
}

func loadExtractor(log *zap.Logger, dir, overlay string) (*extract.Extractor, error) {
	start := time.Now()
	cat, err := catalog.LoadOverlay(dir, overlay)
	if err != nil {
		return nil, fmt.Errorf("loading catalogs: %w", err)
	}
	ex := extract.New(cat)
	log.Info("catalogs loaded", zap.Duration("took", time.Since(start)), zap.String("classifier_version", ex.ClassifierVersion()),
		zap.Int("actors", cat.Len(catalog.Actor)), zap.Int("weapons", cat.Len(catalog.Weapon)), zap.Int("locations", cat.Len(catalog.Location)))
	return ex, nil
}

func runBatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var dir, overlay string
	log, _, err := cli.Parse("classify batch", args, stderr, func(s *envflag.Set) {
		s.String(&dir, "catalog-dir", "CATALOG_DIR", "", "load catalogs from this directory instead of the embedded ones")
		s.String(&overlay, "catalog-overlay-dir", "CATALOG_OVERLAY_DIR", "", "merge the overlay files of this directory (added entries, aliases, blocked names) over the catalogs")
	})
	if err != nil {
		return err
	}
	defer log.Sync()
	ex, err := loadExtractor(log, dir, overlay)
	if err != nil {
		return err
	}
	st, err := batch.Run(ctx, ex, stdin, stdout)
	if err != nil {
		return err
	}
	log.Info("batch done", zap.Any("stats", st))
	return nil
}

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	var cfg config
	log, _, err := cli.Parse("classify serve", args, stderr, cfg.bind)
	if err != nil {
		return err
	}
	defer log.Sync()
	memlimit.Apply(log, memlimit.Default)
	if err := cfg.Kafka.Validate(); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return cli.UsageError{Msg: err.Error()}
	}
	ex, err := loadExtractor(log, cfg.CatalogDir, cfg.CatalogOverlay)
	if err != nil {
		return err
	}
	m := metrics.New("classify")
	m.InitProduced(cfg.Kafka.TopicClassified, cfg.Kafka.TopicDLQ)
	m.InitDeadLetters(cfg.Kafka.TopicRaw, classifier.Reasons...)
	client, err := stream.NewClient(&cfg.Kafka)
	if err != nil {
		return err
	}
	srv := httpserver.New(cfg.HTTPAddr, log, m, 0, httpserver.Check{Name: "kafka", Fn: client.Ping})
	ln, err := srv.Listen()
	if err != nil {
		return err
	}
	// The server stops with the consumer, whichever ends first.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srvDone := make(chan error, 1)
	go func() { srvDone <- srv.Serve(ctx, ln, 5*time.Second) }()

	if err := cli.WaitFor(ctx, log, "kafka", func(ctx context.Context) error {
		return client.EnsureTopics(ctx, stream.TopicSpec{Name: cfg.Kafka.TopicRaw, Compact: true},
			stream.TopicSpec{Name: cfg.Kafka.TopicClassified}, stream.TopicSpec{Name: cfg.Kafka.TopicDLQ})
	}); err != nil {
		return fmt.Errorf("creating topics: %w", err)
	}
	out := client.NewWriter(cfg.Kafka.TopicClassified)
	defer out.Close()
	dlq := client.NewWriter(cfg.Kafka.TopicDLQ)
	defer dlq.Close()
	reader, err := client.NewReader(cfg.Group, cfg.Kafka.TopicRaw)
	if err != nil {
		return err
	}
	defer reader.Close()

	stage := &classifier.Stage{
		Ex:      ex,
		Out:     &stream.Producer{W: out, Topic: cfg.Kafka.TopicClassified, Log: log, Metrics: m},
		DLQ:     &stream.DeadLetters{P: &stream.Producer{W: dlq, Topic: cfg.Kafka.TopicDLQ, Log: log, Metrics: m}, Stage: "classify"},
		Log:     log,
		Workers: cfg.Workers,
	}
	cons := &stream.Consumer{Reader: reader, MaxBatch: cfg.MaxBatch, MaxWait: cfg.BatchWait, Concurrency: cfg.Concurrency, Grace: cfg.ShutdownTimeout - 5*time.Second,
		Log: log, Metrics: m, Stage: "classify"}
	err = cons.Run(ctx, stage.Handle)
	cancel()
	if serr := <-srvDone; err == nil {
		err = serr
	}
	log.Info("stopped")
	return err
}
