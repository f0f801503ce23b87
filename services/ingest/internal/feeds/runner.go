package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/pipeline/buildinfo"
	"github.com/deskwire/newsroom/services/pipeline/envflag"
	"github.com/deskwire/newsroom/services/pipeline/retry"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// Settings configure feed polling (FEEDS_* variables).
type Settings struct {
	// File is the feeds file; polling is off when empty.
	File string
	// StateTopic is the compacted topic of poll state (default feeds.state).
	StateTopic string
	// AssignTopic is the topic whose partitions the replicas share through
	// Group; no record is ever written to it (default feeds.assign).
	AssignTopic string
	// Group is the consumer group of the replicas (default ingest-feeds).
	Group string
	// Owner names this replica in the state (default: the host name).
	Owner string
	// UserAgent is sent with every request (default "newsroom-ingest/<version> (feed poller)").
	UserAgent string
	// FetchTimeout bounds one feed request, redirects included (default 30s).
	FetchTimeout time.Duration
	// MaxBytes caps a feed document after gunzip (default 10 MiB).
	MaxBytes int
	// MaxRedirects bounds a redirect chain (default 5).
	MaxRedirects int
	// MinInterval is the floor of every feed's interval (default 10s).
	MinInterval time.Duration
	// MaxBackoff caps the wait after repeated failures (default 1h).
	MaxBackoff time.Duration
	// JitterPercent spreads each interval by this share either way (default 10).
	JitterPercent int
	// ReloadInterval is how often the feeds file is checked for changes (default 10s).
	ReloadInterval time.Duration
	// FullTextTimeout, FullTextMaxBytes and FullTextPerHost bound the
	// fetch of linked pages (defaults 15s, 5 MiB, 2 in flight per host).
	FullTextTimeout  time.Duration
	FullTextMaxBytes int
	FullTextPerHost  int
	// FullTextPrivate lets full-text fetches reach private, loopback and
	// link-local addresses (default false: links come from the feeds, and a
	// fetched page becomes searchable text).
	FullTextPrivate bool
	// ItemRetention is how long the record of a published item is kept
	// once its feed no longer lists it (default 720h, 30 days).
	ItemRetention time.Duration
	// SessionTimeout is how long a silent replica keeps its feeds before
	// the others take them over (default 30s).
	SessionTimeout time.Duration
}

