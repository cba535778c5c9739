package google

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/marketingos/marketingos/internal/ads"
)

// rpcStatus is google.rpc.Status as the REST transport renders it.
type rpcStatus struct {
	Code    int               `json:"code"`
	Message string            `json:"message"`
	Status  string            `json:"status"`
	Details []json.RawMessage `json:"details"`
}

// statusDetail holds the fields of the detail types this client reads: google.rpc.RetryInfo and GoogleAdsFailure.
type statusDetail struct {
	Type       string       `json:"@type"`
	RetryDelay string       `json:"retryDelay"`
	Errors     []adsFailure `json:"errors"`
}

type adsFailure struct {
	ErrorCode map[string]string `json:"errorCode"`
	Message   string            `json:"message"`
	Details   struct {
		QuotaErrorDetails struct {
			RetryDelay string `json:"retryDelay"`
		} `json:"quotaErrorDetails"`
	} `json:"details"`
}

// apiError maps an error answer. Its body is {"error": Status}, or [{"error": Status}] when searchStream fails.
func apiError(httpStatus int, header http.Header, body []byte) error {
	st := parseStatus(body)
	if st == nil {
		return &ads.ProviderError{Platform: ads.Google, Status: httpStatus, Code: http.StatusText(httpStatus),
			Message: "unexpected error answer", Temporary: httpStatus >= 500}
	}
	return statusError(httpStatus, header, st)
}

// parseStatus finds the google.rpc.Status in an error body, or nil.
func parseStatus(body []byte) *rpcStatus {
	type envelope struct {
		Error *rpcStatus `json:"error"`
	}
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		var list []envelope
		if json.Unmarshal(body, &list) != nil {
			return nil
		}
		for _, e := range list {
			if e.Error != nil {
				return e.Error
			}
		}
		return nil
	}
	var e envelope
	if json.Unmarshal(body, &e) != nil {
		return nil
	}
	return e.Error
}

func statusError(httpStatus int, header http.Header, st *rpcStatus) error {
	status := st.Code
	if status == 0 {
		status = httpStatus
	}
	var failures []adsFailure
	var retryDelay time.Duration
	for _, raw := range st.Details {
		var d statusDetail
		if json.Unmarshal(raw, &d) != nil {
			continue
		}
		retryDelay = max(retryDelay, parseDuration(d.RetryDelay))
		for _, f := range d.Errors {
			retryDelay = max(retryDelay, parseDuration(f.Details.QuotaErrorDetails.RetryDelay))
			failures = append(failures, f)
		}
	}
	code, message := st.Status, st.Message
	if len(failures) > 0 {
		code = failureCode(failures[0])
		msgs := make([]string, 0, 3)
		for i, f := range failures {
			if i == 3 {
				msgs = append(msgs, fmt.Sprintf("and %d more", len(failures)-3))
				break
			}
			msgs = append(msgs, f.Message)
		}
		message = strings.Join(msgs, "; ")
	}
	switch {
	case st.Status == "UNAUTHENTICATED" || status == http.StatusUnauthorized:
		return fmt.Errorf("%w: google ads: %s", ads.ErrUnauthenticated, code)
	case st.Status == "RESOURCE_EXHAUSTED" || status == http.StatusTooManyRequests:
		if retryDelay == 0 {
			retryDelay = retryAfterHeader(header)
		}
		return &ads.RateLimitError{Platform: ads.Google, RetryAfter: retryDelay, Message: message}
	}
	return &ads.ProviderError{Platform: ads.Google, Status: status, Code: code, Message: message,
		Temporary: status >= 500}
}

// failureCode renders a GoogleAdsError's errorCode oneof as "campaignError.DUPLICATE_CAMPAIGN_NAME".
func failureCode(f adsFailure) string {
	keys := make([]string, 0, len(f.ErrorCode))
	for k := range f.ErrorCode {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"."+f.ErrorCode[k])
	}
	return strings.Join(parts, ",")
}

// parseDuration reads a protobuf Duration in its JSON form ("2s", "1.5s"); zero when absent or malformed.
func parseDuration(s string) time.Duration {
	if s == "" {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0
	}
	return d
}

// retryAfterHeader reads an HTTP Retry-After given in seconds.
func retryAfterHeader(h http.Header) time.Duration {
	if h == nil {
		return 0
	}
	secs, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After")))
	if err != nil || secs < 0 {
		return 0
	}
	return time.Duration(secs) * time.Second
}
