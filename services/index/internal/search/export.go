package search

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/pipeline/httpserver"
)

// DefaultExportBatch is how many articles one request of an export fetches:
// the export holds one batch at a time, whatever the number of matches.
const DefaultExportBatch = 500

var exportParams = append(slices.Clone(filterParams), "format", "sort")

// ExportRecord is one line of an NDJSON export.
type ExportRecord struct {
	ID                string      `json:"id"`
	Title             string      `json:"title"`
	URL               string      `json:"url,omitempty"`
	Source            string      `json:"source,omitempty"`
	Language          string      `json:"language,omitempty"`
	PublishedAt       *time.Time  `json:"published_at,omitempty"`
	ClassifierVersion string      `json:"classifier_version,omitempty"`
	Actors            []HitEntity `json:"actors"`
	Weapons           []HitEntity `json:"weapons"`
	Locations         []HitEntity `json:"locations"`
	WeaponCategories  []string    `json:"weapon_categories"`
	Countries         []string    `json:"countries"`
}

// csvHeader names the columns of a CSV export; entity columns hold ids or
// names separated by "; ".
var csvHeader = []string{"id", "published_at", "title", "url", "source", "language", "classifier_version",
	"actor_ids", "actor_names", "weapon_ids", "weapon_names", "location_ids", "location_names", "weapon_categories", "countries"}

// ServeExport answers GET /v1/export: every article matching the filters,
// streamed as NDJSON or CSV from a point in time, one batch in memory at a
// time.
func (h *Handler) ServeExport(w http.ResponseWriter, r *http.Request) {
	vals, err := ParseQuery(r.URL.RawQuery)
	if err == nil {
		err = checkValues(vals, exportParams)
	}
	var p Params
	if err == nil {
		p, err = parseFilters(vals)
	}
	var format string
	if err == nil {
		format, err = single(vals, "format")
		switch {
		case err != nil:
		case format == "":
			format = "ndjson"
		case format != "ndjson" && format != "csv":
			err = bad("format=%q: want ndjson or csv", truncate(format, 40))
		}
	}
	if err == nil {
		p.Sort, err = single(vals, "sort")
		if err == nil && !slices.Contains([]string{"", SortRelevance, SortDate, SortDateDesc}, p.Sort) {
			err = bad("sort=%q: want relevance, date (oldest first) or -date (newest first)", truncate(p.Sort, 40))
		}
	}
	if err != nil {
		httpserver.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	ctx := r.Context()
	q, err := h.resolve(ctx, p)
	if err != nil {
		h.fail(w, err)
		return
	}
	pit, err := h.openPIT(ctx)
	if err != nil {
		h.fail(w, err)
		return
	}
	defer h.closePIT(ctx, pit)

	query, _ := q.Clauses()
	batch := h.ExportBatch
	if batch <= 0 {
		batch = DefaultExportBatch
	}
	next := func(after json.RawMessage) (*esResponse, error) {
		body := map[string]any{"query": query, "size": batch, "sort": q.SortOrder(), "track_total_hits": false,
			"_source": map[string]any{"includes": append(slices.Clone(sourceFields), "countries")}}
		raw, err := h.search(ctx, searchRequest{body: h.pitBody(body, pit, after), onPIT: true})
		if err != nil {
			return nil, err
		}
		var es esResponse
		if err := json.Unmarshal(raw, &es); err != nil {
			return nil, err
		}
		if es.PITID != "" {
			pit = es.PITID
		}
		return &es, nil
	}
	es, err := next(nil)
	if err != nil { // nothing is written yet: a proper error answer
		h.fail(w, err)
		return
	}
	rc := http.NewResponseController(w)
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/x-ndjson")
	}
	w.Header().Set("Content-Disposition", `attachment; filename="articles.`+format+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	cw := csv.NewWriter(bw)
	if format == "csv" {
		_ = cw.Write(csvHeader)
	}
	rows := 0
	for {
		// Each batch gets its own write deadline: an export may take longer
		// than the server's write timeout as a whole.
		_ = rc.SetWriteDeadline(time.Now().Add(h.timeout() + 10*time.Second))
		for _, x := range es.Hits.Hits {
			rec := exportRecord(x)
			if format == "csv" {
				_ = cw.Write(csvRow(rec))
			} else {
				_ = enc.Encode(rec)
			}
			rows++
		}
		cw.Flush()
		if err := bw.Flush(); err != nil {
			h.Log.Info("export ended by the client", zap.Int("rows", rows), zap.Error(err))
			return
		}
		_ = rc.Flush()
		if len(es.Hits.Hits) < batch {
			break
		}
		if es, err = next(es.Hits.Hits[len(es.Hits.Hits)-1].Sort); err != nil {
			// The status is sent: cut the response so that the client sees
			// an incomplete transfer rather than a short, complete one.
			h.Log.Error("export failed midway", zap.Int("rows", rows), zap.Error(err))
			panic(http.ErrAbortHandler)
		}
	}
	h.Log.Info("export done", zap.Int("rows", rows), zap.String("format", format))
}

func exportRecord(x esHit) ExportRecord {
	s := x.Source
	return ExportRecord{
		ID: x.ID, Title: s.Title, URL: s.URL, Source: s.Source, Language: s.Language, PublishedAt: s.PublishedAt,
		ClassifierVersion: s.ClassifierVersion, Actors: hitEntities(s.Actors), Weapons: hitEntities(s.Weapons),
		Locations: hitEntities(s.Locations), WeaponCategories: nonNil(s.WeaponCategories), Countries: nonNil(s.Countries),
	}
}

func csvRow(r ExportRecord) []string {
	join := func(list []HitEntity, name bool) string {
		parts := make([]string, len(list))
		for i, e := range list {
			parts[i] = e.ID
			if name {
				parts[i] = e.Name
			}
		}
		return strings.Join(parts, "; ")
	}
	var published string
	if r.PublishedAt != nil {
		published = r.PublishedAt.UTC().Format(time.RFC3339)
	}
	row := []string{r.ID, published, r.Title, r.URL, r.Source, r.Language, r.ClassifierVersion,
		join(r.Actors, false), join(r.Actors, true), join(r.Weapons, false), join(r.Weapons, true),
		join(r.Locations, false), join(r.Locations, true), strings.Join(r.WeaponCategories, "; "), strings.Join(r.Countries, "; ")}
	for i, c := range row {
		row[i] = csvSafe(c)
	}
	return row
}

// csvSafe keeps a spreadsheet from reading a cell as a formula: a leading
// =, +, -, @, tab or carriage return gets a ' before it.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