// Bind registers the settings.
func (s *Settings) Bind(set *envflag.Set) {
	set.String(&s.File, "feeds-file", "FEEDS_FILE", "", "YAML feeds file to poll (polling off when empty)")
	set.String(&s.StateTopic, "feeds-state-topic", "FEEDS_STATE_TOPIC", "feeds.state", "compacted topic of feed poll state")
	set.String(&s.AssignTopic, "feeds-assign-topic", "FEEDS_ASSIGN_TOPIC", "feeds.assign", "topic whose partitions share the feeds among replicas")
	set.String(&s.Group, "feeds-group", "FEEDS_GROUP", "ingest-feeds", "consumer group of the feed pollers")
	set.String(&s.Owner, "feeds-owner", "FEEDS_OWNER", "", "name of this replica in the feed state (default: host name)")
	set.String(&s.UserAgent, "feeds-user-agent", "FEEDS_USER_AGENT", "", "User-Agent of feed requests (default newsroom-ingest/<version> (feed poller))")
	set.Duration(&s.FetchTimeout, "feeds-fetch-timeout", "FEEDS_FETCH_TIMEOUT", 30*time.Second, "time one feed request may take")
	set.Int(&s.MaxBytes, "feeds-max-bytes", "FEEDS_MAX_BYTES", 10<<20, "largest feed document, after gunzip")
	set.Int(&s.MaxRedirects, "feeds-max-redirects", "FEEDS_MAX_REDIRECTS", 5, "redirects followed per request")
	set.Duration(&s.MinInterval, "feeds-min-interval", "FEEDS_MIN_INTERVAL", 10*time.Second, "shortest poll interval, whatever the feeds file says")
	set.Duration(&s.MaxBackoff, "feeds-max-backoff", "FEEDS_MAX_BACKOFF", time.Hour, "longest wait after repeated failures")
	set.Int(&s.JitterPercent, "feeds-jitter-percent", "FEEDS_JITTER_PERCENT", 10, "percent by which each interval is spread either way")
	set.Duration(&s.ReloadInterval, "feeds-reload-interval", "FEEDS_RELOAD_INTERVAL", 10*time.Second, "how often the feeds file is checked for changes (SIGHUP reloads at once)")
	set.Duration(&s.FullTextTimeout, "feeds-fulltext-timeout", "FEEDS_FULLTEXT_TIMEOUT", 15*time.Second, "time to fetch one linked page")
	set.Int(&s.FullTextMaxBytes, "feeds-fulltext-max-bytes", "FEEDS_FULLTEXT_MAX_BYTES", 5<<20, "largest linked page")
	set.Int(&s.FullTextPerHost, "feeds-fulltext-per-host", "FEEDS_FULLTEXT_PER_HOST", 2, "linked pages fetched at once per host")
	set.Bool(&s.FullTextPrivate, "feeds-fulltext-private", "FEEDS_FULLTEXT_PRIVATE", false, "let full-text fetches reach private, loopback and link-local addresses")
	set.Duration(&s.ItemRetention, "feeds-item-retention", "FEEDS_ITEM_RETENTION", 30*24*time.Hour, "how long a published item is remembered once its feed no longer lists it")
	set.Duration(&s.SessionTimeout, "feeds-session-timeout", "FEEDS_SESSION_TIMEOUT", 30*time.Second, "time before a silent replica's feeds move to another")
}

// Validate checks the settings and fills the derived defaults.
func (s *Settings) Validate() error {
	var errs []error
	if s.StateTopic == "" || s.AssignTopic == "" || s.Group == "" {
		errs = append(errs, errors.New("FEEDS_STATE_TOPIC, FEEDS_ASSIGN_TOPIC and FEEDS_GROUP must not be empty"))
	}
	if s.FetchTimeout <= 0 || s.FullTextTimeout <= 0 || s.MinInterval <= 0 || s.MaxBackoff <= 0 || s.ReloadInterval <= 0 || s.ItemRetention <= 0 {
		errs = append(errs, errors.New("FEEDS_* durations must be positive"))
	}
	if s.SessionTimeout < 6*time.Second {
		errs = append(errs, fmt.Errorf("FEEDS_SESSION_TIMEOUT %s: Kafka accepts 6s at least", s.SessionTimeout))
	}
	if s.MaxBytes <= 0 || s.FullTextMaxBytes <= 0 || s.MaxRedirects < 0 || s.FullTextPerHost < 1 {
		errs = append(errs, errors.New("FEEDS_MAX_BYTES, FEEDS_FULLTEXT_MAX_BYTES and FEEDS_FULLTEXT_PER_HOST must be positive"))
	}
	if s.JitterPercent < 0 || s.JitterPercent > 50 {
		errs = append(errs, fmt.Errorf("FEEDS_JITTER_PERCENT %d: want 0 to 50", s.JitterPercent))
	}
	if s.Owner == "" {
		s.Owner, _ = os.Hostname()
	}
	if s.UserAgent == "" {
		s.UserAgent = "newsroom-ingest/" + buildinfo.Version + " (feed poller)"
	}
	return errors.Join(errs...)
}

// Publisher writes records to articles.raw and returns once Kafka
// acknowledged all of them.
type Publisher interface {
	Write(ctx context.Context, msgs ...kafka.Message) error
}

