package retry

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"testing"
)

func TestCertificateError(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"unknown authority", fmt.Errorf("dial: %w", x509.UnknownAuthorityError{}), true},
		{"verification", fmt.Errorf("dial: %w", &tls.CertificateVerificationError{Err: errors.New("x")}), true},
		{"host name", x509.HostnameError{Certificate: &x509.Certificate{}, Host: "h"}, true},
		{"invalid", x509.CertificateInvalidError{Reason: x509.Expired}, true},
		{"refused connection", errors.New("connection refused"), false},
		{"nil", nil, false},
	} {
		if got := CertificateError(tc.err); got != tc.want {
			t.Errorf("%s: CertificateError = %v, want %v", tc.name, got, tc.want)
		}
	}
}
