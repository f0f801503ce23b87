package esindex

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/elastic/go-elasticsearch/v8/esapi"
)

// RefreshInterval is how soon a write becomes searchable while the index
// service keeps up: the refresh_interval of every new index, and the one a
// backlog's longer interval returns to (figure 5's latency promise).
const RefreshInterval = "1s"

// SetRefreshInterval sets the refresh_interval of index (an index or the
// alias, which sets its index's): "1s", "30s", or "-1" for none.
func (a *Admin) SetRefreshInterval(ctx context.Context, index, interval string) error {
	body, _ := json.Marshal(map[string]any{"index": map[string]any{"refresh_interval": interval}})
	_, _, err := a.do(ctx, esapi.IndicesPutSettingsRequest{Index: []string{index}, Body: bytes.NewReader(body)},
		fmt.Sprintf("setting refresh_interval of %s to %s", index, interval))
	return err
}

// RefreshIntervalOf returns index's refresh_interval as set on it ("" when it
// has none of its own and Elasticsearch's default applies).
func (a *Admin) RefreshIntervalOf(ctx context.Context, index string) (string, error) {
	b, _, err := a.do(ctx, esapi.IndicesGetSettingsRequest{Index: []string{index}, Name: []string{"index.refresh_interval"}},
		"reading the settings of "+index)
	if err != nil {
		return "", err
	}
	var m map[string]struct {
		Settings struct {
			Index struct {
				RefreshInterval string `json:"refresh_interval"`
			} `json:"index"`
		} `json:"settings"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return "", fmt.Errorf("reading the settings of %s: %w", index, err)
	}
	if len(m) != 1 {
		return "", fmt.Errorf("reading the settings of %s: %d indices answered, want 1", index, len(m))
	}
	for _, s := range m {
		return s.Settings.Index.RefreshInterval, nil
	}
	return "", nil
}
