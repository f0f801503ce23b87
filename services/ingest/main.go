// Command ingest accepts news articles and publishes them to Kafka.
//
//	ingest [serve]           HTTP API: POST /v1/articles, DELETE /v1/articles/{id};
//	                         with FEEDS_FILE set it also polls the feeds listed there
//	ingest load FILE|DIR|-   send NDJSON files through the same validation and producer
//	ingest feeds status      each feed's poll state, read from the feeds state topic
//
// Settings come from environment variables, flags override them; run
// `ingest serve -h` or `ingest load -h` for the list.
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/ingest/article"
	"github.com/deskwire/newsroom/services/ingest/internal/api"
	"github.com/deskwire/newsroom/services/ingest/internal/feeds"
	"github.com/deskwire/newsroom/services/ingest/internal/load"
	"github.com/deskwire/newsroom/services/pipeline/cli"
	"github.com/deskwire/newsroom/services/pipeline/envflag"
	"github.com/deskwire/newsroom/services/pipeline/httpserver"
	"github.com/deskwire/newsroom/services/pipeline/memlimit"
	"github.com/deskwire/newsroom/services/pipeline/metrics"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stderr)
	stop()
	os.Exit(cli.Exit("ingest", err))
}

// config is ingest's configuration.
type config struct {
	Kafka           stream.Config
	HTTPAddr        string
	MaxRequestBytes int
	ProduceTimeout  time.Duration
	ShutdownTimeout time.Duration
	APIToken        string
	APITokenFile    string
	// serve and feeds status
	Feeds feeds.Settings
	// feeds status only
	JSON bool
	// load only
	BatchSize   int
	Concurrency int
	Decoders    int
}

