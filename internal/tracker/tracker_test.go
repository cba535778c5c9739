package tracker

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// TestSizeBudget holds the script to its budget, measured as the server sends it.
func TestSizeBudget(t *testing.T) {
	gz, err := Gzip(Minified())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("tracker.min.js: %d bytes, %d gzipped (budget %d)", len(Minified()), len(gz), MaxGzipBytes)
	if len(gz) > MaxGzipBytes {
		t.Fatalf("tracker.min.js is %d bytes gzipped, over the budget of %d", len(gz), MaxGzipBytes)
	}
}

// TestNothingAStrictCSPForbids: no eval, no Function constructor, no string timers, no inline styles.
func TestNothingAStrictCSPForbids(t *testing.T) {
	forbidden := regexp.MustCompile(`\beval\(|\bFunction\(|set(Timeout|Interval)\(\s*["'\x60]|\.style\b|innerHTML`)
	if m := forbidden.Find(Minified()); m != nil {
		t.Fatalf("tracker.min.js uses %q, which a strict Content-Security-Policy forbids", m)
	}
}

func TestServe(t *testing.T) {
	srv := httptest.NewServer(New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
	defer srv.Close()
	decoders := map[string]func(io.Reader) (io.Reader, error){
		"":     func(r io.Reader) (io.Reader, error) { return r, nil },
		"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
	}
	tests := []struct{ accept, want string }{
		{"", ""},
		{"identity", ""},
		{"gzip, deflate", "gzip"},
		{"gzip, deflate, br, zstd", "br"},
		{"br;q=0, gzip;q=0.5", "gzip"},
		{"*", "br"},
		{"*, br;q=0", "gzip"},
	}
	etags := map[string]string{}
	for _, tc := range tests {
		t.Run("Accept-Encoding "+tc.accept, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
			req.Header.Set("Accept-Encoding", tc.accept) // set, even empty: the transport would ask for gzip
			res, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if got := res.Header.Get("Content-Encoding"); got != tc.want {
				t.Fatalf("Content-Encoding %q, want %q", got, tc.want)
			}
			r, err := decoders[tc.want](res.Body)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(body, Minified()) {
				t.Fatalf("body does not decode to the script (%v)", err)
			}
			for k, v := range map[string]string{
				"Content-Type": "text/javascript; charset=utf-8", "Vary": "Accept-Encoding",
				"Cache-Control": "public, max-age=86400, stale-while-revalidate=604800",
			} {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			etag := res.Header.Get("ETag")
			if prev, seen := etags[tc.want]; seen && prev != etag {
				t.Errorf("ETag of %q changed: %s then %s", tc.want, prev, etag)
			}
			etags[tc.want] = etag

			// Revalidation: the same ETag is not sent again.
			req.Header.Set("If-None-Match", etag)
			again, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, again.Body)
			again.Body.Close()
			if again.StatusCode != http.StatusNotModified || n != 0 {
				t.Errorf("If-None-Match %s: status %d with %d bytes, want 304 and none", etag, again.StatusCode, n)
			}
		})
	}
	if len(etags) != 3 || etags[""] == etags["gzip"] || etags["gzip"] == etags["br"] {
		t.Errorf("ETags %v: want one per encoding", etags)
	}
}
