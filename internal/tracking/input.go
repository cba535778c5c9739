// Package tracking turns hits from landing pages (the pixel and the event endpoint) and server-side events into
// stored touchpoints: it parses and bounds the input, classifies where the visitor came from, filters bots, and
// commits events in batches (group commit) so that ingestion keeps up with traffic.
package tracking

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/marketingos/marketingos/internal/validation"
)

// Bounds of tracking input. Anything larger is refused, never truncated: a half-stored event is worse than none.
const (
	MaxBodyBytes     = 16 << 10 // JSON event body
	MaxQueryBytes    = 8 << 10  // pixel query string
	MaxURLLen        = 2048
	MaxFieldLen      = 200
	MaxEventTypeLen  = 64
	MaxMetadataBytes = 4 << 10
	MaxMetadataKeys  = 50
	MaxVisitorIDLen  = 100
	MaxTitleLen      = 1000 // bytes: the tracker script sends at most 250 characters of the page title
	MaxScreenLen     = 20   // "3840x2160"
	MaxLanguageLen   = 35   // a BCP 47 tag such as "en-US"
)

// Event types with a meaning of their own. Any other name is a custom event.
const (
	PageView = "page_view"
	Click    = "click"
	Signup   = "signup"
	Purchase = "purchase"
	Refund   = "refund"
)

// ErrTooLarge means the input exceeded a size bound.
var ErrTooLarge = errors.New("tracking: input too large")

// Input is a tracking request as the client sent it, before classification.
type Input struct {
	Key       string   `json:"key"`
	EventType string   `json:"eventType"`
	VisitorID string   `json:"visitorId"`
	SessionID string   `json:"sessionId"`
	UserID    string   `json:"userId"`
	Value     *float64 `json:"value"` // major units
	Currency  string   `json:"currency"`
	Source    string   `json:"source"`
	Medium    string   `json:"medium"`
	Campaign  string   `json:"campaign"`
	Term      string   `json:"term"`
	Content   string   `json:"content"`
	GCLID     string   `json:"gclid"`
	FBCLID    string   `json:"fbclid"`
	MSCLKID   string   `json:"msclkid"` // Microsoft Advertising's click id
	TTCLID    string   `json:"ttclid"`  // TikTok's
	LiFatID   string   `json:"liFatId"` // LinkedIn's (li_fat_id in a URL)
	Referrer  string   `json:"referrer"`
	URL       string   `json:"url"`
	Title     string   `json:"title"`
	Screen    string   `json:"screen"`   // width x height in CSS pixels
	Language  string   `json:"language"` // navigator.language
	// Cookieless asks the server to keep nothing on the device and to derive a daily visitor from a salted hash
	// of the address, the user agent and the organization (the tracker script's data-cookieless).
	Cookieless     bool           `json:"cookieless"`
	Metadata       map[string]any `json:"metadata"`
	IdempotencyKey string         `json:"idempotencyKey"`

	checked bool // check passed (the parsers run it): Track need not run it again
}

// ParsePixel reads the pixel's query string: k, e, vid, sid, url, ref, utm_*, gclid, fbclid, msclkid, ttclid,
// li_fat_id, and cl=1 (cookieless). It reads as
// url.ParseQuery followed by Get would (the first value of a repeated parameter wins; a semicolon or a bad
// escape anywhere makes the query invalid), in one pass and without building the map: it runs on every hit.
func ParsePixel(rawQuery string) (Input, error) {
	if len(rawQuery) > MaxQueryBytes {
		return Input{}, ErrTooLarge
	}
	var in Input
	var cookieless string
	fields := [...]*string{&in.Key, &in.EventType, &in.VisitorID, &in.Source, &in.Medium, &in.Campaign, &in.Term,
		&in.Content, &in.GCLID, &in.FBCLID, &in.URL, &in.Referrer, &in.SessionID, &in.MSCLKID, &in.TTCLID,
		&in.LiFatID, &cookieless}
	var set [len(fields)]bool
	for rest := rawQuery; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		if strings.Contains(pair, ";") {
			return Input{}, validation.Field("query", "is not a valid query string")
		}
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return Input{}, validation.Field("query", "is not a valid query string")
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return Input{}, validation.Field("query", "is not a valid query string")
		}
		if i := pixelParam(key); i >= 0 && !set[i] {
			set[i], *fields[i] = true, value
		}
	}
	if in.EventType == "" {
		in.EventType = PageView
	}
	in.Cookieless = cookieless == "1"
	return in, in.check()
}

// pixelParam is the index of a pixel parameter in ParsePixel's fields, or -1.
func pixelParam(key string) int {
	switch key {
	case "k":
		return 0
	case "e":
		return 1
	case "vid":
		return 2
	case "utm_source":
		return 3
	case "utm_medium":
		return 4
	case "utm_campaign":
		return 5
	case "utm_term":
		return 6
	case "utm_content":
		return 7
	case "gclid":
		return 8
	case "fbclid":
		return 9
	case "url":
		return 10
	case "ref":
		return 11
	case "sid":
		return 12
	case "msclkid":
		return 13
	case "ttclid":
		return 14
	case "li_fat_id":
		return 15
	case "cl":
		return 16
	}
	return -1
}

// PageFromReferer is the page a Referer header names, when it is a URL that check would accept; "" otherwise.
func PageFromReferer(referer string) string {
	if len(referer) > MaxURLLen || !validation.Text(referer) {
		return ""
	}
	if u, err := url.Parse(referer); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return referer
}

