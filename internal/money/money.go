// Package money converts between the integer minor units the database keeps (cents) and the major-unit floats the
// API shows (997.0), per ISO 4217 currency exponent.
package money

import (
	"fmt"
	"math"
	"strings"
)

// zeroDecimal lists the currencies without minor units among those Stripe and the ad platforms bill in.
var zeroDecimal = map[string]bool{
	"BIF": true, "CLP": true, "DJF": true, "GNF": true, "JPY": true, "KMF": true, "KRW": true, "MGA": true,
	"PYG": true, "RWF": true, "UGX": true, "VND": true, "VUV": true, "XAF": true, "XOF": true, "XPF": true,
}

// threeDecimal lists the currencies with three decimals.
var threeDecimal = map[string]bool{"BHD": true, "JOD": true, "KWD": true, "OMR": true, "TND": true}

// Exponent returns how many decimals the currency's minor unit has.
func Exponent(currency string) int {
	c := strings.ToUpper(currency)
	switch {
	case zeroDecimal[c]:
		return 0
	case threeDecimal[c]:
		return 3
	default:
		return 2
	}
}

// Major converts minor units to major units: Major(99700, "USD") == 997.
func Major(minor int64, currency string) float64 {
	return float64(minor) / math.Pow10(Exponent(currency))
}

// MajorPtr is Major for optional amounts.
func MajorPtr(minor *int64, currency string) *float64 {
	if minor == nil {
		return nil
	}
	v := Major(*minor, currency)
	return &v
}

// Minor converts major units to minor units, rounding half away from zero. It refuses amounts that are not finite
// or do not fit.
func Minor(major float64, currency string) (int64, error) {
	v := math.Round(major * math.Pow10(Exponent(currency)))
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e15 {
		return 0, fmt.Errorf("money: amount %v out of range", major)
	}
	return int64(v), nil
}
