package search

import (
	_ "embed"
	"net/http"
)

// OpenAPI is the API's contract (OpenAPI 3.1), served at GET /openapi.json;
// the tests validate real answers against it.
//
//go:embed openapi.json
var OpenAPI []byte

// ServeOpenAPI answers GET /openapi.json.
func ServeOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(OpenAPI)
}
