package money_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/marketingos/marketingos/internal/money"
)

func TestExponent(t *testing.T) {
	for _, tc := range []struct {
		currency string
		want     int
	}{
		{"USD", 2}, {"EUR", 2}, {"usd", 2}, {"", 2},
		{"JPY", 0}, {"jpy", 0}, {"KRW", 0}, {"CLP", 0},
		{"KWD", 3}, {"Kwd", 3}, {"BHD", 3}, {"TND", 3},
	} {
		if got := money.Exponent(tc.currency); got != tc.want {
			t.Errorf("Exponent(%q) = %d, want %d", tc.currency, got, tc.want)
		}
	}
}

func TestMajor(t *testing.T) {
	for _, tc := range []struct {
		minor    int64
		currency string
		want     float64
	}{
		{99700, "USD", 997},
		{1999, "USD", 19.99},
		{-1999, "EUR", -19.99},
		{0, "USD", 0},
		{1, "USD", 0.01},
		{1500, "JPY", 1500},
		{-7, "JPY", -7},
		{1234, "KWD", 1.234},
		{1, "KWD", 0.001},
	} {
		if got := money.Major(tc.minor, tc.currency); got != tc.want {
			t.Errorf("Major(%d, %s) = %v, want %v", tc.minor, tc.currency, got, tc.want)
		}
	}
	if money.MajorPtr(nil, "USD") != nil {
		t.Error("MajorPtr(nil) is not nil")
	}
	v := int64(1250)
	if got := money.MajorPtr(&v, "USD"); got == nil || *got != 12.5 {
		t.Errorf("MajorPtr(1250, USD) = %v, want 12.5", got)
	}
}

func TestMinor(t *testing.T) {
	for _, tc := range []struct {
		name     string
		major    float64
		currency string
		want     int64
	}{
		{"whole dollars", 997, "USD", 99700},
		{"cents", 19.99, "USD", 1999},
		{"cents not exact in binary", 0.29, "USD", 29},
		{"negative", -19.99, "USD", -1999},
		{"zero", 0, "USD", 0},
		{"yen", 1500, "JPY", 1500},
		{"dinar", 1.234, "KWD", 1234},
		{"dinar fils", 0.001, "KWD", 1},
		// Halves (exact in binary) round away from zero, in both directions.
		{"half cent up", 0.125, "USD", 13},
		{"half cent down", -0.125, "USD", -13},
		{"below half cent", 0.124, "USD", 12},
		{"half yen", 2.5, "JPY", 3},
		{"minus half yen", -2.5, "JPY", -3},
		{"half yen from zero", 0.5, "JPY", 1},
		{"minus half yen from zero", -0.5, "JPY", -1},
		{"below half yen", 0.49, "JPY", 0},
		{"half fils", 0.0625, "KWD", 63},
		{"minus half fils", -0.0625, "KWD", -63},
		{"largest accepted", 1e13, "USD", 1e15},
		{"largest accepted negative", -1e13, "USD", -1e15},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := money.Minor(tc.major, tc.currency)
			if err != nil {
				t.Fatalf("Minor(%v, %s): %v", tc.major, tc.currency, err)
			}
			if got != tc.want {
				t.Errorf("Minor(%v, %s) = %d, want %d", tc.major, tc.currency, got, tc.want)
			}
		})
	}
}

func TestMinorRejectsUnrepresentableAmounts(t *testing.T) {
	for _, tc := range []struct {
		name     string
		major    float64
		currency string
	}{
		{"NaN", math.NaN(), "USD"},
		{"+Inf", math.Inf(1), "USD"},
		{"-Inf", math.Inf(-1), "JPY"},
		{"just above the limit", 1e13 + 0.01, "USD"},
		{"huge", 1e300, "USD"},
		{"huge negative", -1e300, "KWD"},
		{"beyond int64", math.MaxInt64, "JPY"},
		{"too many dinars", 1e13, "KWD"},
		{"too many yen", 1e16, "JPY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := money.Minor(tc.major, tc.currency); err == nil {
				t.Errorf("Minor(%v, %s) = %d, want an error", tc.major, tc.currency, got)
			}
		})
	}
}

// TestRoundTrip: minor → major → minor gives back the same amount, for every exponent.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	samples := []int64{0, 1, -1, 5, 99, 100, 1999, 99700, -123456, 999_999_999_999_999, -999_999_999_999_999}
	for range 2000 {
		samples = append(samples, r.Int64N(2e15)-1e15)
	}
	for _, currency := range []string{"USD", "JPY", "KWD"} {
		t.Run(currency, func(t *testing.T) {
			for _, minor := range samples {
				major := money.Major(minor, currency)
				got, err := money.Minor(major, currency)
				if err != nil {
					t.Fatalf("Minor(Major(%d)) = %v", minor, err)
				}
				if got != minor {
					t.Fatalf("Minor(Major(%d, %s) = %v) = %d", minor, currency, major, got)
				}
			}
		})
	}
}
