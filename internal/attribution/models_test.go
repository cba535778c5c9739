package attribution

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

const weightTolerance = 1e-9

const testDay = 24 * time.Hour

// conversionAt is the conversion time every case is measured against.
var conversionAt = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// tp is a touchpoint ago before the conversion (negative ago: after it).
func touch(id string, ago time.Duration, source, medium, campaign, session string) Touchpoint {
	return Touchpoint{
		EventID:   id,
		At:        conversionAt.Add(-ago),
		Source:    source,
		Medium:    medium,
		Campaign:  campaign,
		SessionID: session,
	}
}

// wantShare is the weight one touchpoint (by EventID; "" for the (direct) share of a conversion without
// touchpoints) should earn, and the source it should carry.
type wantShare struct {
	id     string
	source string
	weight float64
}

// checkShares asserts that got holds exactly the wanted shares (in any order), that their weights sum to 1 and that
// every share carries the full input touchpoint it credits.
func checkShares(t *testing.T, got []Share, want []wantShare, input []Touchpoint) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d shares %+v, want %d %+v", len(got), got, len(want), want)
	}
	var sum float64
	for _, s := range got {
		sum += s.Weight
	}
	if math.Abs(sum-1) > weightTolerance {
		t.Errorf("weights sum to %.12f, want 1: %+v", sum, got)
	}
	for _, w := range want {
		idx := slices.IndexFunc(got, func(s Share) bool { return s.EventID == w.id })
		if idx < 0 {
			t.Errorf("no share for EventID %q in %+v", w.id, got)
			continue
		}
		if n := countMatching(got, func(s Share) bool { return s.EventID == w.id }); n != 1 {
			t.Errorf("%d shares for EventID %q, want 1", n, w.id)
		}
		s := got[idx]
		if s.Source != w.source {
			t.Errorf("EventID %q: source %q, want %q", w.id, s.Source, w.source)
		}
		if math.Abs(s.Weight-w.weight) > weightTolerance {
			t.Errorf("EventID %q: weight %.12f, want %.12f", w.id, s.Weight, w.weight)
		}
		if w.id == "" {
			continue
		}
		in := slices.IndexFunc(input, func(x Touchpoint) bool { return x.EventID == w.id })
		if in < 0 {
			t.Errorf("EventID %q is not an input touchpoint", w.id)
		} else if s.Touchpoint != input[in] {
			t.Errorf("EventID %q: share carries %+v, want input touchpoint %+v", w.id, s.Touchpoint, input[in])
		}
	}
}

func countMatching[T any](xs []T, f func(T) bool) int {
	n := 0
	for _, x := range xs {
		if f(x) {
			n++
		}
	}
	return n
}

// all gives every model the same expected shares.
func forAllModels(w ...wantShare) map[Model][]wantShare {
	return map[Model][]wantShare{FirstTouch: w, LastTouch: w, Linear: w, TimeDecay: w, PositionBased: w}
}

func TestModelsList(t *testing.T) {
	want := []Model{"FIRST_TOUCH", "LAST_TOUCH", "LINEAR", "TIME_DECAY", "POSITION_BASED"}
	if !slices.Equal(Models, want) {
		t.Fatalf("Models = %v, want %v", Models, want)
	}
}

