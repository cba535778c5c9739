package ads_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/ads"
)

func TestRetry(t *testing.T) {
	rateLimit := func(d time.Duration) error { return &ads.RateLimitError{Platform: ads.Google, RetryAfter: d} }
	server := &ads.ProviderError{Platform: ads.Facebook, Status: 503, Code: "2", Temporary: true}
	tests := []struct {
		name     string
		retry    ads.Retry
		errs     []error // answers of successive calls; nil = success
		calls    int
		sleeps   []time.Duration    // exact waits
		bounds   [][2]time.Duration // or bounds of jittered waits
		wantErr  error
		wantKind func(error) bool
	}{
		{name: "success at once", errs: []error{nil}, calls: 1},
		{
			name: "provider delay honoured", errs: []error{rateLimit(2 * time.Second), nil},
			calls: 2, sleeps: []time.Duration{2 * time.Second},
		},
		{
			name: "wrapped rate limit still recognised", errs: []error{fmt.Errorf("step: %w", rateLimit(time.Second)), nil},
			calls: 2, sleeps: []time.Duration{time.Second},
		},
		{
			name: "attempts used up", errs: []error{rateLimit(time.Second), rateLimit(time.Second), rateLimit(3 * time.Second), nil},
			calls: 3, sleeps: []time.Duration{time.Second, time.Second},
			wantKind: func(err error) bool {
				rl, ok := errors.AsType[*ads.RateLimitError](err)
				return ok && rl.RetryAfter == 3*time.Second
			},
		},
		{
			name: "delay beyond the cap is not waited", retry: ads.Retry{MaxDelay: 10 * time.Second},
			errs: []error{rateLimit(11 * time.Second), nil}, calls: 1,
			wantKind: func(err error) bool { _, ok := errors.AsType[*ads.RateLimitError](err); return ok },
		},
		{
			name: "exponential backoff with jitter", retry: ads.Retry{Attempts: 4, BaseDelay: 100 * time.Millisecond},
			errs: []error{server, server, server, nil}, calls: 4,
			bounds: [][2]time.Duration{{50 * time.Millisecond, 100 * time.Millisecond}, {100 * time.Millisecond, 200 * time.Millisecond}, {200 * time.Millisecond, 400 * time.Millisecond}},
		},
		{
			name: "backoff capped", retry: ads.Retry{BaseDelay: time.Minute, MaxDelay: time.Second},
			errs: []error{rateLimit(0), nil}, calls: 2,
			bounds: [][2]time.Duration{{500 * time.Millisecond, time.Second}},
		},
		{
			name: "permanent provider error not retried",
			errs: []error{&ads.ProviderError{Status: 400, Code: "100"}, nil}, calls: 1,
			wantKind: func(err error) bool { _, ok := errors.AsType[*ads.ProviderError](err); return ok },
		},
		{name: "unauthenticated not retried", errs: []error{ads.ErrUnauthenticated, nil}, calls: 1, wantErr: ads.ErrUnauthenticated},
		{name: "timeout not retried", errs: []error{context.DeadlineExceeded, nil}, calls: 1, wantErr: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var slept []time.Duration
			r := tt.retry
			r.Sleep = func(ctx context.Context, d time.Duration) error { slept = append(slept, d); return nil }
			calls := 0
			err := r.Do(t.Context(), func(context.Context) error {
				calls++
				return tt.errs[calls-1]
			})
			if calls != tt.calls {
				t.Errorf("calls = %d, want %d", calls, tt.calls)
			}
			switch {
			case tt.wantKind != nil:
				if !tt.wantKind(err) {
					t.Errorf("err = %v", err)
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("err = %v, want %v", err, tt.wantErr)
				}
			case err != nil:
				t.Errorf("err = %v", err)
			}
			if tt.bounds != nil {
				if len(slept) != len(tt.bounds) {
					t.Fatalf("sleeps = %v, want %d", slept, len(tt.bounds))
				}
				for i, b := range tt.bounds {
					if slept[i] < b[0] || slept[i] > b[1] {
						t.Errorf("sleep %d = %s, want within %v", i, slept[i], b)
					}
				}
			} else if fmt.Sprint(slept) != fmt.Sprint(tt.sleeps) {
				t.Errorf("sleeps = %v, want %v", slept, tt.sleeps)
			}
		})
	}
}

func TestRetryStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(20*time.Millisecond, cancel)
	began := time.Now()
	// The real timer is used: the provider asks for 20s, the caller gives up after 20ms.
	err := ads.Retry{}.Do(ctx, func(context.Context) error {
		return &ads.RateLimitError{Platform: ads.Google, RetryAfter: 20 * time.Second}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if _, ok := errors.AsType[*ads.RateLimitError](err); !ok {
		t.Errorf("err = %v, want the rate limit kept in the chain", err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestErrorsMatch(t *testing.T) {
	partial := fmt.Errorf("create: %w", &ads.PartialCreateError{
		Platform: ads.Facebook,
		Created:  ads.Created{ExternalID: "1", Resources: []string{"campaigns/1"}},
		Err:      &ads.RateLimitError{Platform: ads.Facebook},
		Cleanup:  errors.New("boom"),
	})
	if !errors.Is(partial, ads.ErrPartialCreate) {
		t.Error("PartialCreateError is not ErrPartialCreate")
	}
	if _, ok := errors.AsType[*ads.RateLimitError](partial); !ok {
		t.Error("PartialCreateError hides its cause")
	}
	input := fmt.Errorf("x: %w", &ads.InputError{Field: "name", Message: "empty"})
	if !errors.Is(input, ads.ErrInvalidInput) {
		t.Error("InputError is not ErrInvalidInput")
	}
}

func TestSpecValidate(t *testing.T) {
	day := func(s string) *time.Time { d, _ := time.Parse(time.DateOnly, s); return &d }
	age := func(n int) *int { return &n }
	ok := ads.CampaignSpec{Name: "n", Currency: "usd", DailyBudget: 1}
	tests := []struct {
		name  string
		edit  func(*ads.CampaignSpec)
		field string
	}{
		{"valid", func(*ads.CampaignSpec) {}, ""},
		{"same start and end day", func(s *ads.CampaignSpec) { s.StartDate, s.EndDate = day("2026-09-01"), day("2026-09-01") }, ""},
		{"no name", func(s *ads.CampaignSpec) { s.Name = "" }, "name"},
		{"negative budget", func(s *ads.CampaignSpec) { s.DailyBudget = -5 }, "dailyBudget"},
		{"currency", func(s *ads.CampaignSpec) { s.Currency = "US" }, "currency"},
		{"dates", func(s *ads.CampaignSpec) { s.StartDate, s.EndDate = day("2026-09-02"), day("2026-09-01") }, "endDate"},
		{"ages", func(s *ads.CampaignSpec) { s.Targeting.AgeMin, s.Targeting.AgeMax = age(40), age(30) }, "targeting.ageMax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.edit(&s)
			err := s.Validate()
			ie, isInput := errors.AsType[*ads.InputError](err)
			switch {
			case tt.field == "" && err != nil:
				t.Errorf("err = %v", err)
			case tt.field != "" && (!isInput || ie.Field != tt.field):
				t.Errorf("err = %v, want an InputError on %s", err, tt.field)
			}
		})
	}
}