// Runner polls the feeds this replica holds.
type Runner struct {
	Settings  Settings
	Kafka     *stream.Config
	Client    *stream.Client
	Publisher Publisher
	Log       *zap.Logger
	// Registry gets the per-feed metrics (none when nil).
	Registry prometheus.Registerer
	// Reload is signalled (SIGHUP) to read the feeds file at once.
	Reload <-chan os.Signal
	// State is set by Run: the state topic in memory.
	State *Table

	metrics   *feedMetrics
	fetch     *fetcher
	full      *fullText
	publishMu sync.Mutex

	cfgMu   sync.Mutex
	feeds   []Feed
	raw     []byte
	changed chan struct{} // closed and replaced when the feeds change
}

// Run polls until ctx ends; it fails at start on a bad feeds file or when
// Kafka cannot be set up.
func (r *Runner) Run(ctx context.Context) error {
	s := &r.Settings
	r.metrics = newFeedMetrics(r.Registry)
	r.fetch = &fetcher{client: newHTTPClient(s.FetchTimeout, s.MaxRedirects, false), userAgent: s.UserAgent, maxBytes: int64(s.MaxBytes)}
	r.full = newFullText(&fetcher{client: newHTTPClient(s.FullTextTimeout, s.MaxRedirects, !s.FullTextPrivate), userAgent: s.UserAgent,
		maxBytes: int64(s.FullTextMaxBytes)}, s.FullTextPerHost)
	r.changed = make(chan struct{})
	if err := r.load(); err != nil {
		return err
	}
	if err := r.Client.EnsureTopics(ctx, stream.TopicSpec{Name: s.StateTopic, Compact: true}, stream.TopicSpec{Name: s.AssignTopic}); err != nil {
		return fmt.Errorf("creating feed topics: %w", err)
	}
	nParts, err := r.assignPartitions(ctx)
	if err != nil {
		return err
	}
	w := r.Client.NewWriter(s.StateTopic)
	defer w.Close()
	r.State = NewTable(r.Kafka, r.Client, w, s.StateTopic, r.Log)
	tctx, stopTable := context.WithCancel(ctx)
	defer stopTable()
	tableDone := make(chan error, 1)
	go func() { tableDone <- r.State.Run(tctx) }()
	go r.watch(ctx)

	d, err := r.Kafka.Dialer()
	if err != nil {
		return err
	}
	cg, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{
		ID: s.Group, Brokers: r.Kafka.BrokerList(), Dialer: d, Topics: []string{s.AssignTopic},
		HeartbeatInterval: s.SessionTimeout / 10, SessionTimeout: s.SessionTimeout, RebalanceTimeout: s.SessionTimeout,
		JoinGroupBackoff: time.Second, Timeout: 5 * time.Second,
	})
	if err != nil {
		return fmt.Errorf("joining feed group %s: %w", s.Group, err)
	}
	defer cg.Close()
	r.Log.Info("feed polling started", zap.String("file", s.File), zap.Int("feeds", len(r.config())),
		zap.String("group", s.Group), zap.String("owner", s.Owner))
	for {
		gen, err := cg.Next(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			r.Log.Warn("feed group rebalance failed, retrying", zap.String("group", s.Group), zap.Error(err))
			continue
		}
		parts := map[int]bool{}
		for _, pa := range gen.Assignments[s.AssignTopic] {
			parts[pa.ID] = true
		}
		r.Log.Info("feed partitions assigned", zap.Int32("generation", gen.ID), zap.Int("partitions", len(parts)), zap.Int("of", nParts))
		gen.Start(func(gctx context.Context) { r.generation(gctx, parts, nParts) })
		select {
		case err := <-tableDone:
			return fmt.Errorf("feed state: %w", err)
		default:
		}
	}
}

func (r *Runner) assignPartitions(ctx context.Context) (int, error) {
	md, err := r.Client.Kafka().Metadata(ctx, &kafka.MetadataRequest{Topics: []string{r.Settings.AssignTopic}})
	if err != nil {
		return 0, fmt.Errorf("metadata of %s: %w", r.Settings.AssignTopic, err)
	}
	for _, t := range md.Topics {
		if len(t.Partitions) > 0 {
			return len(t.Partitions), nil
		}
	}
	return 0, fmt.Errorf("topic %s has no partitions", r.Settings.AssignTopic)
}

