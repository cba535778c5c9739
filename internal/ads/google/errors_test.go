package google

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/ads"
)

// The fake answers in one shape per failure; these bodies cover the other shapes the reference allows.
func TestAPIError(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		check  func(t *testing.T, err error)
	}{
		{
			name:   "RetryInfo detail",
			status: 429,
			body: `{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED","details":[
				{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2s"}]}}`,
			check: wantRateLimit(2 * time.Second),
		},
		{
			name:   "quota error details inside GoogleAdsFailure",
			status: 429,
			body: `{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED","details":[
				{"@type":"type.googleapis.com/google.ads.googleads.v21.errors.GoogleAdsFailure","errors":[
				{"errorCode":{"quotaError":"RESOURCE_TEMPORARILY_EXHAUSTED"},"message":"Too many requests",
				 "details":{"quotaErrorDetails":{"rateScope":"ACCOUNT","retryDelay":"30s"}}}]}]}}`,
			check: wantRateLimit(30 * time.Second),
		},
		{
			name:   "Retry-After header only",
			status: 429,
			header: http.Header{"Retry-After": {"7"}},
			body:   `{"error":{"code":429,"message":"Too many requests","status":"RESOURCE_EXHAUSTED"}}`,
			check:  wantRateLimit(7 * time.Second),
		},
		{
			name:   "stream error in an array",
			status: 401,
			body:   `[{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}]`,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ads.ErrUnauthenticated) {
					t.Errorf("err = %v", err)
				}
			},
		},
		{
			name:   "several failures",
			status: 400,
			body: `{"error":{"code":400,"message":"Request contains an invalid argument.","status":"INVALID_ARGUMENT","details":[
				{"@type":"type.googleapis.com/google.ads.googleads.v21.errors.GoogleAdsFailure","errors":[
				{"errorCode":{"fieldError":"REQUIRED"},"message":"The required field was not present."},
				{"errorCode":{"campaignError":"DUPLICATE_CAMPAIGN_NAME"},"message":"A campaign with this name already exists."}]}]}}`,
			check: func(t *testing.T, err error) {
				var pe *ads.ProviderError
				if !errors.As(err, &pe) || pe.Code != "fieldError.REQUIRED" || pe.Temporary ||
					pe.Message != "The required field was not present.; A campaign with this name already exists." {
					t.Errorf("err = %#v", err)
				}
			},
		},
		{
			name:   "not JSON (a proxy's 502 page)",
			status: 502,
			body:   `<html>Bad Gateway</html>`,
			check: func(t *testing.T, err error) {
				var pe *ads.ProviderError
				if !errors.As(err, &pe) || pe.Status != 502 || !pe.Temporary {
					t.Errorf("err = %#v", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, apiError(tt.status, tt.header, []byte(tt.body)))
		})
	}
}

func wantRateLimit(d time.Duration) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var rl *ads.RateLimitError
		if !errors.As(err, &rl) || rl.RetryAfter != d {
			t.Errorf("err = %v, want a RateLimitError after %s", err, d)
		}
	}
}

func TestParseStreamErrorAfterRows(t *testing.T) {
	body := `[{"results":[{"segments":{"date":"2026-09-01"},"metrics":{"impressions":"1"}}]},
		{"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}]`
	var pe *ads.ProviderError
	if _, err := parseStream([]byte(body)); !errors.As(err, &pe) || !pe.Temporary {
		t.Errorf("err = %v, want a temporary ProviderError", err)
	}
}

func TestMicrosToMinor(t *testing.T) {
	tests := []struct {
		micros   int64
		currency string
		want     int64
	}{
		{5_120_000, "USD", 512},
		{5_125_000, "USD", 513},
		{5_124_999, "USD", 512},
		{-5_125_000, "USD", -513},
		{450_500_000, "JPY", 451},
		{1_234_500, "KWD", 1235},
	}
	for _, tt := range tests {
		if got := microsToMinor(tt.micros, tt.currency); got != tt.want {
			t.Errorf("microsToMinor(%d, %s) = %d, want %d", tt.micros, tt.currency, got, tt.want)
		}
	}
}
