// Package stream is the pipeline's Kafka layer: connection settings (TLS,
// SASL), topic creation, writers that wait for acks=all, the
// fetch → handle → produce → commit consumer loop, and dead-lettering.
package stream

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/plain"
	"github.com/segmentio/kafka-go/sasl/scram"

	"github.com/deskwire/newsroom/services/pipeline/envflag"
)

// Record and batch size limits. They agree end to end: ingest's field
// limits keep an article's record well under MaxRecordBytes (its
// classified form adds the entities), a writer's batch holds at least one
// such record, and every topic the pipeline creates takes a full batch.
const (
	// MaxRecordBytes is the largest record (key, value and headers, as
	// kafka-go counts them) a writer takes: the least KAFKA_WRITER_BATCH_BYTES.
	MaxRecordBytes = 2 << 20
	// MaxMessageBytes is max.message.bytes of the topics the pipeline
	// creates: the largest record batch the broker accepts.
	MaxMessageBytes = 4 << 20
	// batchHeadroom is kept between KAFKA_WRITER_BATCH_BYTES and
	// MaxMessageBytes for the batch header, per-record framing and
	// compression that does not shrink the data.
	batchHeadroom = 256 << 10
	// MaxWriterBatchBytes is the most KAFKA_WRITER_BATCH_BYTES may be.
	MaxWriterBatchBytes = MaxMessageBytes - batchHeadroom
)

// Config holds the Kafka settings shared by every service.
type Config struct {
	// Brokers is a comma-separated bootstrap list (default 127.0.0.1:9092).
	Brokers string
	// Partitions for topics the service creates (default 6).
	Partitions int
	// ReplicationFactor for topics the service creates (default 1).
	ReplicationFactor int
	// TopicRaw, TopicClassified and TopicDLQ name the pipeline's topics.
	TopicRaw, TopicClassified, TopicDLQ string

	TLSEnabled                 bool
	TLSCAFile                  string
	TLSCertFile, TLSKeyFile    string
	SASLMechanism              string // "", PLAIN or SCRAM-SHA-512
	SASLUsername, SASLPassword string
	// SASLPasswordFile holds SASLPassword (a mounted secret); Validate reads it.
	SASLPasswordFile string

	// WriterBatchSize is how many records a writer sends in one produce
	// request per partition (default 100).
	WriterBatchSize int
	// WriterBatchBytes caps one produce request per partition (default 2
	// MiB, MaxRecordBytes; between MaxRecordBytes and MaxWriterBatchBytes).
	// A record larger than it is refused before it is sent.
	WriterBatchBytes int
	// WriterBatchTimeout is how long a writer waits to fill a batch (default 5ms).
	WriterBatchTimeout time.Duration
	// FetchMaxBytes caps one fetch response per partition (default 10 MiB,
	// at least MaxMessageBytes).
	FetchMaxBytes int
	// Compression is the writers' codec: none, gzip, snappy, lz4 (default,
	// also when empty) or zstd. Readers take any.
	Compression string
}

