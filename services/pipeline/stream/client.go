package stream

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/pipeline/retry"
)

// TopicSpec describes a topic to create when missing.
type TopicSpec struct {
	Name string
	// Compact sets cleanup.policy=compact (articles.raw: the replay source).
	Compact bool
}

// Client is an admin connection to the cluster.
type Client struct {
	cfg *Config
	kc  *kafka.Client
	tr  *kafka.Transport
}

// NewClient returns an admin client.
func NewClient(cfg *Config) (*Client, error) {
	tr, err := cfg.Transport()
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, tr: tr, kc: &kafka.Client{Addr: kafka.TCP(cfg.BrokerList()...), Transport: tr, Timeout: 10 * time.Second}}, nil
}

// Kafka exposes the kafka-go client for admin requests.
func (c *Client) Kafka() *kafka.Client { return c.kc }

// Ping asks the cluster for its metadata: the readiness check.
func (c *Client) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	res, err := c.kc.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{}})
	if err != nil {
		if perr := c.refused(ctx); perr != nil {
			return perr
		}
		return fmt.Errorf("kafka metadata from %s: %w", c.cfg.Brokers, err)
	}
	if len(res.Brokers) == 0 {
		return fmt.Errorf("kafka metadata from %s: no brokers", c.cfg.Brokers)
	}
	return nil
}

// refused dials the first broker with the configured TLS and SASL settings
// and returns what retrying cannot fix, marked permanent: a certificate the
// CA does not trust or credentials the broker refuses. The admin client
// reports those only as "broker not available".
func (c *Client) refused(ctx context.Context) error {
	d, err := c.cfg.Dialer()
	if err != nil {
		return retry.Permanent(err)
	}
	addr := c.cfg.BrokerList()[0]
	conn, err := d.DialContext(ctx, "tcp", addr)
	switch {
	case err == nil:
		conn.Close()
		return nil
	case retry.CertificateError(err):
		return retry.Permanent(fmt.Errorf("connecting to Kafka at %s: the server's certificate is not trusted "+
			"(check KAFKA_TLS_CA_FILE and the broker's certificate): %w", addr, err))
	case errors.Is(err, kafka.SASLAuthenticationFailed):
		return retry.Permanent(fmt.Errorf("connecting to Kafka at %s: SASL authentication failed for user %q "+
			"(check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and the password): %w", addr, c.cfg.SASLUsername, err))
	}
	return nil
}