func TestCredit(t *testing.T) {
	// Paths reused by several cases.
	two := []Touchpoint{
		touch("g", 7*testDay, "google", "cpc", "spring", "s1"),
		touch("n", 0, "newsletter", "email", "march", "s2"), // exactly at the conversion: counts
	}
	three := []Touchpoint{
		touch("g", 14*testDay, "google", "cpc", "spring", "s1"),
		touch("f", 7*testDay, "facebook", "social", "spring", "s2"),
		touch("n", 0, "newsletter", "email", "march", "s3"),
	}
	threeWant := map[Model][]wantShare{
		FirstTouch:    {{"g", "google", 1}},
		LastTouch:     {{"n", "newsletter", 1}},
		Linear:        {{"g", "google", 1.0 / 3}, {"f", "facebook", 1.0 / 3}, {"n", "newsletter", 1.0 / 3}},
		TimeDecay:     {{"g", "google", 1.0 / 7}, {"f", "facebook", 2.0 / 7}, {"n", "newsletter", 4.0 / 7}},
		PositionBased: {{"g", "google", 0.4}, {"f", "facebook", 0.2}, {"n", "newsletter", 0.4}},
	}
	twoWant := map[Model][]wantShare{
		FirstTouch:    {{"g", "google", 1}},
		LastTouch:     {{"n", "newsletter", 1}},
		Linear:        {{"g", "google", 0.5}, {"n", "newsletter", 0.5}},
		TimeDecay:     {{"g", "google", 1.0 / 3}, {"n", "newsletter", 2.0 / 3}},
		PositionBased: {{"g", "google", 0.5}, {"n", "newsletter", 0.5}},
	}
	directShare := wantShare{"", Direct, 1}

	cases := []struct {
		name string
		tps  []Touchpoint
		want map[Model][]wantShare
	}{
		{
			name: "one touchpoint",
			tps:  []Touchpoint{touch("g", 3*testDay, "google", "cpc", "spring", "s1")},
			want: forAllModels(wantShare{"g", "google", 1}),
		},
		{
			name: "two touchpoints",
			tps:  two,
			want: twoWant,
		},
		{
			name: "three touchpoints",
			tps:  three,
			want: threeWant,
		},
		{
			name: "four touchpoints",
			tps: []Touchpoint{
				touch("g", 21*testDay, "google", "cpc", "spring", "s1"),
				touch("f", 14*testDay, "facebook", "social", "spring", "s2"),
				touch("l", 7*testDay, "linkedin", "social", "b2b", "s3"),
				touch("n", 0, "newsletter", "email", "march", "s4"),
			},
			want: map[Model][]wantShare{
				FirstTouch: {{"g", "google", 1}},
				LastTouch:  {{"n", "newsletter", 1}},
				Linear: {
					{"g", "google", 0.25}, {"f", "facebook", 0.25}, {"l", "linkedin", 0.25}, {"n", "newsletter", 0.25},
				},
				// 1/8, 1/4, 1/2, 1 over 15/8.
				TimeDecay: {
					{"g", "google", 1.0 / 15}, {"f", "facebook", 2.0 / 15}, {"l", "linkedin", 4.0 / 15},
					{"n", "newsletter", 8.0 / 15},
				},
				PositionBased: {
					{"g", "google", 0.4}, {"f", "facebook", 0.1}, {"l", "linkedin", 0.1}, {"n", "newsletter", 0.4},
				},
			},
		},
		{
			name: "five touchpoints",
			tps: []Touchpoint{
				touch("a", 4*testDay, "google", "cpc", "a", "s1"),
				touch("b", 3*testDay, "google", "cpc", "b", "s2"),
				touch("c", 2*testDay, "google", "cpc", "c", "s3"),
				touch("d", 1*testDay, "google", "cpc", "d", "s4"),
				touch("e", 0, "google", "cpc", "e", "s5"),
			},
			want: map[Model][]wantShare{
				FirstTouch: {{"a", "google", 1}},
				LastTouch:  {{"e", "google", 1}},
				Linear:     {{"a", "google", 0.2}, {"b", "google", 0.2}, {"c", "google", 0.2}, {"d", "google", 0.2}, {"e", "google", 0.2}},
				// 2^(-k/7) for k = 4, 3, 2, 1, 0 days (0.6730, 0.7430, 0.8203, 0.9057, 1) over their sum 4.1420
				// (computed independently with Python).
				TimeDecay: {
					{"a", "google", 0.16246959900256913}, {"b", "google", 0.17938098054952586},
					{"c", "google", 0.19805265957725762}, {"d", "google", 0.21866786459445947},
					{"e", "google", 0.2414288962761878},
				},
				PositionBased: {
					{"a", "google", 0.4}, {"b", "google", 0.2 / 3}, {"c", "google", 0.2 / 3}, {"d", "google", 0.2 / 3},
					{"e", "google", 0.4},
				},
			},
		},
		{
			name: "unsorted input",
			tps:  []Touchpoint{three[2], three[0], three[1]},
			want: threeWant,
		},
		{
			name: "same instant",
			tps: []Touchpoint{
				touch("g", 7*testDay, "google", "cpc", "spring", "s1"),
				touch("f", 7*testDay, "facebook", "social", "spring", "s2"),
			},
			want: map[Model][]wantShare{
				FirstTouch:    {{"g", "google", 1}},
				LastTouch:     {{"f", "facebook", 1}},
				Linear:        {{"g", "google", 0.5}, {"f", "facebook", 0.5}},
				TimeDecay:     {{"g", "google", 0.5}, {"f", "facebook", 0.5}},
				PositionBased: {{"g", "google", 0.5}, {"f", "facebook", 0.5}},
			},
		},
		{
			name: "touchpoints after the conversion are ignored",
			tps: []Touchpoint{
				touch("late", -time.Nanosecond, "bing", "cpc", "late", "s9"),
				two[0],
				touch("later", -10*testDay, "facebook", "social", "later", "s8"),
				two[1],
			},
			want: twoWant,
		},
		{
			name: "only touchpoints after the conversion",
			tps: []Touchpoint{
				touch("late", -time.Hour, "google", "cpc", "spring", "s1"),
				touch("later", -testDay, "facebook", "social", "spring", "s2"),
			},
			want: forAllModels(directShare),
		},
		{
			name: "direct-only path",
			tps: []Touchpoint{
				touch("d1", 7*testDay, "", "", "", "s1"),
				touch("d2", 0, Direct, "(none)", "", "s2"),
			},
			want: map[Model][]wantShare{
				FirstTouch:    {{"d1", "", 1}},
				LastTouch:     {{"d2", Direct, 1}},
				Linear:        {{"d1", "", 0.5}, {"d2", Direct, 0.5}},
				TimeDecay:     {{"d1", "", 1.0 / 3}, {"d2", Direct, 2.0 / 3}},
				PositionBased: {{"d1", "", 0.5}, {"d2", Direct, 0.5}},
			},
		},
		{
			name: "single direct visit",
			tps:  []Touchpoint{touch("d1", testDay, Direct, "(none)", "", "")},
			want: forAllModels(wantShare{"d1", Direct, 1}),
		},
		{
			name: "no touchpoints (nil)",
			tps:  nil,
			want: forAllModels(directShare),
		},
		{
			name: "no touchpoints (empty)",
			tps:  []Touchpoint{},
			want: forAllModels(directShare),
		},
		{
			name: "direct and marketing mixed: direct dropped",
			tps: []Touchpoint{
				touch("d0", 21*testDay, Direct, "(none)", "", "s1"),
				touch("g", 14*testDay, "google", "cpc", "spring", "s2"),
				touch("d1", 10*testDay, "", "", "", "s3"),
				touch("f", 7*testDay, "facebook", "social", "spring", "s4"),
				touch("d2", 0, Direct, "(none)", "", "s5"),
			},
			want: map[Model][]wantShare{
				FirstTouch:    {{"g", "google", 1}},
				LastTouch:     {{"f", "facebook", 1}}, // last non-direct, not d2
				Linear:        {{"g", "google", 0.5}, {"f", "facebook", 0.5}},
				TimeDecay:     {{"g", "google", 1.0 / 3}, {"f", "facebook", 2.0 / 3}},
				PositionBased: {{"g", "google", 0.5}, {"f", "facebook", 0.5}},
			},
		},
		{
			name: "same-session duplicates collapse into the first",
			tps: []Touchpoint{
				touch("n", 0, "newsletter", "email", "march", "s3"),
				touch("g", 14*testDay, "google", "cpc", "spring", "s1"),
				touch("g-dup", 14*testDay-time.Hour, "google", "cpc", "spring", "s1"),
				touch("g-dup2", 14*testDay-2*time.Hour, "google", "cpc", "spring", "s1"),
				touch("f", 7*testDay, "facebook", "social", "spring", "s2"),
				touch("f-dup", 7*testDay-30*time.Minute, "facebook", "social", "spring", "s2"),
			},
			want: threeWant,
		},
		{
			name: "same channel in different sessions kept",
			tps: []Touchpoint{
				touch("g1", 7*testDay, "google", "cpc", "spring", "s1"),
				touch("g2", 0, "google", "cpc", "spring", "s2"),
			},
			want: map[Model][]wantShare{
				FirstTouch:    {{"g1", "google", 1}},
				LastTouch:     {{"g2", "google", 1}},
				Linear:        {{"g1", "google", 0.5}, {"g2", "google", 0.5}},
				TimeDecay:     {{"g1", "google", 1.0 / 3}, {"g2", "google", 2.0 / 3}},
				PositionBased: {{"g1", "google", 0.5}, {"g2", "google", 0.5}},
			},
		},
		{
			name: "same channel without session kept",
			tps: []Touchpoint{
				touch("g1", 7*testDay, "google", "cpc", "spring", ""),
				touch("g2", 0, "google", "cpc", "spring", ""),
			},
			want: map[Model][]wantShare{
				FirstTouch:    {{"g1", "google", 1}},
				LastTouch:     {{"g2", "google", 1}},
				Linear:        {{"g1", "google", 0.5}, {"g2", "google", 0.5}},
				TimeDecay:     {{"g1", "google", 1.0 / 3}, {"g2", "google", 2.0 / 3}},
				PositionBased: {{"g1", "google", 0.5}, {"g2", "google", 0.5}},
			},
		},
		{
			name: "same session, different campaign kept",
			tps: []Touchpoint{
				touch("g1", 7*testDay, "google", "cpc", "spring", "s1"),
				touch("g2", 0, "google", "cpc", "summer", "s1"),
			},
			want: map[Model][]wantShare{
				FirstTouch:    {{"g1", "google", 1}},
				LastTouch:     {{"g2", "google", 1}},
				Linear:        {{"g1", "google", 0.5}, {"g2", "google", 0.5}},
				TimeDecay:     {{"g1", "google", 1.0 / 3}, {"g2", "google", 2.0 / 3}},
				PositionBased: {{"g1", "google", 0.5}, {"g2", "google", 0.5}},
			},
		},
		{
			name: "same session, non-consecutive repeats kept",
			tps: []Touchpoint{
				touch("g1", 14*testDay, "google", "cpc", "spring", "s1"),
				touch("f", 7*testDay, "facebook", "social", "spring", "s1"),
				touch("g2", 0, "google", "cpc", "spring", "s1"),
			},
			want: map[Model][]wantShare{
				FirstTouch:    {{"g1", "google", 1}},
				LastTouch:     {{"g2", "google", 1}},
				Linear:        {{"g1", "google", 1.0 / 3}, {"f", "facebook", 1.0 / 3}, {"g2", "google", 1.0 / 3}},
				TimeDecay:     {{"g1", "google", 1.0 / 7}, {"f", "facebook", 2.0 / 7}, {"g2", "google", 4.0 / 7}},
				PositionBased: {{"g1", "google", 0.4}, {"f", "facebook", 0.2}, {"g2", "google", 0.4}},
			},
		},
		{
			name: "same-session direct duplicates collapse",
			tps: []Touchpoint{
				touch("d1", 7*testDay, Direct, "(none)", "", "s1"),
				touch("d1-dup", 7*testDay-time.Minute, Direct, "(none)", "", "s1"),
				touch("d2", 0, Direct, "(none)", "", "s2"),
			},
			want: map[Model][]wantShare{
				FirstTouch:    {{"d1", Direct, 1}},
				LastTouch:     {{"d2", Direct, 1}},
				Linear:        {{"d1", Direct, 0.5}, {"d2", Direct, 0.5}},
				TimeDecay:     {{"d1", Direct, 1.0 / 3}, {"d2", Direct, 2.0 / 3}},
				PositionBased: {{"d1", Direct, 0.5}, {"d2", Direct, 0.5}},
			},
		},
	}

	for _, tc := range cases {
		for _, model := range Models {
			want, ok := tc.want[model]
			if !ok {
				t.Fatalf("%s: no expectation for %s", tc.name, model)
			}
			t.Run(tc.name+"/"+string(model), func(t *testing.T) {
				input := slices.Clone(tc.tps)
				got := Credit(model, input, conversionAt)
				checkShares(t, got, want, tc.tps)
				if !slices.Equal(input, tc.tps) {
					t.Errorf("Credit reordered or changed its input: %+v, want %+v", input, tc.tps)
				}
				for _, s := range got {
					if s.EventID == "" {
						if s.Medium != "(none)" || !s.At.Equal(conversionAt) {
							t.Errorf("(direct) share = %+v, want medium (none) at the conversion", s)
						}
					}
				}
			})
		}
	}
}

