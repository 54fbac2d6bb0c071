package webtest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"

	"khienso/internal/web"
)

// The API tests check every response they receive against the OpenAPI
// document the server publishes (status documented, body matching its
// schema), using pb33f/libopenapi-validator: a well-kept OpenAPI 3.1
// implementation, so the document is checked by something other than the
// code that serves it.
var (
	oaOnce sync.Once
	oaVal  validator.Validator
	oaErr  error
	oaMu   sync.Mutex // the validator's caches are not documented as safe for concurrent use
)

// OpenAPIValidator builds (once per test binary) the validator of srv's
// OpenAPI document.
func OpenAPIValidator(srv *web.Server) (validator.Validator, error) {
	oaOnce.Do(func() {
		doc, err := srv.OpenAPI()
		if err != nil {
			oaErr = err
			return
		}
		d, err := libopenapi.NewDocument(doc)
		if err != nil {
			oaErr = fmt.Errorf("parse OpenAPI document: %w", err)
			return
		}
		v, errs := validator.NewValidator(d)
		if len(errs) > 0 {
			oaErr = fmt.Errorf("build OpenAPI validator: %v", errs)
			return
		}
		oaVal = v
	})
	return oaVal, oaErr
}

// checkResponse reports, as a test error, a response that the OpenAPI
// document does not describe. Only /api/ requests are checked; the
// document itself and downloads are checked for their status only.
func (f *Fixture) checkResponse(req *http.Request, resp *http.Response, body []byte) {
	f.T.Helper()
	if !strings.HasPrefix(req.URL.Path, "/api/") {
		return
	}
	v, err := OpenAPIValidator(f.App.Web)
	if err != nil {
		f.T.Errorf("OpenAPI: %v", err)
		return
	}
	copyResp := *resp
	copyResp.Body = io.NopCloser(bytes.NewReader(body))
	oaMu.Lock()
	ok, errs := v.ValidateHttpResponse(req, &copyResp)
	oaMu.Unlock()
	if ok || (unrouted(errs) && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed)) {
		// A path or method the document does not list may only answer the
		// generic 404 or 405.
		return
	}
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "\n  - %s", e.Message)
		if e.Reason != "" {
			fmt.Fprintf(&b, ": %s", e.Reason)
		}
		for _, se := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "\n      %s: %s", se.FieldPath, se.Reason)
		}
	}
	snippet := string(body)
	if len(snippet) > 300 {
		snippet = snippet[:300] + "…"
	}
	f.T.Errorf("%s %s → %d does not match the OpenAPI document:%s\n  body: %s", req.Method, req.URL.Path, resp.StatusCode, b.String(), snippet)
}

// unrouted reports whether every error says the path or method is not in
// the document.
func unrouted(errs []*errors.ValidationError) bool {
	for _, e := range errs {
		if e.ValidationType != helpers.PathValidation {
			return false
		}
	}
	return len(errs) > 0
}
