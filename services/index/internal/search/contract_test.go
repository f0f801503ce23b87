package search

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// contract is the validator of the embedded OpenAPI document.
var contract = sync.OnceValues(func() (validator.Validator, []error) {
	doc, err := libopenapi.NewDocument(OpenAPI)
	if err != nil {
		return nil, []error{err}
	}
	return validator.NewValidator(doc)
})

// checkContract validates a real request and the handler's answer against
// the OpenAPI document; an NDJSON answer is checked line by line.
func checkContract(t *testing.T, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	v, errs := contract()
	if len(errs) > 0 {
		t.Fatalf("loading openapi.json: %v", errs)
	}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/x-ndjson") && rec.Code == http.StatusOK {
		if ok, verrs := v.ValidateHttpRequest(req); !ok {
			t.Errorf("GET %s: the request breaks the contract: %s", req.URL, describe(verrs))
		}
		sc := bufio.NewScanner(bytes.NewReader(rec.Body.Bytes()))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := httptest.NewRecorder()
			line.Header().Set("Content-Type", "application/x-ndjson")
			line.WriteHeader(http.StatusOK)
			line.Write(sc.Bytes())
			if ok, verrs := v.ValidateHttpResponse(req, line.Result()); !ok {
				t.Errorf("GET %s: a line breaks the contract: %s\n%s", req.URL, describe(verrs), sc.Bytes())
				return
			}
		}
		return
	}
	res := rec.Result()
	res.Body = io.NopCloser(bytes.NewReader(rec.Body.Bytes()))
	validate := v.ValidateHttpRequestResponse
	if rec.Code == http.StatusBadRequest {
		// The request breaks the contract on purpose: check the answer only.
		validate = v.ValidateHttpResponse
	}
	if ok, verrs := validate(req, res); !ok {
		t.Errorf("GET %s -> %d breaks the contract: %s\n%.2000s", req.URL, rec.Code, describe(verrs), rec.Body.String())
	}
}

func describe[E interface{ Error() string }](errs []E) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("\n  " + e.Error())
		if ve, ok := any(e).(interface{ GetSchemaValidationErrors() []string }); ok {
			for _, s := range ve.GetSchemaValidationErrors() {
				b.WriteString("\n    " + s)
			}
		}
	}
	return b.String()
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	v, errs := contract()
	if len(errs) > 0 {
		t.Fatalf("loading openapi.json: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		t.Fatalf("openapi.json is not a valid OpenAPI 3.1 document: %s", describe(verrs))
	}
}

// TestOpenAPICoversEveryRouteAndParameter fails when an endpoint or a
// parameter the handler accepts is missing from the document.
func TestOpenAPICoversEveryRouteAndParameter(t *testing.T) {
	doc, err := libopenapi.NewDocument(OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string][]string{}
	for path, item := range model.Model.Paths.PathItems.FromOldest() {
		if item.Get == nil {
			t.Errorf("%s has no GET operation", path)
			continue
		}
		var names []string
		for _, p := range item.Get.Parameters {
			names = append(names, p.Name)
		}
		documented[path] = names
	}
	var routes []string
	collect := func(p string, _ http.Handler) { routes = append(routes, strings.TrimPrefix(p, "GET ")) }
	(&Handler{}).Register(Routes{Handle: collect, Stream: collect, Auth: func(h http.Handler) http.Handler { return h }})
	accepts := map[string][]string{
		"/v1/search": searchParams, "/v1/timeline": timelineParams, "/v1/export": exportParams,
		"/v1/entities": entityParams, "/v1/entities/{type}/{id}": append(slices.Clone(entityPageParams), "type", "id"),
		"/v1/articles/{id}": {"id"}, "/openapi.json": nil,
	}
	for _, r := range routes {
		names, ok := documented[r]
		if !ok {
			t.Errorf("route %s is not in openapi.json", r)
			continue
		}
		want, ok := accepts[r]
		if !ok {
			t.Errorf("route %s: the test does not know which parameters it takes", r)
		}
		for _, p := range want {
			if !slices.Contains(names, p) {
				t.Errorf("%s takes %s, which openapi.json does not document", r, p)
			}
		}
		for _, p := range names {
			if !slices.Contains(want, p) {
				t.Errorf("openapi.json documents %s on %s, which it does not take", p, r)
			}
		}
	}
	if len(documented) != len(routes) {
		t.Errorf("openapi.json has %d paths, the handler %d routes %v", len(documented), len(routes), routes)
	}
}
