package search

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/deskwire/newsroom/services/pipeline/httpserver"
)

// maxCursorLen caps a cursor value: the longest query string plus a point
// in time id, encoded.
const maxCursorLen = 32 << 10

// cursor is where a search goes on: the search's own query string, the sort
// values of the last hit served, and the point in time that keeps later
// pages consistent with it. It travels signed, so that a client can neither
// point it at another index nor change it unnoticed.
type cursor struct {
	Query string          `json:"q"`
	After json.RawMessage `json:"after"`
	PIT   string          `json:"pit,omitempty"`
	Page  int             `json:"page"`
}

func (h *Handler) sign(b []byte) []byte {
	m := hmac.New(sha256.New, h.CursorKey)
	m.Write(b)
	return m.Sum(nil)[:16]
}

// encodeCursor returns the signed cursor token.
func (h *Handler) encodeCursor(c cursor) string {
	b, _ := json.Marshal(c) // strings and raw JSON only: cannot fail
	enc := base64.RawURLEncoding
	return enc.EncodeToString(b) + "." + enc.EncodeToString(h.sign(b))
}

// decodeCursor reads cursor= (which must come alone) and returns it with
// the search's own parameters.
func (h *Handler) decodeCursor(vals url.Values) (*cursor, url.Values, error) {
	if len(vals) != 1 || len(vals["cursor"]) != 1 {
		return nil, nil, bad("cursor carries the whole search: send it alone, without other parameters")
	}
	s := vals["cursor"][0]
	if len(s) > maxCursorLen {
		return nil, nil, bad("cursor is %d bytes long: not one this API issued", len(s))
	}
	invalid := bad("cursor is not one this API issued (or it was changed): start the search again")
	data, sig, ok := strings.Cut(s, ".")
	enc := base64.RawURLEncoding
	b, err1 := enc.DecodeString(data)
	mac, err2 := enc.DecodeString(sig)
	if !ok || err1 != nil || err2 != nil || !hmac.Equal(mac, h.sign(b)) {
		return nil, nil, invalid
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Page < 2 || len(c.After) == 0 || c.After[0] != '[' {
		return nil, nil, invalid
	}
	v, err := ParseQuery(c.Query)
	if err != nil || len(v["cursor"]) > 0 {
		return nil, nil, invalid
	}
	return &c, v, nil
}

func (h *Handler) keepAlive() string {
	d := h.CursorKeepAlive
	if d <= 0 {
		d = 5 * time.Minute
	}
	return strconv.Itoa(int(max(d, time.Second)/time.Second)) + "s" // Elasticsearch's time unit syntax
}

// openPIT opens a point in time on the index.
func (h *Handler) openPIT(ctx context.Context) (string, error) {
	raw, err := h.call(ctx, esapi.OpenPointInTimeRequest{Index: []string{h.Index}, KeepAlive: h.keepAlive()}, "opening a point in time on "+h.Index)
	if err != nil {
		return "", err
	}
	var r struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || r.ID == "" {
		return "", errors.Join(errors.New("opening a point in time: no id in the answer"), err)
	}
	return r.ID, nil
}

// closePIT releases a point in time; a failure only shortens nothing, the
// keep-alive ends it anyway.
func (h *Handler) closePIT(ctx context.Context, id string) {
	body, _ := json.Marshal(map[string]string{"id": id})
	_, _ = h.call(context.WithoutCancel(ctx), esapi.ClosePointInTimeRequest{Body: strings.NewReader(string(body))}, "closing a point in time")
}

// pitBody turns a search body into one that continues after the sort values
// after on point in time pit.
func (h *Handler) pitBody(body map[string]any, pit string, after json.RawMessage) map[string]any {
	delete(body, "from")
	body["pit"] = map[string]any{"id": pit, "keep_alive": h.keepAlive()}
	if len(after) > 0 {
		body["search_after"] = after
	}
	return body
}

// cursorRequest is the search of the page a cursor points at. The point in
// time is opened when the first cursor is followed, so that searches whose
// next page nobody asks for hold none.
func (h *Handler) cursorRequest(ctx context.Context, q Query, c *cursor) (searchRequest, error) {
	pit := c.PIT
	if pit == "" {
		var err error
		if pit, err = h.openPIT(ctx); err != nil {
			return searchRequest{}, err
		}
	}
	return searchRequest{body: h.pitBody(q.Body(), pit, c.After), onPIT: true}, nil
}

// cursorFailed answers for a cursor whose point in time is gone (410) or
// that Elasticsearch refuses (400); false for other errors.
func (h *Handler) cursorFailed(w http.ResponseWriter, err error) bool {
	var se *statusError
	if !errors.As(err, &se) {
		return false
	}
	switch {
	case se.Status == http.StatusNotFound || strings.Contains(se.Body, "search_context_missing"):
		httpserver.Error(w, http.StatusGone, "cursor expired: cursors live "+h.keepAlive()+" after their page; start the search again")
	default:
		httpserver.Error(w, http.StatusBadRequest, "cursor is not valid any more: start the search again")
	}
	return true
}

// nextCursor is the cursor of the page after this one, "" on the last.
func (h *Handler) nextCursor(vals url.Values, q Query, es *esResponse) string {
	n := len(es.Hits.Hits)
	if n == 0 || n < q.Params.Size || int64(q.Params.Page*q.Params.Size) >= es.Hits.Total.Value {
		return ""
	}
	own := url.Values{}
	for k, v := range vals {
		if k != "page" && k != "cursor" {
			own[k] = v
		}
	}
	return h.encodeCursor(cursor{Query: own.Encode(), After: es.Hits.Hits[n-1].Sort, PIT: es.PITID, Page: q.Params.Page + 1})
}