// Bind registers the settings as flags with environment defaults.
func (c *Config) Bind(s *envflag.Set) {
	s.String(&c.Brokers, "kafka-brokers", "KAFKA_BROKERS", "127.0.0.1:9092", "Kafka bootstrap brokers, comma-separated")
	s.Int(&c.Partitions, "kafka-partitions", "KAFKA_PARTITIONS", 6, "partitions of topics created at start")
	s.Int(&c.ReplicationFactor, "kafka-replication-factor", "KAFKA_REPLICATION_FACTOR", 1, "replication factor of topics created at start")
	s.String(&c.TopicRaw, "topic-raw", "TOPIC_RAW", "articles.raw", "topic of ingested articles (compacted, keyed by id)")
	s.String(&c.TopicClassified, "topic-classified", "TOPIC_CLASSIFIED", "articles.classified", "topic of classified articles")
	s.String(&c.TopicDLQ, "topic-dlq", "TOPIC_DLQ", "articles.dlq", "dead-letter topic")
	s.Bool(&c.TLSEnabled, "kafka-tls", "KAFKA_TLS_ENABLED", false, "connect to Kafka over TLS")
	s.String(&c.TLSCAFile, "kafka-tls-ca-file", "KAFKA_TLS_CA_FILE", "", "PEM CA bundle for Kafka TLS (system roots when empty)")
	s.String(&c.TLSCertFile, "kafka-tls-cert-file", "KAFKA_TLS_CERT_FILE", "", "PEM client certificate for Kafka mTLS")
	s.String(&c.TLSKeyFile, "kafka-tls-key-file", "KAFKA_TLS_KEY_FILE", "", "PEM client key for Kafka mTLS")
	s.String(&c.SASLMechanism, "kafka-sasl-mechanism", "KAFKA_SASL_MECHANISM", "", "SASL mechanism: PLAIN or SCRAM-SHA-512 (empty: none)")
	s.String(&c.SASLUsername, "kafka-sasl-username", "KAFKA_SASL_USERNAME", "", "SASL user name")
	s.Secret(&c.SASLPassword, "kafka-sasl-password", "KAFKA_SASL_PASSWORD", "SASL password")
	s.String(&c.SASLPasswordFile, "kafka-sasl-password-file", "KAFKA_SASL_PASSWORD_FILE", "", "read the SASL password from this file (a mounted secret)")
	s.Int(&c.WriterBatchSize, "kafka-writer-batch-size", "KAFKA_WRITER_BATCH_SIZE", 100, "records per produce request and partition")
	s.Int(&c.WriterBatchBytes, "kafka-writer-batch-bytes", "KAFKA_WRITER_BATCH_BYTES", MaxRecordBytes,
		fmt.Sprintf("bytes per produce request and partition, also the largest record (%d to %d)", MaxRecordBytes, MaxWriterBatchBytes))
	s.Duration(&c.WriterBatchTimeout, "kafka-writer-batch-timeout", "KAFKA_WRITER_BATCH_TIMEOUT", 5*time.Millisecond, "time a writer waits to fill a batch")
	s.Int(&c.FetchMaxBytes, "kafka-fetch-max-bytes", "KAFKA_FETCH_MAX_BYTES", 10<<20, "max bytes per fetch and partition")
	s.String(&c.Compression, "kafka-compression", "KAFKA_COMPRESSION", "lz4", "codec of produced record batches: none, gzip, snappy, lz4 or zstd")
}

// codecs are the KAFKA_COMPRESSION values.
var codecs = map[string]kafka.Compression{"none": 0, "gzip": kafka.Gzip, "snappy": kafka.Snappy, "lz4": kafka.Lz4, "zstd": kafka.Zstd}

// CodecName is the writers' codec as KAFKA_COMPRESSION names it (the
// names Kafka's compression.type uses): lower case, lz4 when unset.
func (c *Config) CodecName() string {
	if c.Compression == "" {
		return "lz4"
	}
	return strings.ToLower(c.Compression)
}

// Codec returns the writers' compression; Validate has checked the name.
func (c *Config) Codec() kafka.Compression {
	return codecs[c.CodecName()]
}