func TestCreditUnknownModel(t *testing.T) {
	path := []Touchpoint{
		touch("g", 7*testDay, "google", "cpc", "spring", "s1"),
		touch("n", 0, "newsletter", "email", "march", "s2"),
	}
	for _, model := range []Model{"", "BOGUS", "linear", "Linear", "LAST_NON_DIRECT"} {
		t.Run(string(model), func(t *testing.T) {
			if got := Credit(model, path, conversionAt); got != nil {
				t.Errorf("Credit(%q, path) = %+v, want nil", model, got)
			}
			if got := Credit(model, []Touchpoint{touch("d", testDay, Direct, "(none)", "", "")}, conversionAt); got != nil {
				t.Errorf("Credit(%q, direct-only path) = %+v, want nil", model, got)
			}
		})
	}
	// An unknown model must not credit a conversion without touchpoints either.
	t.Run("no touchpoints", func(t *testing.T) {
		if got := Credit("BOGUS", nil, conversionAt); got != nil {
			t.Errorf("Credit(BOGUS, nil) = %+v, want nil", got)
		}
	})
}

// TestCreditTimeDecayOldTouchpoints: TIME_DECAY weights are relative, so a path whose touchpoints are all very old
// (or carry a zero time) still splits the whole conversion.
func TestCreditTimeDecayOldTouchpoints(t *testing.T) {
	old := conversionAt.AddDate(-25, 0, 0)
	cases := []struct {
		name string
		tps  []Touchpoint
		want []wantShare
	}{
		{
			name: "one touchpoint 25 years old",
			tps:  []Touchpoint{{EventID: "g", At: old, Source: "google"}},
			want: []wantShare{{"g", "google", 1}},
		},
		{
			name: "one touchpoint with zero time",
			tps:  []Touchpoint{{EventID: "g", Source: "google"}},
			want: []wantShare{{"g", "google", 1}},
		},
		{
			name: "two touchpoints 25 years old, 7 days apart",
			tps: []Touchpoint{
				{EventID: "g", At: old, Source: "google"},
				{EventID: "f", At: old.Add(7 * testDay), Source: "facebook"},
			},
			want: []wantShare{{"g", "google", 1.0 / 3}, {"f", "facebook", 2.0 / 3}},
		},
		{
			name: "zero-time touchpoint beside a recent one",
			tps: []Touchpoint{
				{EventID: "g", Source: "google"},
				{EventID: "f", At: conversionAt.Add(-testDay), Source: "facebook"},
			},
			// 2^-(292 years / 7 days) underflows to 0; the zero-weight share is left out.
			want: []wantShare{{"f", "facebook", 1}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkShares(t, Credit(TimeDecay, tc.tps, conversionAt), tc.want, tc.tps)
		})
	}
}

