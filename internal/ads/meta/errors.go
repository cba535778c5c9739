package meta

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/marketingos/marketingos/internal/ads"
)

// graphError is the Graph API's error object.
type graphError struct {
	Message        string `json:"message"`
	Type           string `json:"type"`
	Code           int    `json:"code"`
	Subcode        int    `json:"error_subcode"`
	ErrorUserTitle string `json:"error_user_title"`
	ErrorUserMsg   string `json:"error_user_msg"`
	IsTransient    bool   `json:"is_transient"`
	FBTraceID      string `json:"fbtrace_id"`
}

// apiError maps an error answer by its error.code, never by the HTTP status, which Graph sets loosely.
func apiError(status int, header http.Header, body []byte) error {
	var env struct {
		Error *graphError `json:"error"`
	}
	if json.Unmarshal(body, &env) != nil || env.Error == nil {
		return &ads.ProviderError{Platform: ads.Facebook, Status: status, Code: http.StatusText(status),
			Message: "unexpected error answer", Temporary: status >= 500}
	}
	e := env.Error
	code := strconv.Itoa(e.Code)
	if e.Subcode != 0 {
		code += "/" + strconv.Itoa(e.Subcode)
	}
	switch {
	case e.Code == 190 || e.Code == 102 || e.Code == 104:
		// The message is left out: it can describe the token in more detail than a log should hold.
		return fmt.Errorf("%w: meta: code %s", ads.ErrUnauthenticated, code)
	case isRateLimit(e.Code):
		return &ads.RateLimitError{Platform: ads.Facebook, RetryAfter: regainAccess(header), Message: e.Message}
	}
	msg := e.ErrorUserMsg
	if msg == "" {
		msg = e.Message
	}
	return &ads.ProviderError{
		Platform: ads.Facebook,
		Status:   status,
		Code:     code,
		Message:  msg,
		// Codes 1 (unknown) and 2 (service) are Graph's transient failures.
		Temporary: status >= 500 || e.IsTransient || e.Code == 1 || e.Code == 2,
	}
}

// isRateLimit reports Graph's throttling codes: app (4), user (17), page (32), ad account (613) and the
// business-use-case limits (80000–80014).
func isRateLimit(code int) bool {
	return code == 4 || code == 17 || code == 32 || code == 613 || (code >= 80000 && code <= 80014)
}

// regainAccess reads how long Meta says the throttling lasts, from X-Business-Use-Case-Usage (minutes per
// business use case; the longest wins). Zero when it does not say.
func regainAccess(h http.Header) time.Duration {
	raw := h.Get("X-Business-Use-Case-Usage")
	if raw == "" {
		return 0
	}
	var usage map[string][]struct {
		Minutes json.Number `json:"estimated_time_to_regain_access"`
	}
	if json.Unmarshal([]byte(raw), &usage) != nil {
		return 0
	}
	var longest time.Duration
	for _, cases := range usage {
		for _, u := range cases {
			if m, err := u.Minutes.Float64(); err == nil && m > 0 {
				longest = max(longest, time.Duration(m*float64(time.Minute)))
			}
		}
	}
	return longest
}