// BrokerList returns the brokers as a slice.
func (c *Config) BrokerList() []string {
	var out []string
	for _, b := range strings.Split(c.Brokers, ",") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

// Validate checks the settings and says what to fix.
func (c *Config) Validate() error {
	var errs []error
	if len(c.BrokerList()) == 0 {
		errs = append(errs, errors.New("KAFKA_BROKERS is empty: set it to host:port[,host:port]"))
	}
	if c.Partitions < 1 {
		errs = append(errs, fmt.Errorf("KAFKA_PARTITIONS=%d: want at least 1", c.Partitions))
	}
	if c.ReplicationFactor < 1 {
		errs = append(errs, fmt.Errorf("KAFKA_REPLICATION_FACTOR=%d: want at least 1", c.ReplicationFactor))
	}
	switch strings.ToUpper(c.SASLMechanism) {
	case "", "PLAIN", "SCRAM-SHA-512":
	default:
		errs = append(errs, fmt.Errorf("KAFKA_SASL_MECHANISM=%q: want PLAIN or SCRAM-SHA-512", c.SASLMechanism))
	}
	if _, ok := codecs[c.CodecName()]; !ok {
		errs = append(errs, fmt.Errorf("KAFKA_COMPRESSION=%q: want none, gzip, snappy, lz4 or zstd", c.Compression))
	}
	if c.WriterBatchBytes < MaxRecordBytes || c.WriterBatchBytes > MaxWriterBatchBytes {
		errs = append(errs, fmt.Errorf("KAFKA_WRITER_BATCH_BYTES=%d: want %d to %d, so that the largest record fits a batch "+
			"and a batch fits the topics' max.message.bytes (%d)", c.WriterBatchBytes, MaxRecordBytes, MaxWriterBatchBytes, MaxMessageBytes))
	}
	if c.FetchMaxBytes != 0 && c.FetchMaxBytes < MaxMessageBytes {
		errs = append(errs, fmt.Errorf("KAFKA_FETCH_MAX_BYTES=%d: want at least %d, the largest record batch a topic takes", c.FetchMaxBytes, MaxMessageBytes))
	}
	if c.SASLPasswordFile != "" {
		if c.SASLPassword != "" {
			errs = append(errs, errors.New("set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both"))
		} else if pw, err := envflag.ReadSecretFile("", c.SASLPasswordFile); err != nil {
			errs = append(errs, fmt.Errorf("KAFKA_SASL_PASSWORD_FILE: %w", err))
		} else {
			c.SASLPassword = pw
		}
	}
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		errs = append(errs, errors.New("KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together: set both or neither"))
	}
	return errors.Join(errs...)
}

// TLSConfig builds the TLS client configuration, or nil when TLS is off.
func (c *Config) TLSConfig() (*tls.Config, error) {
	if !c.TLSEnabled {
		return nil, nil
	}
	return ClientTLS(c.TLSCAFile, c.TLSCertFile, c.TLSKeyFile)
}

// ClientTLS builds a TLS 1.2+ client configuration from PEM files: a CA
// bundle (system roots when empty) and an optional client key pair.
func ClientTLS(caFile, certFile, keyFile string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("reading CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA file %s holds no PEM certificate", caFile)
		}
		cfg.RootCAs = pool
	}
	if certFile != "" {
		pair, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("loading client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

// SASL returns the SASL mechanism, or nil when none is configured.
func (c *Config) SASL() (sasl.Mechanism, error) {
	switch strings.ToUpper(c.SASLMechanism) {
	case "":
		return nil, nil
	case "PLAIN":
		return plain.Mechanism{Username: c.SASLUsername, Password: c.SASLPassword}, nil
	case "SCRAM-SHA-512":
		m, err := scram.Mechanism(scram.SHA512, c.SASLUsername, c.SASLPassword)
		if err != nil {
			return nil, fmt.Errorf("building SCRAM mechanism: %w", err)
		}
		return m, nil
	}
	return nil, fmt.Errorf("unsupported SASL mechanism %q", c.SASLMechanism)
}

// security returns the TLS configuration and SASL mechanism, each nil when
// not configured.
func (c *Config) security() (*tls.Config, sasl.Mechanism, error) {
	t, err := c.TLSConfig()
	if err != nil {
		return nil, nil, err
	}
	m, err := c.SASL()
	if err != nil {
		return nil, nil, err
	}
	return t, m, nil
}

// Transport returns the transport for writers and admin clients.
func (c *Config) Transport() (*kafka.Transport, error) {
	t, m, err := c.security()
	if err != nil {
		return nil, err
	}
	return &kafka.Transport{TLS: t, SASL: m, DialTimeout: 5 * time.Second, IdleTimeout: 30 * time.Second, MetadataTTL: 10 * time.Second}, nil
}

// Dialer returns the dialer for readers.
func (c *Config) Dialer() (*kafka.Dialer, error) {
	t, m, err := c.security()
	if err != nil {
		return nil, err
	}
	return &kafka.Dialer{Timeout: 5 * time.Second, DualStack: true, TLS: t, SASLMechanism: m}, nil
}
