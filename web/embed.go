// Package web is the MarketingOS dashboard: a React + Relay single-page app whose sources are beside this file
// (src/, built by `make web`) and whose build, dist/, is committed and embedded here, so that the binary serves
// it and building needs only Go.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// ContentSecurityPolicy is the app's policy: nothing but its own origin, no inline script or style, no framing.
// The app's WebSocket goes to its own origin, which 'self' covers (ws: and wss: included, CSP Level 3).
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; " +
	"frame-ancestors 'none'; object-src 'none'"

// Cache lifetimes: Vite names every file under assets/ by a hash of its content, so a name never changes meaning
// and may be kept for good; index.html names the current ones and must be checked at every load.
const (
	immutable = "public, max-age=31536000, immutable"
	noCache   = "no-cache"
	shortLife = "public, max-age=3600" // the few unhashed files of public/ (the icon)
)

// file is one built file, held in memory with its gzipped form when compressing is worth it.
type file struct {
	body, gzipped []byte
	etag          string
	contentType   string
}

// Handler serves the built app: its files, and index.html for every other path without an extension (the
// app's client routes, /campaigns/cmp_…), so that a reload or a shared link opens the right screen. A missing
// file with an extension (a stale /assets/… chunk) is a 404, never index.html in its place.
type Handler struct {
	files map[string]*file
}

// New loads the embedded build.
func New() (*Handler, error) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, err
	}
	return newHandler(sub)
}

func newHandler(root fs.FS) (*Handler, error) {
	h := &Handler{files: map[string]*file{}}
	err := fs.WalkDir(root, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(root, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		f := &file{body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, contentType: mime.TypeByExtension(path.Ext(name))}
		if f.contentType == "" {
			f.contentType = http.DetectContentType(body)
		}
		if compressible(f.contentType) {
			f.gzipped = gzipped(body)
		}
		h.files[name] = f
		return nil
	})
	if err != nil {
		return nil, err
	}
	if h.files["index.html"] == nil {
		return nil, fs.ErrNotExist
	}
	return h, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	f, cache := h.files[name], shortLife
	switch {
	case name == "" || name == "index.html" || (f == nil && path.Ext(name) == ""):
		f, cache = h.files["index.html"], noCache
	case f == nil:
		http.Error(w, "not found", http.StatusNotFound)
		return
	case strings.HasPrefix(name, "assets/"):
		cache = immutable
	}
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", ContentSecurityPolicy)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("Cache-Control", cache)
	hdr.Set("ETag", f.etag)
	hdr.Set("Content-Type", f.contentType)
	if f.gzipped != nil {
		hdr.Add("Vary", "Accept-Encoding")
	}
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, f.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if f.gzipped != nil && acceptsGzip(r) {
		hdr.Set("Content-Encoding", "gzip")
		body = f.gzipped
	}
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

func compressible(contentType string) bool {
	for _, t := range []string{"text/", "application/javascript", "image/svg+xml", "application/json"} {
		if strings.HasPrefix(contentType, t) {
			return true
		}
	}
	return false
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level: no error
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// acceptsGzip reads Accept-Encoding loosely: every browser sends "gzip" without a zero q-value.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