func (c *config) bind(s *envflag.Set, cmd string) {
	c.Kafka.Bind(s)
	s.Duration(&c.ShutdownTimeout, "shutdown-timeout", "SHUTDOWN_TIMEOUT", 20*time.Second, "time to finish work in hand after SIGTERM")
	switch cmd {
	case "feeds":
		c.Feeds.Bind(s)
		s.Bool(&c.JSON, "json", "", false, "print JSON instead of a table")
	case "serve":
		c.Feeds.Bind(s)
		s.String(&c.HTTPAddr, "http-addr", "HTTP_ADDR", "127.0.0.1:8081", "address of the HTTP API, health and metrics")
		s.Int(&c.MaxRequestBytes, "max-request-bytes", "MAX_BODY_BYTES", 32<<20, "largest request body accepted (413 above)")
		s.Duration(&c.ProduceTimeout, "produce-timeout", "PRODUCE_TIMEOUT", 8*time.Second, "wait for Kafka's acks before answering 503")
		s.Secret(&c.APIToken, "api-token", "API_TOKEN", "bearer token required on /v1 (none when empty)")
		s.String(&c.APITokenFile, "api-token-file", "API_TOKEN_FILE", "", "file holding the bearer token (instead of API_TOKEN)")
	default:
		s.Int(&c.BatchSize, "batch-size", "LOAD_BATCH_SIZE", 500, "articles per produce call")
		s.Int(&c.Concurrency, "concurrency", "LOAD_CONCURRENCY", 4, "produce calls in flight")
		s.Int(&c.Decoders, "decoders", "LOAD_DECODERS", 0, "goroutines decoding and validating lines (0: one per CPU)")
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stderr io.Writer) error {
	cmd, args := cli.Subcommand(args, "serve")
	var cfg config
	switch cmd {
	case "serve", "load":
	case "feeds":
		if len(args) == 0 || args[0] != "status" {
			return cli.UsageError{Msg: "want ingest feeds status [--json]"}
		}
		args = args[1:]
	default:
		return cli.UsageError{Msg: fmt.Sprintf("unknown command %q: want serve, load or feeds status (see ingest serve -h)", cmd)}
	}
	log, fs, err := cli.Parse("ingest "+cmd, args, stderr, func(s *envflag.Set) { cfg.bind(s, cmd) })
	if err != nil {
		return err
	}
	defer log.Sync()
	if cmd == "load" {
		memlimit.ApplyBatch(log, memlimit.Default)
	} else {
		memlimit.Apply(log, memlimit.Default)
	}
	if err := cfg.Kafka.Validate(); err != nil {
		return err
	}
	m := metrics.New("ingest")
	m.InitProduced(cfg.Kafka.TopicRaw)
	m.InitRejected(article.Reasons...)
	client, err := stream.NewClient(&cfg.Kafka)
	if err != nil {
		return err
	}
	if cmd == "feeds" {
		return feedsStatus(ctx, &cfg, client, log, os.Stdout)
	}
	if cmd == "serve" && cfg.Feeds.File != "" {
		if err := cfg.Feeds.Validate(); err != nil {
			return cli.UsageError{Msg: err.Error()}
		}
		if _, err := feeds.ReadFile(cfg.Feeds.File); err != nil {
			return err
		}
	}
	if err := cli.WaitFor(ctx, log, "kafka", func(ctx context.Context) error {
		return client.EnsureTopics(ctx, stream.TopicSpec{Name: cfg.Kafka.TopicRaw, Compact: true}, stream.TopicSpec{Name: cfg.Kafka.TopicDLQ})
	}); err != nil {
		return fmt.Errorf("creating topics: %w", err)
	}
	warnLowLimit(ctx, log, client, cfg.Kafka.TopicRaw)
	w := client.NewWriter(cfg.Kafka.TopicRaw)
	defer w.Close()
	producer := &stream.Producer{W: w, Topic: cfg.Kafka.TopicRaw, Log: log, Metrics: m}

	if cmd == "load" {
		if fs.FS.NArg() == 0 {
			return cli.UsageError{Msg: "ingest load needs FILE, DIR or - (stdin)"}
		}
		files, err := load.Files(fs.FS.Args())
		if err != nil {
			return err
		}
		l := &load.Loader{P: producer, Log: log, Progress: stderr, BatchSize: cfg.BatchSize, Concurrency: cfg.Concurrency,
			Decoders: cfg.Decoders, Stdin: stdin, Metrics: m}
		st, err := l.Load(ctx, files)
		if err != nil {
			return err
		}
		if st.Rejected > 0 {
			return fmt.Errorf("%d articles loaded, %d rejected (see the lines above)", st.Loaded, st.Rejected)
		}
		return nil
	}

	token, err := envflag.ReadSecretFile(cfg.APIToken, cfg.APITokenFile)
	if err != nil {
		return fmt.Errorf("API_TOKEN_FILE: %w", err)
	}
	srv := httpserver.New(cfg.HTTPAddr, log, m, cfg.ProduceTimeout+5*time.Second,
		httpserver.Check{Name: "kafka", Fn: client.Ping})
	h := &api.Handler{P: producer, Log: log, MaxRequestBytes: int64(cfg.MaxRequestBytes), ProduceTimeout: cfg.ProduceTimeout, Metrics: m}
	h.Register(srv.Handle, func(next http.Handler) http.Handler { return httpserver.RequireToken(token, next) })
	ln, err := srv.Listen()
	if err != nil {
		return err
	}
	if cfg.Feeds.File == "" {
		return srv.Serve(ctx, ln, cfg.ShutdownTimeout)
	}
	// The poller stops with the server: the poll in hand is finished or
	// dropped before its validators are saved, so nothing is lost.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	fr := &feeds.Runner{Settings: cfg.Feeds, Kafka: &cfg.Kafka, Client: client, Publisher: producer, Log: log.Named("feeds"),
		Registry: m.Registry, Reload: hup}
	// A poller that cannot run (Kafka refuses its topics) stops the server too.
	sctx, stopServer := context.WithCancel(ctx)
	defer stopServer()
	fctx, stopFeeds := context.WithCancel(ctx)
	feedsDone := make(chan error, 1)
	go func() {
		err := fr.Run(fctx)
		if err != nil {
			stopServer()
		}
		feedsDone <- err
	}()
	serveErr := srv.Serve(sctx, ln, cfg.ShutdownTimeout)
	stopFeeds()
	if err := <-feedsDone; err != nil && serveErr == nil {
		return fmt.Errorf("feeds: %w", err)
	}
	return serveErr
}

// feedsStatus prints each feed's state from the state topic.
func feedsStatus(ctx context.Context, cfg *config, client *stream.Client, log *zap.Logger, stdout io.Writer) error {
	var configured []feeds.Feed
	if cfg.Feeds.File != "" {
		var err error
		if configured, err = feeds.ReadFile(cfg.Feeds.File); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	t, err := feeds.LoadTable(ctx, &cfg.Kafka, client, cfg.Feeds.StateTopic, log)
	if err != nil {
		return fmt.Errorf("reading feed state from %s: %w", cfg.Feeds.StateTopic, err)
	}
	return feeds.WriteStatus(stdout, t, configured, cfg.JSON, time.Now())
}

// warnLowLimit warns when the raw topic existed before the pipeline set
// max.message.bytes: the broker then refuses the largest articles (each is
// rejected, naming the limit) until pipelinectl setup raises it.
func warnLowLimit(ctx context.Context, log *zap.Logger, client *stream.Client, topic string) {
	n, err := client.MessageLimit(ctx, topic)
	if err != nil {
		log.Debug("cannot read the topic's max.message.bytes", zap.String("topic", topic), zap.Error(err))
		return
	}
	if n < stream.MaxMessageBytes {
		log.Warn("topic takes smaller records than ingest accepts: articles over it are rejected; run pipelinectl setup to raise it",
			zap.String("topic", topic), zap.Int("max_message_bytes", n), zap.Int("want", stream.MaxMessageBytes))
	}
}
