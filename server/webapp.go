package server

import (
	"net/http"
	"strings"
)

// serverPaths are the server's own path prefixes. A request under one of them that no route matched is a JSON
// 404, never the dashboard's index.html: an API client that mistypes a route must not receive a web page.
var serverPaths = []string{"/api", "/graphql", graphiqlPath, "/healthz", "/readyz", "/metrics", shortScriptPath}

func isServerPath(p string) bool {
	for _, prefix := range serverPaths {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return true
		}
	}
	return false
}

// notFound answers unmatched requests: the dashboard for a GET of any other path (its client routes and files,
// which it answers 404 itself when missing), the JSON error otherwise.
func notFound(app http.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && !isServerPath(r.URL.Path) {
			app.ServeHTTP(w, r)
			return
		}
		writeError(w, http.StatusNotFound, "NOT_FOUND", "no such route")
	}
}
