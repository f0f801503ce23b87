package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// ErrTooLarge is returned for a response body over the size limit.
var ErrTooLarge = errors.New("response body exceeds the size limit")

// HTTPError is an answer other than 2xx or 304.
type HTTPError struct {
	Status int
	// RetryAfter is the server's Retry-After on 429 and 503, zero otherwise.
	RetryAfter time.Duration
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
}

// response is a fetched document.
type response struct {
	Status       int
	Body         []byte
	ContentType  string
	ETag         string
	LastModified string
}

// fetcher makes polite GETs: a User-Agent naming the product, conditional
// requests, gzip (the transport asks for it and inflates), a size limit on
// the inflated body and a bounded redirect chain.
type fetcher struct {
	client    *http.Client
	userAgent string
	maxBytes  int64
}

// errPrivateAddress refuses a connection to an address inside the
// cluster or the host.
var errPrivateAddress = errors.New("refusing a private, loopback or link-local address")

// publicOnly is a dialer Control that lets connections reach public
// addresses only. It checks the address actually dialled, after DNS, so a
// name that resolves inside the network is refused too.
func publicOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() {
		return fmt.Errorf("%w: %s", errPrivateAddress, host)
	}
	return nil
}

// newHTTPClient returns a client with a whole-request timeout that follows
// at most maxRedirects redirects (a loop ends there too). publicOnly keeps
// it off private addresses: links in feeds are not trusted like the feeds
// file is.
func newHTTPClient(timeout time.Duration, maxRedirects int, publicOnlyDial bool) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = timeout
	tr.MaxIdleConnsPerHost = 4
	if publicOnlyDial {
		d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: publicOnly}
		tr.DialContext = d.DialContext
		tr.Proxy = nil // a proxy would dial on our behalf, unchecked
	}
	return &http.Client{
		Timeout:   timeout,
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("stopped after %d redirects (last to %s)", maxRedirects, req.URL.Redacted())
			}
			return nil
		},
	}
}

// get fetches url with the feed's headers and the validators of the last
// answer; a 304 comes back as a response with Status 304 and no body.
func (f *fetcher) get(ctx context.Context, url string, h http.Header, etag, lastModified string) (response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return response{}, fmt.Errorf("building request: %w", err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", f.userAgent)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/ninjs+json, application/xml;q=0.9, application/json;q=0.9, */*;q=0.5")
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	res, err := f.client.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	out := response{Status: res.StatusCode, ContentType: res.Header.Get("Content-Type"),
		ETag: res.Header.Get("ETag"), LastModified: res.Header.Get("Last-Modified")}
	switch {
	case res.StatusCode == http.StatusNotModified:
		return out, nil
	case res.StatusCode < 200 || res.StatusCode > 299:
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // lets the connection be reused
		return out, &HTTPError{Status: res.StatusCode, RetryAfter: retryAfter(res)}
	}
	if res.ContentLength > f.maxBytes {
		return out, fmt.Errorf("%w: Content-Length %d, limit %d", ErrTooLarge, res.ContentLength, f.maxBytes)
	}
	out.Body, err = io.ReadAll(io.LimitReader(res.Body, f.maxBytes+1))
	if err != nil {
		return out, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(out.Body)) > f.maxBytes {
		return out, fmt.Errorf("%w of %d bytes", ErrTooLarge, f.maxBytes)
	}
	return out, nil
}

// retryAfter reads Retry-After in seconds on 429 and 503.
func retryAfter(res *http.Response) time.Duration {
	if res.StatusCode != http.StatusTooManyRequests && res.StatusCode != http.StatusServiceUnavailable {
		return 0
	}
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(res.Header.Get("Retry-After")); err == nil {
		return time.Until(t)
	}
	return 0
}
