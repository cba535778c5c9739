package content_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/content"
	"github.com/marketingos/marketingos/internal/content/anthropicfake"
)

const testKey = "sk-ant-test"

var product = content.Product{
	Name:           "Ledgerly",
	Description:    "Bookkeeping software that reconciles bank feeds as transactions arrive.",
	TargetAudience: "freelance accountants",
	USP:            "Close the month in one day instead of five",
	URL:            "https://ledgerly.example",
	Features:       []string{"Automatic bank reconciliation", "Receipt capture by e-mail", "One-click VAT report"},
	Pricing:        map[string]any{"monthly": 29, "yearly": 290, "currency": "EUR"},
}

func newFakeGenerator(t *testing.T, opts ...content.Option) (*anthropicfake.Server, content.Generator) {
	t.Helper()
	fake := anthropicfake.New(testKey)
	t.Cleanup(fake.Close)
	cfg := config.Anthropic{APIKey: testKey, Model: "claude-test-model", BaseURL: fake.URL}
	return fake, content.NewAnthropic(cfg, opts...)
}

func TestAnthropicGenerate(t *testing.T) {
	platforms := []string{content.X, content.LinkedIn}
	valid := anthropicfake.DraftJSON(platforms...)
	tests := []struct {
		name     string
		replies  []anthropicfake.Reply
		wantErr  error
		wantReqs int
		check    func(t *testing.T, d content.Draft, err error)
	}{
		{
			name:     "success",
			replies:  []anthropicfake.Reply{anthropicfake.Success(valid)},
			wantReqs: 1,
			check: func(t *testing.T, d content.Draft, _ error) {
				if d.Generator != content.GeneratorAnthropic || d.Model != "claude-test-model" {
					t.Errorf("generator/model = %q/%q", d.Generator, d.Model)
				}
				if d.Kind != "tip" || d.Title == "" || d.Hook == "" {
					t.Errorf("kind/title/hook = %q/%q/%q", d.Kind, d.Title, d.Hook)
				}
				if len(d.Variants) != 2 || d.Variants[0].Platform != content.X || d.Variants[1].Platform != content.LinkedIn {
					t.Fatalf("variants = %+v, want X then LINKEDIN", d.Variants)
				}
				if got := d.Variants[0].Hashtags; len(got) != 2 || got[0] != "Finance" {
					t.Errorf("hashtags = %q", got)
				}
			},
		},
		{
			name: "fenced JSON after prose, hashtags as a string, extra platform dropped",
			replies: []anthropicfake.Reply{anthropicfake.Success("Here is your post:\n```json\n" + `{"title":"T","hook":"H",` +
				`"variants":[{"platform":"x","text":"Try it at https://a.example","hashtags":"#one #two"},` +
				`{"platform":"LinkedIn","text":"Learn more at https://a.example"},{"platform":"TIKTOK","text":"extra"}]}` + "\n```\nEnjoy!")},
			wantReqs: 1,
			check: func(t *testing.T, d content.Draft, _ error) {
				if len(d.Variants) != 2 || d.Variants[0].Platform != content.X {
					t.Fatalf("variants = %+v", d.Variants)
				}
				if got := d.Variants[0].Hashtags; len(got) != 2 || got[0] != "one" || got[1] != "two" {
					t.Errorf("hashtags = %q, want [one two]", got)
				}
			},
		},
		{name: "prose without JSON", replies: []anthropicfake.Reply{anthropicfake.Malformed("Sure! Here are some ideas for your post.")},
			wantErr: content.ErrMalformedOutput, wantReqs: 1},
		{name: "broken JSON", replies: []anthropicfake.Reply{anthropicfake.Malformed(`{"title": "x", "variants": [{"platform": "X"`)},
			wantErr: content.ErrMalformedOutput, wantReqs: 1},
		{name: "missing platform", replies: []anthropicfake.Reply{anthropicfake.Success(anthropicfake.DraftJSON(content.X))},
			wantErr: content.ErrMalformedOutput, wantReqs: 1,
			check: func(t *testing.T, _ content.Draft, err error) {
				if !strings.Contains(err.Error(), "missing variant for LINKEDIN") {
					t.Errorf("err = %v, want it to name LINKEDIN", err)
				}
			}},
		{name: "empty text", replies: []anthropicfake.Reply{anthropicfake.Success(`{"title":"t","variants":[{"platform":"X","text":" "},{"platform":"LINKEDIN","text":"ok"}]}`)},
			wantErr: content.ErrMalformedOutput, wantReqs: 1},
		{name: "429 then success", replies: []anthropicfake.Reply{anthropicfake.RateLimited("0"), anthropicfake.Success(valid)},
			wantReqs: 2},
		{name: "429 until retries run out", wantErr: content.ErrRateLimited, wantReqs: 3,
			replies: []anthropicfake.Reply{anthropicfake.RateLimited("0"), anthropicfake.RateLimited("0"), anthropicfake.RateLimited("0")},
			check: func(t *testing.T, _ content.Draft, err error) {
				var apiErr *anthropic.Error
				if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
					t.Errorf("err = %v, want it to wrap the SDK's *anthropic.Error 429", err)
				}
				if !strings.Contains(err.Error(), "rate limited") || !strings.Contains(err.Error(), "after 3 attempts") {
					t.Errorf("err = %q, want it to say rate limited after 3 attempts", err)
				}
			}},
		{name: "529 then success", replies: []anthropicfake.Reply{anthropicfake.Overloaded(), anthropicfake.Success(valid)},
			wantReqs: 2},
		{name: "529 until retries run out", wantErr: content.ErrOverloaded, wantReqs: 3,
			replies: []anthropicfake.Reply{anthropicfake.Overloaded(), anthropicfake.Overloaded(), anthropicfake.Overloaded()},
			check: func(t *testing.T, _ content.Draft, err error) {
				var e *content.APIError
				if !errors.As(err, &e) || !e.Temporary() || e.StatusCode != 529 || e.Code != "overloaded_error" {
					t.Errorf("err = %#v, want a temporary 529 overloaded_error", err)
				}
			}},
		{name: "spend limit is not retried", replies: []anthropicfake.Reply{anthropicfake.SpendLimit(), anthropicfake.Success(valid)},
			wantErr: content.ErrSpendLimit, wantReqs: 1},
		{name: "retry-after beyond the allowed wait is not waited for", wantErr: content.ErrRateLimited, wantReqs: 1,
			replies: []anthropicfake.Reply{anthropicfake.RateLimited("120"), anthropicfake.Success(valid)},
			check: func(t *testing.T, _ content.Draft, err error) {
				var e *content.APIError
				if !errors.As(err, &e) || e.RetryAfter != 120*time.Second {
					t.Errorf("err = %v, want RetryAfter 120s", err)
				}
			}},
		{name: "server errors", wantErr: content.ErrUnavailable, wantReqs: 3,
			replies: []anthropicfake.Reply{anthropicfake.ServerError(), anthropicfake.ServerError(), anthropicfake.ServerError()}},
		{name: "refusal", wantErr: content.ErrMalformedOutput, wantReqs: 1,
			replies: []anthropicfake.Reply{{Text: "I can't write that.", StopReason: "refusal"}}},
		{name: "cut at max_tokens", wantErr: content.ErrMalformedOutput, wantReqs: 1,
			replies: []anthropicfake.Reply{{Text: valid[:len(valid)/2], StopReason: "max_tokens"}},
			check: func(t *testing.T, _ content.Draft, err error) {
				if !strings.Contains(err.Error(), "max_tokens") {
					t.Errorf("err = %v, want it to mention max_tokens", err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, gen := newFakeGenerator(t)
			fake.SetDefault(anthropicfake.ServerError()) // an unscripted call fails the test visibly
			fake.Enqueue(tt.replies...)
			start := time.Now()
			d, err := gen.Generate(context.Background(), content.Request{Product: product, Kind: "tip", Platforms: platforms})
			if elapsed := time.Since(start); elapsed > 3*time.Second {
				t.Errorf("Generate took %s; retries must not sleep in tests", elapsed)
			}
			if tt.wantErr == nil && err != nil {
				t.Fatalf("Generate: %v", err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got := len(fake.Requests()); got != tt.wantReqs {
				t.Errorf("requests = %d, want %d", got, tt.wantReqs)
			}
			if tt.check != nil {
				tt.check(t, d, err)
			}
		})
	}
}

func TestAnthropicRetryCountHeader(t *testing.T) {
	fake, gen := newFakeGenerator(t)
	fake.Enqueue(anthropicfake.RateLimited("0"), anthropicfake.Success(anthropicfake.DraftJSON()))
	if _, err := gen.Generate(context.Background(), content.Request{Product: product}); err != nil {
		t.Fatal(err)
	}
	reqs := fake.Requests()
	if len(reqs) != 2 {
		t.Fatalf("requests = %d, want 2", len(reqs))
	}
	for i, r := range reqs {
		if got := r.Header.Get("X-Stainless-Retry-Count"); got != []string{"0", "1"}[i] {
			t.Errorf("request %d retry count = %q", i, got)
		}
	}
}

func TestAnthropicTimeout(t *testing.T) {
	fake, gen := newFakeGenerator(t, content.WithTimeout(200*time.Millisecond))
	fake.Enqueue(anthropicfake.Slow(10*time.Second, anthropicfake.DraftJSON()))
	start := time.Now()
	_, err := gen.Generate(context.Background(), content.Request{Product: product})
	if !errors.Is(err, content.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("Generate took %s, want about the 200ms timeout", elapsed)
	}
}

func TestAnthropicUnauthorized(t *testing.T) {
	fake := anthropicfake.New(testKey)
	defer fake.Close()
	gen := content.NewAnthropic(config.Anthropic{APIKey: "wrong", BaseURL: fake.URL})
	_, err := gen.Generate(context.Background(), content.Request{Product: product})
	if !errors.Is(err, content.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("err = %q leaks the API key", err)
	}
}

func TestAnthropicPrompt(t *testing.T) {
	fake, gen := newFakeGenerator(t, content.WithMaxTokens(1500))
	recent := []string{"Reconciling by hand costs you two days a month.", "Meet the team behind Ledgerly's VAT report."}
	d, err := gen.Generate(context.Background(), content.Request{Product: product, Recent: recent})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Variants) != len(content.Platforms) {
		t.Errorf("variants = %d, want one per platform when none is asked for", len(d.Variants))
	}
	req := fake.Requests()[0]
	if req.Model != "claude-test-model" || req.MaxTokens != 1500 {
		t.Errorf("model/max_tokens = %q/%d", req.Model, req.MaxTokens)
	}
	if req.APIKey() != testKey || !slices.Contains(anthropicfake.APIVersions, req.Header.Get("anthropic-version")) {
		t.Errorf("headers = %v", req.Header)
	}
	if !strings.Contains(req.System, `"variants"`) {
		t.Errorf("system prompt does not describe the JSON shape: %q", req.System)
	}
	prompt := req.Prompt()
	want := []string{product.Name, product.Description, product.TargetAudience, product.USP, product.URL,
		`"currency":"EUR"`, `"monthly":29`, recent[0], recent[1], "Kind of post", d.Kind}
	want = append(want, product.Features...)
	want = append(want, content.Platforms...)
	for _, w := range want {
		if !strings.Contains(prompt, w) {
			t.Errorf("prompt lacks %q:\n%s", w, prompt)
		}
	}
	// Two recent posts: the rotation picks the third kind.
	if d.Kind != content.Kinds[2] {
		t.Errorf("kind = %q, want %q", d.Kind, content.Kinds[2])
	}
}

func TestNewGenerator(t *testing.T) {
	d, err := content.NewGenerator(config.Anthropic{}).Generate(context.Background(), content.Request{Product: product})
	if err != nil || d.Generator != content.GeneratorTemplate {
		t.Fatalf("without a key: generator %q, err %v; want the template", d.Generator, err)
	}
	fake := anthropicfake.New(testKey)
	defer fake.Close()
	d, err = content.NewGenerator(config.Anthropic{APIKey: testKey, BaseURL: fake.URL}).Generate(context.Background(), content.Request{Product: product})
	if err != nil || d.Generator != content.GeneratorAnthropic || d.Model != content.DefaultModel {
		t.Fatalf("with a key: generator %q model %q, err %v", d.Generator, d.Model, err)
	}
}
