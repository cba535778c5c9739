package validation

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Text reports whether s can be stored as text: valid UTF-8 without NUL characters. PostgreSQL refuses both (and
// \u0000 in jsonb), so input is held to this at the edge, where it can be refused as the client's mistake, rather
// than deep in a write, where it would fail everything committed with it. JSON input cannot carry invalid UTF-8
// or lone surrogates this far: encoding/json turns them into U+FFFD, as browsers do when they decode text.
func Text(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// TextIn checks every key and string inside a decoded JSON value (maps, slices, strings) with Text. When one
// fails it returns false and where it is: path, followed by the keys and indexes leading to it (at most 200
// bytes of them). The path is built only for a failure: deeply nested input costs no more than its walk.
func TextIn(v any, path string) (string, bool) {
	trail, ok := textIn(v)
	if ok {
		return path, true
	}
	var b strings.Builder
	b.WriteString(path)
	for i := len(trail) - 1; i >= 0 && b.Len() < 200; i-- {
		b.WriteString("." + trail[i])
	}
	return b.String(), false
}

// textIn walks v; on a failure, trail holds the keys from the failing value up to v, innermost first.
func textIn(v any) (trail []string, ok bool) {
	switch v := v.(type) {
	case string:
		return nil, Text(v)
	case map[string]any:
		for k, e := range v {
			if !Text(k) {
				return nil, false
			}
			if trail, ok := textIn(e); !ok {
				return append(trail, k), false
			}
		}
	case []any:
		for i, e := range v {
			if trail, ok := textIn(e); !ok {
				return append(trail, strconv.Itoa(i)), false
			}
		}
	}
	return nil, true
}

// Truncate returns s cut to at most n bytes, without splitting a UTF-8 sequence.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut]
}