func sumParts(parts []int64) int64 {
	var s int64
	for _, p := range parts {
		s += p
	}
	return s
}

func TestAllocate(t *testing.T) {
	third := 1.0 / 3
	cases := []struct {
		name    string
		amount  int64
		weights []float64
		want    []int64 // nil: only the properties are checked
	}{
		{"halves", 99700, []float64{0.5, 0.5}, []int64{49850, 49850}},
		{"negative halves", -99700, []float64{0.5, 0.5}, []int64{-49850, -49850}},
		{"whole", 12345, []float64{1}, []int64{12345}},
		{"negative whole", -12345, []float64{1}, []int64{-12345}},
		{"zero amount", 0, []float64{0.25, 0.75}, []int64{0, 0}},
		{"quarters", 1000, []float64{0.25, 0.25, 0.5}, []int64{250, 250, 500}},
		{"position based", 1000, []float64{0.4, 0.1, 0.1, 0.4}, []int64{400, 100, 100, 400}},
		{"zeros between", 1000, []float64{0, 0.25, 0, 0.75}, []int64{0, 250, 0, 750}},
		{"all on the first", 7, []float64{1, 0, 0}, []int64{7, 0, 0}},
		{"all on the last", -7, []float64{0, 0, 1}, []int64{0, 0, -7}},
		{"thirds", 100, []float64{third, third, third}, nil},
		{"negative thirds", -100, []float64{third, third, third}, nil},
		{"odd halves", 101, []float64{0.5, 0.5}, nil},
		{"negative odd halves", -101, []float64{0.5, 0.5}, nil},
		{"odd halves around a zero", 101, []float64{0.5, 0, 0.5}, nil},
		{"one unit", 1, []float64{0.2, 0.3, 0.5}, nil},
		{"minus one unit", -1, []float64{0.2, 0.3, 0.5}, nil},
		{"sevenths", 99701, []float64{1.0 / 7, 2.0 / 7, 4.0 / 7}, nil},
		{"large amount", 1 << 40, []float64{0.1, 0.2, 0.7}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Allocate(tc.amount, tc.weights)
			checkAllocation(t, tc.amount, tc.weights, got)
			if tc.want != nil && !slices.Equal(got, tc.want) {
				t.Errorf("Allocate(%d, %v) = %v, want %v", tc.amount, tc.weights, got, tc.want)
			}
		})
	}

	t.Run("thirds differ by at most one", func(t *testing.T) {
		for _, amount := range []int64{100, -100, 101, -101, 99701, -99701} {
			got := Allocate(amount, []float64{third, third, third})
			if hi, lo := slices.Max(got), slices.Min(got); hi-lo > 1 {
				t.Errorf("Allocate(%d, thirds) = %v: parts differ by %d", amount, got, hi-lo)
			}
		}
	})

	t.Run("empty weights", func(t *testing.T) {
		for _, w := range [][]float64{nil, {}} {
			for _, amount := range []int64{0, 100, -100} {
				if got := Allocate(amount, w); got == nil || len(got) != 0 {
					t.Errorf("Allocate(%d, %#v) = %#v, want an empty slice", amount, w, got)
				}
			}
		}
	})
}

