// Package tracker serves the landing-page tracker script. Its source is tracker.js; `go generate` minifies it into
// tracker.min.js (committed, like generated Go code, so that building the server needs only Go), which is
// embedded here and compressed once, when the server starts.
package tracker

//go:generate go run ./build

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
)

//go:embed tracker.min.js
var minified []byte

// MaxGzipBytes is the script's size budget, gzipped: a landing page pays for every byte before it is interactive.
const MaxGzipBytes = 2560

// cacheControl lets browsers and CDNs keep the script a day and serve a stale copy for a week while they
// revalidate it (ETag): a fix reaches every page within a day, and no page ever waits for the tracker's server.
const cacheControl = "public, max-age=86400, stale-while-revalidate=604800"

// Script is the tracker script as the server serves it.
type Script struct {
	encodings map[string]encoded // by Content-Encoding; "" is the script as it is
	modTime   time.Time
}

type encoded struct {
	body []byte
	etag string
}

// New compresses the embedded script. modTime is its Last-Modified (the server's start).
func New(modTime time.Time) *Script {
	s := &Script{encodings: map[string]encoded{}, modTime: modTime}
	gz, err := Gzip(minified)
	if err != nil {
		panic(err) // compressing into memory with a valid level cannot fail
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	_, _ = bw.Write(minified) // into memory: cannot fail
	_ = bw.Close()
	sum := sha256.Sum256(minified)
	version := hex.EncodeToString(sum[:8])
	for enc, body := range map[string][]byte{"": minified, "gzip": gz, "br": br.Bytes()} {
		// A strong ETag names one representation: each encoding has its own.
		s.encodings[enc] = encoded{body: body, etag: strconv.Quote(strings.TrimSuffix(version+"-"+enc, "-"))}
	}
	return s
}

// Minified is the script as embedded.
func Minified() []byte { return minified }

// Gzip compresses b at the best level, as the server sends the script.
func Gzip(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ServeHTTP answers GET and HEAD with the best encoding the client accepts; conditional requests get 304.
func (s *Script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	enc := negotiate(r.Header.Get("Accept-Encoding"))
	e := s.encodings[enc]
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", cacheControl)
	h.Set("ETag", e.etag)
	h.Set("Vary", "Accept-Encoding")
	h.Set("X-Content-Type-Options", "nosniff")
	// Any page may load it, also with crossorigin (Subresource Integrity) or under Cross-Origin-Embedder-Policy.
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	if enc != "" {
		h.Set("Content-Encoding", enc)
	}
	http.ServeContent(w, r, "", s.modTime, bytes.NewReader(e.body))
}

// negotiate picks br, then gzip, else no encoding, from an Accept-Encoding header; q=0 refuses a coding.
func negotiate(accept string) string {
	accepted := map[string]bool{}
	for _, part := range strings.Split(accept, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		accepted[strings.ToLower(strings.TrimSpace(coding))] = q > 0
	}
	for _, enc := range []string{"br", "gzip"} {
		if ok, named := accepted[enc]; named {
			if ok {
				return enc
			}
			continue
		}
		if accepted["*"] {
			return enc
		}
	}
	return ""
}
