package retry

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
)

// CertificateError reports whether err is a refused TLS certificate: an
// unknown authority, a wrong host name or an invalid certificate. Retrying
// cannot fix it; the configured CA or the server's certificate must change.
func CertificateError(err error) bool {
	var (
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		verify   *tls.CertificateVerificationError
	)
	return errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &hostname) || errors.As(err, &verify)
}