// checkAllocation asserts the parts sum exactly to amount, each is within 1 of amount×weight and has amount's sign
// (or is zero), and a zero weight gets nothing.
func checkAllocation(t *testing.T, amount int64, weights []float64, parts []int64) {
	t.Helper()
	if len(parts) != len(weights) {
		t.Fatalf("Allocate(%d, %v) = %v: %d parts, want %d", amount, weights, parts, len(parts), len(weights))
	}
	if s := sumParts(parts); s != amount {
		t.Errorf("Allocate(%d, %v) = %v: parts sum to %d", amount, weights, parts, s)
	}
	for i, p := range parts {
		if exact := float64(amount) * weights[i]; math.Abs(float64(p)-exact) > 1 {
			t.Errorf("Allocate(%d, %v) = %v: part %d is %d, more than 1 from %f", amount, weights, parts, i, p, exact)
		}
		if (amount >= 0 && p < 0) || (amount <= 0 && p > 0) {
			t.Errorf("Allocate(%d, %v) = %v: part %d has the wrong sign", amount, weights, parts, i)
		}
		if weights[i] == 0 && p != 0 {
			t.Errorf("Allocate(%d, %v) = %v: zero weight %d got %d", amount, weights, parts, i, p)
		}
	}
}

// TestAllocateRefund: a purchase and its full refund, each split by the same credit, cancel out per touchpoint.
func TestAllocateRefund(t *testing.T) {
	path := []Touchpoint{
		touch("g", 14*testDay, "google", "cpc", "spring", "s1"),
		touch("f", 7*testDay, "facebook", "social", "spring", "s2"),
		touch("n", 0, "newsletter", "email", "march", "s3"),
	}
	const amount = 99701
	for _, model := range Models {
		t.Run(string(model), func(t *testing.T) {
			shares := Credit(model, path, conversionAt)
			weights := make([]float64, len(shares))
			for i, s := range shares {
				weights[i] = s.Weight
			}
			purchase := Allocate(amount, weights)
			refund := Allocate(-amount, weights)
			checkAllocation(t, amount, weights, purchase)
			checkAllocation(t, -amount, weights, refund)
			for i := range shares {
				if purchase[i]+refund[i] != 0 {
					t.Errorf("%s: purchase %d + refund %d = %d, want 0", shares[i].EventID, purchase[i], refund[i],
						purchase[i]+refund[i])
				}
			}
			if model == Linear {
				if len(purchase) != 3 {
					t.Fatalf("LINEAR over 3 touches gave %d parts", len(purchase))
				}
				for i, p := range purchase {
					if p != 33233 && p != 33234 {
						t.Errorf("LINEAR part %d = %d, want 33233 or 33234", i, p)
					}
				}
			}
		})
	}
}

