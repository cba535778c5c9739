package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func testHandler(t *testing.T) *Handler {
	t.Helper()
	h, err := newHandler(fstest.MapFS{
		"index.html":             {Data: []byte(`<!doctype html><script type="module" src="/assets/index-abc.js"></script>`)},
		"assets/index-abc.js":    {Data: []byte(strings.Repeat("console.log('app');", 100))},
		"assets/Overview-de.css": {Data: []byte("body{}")},
		"favicon.svg":            {Data: []byte("<svg/>")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func get(h http.Handler, method, target string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandler(t *testing.T) {
	h := testHandler(t)
	tests := []struct {
		target      string
		status      int
		cache       string
		contentType string
		index       bool
	}{
		{"/", 200, noCache, "text/html; charset=utf-8", true},
		{"/index.html", 200, noCache, "text/html; charset=utf-8", true},
		{"/campaigns", 200, noCache, "text/html; charset=utf-8", true},           // a client route
		{"/campaigns/cmp_01abc", 200, noCache, "text/html; charset=utf-8", true}, // with an id
		{"/settings?tab=keys", 200, noCache, "text/html; charset=utf-8", true},   // and a query
		{"/assets/index-abc.js", 200, immutable, "text/javascript; charset=utf-8", false},
		{"/assets/Overview-de.css", 200, immutable, "text/css; charset=utf-8", false},
		{"/favicon.svg", 200, shortLife, "image/svg+xml", false},
		{"/assets/index-old.js", 404, "", "", false}, // a chunk of an earlier build: never index.html instead
		{"/robots.txt", 404, "", "", false},
		{"/assets/../../go.mod", 404, "", "", false}, // cleaned to /go.mod: outside the build
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := get(h, http.MethodGet, tt.target, nil)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if got := rec.Header().Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control %q, want %q", got, tt.cache)
			}
			if got := rec.Header().Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			if got := rec.Header().Get("Content-Security-Policy"); got != ContentSecurityPolicy {
				t.Errorf("Content-Security-Policy %q", got)
			}
			if isIndex := strings.Contains(rec.Body.String(), "<!doctype html>"); isIndex != tt.index {
				t.Errorf("index.html served: %v, want %v", isIndex, tt.index)
			}
		})
	}
}

func TestHandlerGzipAndValidation(t *testing.T) {
	h := testHandler(t)
	rec := get(h, http.MethodGet, "/assets/index-abc.js", http.Header{"Accept-Encoding": {"br, gzip"}})
	if rec.Header().Get("Content-Encoding") != "gzip" || rec.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("headers %v, want gzip with Vary", rec.Header())
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != strings.Repeat("console.log('app');", 100) {
		t.Errorf("gunzipped body differs")
	}
	if rec := get(h, http.MethodGet, "/assets/index-abc.js", http.Header{"Accept-Encoding": {"gzip;q=0"}}); rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 still got gzip")
	}

	etag := get(h, http.MethodGet, "/", nil).Header().Get("ETag")
	if etag == "" {
		t.Fatal("index.html has no ETag")
	}
	if rec := get(h, http.MethodGet, "/overview", http.Header{"If-None-Match": {etag}}); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("revalidation answered %d with %d bytes, want 304 and none", rec.Code, rec.Body.Len())
	}
	if rec := get(h, http.MethodHead, "/", nil); rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD answered %d, %d bytes, Content-Length %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
	}
	if rec := get(h, http.MethodPost, "/", nil); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST answered %d, want 405", rec.Code)
	}
}

// TestEmbeddedBuild checks the committed build: index.html loads its scripts and styles from assets/, by hashed
// names that exist, and no inline script (which the policy would block).
func TestEmbeddedBuild(t *testing.T) {
	h, err := New()
	if err != nil {
		t.Fatalf("the embedded build: %v (run make web)", err)
	}
	index := string(h.files["index.html"].body)
	refs := regexp.MustCompile(`(?:src|href)="/(assets/[^"]+)"`).FindAllStringSubmatch(index, -1)
	if len(refs) == 0 {
		t.Fatalf("index.html names no asset:\n%s", index)
	}
	for _, m := range refs {
		if h.files[m[1]] == nil {
			t.Errorf("index.html names %s, which the build lacks", m[1])
		}
	}
	if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`).MatchString(index) {
		t.Errorf("index.html has an inline script, which the Content-Security-Policy refuses:\n%s", index)
	}
}

// bundleBudget bounds the JavaScript a first visit loads, gzipped (scripts/bundle-budget.mjs holds the build to
// the same figure): index.html's scripts and module preloads. Screens are lazy chunks and do not count.
const bundleBudget = 300 << 10

func TestBundleBudget(t *testing.T) {
	h, err := New()
	if err != nil {
		t.Fatal(err)
	}
	index := string(h.files["index.html"].body)
	total := 0
	for _, m := range regexp.MustCompile(`<(?:script|link)[^>]+(?:src|href)="/(assets/[^"]+\.js)"`).FindAllStringSubmatch(index, -1) {
		f := h.files[m[1]]
		if f == nil {
			t.Fatalf("index.html names %s, which the build lacks", m[1])
		}
		total += len(f.gzipped)
		t.Logf("%s: %.1f KB gzipped", m[1], float64(len(f.gzipped))/1024)
	}
	if total == 0 || total > bundleBudget {
		t.Errorf("initial JavaScript is %.1f KB gzipped, want some and at most %d KB", float64(total)/1024, bundleBudget>>10)
	}
}
