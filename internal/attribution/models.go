// Package attribution decides which marketing touchpoints earn the credit for a conversion. The models are pure
// functions over a visitor's touchpoints; Recorder writes their credits once, when the conversion is recorded, and
// Report sums them.
package attribution

import (
	"math"
	"math/big"
	"slices"
	"sort"
	"time"
)

// Model names an attribution model; the values are the ent enum values of AttributionCredit.model.
type Model string

const (
	FirstTouch    Model = "FIRST_TOUCH"
	LastTouch     Model = "LAST_TOUCH"
	Linear        Model = "LINEAR"
	TimeDecay     Model = "TIME_DECAY"
	PositionBased Model = "POSITION_BASED"
)

// Models lists every model, in the order credits are written.
var Models = []Model{FirstTouch, LastTouch, Linear, TimeDecay, PositionBased}

// TimeDecayHalfLife is the half-life of a touchpoint's weight under TIME_DECAY.
const TimeDecayHalfLife = 7 * 24 * time.Hour

// Direct is the channel of visits with neither campaign parameters nor an outside referrer.
const Direct = "(direct)"

// Touchpoint is one marketing contact before a conversion.
type Touchpoint struct {
	EventID  string
	At       time.Time
	Source   string
	Medium   string
	Campaign string
	// SessionID groups hits of one visit: repeated hits of the same channel in one session are one touchpoint.
	SessionID string
}

// IsDirect reports whether the touchpoint is a direct visit.
func (t Touchpoint) IsDirect() bool { return t.Source == "" || t.Source == Direct }

// Share is the part of one conversion a touchpoint earns under one model. EventID is empty for the (direct)
// share of a conversion without touchpoints.
type Share struct {
	Touchpoint
	Weight float64
}

// Credit splits a conversion at time at among touchpoints (any order; those after the conversion are ignored) under
// model. Weights sum to 1. Direct visits earn credit only when the path has no other touchpoint: a marketer asks
// which campaign brought the customer, and "they typed the address" is the answer only when nothing else did. So
// LAST_TOUCH is last non-direct touch. A conversion without touchpoints is credited wholly to (direct).
func Credit(model Model, touchpoints []Touchpoint, at time.Time) []Share {
	if !slices.Contains(Models, model) {
		return nil
	}
	path := marketingPath(touchpoints, at)
	if len(path) == 0 {
		return []Share{{Touchpoint: Touchpoint{Source: Direct, Medium: "(none)", At: at}, Weight: 1}}
	}
	weights := make([]float64, len(path))
	n := len(path)
	switch model {
	case FirstTouch:
		weights[0] = 1
	case LastTouch:
		weights[n-1] = 1
	case Linear:
		for i := range weights {
			weights[i] = 1 / float64(n)
		}
	case TimeDecay:
		// Ages count from the newest touch rather than from the conversion: the normalised weights are the same,
		// and a path of very old touches cannot underflow to all zeros.
		newest := path[n-1].At
		var sum float64
		for i, t := range path {
			weights[i] = math.Exp2(-float64(newest.Sub(t.At)) / float64(TimeDecayHalfLife))
			sum += weights[i]
		}
		for i := range weights {
			weights[i] /= sum
		}
	case PositionBased:
		switch n {
		case 1:
			weights[0] = 1
		case 2:
			weights[0], weights[1] = 0.5, 0.5
		default:
			weights[0], weights[n-1] = 0.4, 0.4
			for i := 1; i < n-1; i++ {
				weights[i] = 0.2 / float64(n-2)
			}
		}
	default:
		return nil
	}
	shares := make([]Share, 0, n)
	for i, t := range path {
		if weights[i] > 0 {
			shares = append(shares, Share{Touchpoint: t, Weight: weights[i]})
		}
	}
	return shares
}

// marketingPath keeps the touchpoints up to at, oldest first, one per channel per session, dropping direct visits
// when any other exists.
func marketingPath(touchpoints []Touchpoint, at time.Time) []Touchpoint {
	sorted := make([]Touchpoint, 0, len(touchpoints))
	for _, t := range touchpoints {
		if !t.At.After(at) {
			sorted = append(sorted, t)
		}
	}
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].At.Before(sorted[j].At) })
	var all, marketing []Touchpoint
	for _, t := range sorted {
		if n := len(all); n > 0 && t.SessionID != "" && sameVisit(all[n-1], t) {
			continue
		}
		all = append(all, t)
		if !t.IsDirect() {
			marketing = append(marketing, t)
		}
	}
	if len(marketing) > 0 {
		return marketing
	}
	return all
}

func sameVisit(a, b Touchpoint) bool {
	return a.SessionID == b.SessionID && a.Source == b.Source && a.Medium == b.Medium && a.Campaign == b.Campaign
}

// Allocate divides amount minor units by weights so that the parts sum to amount exactly (largest remainder).
func Allocate(amount int64, weights []float64) []int64 {
	parts := make([]int64, len(weights))
	if len(weights) == 0 {
		return parts
	}
	type rem struct {
		i    int
		frac float64
	}
	rems := make([]rem, len(weights))
	// Exact products (a float64 weight times an int64 amount fits in 128 bits of mantissa), so that huge amounts
	// neither lose precision nor overflow.
	var given int64
	total := new(big.Float).SetPrec(192).SetInt64(amount)
	for i, w := range weights {
		exact := new(big.Float).SetPrec(192).Mul(total, big.NewFloat(w))
		whole, _ := exact.Int(nil) // truncates toward zero
		parts[i] = whole.Int64()
		frac, _ := new(big.Float).Sub(exact, new(big.Float).SetInt(whole)).Float64()
		given += parts[i]
		rems[i] = rem{i, math.Abs(frac)}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].frac > rems[b].frac })
	// float64 rounding of huge amounts can overshoot as well as fall short, so step toward the amount either way.
	for k := 0; given != amount; k = (k + 1) % len(rems) {
		step := int64(1)
		if given > amount {
			step = -1
		}
		parts[rems[k].i] += step
		given += step
	}
	return parts
}
