package tracking

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/marketingos/marketingos/internal/validation"
)

// The fuzz targets check the promises of the input layer, whatever the bytes: no panic; an accepted input respects
// every bound the database and the rest of the service rely on; a refused input is refused with an error the HTTP
// edge knows how to answer (ErrTooLarge or a *validation.Error), never with something that would become a 5xx.
//
// Run them with `make fuzz` (FUZZTIME, default 30s each); `go test` runs their seed corpus.

// Patterns of the bounds, written out again here so that a change to the production patterns must be deliberate.
var (
	boundEventType = regexp.MustCompile(`^[a-z0-9][a-z0-9_.:-]*$`)
	boundVisitorID = regexp.MustCompile(`^[A-Za-z0-9._:-]+$`)
	boundCurrency  = regexp.MustCompile(`^[A-Z]{3}$`)
)

func pixelFuzzSeeds() []string {
	long := func(n int) string { return strings.Repeat("a", n) }
	return []string{
		// Valid hits, as landing pages send them.
		"k=mos_pk_abcdefghijklmnopqrstuvwx",
		"k=mos_pk_abc&utm_source=google&utm_medium=cpc&utm_campaign=spring_sale&utm_term=running+shoes&utm_content=ad1&vid=v_123",
		"k=k&gclid=EAIaIQobChMI&url=https%3A%2F%2Fshop.example%2Fp%3Fx%3D1",
		"k=k&fbclid=IwAR0abc&ref=https%3A%2F%2Fl.facebook.com%2F",
		"k=k&utm_source=%00&url=https%3A%2F%2Fa.example%2F%3Futm_source%3D%2500", "k=k&url=https%3A%2F%2Fa.example%2F%3Futm_campaign%3Dx%2500y",
		"k=k&vid=3b0af814660fe7d8&sid=879e087f74b2fc8d&msclkid=m1&ttclid=t1&li_fat_id=l1&cl=1",
		"k=k&e=signup&url=https://ex.com/?utm_source=News&utm_medium=Email&ref=https://www.google.de/search",
		"k=k&url=https%3A%2F%2Fex.com%2F%3Futm_source%3DNewsletter%26utm_medium%3DEmail%26gclid%3Dabc&ref=https%3A%2F%2Fbing.com%2F",
		"k=k&ref=https%3A%2F%2Fex.com%2Fa&url=https%3A%2F%2Fwww.ex.com%2Fb", // internal navigation
		"k=k&ref=https%3A%2F%2Fnews.ycombinator.com%2Fitem&vid=visitor.1:2-3",
		"k=k&ref=android-app%3A%2F%2Fcom.google.android.gm%2F",
		"k=k&e=Page_View&vid=ABC",
		"k=k&e=%20click%20",
		"k=k&e=purchase",
		"k=k&e=custom.event:v2-x",
		"k=k&e=%E2%84%AA", // KELVIN SIGN lowercases to ASCII k
		"k=k&utm_source=%C3%89T%C3%89&utm_medium=Soci%C3%A1l",
		// Odd and broken encodings.
		"",
		"&&&",
		"k",
		"k=a+b&k=second",
		"k=%",
		"k=%zz",
		"k=%e2%82",
		"k=a;b",
		"%00=%00",
		"k=%00&e=%00",
		"utm_source=%ff",
		"k=k&utm_source=a%ffb",
		"k=k&url=%ff",
		"k=k&url=https%3A%2F%2Fx%2F%3Futm_source%3Da%26utm_term%3D%25ff",
		"k=k&url=http://[::1",
		"k=k&ref=http://%zz",
		"k=k&vid=..%2F..",
		"k=k&vid=" + long(MaxVisitorIDLen),
		"k=k&vid=" + long(MaxVisitorIDLen+1),
		"k=k&e=" + long(MaxEventTypeLen),
		"k=k&e=" + long(MaxEventTypeLen+1),
		"k=k&utm_source=" + long(MaxFieldLen),
		"k=k&utm_source=" + long(MaxFieldLen+1),
		"k=k&utm_source=" + strings.Repeat("%C8%BA", MaxFieldLen/2), // Ⱥ: 2 bytes, lowercases to 3
		"k=k&url=https://ex.com/" + long(MaxURLLen-len("https://ex.com/")),
		"k=k&url=" + long(MaxURLLen+1),
		"k=k&url=https%3A%2F%2Fex.com%2F%3Futm_source%3D" + long(MaxFieldLen+100),
		"k=k&ref=https%3A%2F%2F" + strings.Repeat("b", 60) + "." + strings.Repeat("c", 60) + "." + strings.Repeat("d", 60) + "." + strings.Repeat("e", 60) + ".com%2F",
		// Size bound.
		long(MaxQueryBytes),
		long(MaxQueryBytes + 1),
		strings.Repeat("a=1&", MaxQueryBytes/4),
	}
}

