package tracking

import (
	"math/rand/v2"
	"net/url"
	"reflect"
	"regexp"
	"strings"
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

// parsePixelWithMap is what ParsePixel did before it parsed in one pass: url.ParseQuery, then Get.
func parsePixelWithMap(rawQuery string) (Input, error) {
	if len(rawQuery) > MaxQueryBytes {
		return Input{}, ErrTooLarge
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return Input{}, err
	}
	in := Input{Key: q.Get("k"), EventType: q.Get("e"), VisitorID: q.Get("vid"), Source: q.Get("utm_source"),
		Medium: q.Get("utm_medium"), Campaign: q.Get("utm_campaign"), Term: q.Get("utm_term"),
		Content: q.Get("utm_content"), GCLID: q.Get("gclid"), FBCLID: q.Get("fbclid"), URL: q.Get("url"),
		Referrer: q.Get("ref"), SessionID: q.Get("sid"), MSCLKID: q.Get("msclkid"), TTCLID: q.Get("ttclid"),
		LiFatID: q.Get("li_fat_id"), Cookieless: q.Get("cl") == "1"}
	if in.EventType == "" {
		in.EventType = PageView
	}
	return in, in.check()
}

// checkParsePixel fails when ParsePixel and parsePixelWithMap disagree on rawQuery.
func checkParsePixel(t *testing.T, rawQuery string) {
	t.Helper()
	got, gotErr := ParsePixel(rawQuery)
	want, wantErr := parsePixelWithMap(rawQuery)
	if (gotErr == nil) != (wantErr == nil) || (gotErr == nil && !reflect.DeepEqual(got, want)) {
		t.Fatalf("%q: ParsePixel = %+v, %v; ParseQuery and Get = %+v, %v", rawQuery, got, gotErr, want, wantErr)
	}
}

// ParsePixel must read every query as ParseQuery and Get did: repeated and unknown parameters, escapes good and
// bad, semicolons, empty pairs, keys without values.
func TestParsePixelMatchesParseQuery(t *testing.T) {
	for _, s := range pixelFuzzSeeds() {
		checkParsePixel(t, s)
	}
	words := []string{"k", "e", "vid", "url", "ref", "utm_source", "utm_medium", "utm_campaign", "utm_term",
		"utm_content", "gclid", "fbclid", "sid", "msclkid", "ttclid", "li_fat_id", "cl", "1", "x", "mos_pk_abc", "page_view", "v-1", "a%20b", "a+b", "%zz", "%4", "%41",
		"%6B", "", "é", "=", "&", ";", "https%3A%2F%2Fa.example%2F%3Fq%3D1"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(words[rng.IntN(len(words))])
			if rng.IntN(3) > 0 {
				b.WriteString(words[rng.IntN(len(words))])
			}
		}
		checkParsePixel(t, b.String())
	}
}

// BenchmarkParsePixel compares ParsePixel with ParseQuery and Get on a typical hit's query.
func BenchmarkParsePixel(b *testing.B) {
	q := "e=page_view&k=mos_pk_YnyW5XTs2tH0bqapvWe4u4aq&ref=https%3A%2F%2Fmail.example%2Finbox&url=https%3A%2F%2Flanding.example%2Fpricing%3Futm_source%3Dnewsletter%26utm_medium%3Demail&utm_campaign=spring_sale&utm_medium=email&utm_source=newsletter&vid=bench-001"
	for _, p := range []struct {
		name  string
		parse func(string) (Input, error)
	}{{"OnePass", ParsePixel}, {"ParseQuery", parsePixelWithMap}} {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.parse(q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
