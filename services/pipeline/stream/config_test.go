package stream

import (
	"cmp"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// selfSigned writes a self-signed certificate and its key to dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "newsroom-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return certFile, keyFile
}

func TestTLSConfigFromFiles(t *testing.T) {
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	cfg := Config{TLSEnabled: true, TLSCAFile: cert, TLSCertFile: cert, TLSKeyFile: key}
	tc, err := cfg.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	if tc.RootCAs == nil || len(tc.Certificates) != 1 || tc.MinVersion == 0 {
		t.Fatalf("TLS config = roots %v, %d client certs, min version %d", tc.RootCAs != nil, len(tc.Certificates), tc.MinVersion)
	}
	if off, _ := (&Config{}).TLSConfig(); off != nil {
		t.Fatal("TLS config built while TLS is off")
	}
	if _, err := (&Config{TLSEnabled: true, TLSCAFile: filepath.Join(dir, "missing.pem")}).TLSConfig(); err == nil {
		t.Fatal("a missing CA file was accepted")
	}
	if _, err := (&Config{TLSEnabled: true, TLSCertFile: cert, TLSKeyFile: cert}).TLSConfig(); err == nil {
		t.Fatal("a certificate given as key was accepted")
	}
}

func TestSASLMechanisms(t *testing.T) {
	for _, tc := range []struct{ mech, want string }{{"PLAIN", "PLAIN"}, {"scram-sha-512", "SCRAM-SHA-512"}, {"", ""}} {
		m, err := (&Config{SASLMechanism: tc.mech, SASLUsername: "u", SASLPassword: "p"}).SASL()
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if m != nil {
			got = m.Name()
		}
		if got != tc.want {
			t.Errorf("mechanism %q = %q, want %q", tc.mech, got, tc.want)
		}
	}
}

func TestValidate(t *testing.T) {
	good := Config{Brokers: "127.0.0.1:9092", Partitions: 6, ReplicationFactor: 1, WriterBatchBytes: MaxRecordBytes}
	for _, tc := range []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"ok", func(*Config) {}, ""},
		{"no brokers", func(c *Config) { c.Brokers = " , " }, "KAFKA_BROKERS"},
		{"zero partitions", func(c *Config) { c.Partitions = 0 }, "KAFKA_PARTITIONS"},
		{"unknown sasl", func(c *Config) { c.SASLMechanism = "GSSAPI" }, "KAFKA_SASL_MECHANISM"},
		{"cert without key", func(c *Config) { c.TLSCertFile = "c.pem" }, "go together"},
		{"zstd", func(c *Config) { c.Compression = "ZSTD" }, ""},
		{"unknown codec", func(c *Config) { c.Compression = "brotli" }, "KAFKA_COMPRESSION"},
		{"codec number", func(c *Config) { c.Compression = "3" }, "KAFKA_COMPRESSION"},
		{"batch bytes below the largest record", func(c *Config) { c.WriterBatchBytes = MaxRecordBytes - 1 }, "KAFKA_WRITER_BATCH_BYTES"},
		{"batch bytes at the most", func(c *Config) { c.WriterBatchBytes = MaxWriterBatchBytes }, ""},
		{"batch bytes over the topic limit", func(c *Config) { c.WriterBatchBytes = MaxMessageBytes }, "KAFKA_WRITER_BATCH_BYTES"},
		{"fetch smaller than a batch", func(c *Config) { c.FetchMaxBytes = 1 << 20 }, "KAFKA_FETCH_MAX_BYTES"},
		{"fetch of a batch", func(c *Config) { c.FetchMaxBytes = MaxMessageBytes }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.mod(&c)
			err := c.Validate()
			if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestRetryable(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{kafka.NotLeaderForPartition, true},
		{kafka.LeaderNotAvailable, true},
		{kafka.RequestTimedOut, true},
		{kafka.MessageSizeTooLarge, false},
		{kafka.WriteErrors{nil, kafka.NotLeaderForPartition}, true},
		{kafka.WriteErrors{kafka.MessageSizeTooLarge}, false},
		{os.ErrDeadlineExceeded, true},
	} {
		if got := Retryable(tc.err); got != tc.want {
			t.Errorf("Retryable(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestCodec(t *testing.T) {
	for _, tc := range []struct {
		name string
		want kafka.Compression
	}{
		{"", kafka.Lz4}, {"lz4", kafka.Lz4}, {"none", 0}, {"gzip", kafka.Gzip},
		{"Snappy", kafka.Snappy}, {"zstd", kafka.Zstd},
	} {
		c := &Config{Compression: tc.name}
		if got := c.Codec(); got != tc.want {
			t.Errorf("Codec() of %q = %v, want %v", tc.name, got, tc.want)
		}
		if got, want := c.CodecName(), strings.ToLower(cmp.Or(tc.name, "lz4")); got != want {
			t.Errorf("CodecName() of %q = %q, want %q", tc.name, got, want)
		}
	}
}

func TestSASLPasswordFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(file, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := Config{Brokers: "127.0.0.1:9092", Partitions: 1, ReplicationFactor: 1, WriterBatchBytes: MaxRecordBytes}
	c := good
	c.SASLPasswordFile = file
	if err := c.Validate(); err != nil || c.SASLPassword != "s3cret" {
		t.Errorf("Validate() = %v, password %q; want the file's password", err, c.SASLPassword)
	}
	c = good
	c.SASLPasswordFile, c.SASLPassword = file, "x"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("password and file: Validate() = %v, want a refusal", err)
	}
	c = good
	c.SASLPasswordFile = file + ".missing"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "KAFKA_SASL_PASSWORD_FILE") {
		t.Errorf("missing file: Validate() = %v, want an error naming the setting", err)
	}
}