// TestAllocateRandom is a property check over random amounts and weight vectors (some weights zero).
func TestAllocateRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(20250310, 99701))
	for range 20000 {
		n := 1 + r.IntN(10)
		weights := make([]float64, n)
		var total float64
		for i := range weights {
			if r.IntN(4) > 0 {
				weights[i] = r.Float64()
				total += weights[i]
			}
		}
		if total == 0 {
			weights[r.IntN(n)], total = 1, 1
		}
		for i := range weights {
			weights[i] /= total
		}
		var amount int64
		switch r.IntN(3) {
		case 0:
			amount = r.Int64N(201) - 100
		case 1:
			amount = r.Int64N(2_000_001) - 1_000_000
		default:
			amount = r.Int64N(2_000_000_000_001) - 1_000_000_000_000
		}
		parts := Allocate(amount, weights)
		checkAllocation(t, amount, weights, parts)
		if t.Failed() {
			t.FailNow()
		}
	}
}

// TestAllocateHugeAmounts: beyond 2^53 float64(amount) is inexact and may round up, so the truncated parts can
// overshoot the amount; Allocate must still terminate with parts summing to amount.
func TestAllocateHugeAmounts(t *testing.T) {
	cases := []struct {
		amount  int64
		weights []float64
	}{
		{1<<53 + 3, []float64{1}},
		{1<<53 + 3, []float64{0.5, 0.5}},
		{-(1<<53 + 3), []float64{1}},
		{math.MaxInt64, []float64{1}},
	}
	type result struct {
		i     int
		parts []int64
	}
	done := make(chan result, len(cases))
	for i, tc := range cases {
		go func() { done <- result{i, Allocate(tc.amount, tc.weights)} }()
	}
	timeout := time.After(5 * time.Second)
	finished := make([]bool, len(cases))
	for range cases {
		select {
		case r := <-done:
			finished[r.i] = true
			tc := cases[r.i]
			if s := sumParts(r.parts); s != tc.amount || len(r.parts) != len(tc.weights) {
				t.Errorf("Allocate(%d, %v) = %v, sum %d", tc.amount, tc.weights, r.parts, s)
			}
		case <-timeout:
			for i, tc := range cases {
				if !finished[i] {
					t.Errorf("Allocate(%d, %v) did not return within 5s", tc.amount, tc.weights)
				}
			}
			return
		}
	}
}

