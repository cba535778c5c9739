package tracking

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// The byte-by-byte validators must accept exactly what the documented patterns accept.
func TestValidatorsMatchTheirPatterns(t *testing.T) {
	cases := []struct {
		name    string
		pattern *regexp.Regexp
		valid   func(string) bool
	}{
		{"eventType", regexp.MustCompile(`^[a-z0-9][a-z0-9_.:-]*$`), validEventType},
		{"visitorId", regexp.MustCompile(`^[A-Za-z0-9._:-]+$`), validVisitorID},
		{"currency", regexp.MustCompile(`^[A-Za-z]{3}$`), validCurrency},
	}
	// An alphabet around every boundary of the classes: neighbours of digits and letters, the punctuation that is
	// allowed and some that is not, a space, a NUL and multi-byte runes.
	alphabet := []rune("09azAZ/:@[`{_.-+ \x00é€😀")
	rng := rand.New(rand.NewPCG(1, 2))
	inputs := []string{"", "a", "0", "_", "page_view", "Page_view", "vis-01.a:b", "usd", "USD", "US", "USDX"}
	for range 20000 {
		r := make([]rune, rng.IntN(5))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		inputs = append(inputs, string(r))
	}
	for _, c := range cases {
		for _, in := range inputs {
			if got, want := c.valid(in), c.pattern.MatchString(in); got != want {
				t.Fatalf("%s %q: valid = %v, pattern says %v", c.name, in, got, want)
			}
		}
	}
}
