package server

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// errorBody is the JSON error body of every REST route: {"error": {"code": "…", "message": "…"}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"` // the input field at fault, for BAD_USER_INPUT
}

// writeJSON answers v with its length, so that a handler may flush the answer (deliverNow) and go on working
// without the client waiting for the end of a chunked body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":{"code":"INTERNAL","message":"internal error"}}`)
	}
	body = append(body, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // the status is sent; a failed write means the client left
}

// deliverNow sends what the handler has written to the client, which holds the whole answer once it has read
// Content-Length bytes: work the handler does afterwards does not delay it.
func deliverNow(w http.ResponseWriter) {
	_ = http.NewResponseController(w).Flush() // a writer that cannot flush delivers when the handler returns
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: message}})
}

// graphQLErrorBody is the GraphQL-shaped error body /graphql answers with before a request reaches gqlgen.
type graphQLErrorBody struct {
	Errors []graphQLError `json:"errors"`
}

type graphQLError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

func writeGraphQLError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, graphQLErrorBody{Errors: []graphQLError{{Message: message, Extensions: map[string]any{"code": code}}}})
}