// EnsureTopics creates the topics that do not exist yet, with the configured
// partitions and replication factor and max.message.bytes=MaxMessageBytes.
// Existing topics are left as they are (RaiseMessageLimit fixes their
// max.message.bytes).
func (c *Client) EnsureTopics(ctx context.Context, specs ...TopicSpec) error {
	req := &kafka.CreateTopicsRequest{}
	for _, s := range specs {
		tc := kafka.TopicConfig{Topic: s.Name, NumPartitions: c.cfg.Partitions, ReplicationFactor: c.cfg.ReplicationFactor,
			ConfigEntries: []kafka.ConfigEntry{{ConfigName: "max.message.bytes", ConfigValue: strconv.Itoa(MaxMessageBytes)}}}
		if s.Compact {
			tc.ConfigEntries = append(tc.ConfigEntries,
				kafka.ConfigEntry{ConfigName: "cleanup.policy", ConfigValue: "compact"},
				// Tombstones stay a day so that consumers and replays see retractions.
				kafka.ConfigEntry{ConfigName: "delete.retention.ms", ConfigValue: strconv.Itoa(24 * 3600 * 1000)})
		}
		req.Topics = append(req.Topics, tc)
	}
	res, err := c.kc.CreateTopics(ctx, req)
	if err != nil {
		if perr := c.refused(ctx); perr != nil {
			return perr
		}
		return fmt.Errorf("creating topics on %s: %w", c.cfg.Brokers, err)
	}
	var errs []error
	for topic, e := range res.Errors {
		if e != nil && !errors.Is(e, kafka.TopicAlreadyExists) {
			errs = append(errs, fmt.Errorf("creating topic %s: %w", topic, e))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	// Wait until every topic has a leader for each partition, so the first
	// produce does not fail on a fresh cluster.
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.Name
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		md, err := c.kc.Metadata(ctx, &kafka.MetadataRequest{Topics: names})
		ready := err == nil
		if err == nil {
			for _, t := range md.Topics {
				if t.Error != nil || len(t.Partitions) == 0 {
					ready = false
				}
				for _, p := range t.Partitions {
					if p.Error != nil || p.Leader.ID < 0 {
						ready = false
					}
				}
			}
		}
		if ready {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("topics %v have no leaders after 15s: %v", names, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// NewWriter returns a writer for topic that waits for acks from all in-sync
// replicas before WriteMessages returns, hashing keys like the Java client so
// that one article always lands in one partition.
func (c *Client) NewWriter(topic string) *kafka.Writer {
	return &kafka.Writer{
		Addr:                   kafka.TCP(c.cfg.BrokerList()...),
		Topic:                  topic,
		Balancer:               &kafka.Murmur2Balancer{},
		RequiredAcks:           kafka.RequireAll,
		Async:                  false,
		BatchSize:              c.cfg.WriterBatchSize,
		BatchBytes:             int64(c.cfg.WriterBatchBytes),
		BatchTimeout:           c.cfg.WriterBatchTimeout,
		MaxAttempts:            3,
		WriteBackoffMin:        50 * time.Millisecond,
		WriteBackoffMax:        500 * time.Millisecond,
		ReadTimeout:            10 * time.Second,
		WriteTimeout:           10 * time.Second,
		Compression:            c.cfg.Codec(),
		AllowAutoTopicCreation: false,
		Transport:              c.tr,
	}
}

// NewReader returns a consumer-group reader that never commits on its own:
// the Consumer commits after the work is done.
func (c *Client) NewReader(group, topic string) (*kafka.Reader, error) {
	d, err := c.cfg.Dialer()
	if err != nil {
		return nil, err
	}
	return kafka.NewReader(kafka.ReaderConfig{
		Brokers:               c.cfg.BrokerList(),
		GroupID:               group,
		Topic:                 topic,
		Dialer:                d,
		MinBytes:              1,
		MaxBytes:              c.cfg.FetchMaxBytes,
		MaxWait:               250 * time.Millisecond,
		ReadBatchTimeout:      5 * time.Second,
		CommitInterval:        0, // synchronous commits, only through CommitMessages
		StartOffset:           kafka.FirstOffset,
		HeartbeatInterval:     3 * time.Second,
		SessionTimeout:        30 * time.Second,
		RebalanceTimeout:      30 * time.Second,
		JoinGroupBackoff:      2 * time.Second,
		ReadBackoffMin:        100 * time.Millisecond,
		ReadBackoffMax:        2 * time.Second,
		WatchPartitionChanges: true,
		MaxAttempts:           1 << 30, // keep reconnecting while a broker restarts
	}), nil
}

// Retryable reports whether a Kafka error is worth retrying: broker
// restarts, leader changes, timeouts and connection failures. Errors the
// broker marks as permanent (for example a record too large) are not;
// errors of unknown kind are, because giving up would lose data.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var we kafka.WriteErrors
	if errors.As(err, &we) {
		for _, e := range we {
			if e != nil && !Retryable(e) {
				return false
			}
		}
		return true
	}
	var ke kafka.Error
	if errors.As(err, &ke) {
		return ke.Temporary() || ke == kafka.NotLeaderForPartition || ke == kafka.LeaderNotAvailable ||
			ke == kafka.NotEnoughReplicas || ke == kafka.NotEnoughReplicasAfterAppend || ke == kafka.RequestTimedOut ||
			ke == kafka.NotController || ke == kafka.NotCoordinatorForGroup || ke == kafka.RebalanceInProgress
	}
	return true
}

// MessageLimit returns the max.message.bytes of an existing topic.
func (c *Client) MessageLimit(ctx context.Context, topic string) (int, error) {
	res, err := c.kc.DescribeConfigs(ctx, &kafka.DescribeConfigsRequest{Resources: []kafka.DescribeConfigRequestResource{{
		ResourceType: kafka.ResourceTypeTopic, ResourceName: topic, ConfigNames: []string{"max.message.bytes"}}}})
	if err != nil {
		return 0, fmt.Errorf("describing topic %s: %w", topic, err)
	}
	for _, r := range res.Resources {
		if r.Error != nil {
			return 0, fmt.Errorf("describing topic %s: %w", topic, r.Error)
		}
		for _, e := range r.ConfigEntries {
			if e.ConfigName == "max.message.bytes" {
				n, err := strconv.Atoi(e.ConfigValue)
				if err != nil {
					return 0, fmt.Errorf("topic %s: max.message.bytes %q is not a number", topic, e.ConfigValue)
				}
				return n, nil
			}
		}
	}
	return 0, fmt.Errorf("describing topic %s: no max.message.bytes in the answer", topic)
}

// RaiseMessageLimit sets max.message.bytes to MaxMessageBytes on the
// topics whose limit is lower (topics created before the limit existed,
// with the broker's 1 MiB default), and returns their names. It needs the
// AlterConfigs permission: pipelinectl setup runs it, the services do not.
func (c *Client) RaiseMessageLimit(ctx context.Context, topics ...string) ([]string, error) {
	var raised []string
	for _, t := range topics {
		n, err := c.MessageLimit(ctx, t)
		if err != nil {
			return raised, err
		}
		if n >= MaxMessageBytes {
			continue
		}
		res, err := c.kc.IncrementalAlterConfigs(ctx, &kafka.IncrementalAlterConfigsRequest{Resources: []kafka.IncrementalAlterConfigsRequestResource{{
			ResourceType: kafka.ResourceTypeTopic, ResourceName: t, Configs: []kafka.IncrementalAlterConfigsRequestConfig{{
				Name: "max.message.bytes", Value: strconv.Itoa(MaxMessageBytes), ConfigOperation: kafka.ConfigOperationSet}}}}})
		if err == nil {
			for _, r := range res.Resources {
				if r.Error != nil {
					err = r.Error
				}
			}
		}
		if err != nil {
			return raised, fmt.Errorf("raising max.message.bytes of topic %s from %d to %d: %w", t, n, MaxMessageBytes, err)
		}
		raised = append(raised, t)
	}
	return raised, nil
}