func eventFuzzSeeds() []string {
	long := func(n int) string { return strings.Repeat("a", n) }
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	manyKeys := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"k%d":%d`, i, i)
		}
		return "{" + b.String() + "}"
	}
	return []string{
		// Valid events.
		`{"key":"mos_pk_x","eventType":"page_view","url":"https://ex.com/?utm_source=x","referrer":"https://google.com/"}`,
		`{"key":"mos_pk_x","eventType":"signup","visitorId":"v1","sessionId":"s1","userId":"u@example.com","value":19.99,` +
			`"currency":"usd","source":"Newsletter","medium":"Email","campaign":"Spring","term":"t","content":"c",` +
			`"gclid":"g","fbclid":"f","url":"https://ex.com/","referrer":"","metadata":{"plan":"pro","n":1,"tags":["a","b"],"x":null},` +
			`"idempotencyKey":"order-1"}`,
		// What the tracker script sends.
		`{"key":"mos_pk_x","eventType":"page_view","url":"https://ex.com/?msclkid=m","referrer":"","title":"Pricing — Acme",` +
			`"screen":"1440x900","language":"de-DE","visitorId":"3b0af814660fe7d8","sessionId":"879e087f74b2fc8d","source":"google",` +
			`"msclkid":"m","ttclid":"t","liFatId":"l"}`,
		`{"key":"mos_pk_x","eventType":"signup","cookieless":true,"userId":"user_42"}`,
		`{"eventType":"purchase","userId":"u1","value":0}`,
		// Poison: NUL in a field, in metadata keys and values; a lone surrogate.
		`{"eventType":"x","source":"a\u0000b"}`, `{"eventType":"x","metadata":{"a\u0000":1}}`,
		`{"eventType":"x","metadata":{"a":["ok","\u0000"]}}`, `{"eventType":"x","userId":"\ud800"}`,
		`{"eventType":"x","value":1e12}`,
		`{"eventType":"x","value":-0}`,
		`{"eventType":"x","metadata":{}}`,
		`{"eventType":"x","metadata":null,"value":null}`,
		"{\"eventType\":\"x\"}\n",
		" \t\r\n{\"eventType\":\"x\"} \n",
		`{"EVENTTYPE":"X","Key":"k"}`,
		`{"eventType":"a","eventType":"b"}`,
		// Unknown fields and wrong types.
		`{"eventType":"x","unknown":1}`,
		`{"eventType":"x","metadata":{"a":1},"extra":{}}`,
		`{"key":1}`,
		`{"eventType":["x"]}`,
		`{"eventType":"x","value":"12"}`,
		`{"eventType":"x","value":"NaN"}`,
		`{"eventType":"x","value":"Infinity"}`,
		`{"eventType":"x","value":NaN}`,
		`{"eventType":"x","value":1e400}`,
		`{"eventType":"x","value":-1e400}`,
		`{"eventType":"x","value":123456789012345678901234567890}`,
		`{"eventType":"x","value":1.0000001e12}`,
		`{"eventType":"x","value":-1}`,
		`{"eventType":"x","value":-1e-300}`,
		`{"eventType":"x","value":5e-324}`,
		`{"eventType":"x","metadata":[1,2]}`,
		`{"eventType":"x","metadata":"str"}`,
		`{"eventType":"x","currency":"us"}`,
		`{"eventType":"x","currency":"€€€"}`,
		// Deep nesting and big metadata.
		`{"eventType":"x","metadata":{"a":` + deep(10) + `}}`,
		`{"eventType":"x","metadata":{"a":` + deep(1500) + `}}`,
		`{"eventType":"x","metadata":{"a":` + deep(MaxBodyBytes/2-30) + `}}`,
		`{"eventType":"x","metadata":` + manyKeys(MaxMetadataKeys) + `}`,
		`{"eventType":"x","metadata":` + manyKeys(MaxMetadataKeys+1) + `}`,
		`{"eventType":"x","metadata":{"a":"` + long(MaxMetadataBytes) + `"}}`,
		`{"eventType":"x","metadata":{"a":"\u003c\u003e\u0026` + strings.Repeat("<", MaxMetadataBytes/6) + `"}}`,
		// Text: invalid UTF-8, escapes, surrogates.
		"{\"eventType\":\"x\",\"source\":\"\xff\xfe\"}",
		"{\"eventType\":\"x\",\"url\":\"https://ex.com/\xc3\"}",
		`{"eventType":"x","source":"\ud800"}`,
		`{"eventType":"x","source":"\u0000"}`,
		`{"eventType":"x","source":"` + strings.Repeat(`\u023a`, MaxFieldLen/2) + `"}`,
		`{"eventType":"x","url":"https://ex.com/?utm_source=` + long(MaxFieldLen+1) + `"}`,
		`{"eventType":"x","url":"https://ex.com/?utm_term=%ff&utm_source=a"}`,
		`{"eventType":"x","referrer":"https://` + long(250) + `.com/"}`,
		// Trailing data and framing.
		`{"eventType":"x"} {"eventType":"y"}`,
		`{"eventType":"x"}garbage`,
		`{"eventType":"x"}}`,
		`{"eventType":"x"}]`,
		"\xef\xbb\xbf{\"eventType\":\"x\"}",
		`{"eventType":"x"`,
		``,
		`null`,
		`[]`,
		`"page_view"`,
		`{}`,
		// text/plain bodies that are not JSON (sendBeacon with a form-encoded string).
		`eventType=page_view&key=mos_pk_x`,
		`key=mos_pk_x`,
		// Size bound.
		`{"eventType":"x","url":"` + long(MaxBodyBytes) + `"}`,
		`{"eventType":"x"}` + strings.Repeat(" ", MaxBodyBytes-len(`{"eventType":"x"}`)),
		`{"eventType":"x"}` + strings.Repeat(" ", MaxBodyBytes+1-len(`{"eventType":"x"}`)),
		maxSizeValidBody(),
	}
}

// maxSizeValidBody is an event that fills every bounded field and is padded to exactly MaxBodyBytes.
func maxSizeValidBody() string {
	field := strings.Repeat("f", MaxFieldLen)
	meta := map[string]any{}
	for i := range MaxMetadataKeys {
		meta[fmt.Sprintf("key%02d", i)] = strings.Repeat("m", 60)
	}
	v := 999999999999.99
	in := Input{
		Key: field, EventType: strings.Repeat("e", MaxEventTypeLen), VisitorID: strings.Repeat("v", MaxVisitorIDLen),
		SessionID: strings.Repeat("s", MaxVisitorIDLen), UserID: field, Value: &v, Currency: "EUR",
		Source: field, Medium: field, Campaign: field, Term: field, Content: field, GCLID: field, FBCLID: field,
		Referrer: "https://ref.example/" + strings.Repeat("r", MaxURLLen-len("https://ref.example/")),
		URL:      "https://ex.com/?utm_source=x&" + strings.Repeat("u", MaxURLLen-len("https://ex.com/?utm_source=x&")),
		Metadata: meta, IdempotencyKey: field,
	}
	b, err := json.Marshal(in)
	if err != nil || len(b) > MaxBodyBytes {
		panic(fmt.Sprintf("maxSizeValidBody: %d bytes, %v", len(b), err))
	}
	return string(b) + strings.Repeat(" ", MaxBodyBytes-len(b))
}

func FuzzParsePixel(f *testing.F) {
	for _, s := range pixelFuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rawQuery string) {
		checkParsePixel(t, rawQuery)
		in, err := ParsePixel(rawQuery)
		if err != nil {
			assertRefusedAsBadInput(t, err)
			return
		}
		if len(rawQuery) > MaxQueryBytes {
			t.Fatalf("accepted a query of %d bytes, bound is %d", len(rawQuery), MaxQueryBytes)
		}
		if in.Value != nil || in.Metadata != nil || in.Currency != "" || in.UserID != "" || in.Title != "" {
			t.Fatalf("the pixel has no value, metadata, currency, user or title; got %+v", in)
		}
		assertWithinBounds(t, in)
	})
}

func FuzzDecodeEvent(f *testing.F) {
	for _, s := range eventFuzzSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := DecodeEvent(bytes.NewReader(body))
		if err != nil {
			assertRefusedAsBadInput(t, err)
			return
		}
		if len(body) > MaxBodyBytes {
			t.Fatalf("accepted a body of %d bytes, bound is %d", len(body), MaxBodyBytes)
		}
		if !json.Valid(body) {
			t.Fatalf("accepted a body that is not exactly one JSON value: %q", clipForLog(body))
		}
		assertWithinBounds(t, in)
	})
}

// assertRefusedAsBadInput asserts that a refusal is one the HTTP edge answers as bad input (4xx, or a dropped pixel hit).
func assertRefusedAsBadInput(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrTooLarge) && !errors.As(err, new(*validation.Error)) {
		t.Fatalf("refused with %T %v; want ErrTooLarge or a *validation.Error", err, err)
	}
}

// assertWithinBounds asserts every bound of an accepted input, and of the channel Classify derives from it (which is
// stored in columns of at most MaxFieldLen bytes).
func assertWithinBounds(t *testing.T, in Input) {
	t.Helper()
	if len(in.EventType) == 0 || len(in.EventType) > MaxEventTypeLen || !boundEventType.MatchString(in.EventType) {
		t.Fatalf("eventType %q breaks its bound", in.EventType)
	}
	for name, id := range map[string]string{"visitorId": in.VisitorID, "sessionId": in.SessionID} {
		if id != "" && (len(id) > MaxVisitorIDLen || !boundVisitorID.MatchString(id)) {
			t.Fatalf("%s %q breaks its bound", name, id)
		}
	}
	if in.Currency != "" && !boundCurrency.MatchString(in.Currency) {
		t.Fatalf("currency %q is not three upper-case letters", in.Currency)
	}
	if v := in.Value; v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0) || *v < 0 || *v > 1e12) {
		t.Fatalf("value %v is not a non-negative finite amount", *v)
	}
	for name, v := range map[string]string{
		"key": in.Key, "userId": in.UserID, "source": in.Source, "medium": in.Medium, "campaign": in.Campaign,
		"term": in.Term, "content": in.Content, "gclid": in.GCLID, "fbclid": in.FBCLID, "idempotencyKey": in.IdempotencyKey,
		"msclkid": in.MSCLKID, "ttclid": in.TTCLID, "liFatId": in.LiFatID,
	} {
		assertBoundedText(t, name, v, MaxFieldLen)
	}
	assertBoundedText(t, "url", in.URL, MaxURLLen)
	assertBoundedText(t, "referrer", in.Referrer, MaxURLLen)
	assertBoundedText(t, "title", in.Title, MaxTitleLen)
	assertBoundedText(t, "screen", in.Screen, MaxScreenLen)
	assertBoundedText(t, "language", in.Language, MaxLanguageLen)
	if len(in.Metadata) > MaxMetadataKeys {
		t.Fatalf("metadata has %d keys, bound is %d", len(in.Metadata), MaxMetadataKeys)
	}
	if in.Metadata != nil {
		b, err := json.Marshal(in.Metadata)
		if err != nil || len(b) > MaxMetadataBytes {
			t.Fatalf("metadata encodes to %d bytes (%v), bound is %d", len(b), err, MaxMetadataBytes)
		}
		if bytes.Contains(b, []byte(`\u0000`)) { // jsonb refuses it
			t.Fatalf("metadata holds a NUL: %s", clipForLog(b))
		}
	}

	ch := Classify(in)
	for name, v := range map[string]string{"source": ch.Source, "medium": ch.Medium} {
		if v != strings.ToLower(v) {
			t.Fatalf("Classify returned %s %q, not lower case", name, v)
		}
	}
	for name, v := range map[string]string{
		"source": ch.Source, "medium": ch.Medium, "campaign": ch.Campaign, "term": ch.Term, "content": ch.Content,
	} {
		assertBoundedText(t, "Classify → "+name, v, MaxFieldLen)
	}
}

func assertBoundedText(t *testing.T, name, v string, maxLen int) {
	t.Helper()
	if len(v) > maxLen {
		t.Fatalf("%s is %d bytes, bound is %d: %q", name, len(v), maxLen, clipForLog([]byte(v)))
	}
	if !utf8.ValidString(v) {
		t.Fatalf("%s is not valid UTF-8: %q", name, clipForLog([]byte(v)))
	}
	if strings.ContainsRune(v, 0) { // PostgreSQL refuses NUL in text: one would fail the whole group commit
		t.Fatalf("%s holds a NUL: %q", name, clipForLog([]byte(v)))
	}
}

func clipForLog(b []byte) string {
	if len(b) > 120 {
		return string(b[:120]) + "…"
	}
	return string(b)
}

// endlessBody yields the same byte forever and counts what it handed out.
type endlessBody struct {
	b    byte
	read int64
}

func (r *endlessBody) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.b
	}
	r.read += int64(len(p))
	return len(p), nil
}

// oneByteBody hands out one byte per Read, as a slow client does.
type oneByteBody struct{ r io.Reader }

func (r oneByteBody) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return r.r.Read(p[:1])
}

func TestDecodeEventStopsReadingAtTheBound(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    byte
	}{{"open braces", '{'}, {"spaces", ' '}, {"open brackets", '['}, {"digits", '7'}} {
		t.Run(tc.name, func(t *testing.T) {
			src := &endlessBody{b: tc.b}
			_, err := DecodeEvent(src)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("DecodeEvent(endless %q) = %v, want ErrTooLarge", tc.b, err)
			}
			if src.read > MaxBodyBytes+1 {
				t.Fatalf("DecodeEvent read %d bytes of an endless body, want at most %d", src.read, MaxBodyBytes+1)
			}
		})
	}
	t.Run("one byte at a time", func(t *testing.T) {
		src := &endlessBody{b: ' '}
		_, err := DecodeEvent(oneByteBody{src})
		if !errors.Is(err, ErrTooLarge) || src.read > MaxBodyBytes+1 {
			t.Fatalf("DecodeEvent = %v after reading %d bytes; want ErrTooLarge after at most %d", err, src.read, MaxBodyBytes+1)
		}
	})
}

func TestParsePixelRefusesOversizeQueries(t *testing.T) {
	valid := "k=mos_pk_x&utm_source=google&url=https%3A%2F%2Fex.com%2F"
	for _, n := range []int{MaxQueryBytes + 1, 2 * MaxQueryBytes, 1 << 20} {
		q := valid + "&pad=" + strings.Repeat("a", n-len(valid)-len("&pad="))
		if _, err := ParsePixel(q); !errors.Is(err, ErrTooLarge) {
			t.Errorf("ParsePixel(%d bytes) = %v, want ErrTooLarge", len(q), err)
		}
	}
	q := valid + "&pad=" + strings.Repeat("a", MaxQueryBytes-len(valid)-len("&pad="))
	if _, err := ParsePixel(q); err != nil {
		t.Errorf("ParsePixel(exactly %d bytes) = %v, want it accepted", len(q), err)
	}
}

// maxHeapPerCall bounds the heap one call may allocate on inputs at the size bound: parsing must cost memory in
// proportion to the bounded input, not to what the input claims. A valid event at the bound costs about 100 KiB;
// the worst shape is metadata nested ~8000 deep (each level is a []any and a step of the scanner), about 1.2 MiB,
// hence 128 bytes per byte of body.
const maxHeapPerCall = 128 * MaxBodyBytes

func TestInputAllocationIsBounded(t *testing.T) {
	many := func(n int, item string) string { return strings.TrimSuffix(strings.Repeat(item+",", n), ",") }
	pad := func(s string, size int) string { return s + strings.Repeat(" ", size-len(s)) }
	fill := func(prefix, item, suffix string, size int) string {
		n := (size - len(prefix) - len(suffix) + 1) / (len(item) + 1)
		return pad(prefix+many(n, item)+suffix, size)
	}
	n := (MaxBodyBytes - 40) / 2
	deep := strings.Repeat("[", n) + strings.Repeat("]", n)
	bodies := map[string]string{
		"max valid event":    maxSizeValidBody(),
		"deep nesting":       pad(`{"eventType":"x","metadata":{"a":`+deep+"}}", MaxBodyBytes),
		"many metadata keys": fill(`{"eventType":"x","metadata":{`, `"k":1`, "}}", MaxBodyBytes),
		"number array":       fill(`{"eventType":"x","metadata":{"a":[`, "1", "]}}", MaxBodyBytes),
		"empty objects":      fill(`{"eventType":"x","metadata":{"a":[`, "{}", "]}}", MaxBodyBytes),
		"escapes":            fill(`{"eventType":"x","metadata":{"a":"`, `\u00e9`, `"}}`, MaxBodyBytes),
		"over the bound":     strings.Repeat(" ", 4*MaxBodyBytes),
	}
	for name, body := range bodies {
		t.Run("DecodeEvent "+name, func(t *testing.T) {
			per := heapBytesPerCall(func() { _, _ = DecodeEvent(strings.NewReader(body)) })
			t.Logf("DecodeEvent on %d bytes: %d bytes allocated per call", len(body), per)
			if per > maxHeapPerCall {
				t.Errorf("DecodeEvent on %d bytes allocated %d bytes per call, bound is %d", len(body), per, maxHeapPerCall)
			}
		})
	}
	queries := map[string]string{
		"many parameters": strings.Repeat("a=1&", MaxQueryBytes/4),
		"percent escapes": "url=" + strings.Repeat("%41", (MaxQueryBytes-4)/3),
		"max valid hit":   "k=k&url=https%3A%2F%2Fex.com%2F%3Futm_source%3Dx&ref=" + url.QueryEscape("https://r.example/"+strings.Repeat("r", MaxURLLen-len("https://r.example/"))),
		"over the bound":  strings.Repeat("a=1&", MaxQueryBytes),
	}
	for name, q := range queries {
		t.Run("ParsePixel "+name, func(t *testing.T) {
			per := heapBytesPerCall(func() { _, _ = ParsePixel(q) })
			t.Logf("ParsePixel on %d bytes: %d bytes allocated per call", len(q), per)
			if per > maxHeapPerCall {
				t.Errorf("ParsePixel on %d bytes allocated %d bytes per call, bound is %d", len(q), per, maxHeapPerCall)
			}
		})
	}
}

// heapBytesPerCall returns the heap bytes fn allocates per call, averaged over several calls.
func heapBytesPerCall(fn func()) uint64 {
	const runs = 20
	fn() // warm up lazily initialised state (regexps, reflection caches)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		fn()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / runs
}