// maxFuzzAmount bounds the fuzzed amounts to where float64 carries them exactly (and far beyond any real money
// amount in minor units); see TestAllocateHugeAmounts for larger ones.
const maxFuzzAmount = 1 << 50

func FuzzAllocate(f *testing.F) {
	f.Add(int64(99700), 0.5, 0.5, 0.0, 0.0, uint8(2))
	f.Add(int64(-99700), 0.5, 0.5, 0.0, 0.0, uint8(2))
	f.Add(int64(100), 1.0, 1.0, 1.0, 0.0, uint8(3))
	f.Add(int64(99701), 1.0, 2.0, 4.0, 0.0, uint8(3))
	f.Add(int64(1000), 0.4, 0.1, 0.1, 0.4, uint8(4))
	f.Add(int64(-1), 0.0, 3.0, 0.0, 7.0, uint8(4))
	f.Add(int64(1), 1e-300, 1.0, 0.0, 0.0, uint8(2))
	f.Add(int64(0), 1.0, 0.0, 0.0, 0.0, uint8(1))
	f.Add(int64(maxFuzzAmount-1), 1.0, 1.0, 1.0, 1.0, uint8(4))
	f.Fuzz(func(t *testing.T, amount int64, a, b, c, d float64, n uint8) {
		amount %= maxFuzzAmount
		raw := []float64{a, b, c, d}[:1+int(n)%4]
		var total float64
		for i, w := range raw {
			if math.IsNaN(w) || math.IsInf(w, 0) {
				t.Skip()
			}
			raw[i] = math.Abs(w)
			total += raw[i]
		}
		if total == 0 || math.IsInf(total, 0) {
			t.Skip()
		}
		weights := make([]float64, len(raw))
		for i, w := range raw {
			weights[i] = w / total
		}
		parts := Allocate(amount, weights)
		if len(parts) != len(weights) {
			t.Fatalf("Allocate(%d, %v) = %v: wrong length", amount, weights, parts)
		}
		if s := sumParts(parts); s != amount {
			t.Fatalf("Allocate(%d, %v) = %v: parts sum to %d", amount, weights, parts, s)
		}
		for i, p := range parts {
			if exact := float64(amount) * weights[i]; math.Abs(float64(p)-exact) > 1 {
				t.Fatalf("Allocate(%d, %v) = %v: part %d more than 1 from %f", amount, weights, parts, i, exact)
			}
		}
	})
}