// partitionOf maps a feed to a partition of the assign topic: the replica
// holding that partition polls the feed.
func partitionOf(name string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32() % uint32(n))
}

// worker is one running feed loop.
type worker struct {
	feed   Feed
	cancel context.CancelFunc
	done   chan struct{}
}

// generation runs the loops of the feeds in parts until the group
// rebalances (ctx ends), following reloads of the feeds file.
func (r *Runner) generation(ctx context.Context, parts map[int]bool, nParts int) {
	// The previous owner's last writes are read before its feeds are polled.
	// Leader changes (a fresh topic has none for a moment) pass; returning
	// would end the generation and make the whole group rebalance.
	err := retry.Do(ctx, retry.Backoff{Min: 100 * time.Millisecond, Max: 5 * time.Second}, r.State.CatchUp,
		func(err error, attempt int, d time.Duration) {
			r.Log.Warn("reading feed state failed, retrying", zap.Int("attempt", attempt), zap.Duration("backoff", d), zap.Error(err))
		})
	if err != nil {
		return
	}
	running := map[string]*worker{}
	stop := func(w *worker) { w.cancel(); <-w.done }
	for {
		r.cfgMu.Lock()
		feeds, changed := r.feeds, r.changed
		r.cfgMu.Unlock()
		want := map[string]Feed{}
		for _, f := range feeds {
			if parts[partitionOf(f.Name, nParts)] {
				want[f.Name] = f
			}
		}
		for name, w := range running {
			if f, ok := want[name]; !ok || !f.same(w.feed) {
				stop(w)
				delete(running, name)
			}
		}
		for name, f := range want {
			if _, ok := running[name]; ok {
				continue
			}
			wctx, cancel := context.WithCancel(ctx)
			w := &worker{feed: f, cancel: cancel, done: make(chan struct{})}
			running[name] = w
			go func() { defer close(w.done); r.loop(wctx, f) }()
		}
		select {
		case <-ctx.Done():
			for _, w := range running {
				stop(w)
			}
			return
		case <-changed:
		}
	}
}

func (r *Runner) config() []Feed {
	r.cfgMu.Lock()
	defer r.cfgMu.Unlock()
	return r.feeds
}

// load reads the feeds file; an unchanged file changes nothing.
func (r *Runner) load() error {
	b, err := os.ReadFile(r.Settings.File)
	if err != nil {
		return fmt.Errorf("reading feeds file: %w", err)
	}
	r.cfgMu.Lock()
	same := r.raw != nil && bytes.Equal(b, r.raw)
	r.cfgMu.Unlock()
	if same {
		return nil
	}
	feeds, err := Parse(b)
	if err != nil {
		return fmt.Errorf("%s: %w", r.Settings.File, err)
	}
	for _, f := range feeds {
		if time.Duration(f.Interval) < r.Settings.MinInterval {
			r.Log.Warn("feed interval raised to FEEDS_MIN_INTERVAL", zap.String("feed", f.Name),
				zap.Duration("interval", time.Duration(f.Interval)), zap.Duration("min", r.Settings.MinInterval))
		}
	}
	r.cfgMu.Lock()
	r.feeds, r.raw = feeds, b
	close(r.changed)
	r.changed = make(chan struct{})
	r.cfgMu.Unlock()
	return nil
}

// watch reloads the feeds file when it changes or on SIGHUP; a bad file
// is logged and the feeds in force stay.
func (r *Runner) watch(ctx context.Context) {
	t := time.NewTicker(r.Settings.ReloadInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-r.Reload:
			r.Log.Info("SIGHUP: reloading the feeds file", zap.String("file", r.Settings.File))
		}
		before := len(r.config())
		if err := r.load(); err != nil {
			r.Log.Error("feeds file not reloaded, keeping the feeds in force", zap.Error(err))
			continue
		}
		if after := r.config(); len(after) != before {
			r.Log.Info("feeds file reloaded", zap.Int("feeds", len(after)))
		}
	}
}
