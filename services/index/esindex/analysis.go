package esindex

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/elastic/go-elasticsearch/v8/esapi"
)

// EnglishAnalyzer stems English words (drone and drones match each other).
// It comes with Elasticsearch's analysis-common module, which a cluster may
// lack; then title and body keep the standard analyzer.
const EnglishAnalyzer = "english"

// TextAnalyzer returns the analyzer new indices give title and body:
// EnglishAnalyzer when the cluster has it, else "" (standard). It asks the
// cluster once per Admin.
func (a *Admin) TextAnalyzer(ctx context.Context) (string, error) {
	if a.analyzer != nil {
		return *a.analyzer, nil
	}
	body, _ := json.Marshal(map[string]any{"analyzer": EnglishAnalyzer, "text": "drones"})
	_, status, err := a.do(ctx, esapi.IndicesAnalyzeRequest{Body: bytes.NewReader(body)}, "checking for the english analyzer", http.StatusBadRequest)
	if err != nil {
		return "", err
	}
	analyzer := EnglishAnalyzer
	if status == http.StatusBadRequest { // "failed to find global analyzer [english]"
		analyzer = ""
	}
	a.analyzer = &analyzer
	return analyzer, nil
}

// ExtendMapping adds the fields of Mapping that index lacks (fields are only
// ever added; the text analyzer of an existing index stays as created), so
// that documents of this version can be written to an index an earlier
// version created.
func (a *Admin) ExtendMapping(ctx context.Context, index string) error {
	m := Mapping()
	props := m["properties"].(map[string]any)
	delete(props, "title") // their analyzer is fixed at creation
	delete(props, "body")
	body, _ := json.Marshal(m)
	_, _, err := a.do(ctx, esapi.IndicesPutMappingRequest{Index: []string{index}, Body: bytes.NewReader(body)},
		fmt.Sprintf("adding new fields to the mapping of %s", index))
	return err
}

// IndexAnalyzer returns the analyzer of index's title field, "" for the
// standard one.
func (a *Admin) IndexAnalyzer(ctx context.Context, index string) (string, error) {
	b, _, err := a.do(ctx, esapi.IndicesGetMappingRequest{Index: []string{index}}, "reading the mapping of "+index)
	if err != nil {
		return "", err
	}
	var m map[string]struct {
		Mappings struct {
			Properties struct {
				Title struct {
					Analyzer string `json:"analyzer"`
				} `json:"title"`
			} `json:"properties"`
		} `json:"mappings"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return "", fmt.Errorf("reading the mapping of %s: %w", index, err)
	}
	for _, x := range m {
		return x.Mappings.Properties.Title.Analyzer, nil
	}
	return "", nil
}