// DecodeEvent reads a JSON event body (sent as application/json, or as text/plain by navigator.sendBeacon).
// Unknown fields are refused so that a misspelt field fails loudly instead of being lost.
func DecodeEvent(body io.Reader) (Input, error) {
	raw, err := io.ReadAll(io.LimitReader(body, MaxBodyBytes+1))
	if err != nil {
		return Input{}, fmt.Errorf("tracking: read body: %w", err)
	}
	if len(raw) > MaxBodyBytes {
		return Input{}, ErrTooLarge
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var in Input
	if err := dec.Decode(&in); err != nil {
		return Input{}, validation.Field("body", "is not a valid JSON event: %s", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return Input{}, validation.Field("body", "must hold exactly one JSON object")
	}
	return in, in.check()
}

// jsonProblem describes a decoding error without echoing the body.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Sprintf("field %q has the wrong type", typeErr.Field)
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field") {
		return strings.TrimPrefix(msg, "json: ")
	}
	return "malformed JSON"
}

// The character classes of identifiers, checked byte by byte rather than with regular expressions: every hit runs
// them, and the pixel's throughput is the point of the tracking endpoints.
func isLowerOrDigit(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }
func isLetter(c byte) bool       { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isPunct(c byte) bool        { return c == '_' || c == '.' || c == ':' || c == '-' }

// validEventType is ^[a-z0-9][a-z0-9_.:-]*$.
func validEventType(s string) bool {
	if s == "" || !isLowerOrDigit(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isLowerOrDigit(s[i]) && !isPunct(s[i]) {
			return false
		}
	}
	return true
}

// validVisitorID is ^[A-Za-z0-9._:-]+$.
func validVisitorID(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) && !('0' <= s[i] && s[i] <= '9') && !isPunct(s[i]) {
			return false
		}
	}
	return true
}

// validCurrency is ^[A-Za-z]{3}$.
func validCurrency(s string) bool {
	return len(s) == 3 && isLetter(s[0]) && isLetter(s[1]) && isLetter(s[2])
}

// check enforces the bounds that do not depend on the organization.
func (in *Input) check() error {
	in.EventType = strings.ToLower(strings.TrimSpace(in.EventType))
	switch {
	case in.EventType == "":
		return validation.Field("eventType", "is required")
	case len(in.EventType) > MaxEventTypeLen || !validEventType(in.EventType):
		return validation.Field("eventType", "must be at most %d lowercase letters, digits or _.:-", MaxEventTypeLen)
	case in.VisitorID != "" && (len(in.VisitorID) > MaxVisitorIDLen || !validVisitorID(in.VisitorID)):
		return validation.Field("visitorId", "must be at most %d letters, digits or ._:-", MaxVisitorIDLen)
	case in.SessionID != "" && (len(in.SessionID) > MaxVisitorIDLen || !validVisitorID(in.SessionID)):
		return validation.Field("sessionId", "must be at most %d letters, digits or ._:-", MaxVisitorIDLen)
	case in.Currency != "" && !validCurrency(in.Currency):
		return validation.Field("currency", "must be a three-letter ISO 4217 code")
	case in.Value != nil && (*in.Value != *in.Value || *in.Value < 0 || *in.Value > 1e12):
		return validation.Field("value", "must be a non-negative amount in major units")
	}
	in.Currency = strings.ToUpper(in.Currency)
	// Arrays rather than maps: this runs on every hit.
	for _, f := range [...]struct{ name, v string }{
		{"userId", in.UserID}, {"source", in.Source}, {"medium", in.Medium}, {"campaign", in.Campaign},
		{"term", in.Term}, {"content", in.Content}, {"gclid", in.GCLID}, {"fbclid", in.FBCLID},
		{"msclkid", in.MSCLKID}, {"ttclid", in.TTCLID}, {"liFatId", in.LiFatID},
		{"idempotencyKey", in.IdempotencyKey}, {"key", in.Key},
	} {
		if len(f.v) > MaxFieldLen || !validation.Text(f.v) {
			return validation.Field(f.name, "must be valid text of at most %d bytes", MaxFieldLen)
		}
	}
	for _, f := range [...]struct {
		name, v string
		max     int
	}{
		{"url", in.URL, MaxURLLen}, {"referrer", in.Referrer, MaxURLLen}, {"title", in.Title, MaxTitleLen},
		{"screen", in.Screen, MaxScreenLen}, {"language", in.Language, MaxLanguageLen},
	} {
		if len(f.v) > f.max || !validation.Text(f.v) {
			return validation.Field(f.name, "must be valid text of at most %d bytes", f.max)
		}
	}
	if len(in.Metadata) > MaxMetadataKeys {
		return validation.Field("metadata", "must have at most %d keys", MaxMetadataKeys)
	}
	if in.Metadata != nil {
		if path, ok := validation.TextIn(in.Metadata, "metadata"); !ok {
			return validation.Field("metadata", "must hold valid text without NUL characters (at %s)", path)
		}
		b, err := json.Marshal(in.Metadata)
		if err != nil || len(b) > MaxMetadataBytes {
			return validation.Field("metadata", "must be a JSON object of at most %d bytes", MaxMetadataBytes)
		}
	}
	in.checked = true
	return nil
}
