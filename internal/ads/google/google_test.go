package google_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/ads/google"
	"github.com/marketingos/marketingos/internal/ads/google/googlefake"
)

// sleeps records the waits the retry policy asks for instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func start(t *testing.T, opts ...googlefake.Option) *googlefake.Server {
	t.Helper()
	fake := googlefake.New(opts...)
	t.Cleanup(fake.Close)
	return fake
}

func client(fake *googlefake.Server, opts ...google.Option) (*google.Client, *sleeps) {
	s := &sleeps{}
	opts = append([]google.Option{google.WithRetry(ads.Retry{Sleep: s.sleep})}, opts...)
	return google.New(fake.Config(), opts...), s
}

func date(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

func spec(name string) ads.CampaignSpec {
	return ads.CampaignSpec{
		Name:        name,
		Objective:   "TRAFFIC",
		Currency:    "USD",
		UTMCampaign: "spring_sale",
		DailyBudget: 5000, // $50.00
		Keywords:    []string{"[running shoes]", `"trail shoes"`, "shoes", "SHOES"},
	}
}

func TestCreateCampaign(t *testing.T) {
	tests := []struct {
		name         string
		fake         []googlefake.Option
		spec         func() ads.CampaignSpec
		budgetMicros int64
		bidMicros    int64
		start, end   string
		loginHeader  string
	}{
		{
			name: "v21 uses date fields",
			fake: []googlefake.Option{googlefake.WithVersion("v21")},
			spec: func() ads.CampaignSpec {
				s := spec("Spring sale")
				s.StartDate, s.EndDate = date("2026-09-01"), date("2026-09-30")
				return s
			},
			budgetMicros: 50_000_000,
			bidMicros:    2_500_000,
			start:        "2026-09-01",
			end:          "2026-09-30",
		},
		{
			name: "v26 uses date-time fields",
			spec: func() ads.CampaignSpec {
				s := spec("Spring sale")
				s.StartDate, s.EndDate = date("2026-09-01"), date("2026-09-30")
				return s
			},
			budgetMicros: 50_000_000,
			bidMicros:    2_500_000,
			start:        "2026-09-01 00:00:00",
			end:          "2026-09-30 23:59:59",
		},
		{
			name: "zero-decimal currency",
			fake: []googlefake.Option{googlefake.WithCurrency("JPY")},
			spec: func() ads.CampaignSpec {
				s := spec("Tokyo")
				s.Currency, s.DailyBudget = "JPY", 3000
				return s
			},
			budgetMicros: 3_000_000_000,
			bidMicros:    150_000_000,
		},
		{
			name:         "through a manager account",
			fake:         []googlefake.Option{googlefake.WithLoginCustomerID("1112223333")},
			spec:         func() ads.CampaignSpec { return spec("Managed") },
			budgetMicros: 50_000_000,
			bidMicros:    2_500_000,
			loginHeader:  "1112223333",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := start(t, tt.fake...)
			c, _ := client(fake)
			s := tt.spec()
			created, err := c.CreateCampaign(t.Context(), s)
			if err != nil {
				t.Fatalf("CreateCampaign: %v", err)
			}
			got, ok := fake.Campaign(created.ExternalID)
			if !ok {
				t.Fatalf("campaign %q not on the fake; it has %+v", created.ExternalID, fake.Campaigns())
			}
			if got.Name != s.Name || got.Status != "PAUSED" || got.ChannelType != "SEARCH" || got.Bidding != "manualCpc" {
				t.Errorf("campaign = %+v", got)
			}
			if got.EUPoliticalAdvertising != "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING" {
				t.Errorf("EU political declaration = %q", got.EUPoliticalAdvertising)
			}
			if !got.NetworkSettings["targetGoogleSearch"] || got.NetworkSettings["targetContentNetwork"] {
				t.Errorf("network settings = %v", got.NetworkSettings)
			}
			if q, _ := url.ParseQuery(got.FinalURLSuffix); q.Get("utm_source") != "google" || q.Get("utm_medium") != "cpc" || q.Get("utm_campaign") != "spring_sale" {
				t.Errorf("final URL suffix = %q", got.FinalURLSuffix)
			}
			if got.Start != tt.start || got.End != tt.end {
				t.Errorf("start, end = %q, %q; want %q, %q", got.Start, got.End, tt.start, tt.end)
			}
			if got.Budget.AmountMicros != tt.budgetMicros || got.Budget.DeliveryMethod != "STANDARD" {
				t.Errorf("budget = %+v, want %d micros", got.Budget, tt.budgetMicros)
			}
			if len(got.AdGroups) != 1 {
				t.Fatalf("ad groups = %+v", got.AdGroups)
			}
			g := got.AdGroups[0]
			if g.Status != "ENABLED" || g.Type != "SEARCH_STANDARD" || g.CPCBidMicros != tt.bidMicros {
				t.Errorf("ad group = %+v, want bid %d", g, tt.bidMicros)
			}
			var kws []string
			for _, k := range g.Keywords {
				kws = append(kws, k.Text+"/"+k.MatchType)
			}
			if want := "running shoes/EXACT,trail shoes/PHRASE,shoes/BROAD"; strings.Join(kws, ",") != want {
				t.Errorf("keywords = %v, want %s (the duplicate dropped)", kws, want)
			}
			// Budget, campaign, ad group and three keywords, all named.
			if len(created.Resources) != 6 {
				t.Errorf("resources = %v", created.Resources)
			}
			for _, want := range []string{got.Budget.ResourceName, got.ResourceName, g.ResourceName, g.Keywords[0].ResourceName} {
				if !contains(created.Resources, want) {
					t.Errorf("resources %v lack %s", created.Resources, want)
				}
			}
			// One atomic call, carrying the headers the API wants.
			if n := fake.Count(googlefake.EndpointAny); n != 1 {
				t.Errorf("API calls = %d, want 1", n)
			}
			req := lastRequest(fake, googlefake.EndpointMutate)
			if req.Header.Get("developer-token") != googlefake.DeveloperToken {
				t.Errorf("developer-token = %q", req.Header.Get("developer-token"))
			}
			if req.Header.Get("login-customer-id") != tt.loginHeader {
				t.Errorf("login-customer-id = %q, want %q", req.Header.Get("login-customer-id"), tt.loginHeader)
			}
			var body struct {
				MutateOperations []map[string]json.RawMessage `json:"mutateOperations"`
				PartialFailure   *bool                        `json:"partialFailure"`
			}
			if err := json.Unmarshal(req.Body, &body); err != nil {
				t.Fatal(err)
			}
			if body.PartialFailure == nil || *body.PartialFailure {
				t.Errorf("partialFailure = %v, want false", body.PartialFailure)
			}
			var kinds []string
			for _, op := range body.MutateOperations {
				for k := range op {
					kinds = append(kinds, k)
				}
			}
			if want := "campaignBudgetOperation,campaignOperation,adGroupOperation,adGroupCriterionOperation,adGroupCriterionOperation,adGroupCriterionOperation"; strings.Join(kinds, ",") != want {
				t.Errorf("operations = %v", kinds)
			}
		})
	}
}

func TestCreateCampaignRejectsBadSpecLocally(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*ads.CampaignSpec)
		field string
	}{
		{"no name", func(s *ads.CampaignSpec) { s.Name = " " }, "name"},
		{"no budget", func(s *ads.CampaignSpec) { s.DailyBudget = 0 }, "dailyBudget"},
		{"bad currency", func(s *ads.CampaignSpec) { s.Currency = "dollars" }, "currency"},
		{"end before start", func(s *ads.CampaignSpec) { s.StartDate, s.EndDate = date("2026-09-02"), date("2026-09-01") }, "endDate"},
		{"empty keyword", func(s *ads.CampaignSpec) { s.Keywords = []string{"ok", "[ ]"} }, "keywords[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := start(t)
			c, _ := client(fake)
			s := spec("Bad")
			tt.edit(&s)
			_, err := c.CreateCampaign(t.Context(), s)
			var ie *ads.InputError
			if !errors.Is(err, ads.ErrInvalidInput) || !errors.As(err, &ie) || ie.Field != tt.field {
				t.Fatalf("err = %v, want an InputError on %s", err, tt.field)
			}
			if n := len(fake.Requests()); n != 0 {
				t.Errorf("%d requests reached the fake", n)
			}
		})
	}
}

func TestCreateCampaignProviderRejection(t *testing.T) {
	fake := start(t)
	c, s := client(fake)
	if _, err := c.CreateCampaign(t.Context(), spec("Same name")); err != nil {
		t.Fatal(err)
	}
	second := spec("Same name")
	second.UTMCampaign = "other"
	_, err := c.CreateCampaign(t.Context(), second)
	var pe *ads.ProviderError
	if !errors.As(err, &pe) || pe.Status != 400 || pe.Code != "campaignError.DUPLICATE_CAMPAIGN_NAME" || pe.Message == "" || pe.Platform != ads.Google {
		t.Fatalf("err = %#v, want a DUPLICATE_CAMPAIGN_NAME ProviderError", err)
	}
	if len(fake.Campaigns()) != 1 || len(s.all()) != 0 {
		t.Errorf("campaigns = %d, retries = %v; want 1 and none (atomic, 4xx not retried)", len(fake.Campaigns()), s.all())
	}
}

func TestPauseResume(t *testing.T) {
	fake := start(t)
	c, _ := client(fake)
	created, err := c.CreateCampaign(t.Context(), spec("Toggle"))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		call func(context.Context, string) error
		want string
	}{
		{c.ResumeCampaign, "ENABLED"},
		{c.PauseCampaign, "PAUSED"},
		{c.ResumeCampaign, "ENABLED"},
	}
	for _, st := range steps {
		if err := st.call(t.Context(), created.ExternalID); err != nil {
			t.Fatal(err)
		}
		if got, _ := fake.Campaign(created.ExternalID); got.Status != st.want {
			t.Fatalf("status = %s, want %s", got.Status, st.want)
		}
		var body struct {
			Operations []struct {
				Update     map[string]string `json:"update"`
				UpdateMask string            `json:"updateMask"`
			} `json:"operations"`
		}
		if err := json.Unmarshal(lastRequest(fake, googlefake.EndpointCampaigns).Body, &body); err != nil {
			t.Fatal(err)
		}
		if len(body.Operations) != 1 || body.Operations[0].UpdateMask != "status" ||
			body.Operations[0].Update["resourceName"] != "customers/"+googlefake.DefaultCustomerID+"/campaigns/"+created.ExternalID {
			t.Errorf("update body = %s", lastRequest(fake, googlefake.EndpointCampaigns).Body)
		}
	}

	var pe *ads.ProviderError
	if err := c.PauseCampaign(t.Context(), "404"); !errors.As(err, &pe) || pe.Code != "mutateError.RESOURCE_NOT_FOUND" {
		t.Errorf("pause unknown: %v", err)
	}
	if err := c.PauseCampaign(t.Context(), "google_mock_1"); !errors.Is(err, ads.ErrInvalidInput) {
		t.Errorf("pause mock id: %v", err)
	}
}

func TestDailyMetrics(t *testing.T) {
	day := func(s string) time.Time { return *date(s) }
	tests := []struct {
		name     string
		currency string
		rows     []googlefake.Metric
		from, to string
		want     []ads.DailyMetric
	}{
		{
			name:     "micros to cents, several batches, range inclusive",
			currency: "USD",
			rows: []googlefake.Metric{
				{Date: day("2026-08-31"), Impressions: 1, Clicks: 1, CostMicros: 1_000_000},
				{Date: day("2026-09-01"), Impressions: 1200, Clicks: 34, CostMicros: 5_120_000, Conversions: 2, ConversionsValue: 150.5},
				{Date: day("2026-09-02"), Impressions: 900, Clicks: 20, CostMicros: 5_125_000, Conversions: 1.5, ConversionsValue: 19.99},
				{Date: day("2026-09-03"), Impressions: 10, Clicks: 0, CostMicros: 4_999},
				{Date: day("2026-09-07"), Impressions: 5, Clicks: 1, CostMicros: 10_000},
				{Date: day("2026-09-08"), Impressions: 1, Clicks: 1, CostMicros: 1_000_000},
			},
			from: "2026-09-01", to: "2026-09-07",
			want: []ads.DailyMetric{
				{Date: day("2026-09-01"), Impressions: 1200, Clicks: 34, Cost: 512, Conversions: 2, ConversionValue: 15050, Currency: "USD"},
				{Date: day("2026-09-02"), Impressions: 900, Clicks: 20, Cost: 513, Conversions: 1.5, ConversionValue: 1999, Currency: "USD"}, // 512.5 rounds up
				{Date: day("2026-09-03"), Impressions: 10, Clicks: 0, Cost: 0, Currency: "USD"},
				{Date: day("2026-09-07"), Impressions: 5, Clicks: 1, Cost: 1, Currency: "USD"},
			},
		},
		{
			name:     "zero-decimal currency",
			currency: "JPY",
			rows:     []googlefake.Metric{{Date: day("2026-09-01"), Impressions: 100, Clicks: 3, CostMicros: 450_600_000, Conversions: 1, ConversionsValue: 9800}},
			from:     "2026-09-01", to: "2026-09-01",
			want: []ads.DailyMetric{{Date: day("2026-09-01"), Impressions: 100, Clicks: 3, Cost: 451, Conversions: 1, ConversionValue: 9800, Currency: "JPY"}},
		},
		{
			name:     "three-decimal currency",
			currency: "KWD",
			rows:     []googlefake.Metric{{Date: day("2026-09-01"), Impressions: 100, Clicks: 3, CostMicros: 1_234_500, ConversionsValue: 2.5}},
			from:     "2026-09-01", to: "2026-09-01",
			want: []ads.DailyMetric{{Date: day("2026-09-01"), Impressions: 100, Clicks: 3, Cost: 1235, ConversionValue: 2500, Currency: "KWD"}},
		},
		{
			name:     "no data",
			currency: "USD",
			from:     "2026-09-01", to: "2026-09-07",
			want: []ads.DailyMetric{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := start(t, googlefake.WithCurrency(tt.currency), googlefake.WithBatchSize(2))
			fake.SetMetrics("789", tt.rows...)
			fake.SetMetrics("790", googlefake.Metric{Date: day("2026-09-01"), Impressions: 99999})
			c, _ := client(fake)
			got, err := c.DailyMetrics(t.Context(), "789", day(tt.from), day(tt.to))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("rows = %+v\nwant %+v", got, tt.want)
			}
			for i := range got {
				if !got[i].Date.Equal(tt.want[i].Date) || got[i].Date.Location() != time.UTC {
					t.Errorf("row %d date = %v, want %v UTC", i, got[i].Date, tt.want[i].Date)
				}
				got[i].Date = tt.want[i].Date
				if got[i] != tt.want[i] {
					t.Errorf("row %d = %+v\nwant   %+v", i, got[i], tt.want[i])
				}
			}
			var body struct{ Query string }
			_ = json.Unmarshal(lastRequest(fake, googlefake.EndpointSearchStream).Body, &body)
			for _, want := range []string{"metrics.impressions", "metrics.clicks", "metrics.cost_micros", "metrics.conversions", "metrics.conversions_value", "segments.date", "FROM campaign", "campaign.id = 789", "BETWEEN '" + tt.from + "' AND '" + tt.to + "'"} {
				if !strings.Contains(body.Query, want) {
					t.Errorf("query %q lacks %q", body.Query, want)
				}
			}
		})
	}
}

func TestDailyMetricsRejectsBadInput(t *testing.T) {
	fake := start(t)
	c, _ := client(fake)
	if _, err := c.DailyMetrics(t.Context(), "1 OR 1=1", time.Now(), time.Now()); !errors.Is(err, ads.ErrInvalidInput) {
		t.Errorf("non-numeric id: %v", err)
	}
	if _, err := c.DailyMetrics(t.Context(), "789", *date("2026-09-02"), *date("2026-09-01")); !errors.Is(err, ads.ErrInvalidInput) {
		t.Errorf("reversed range: %v", err)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d requests reached the fake", n)
	}
}

func TestTokenRefresh(t *testing.T) {
	fake := start(t)
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c, _ := client(fake, google.WithClock(clock))
	from, to := *date("2026-09-01"), *date("2026-09-07")

	for range 3 {
		if _, err := c.DailyMetrics(t.Context(), "789", from, to); err != nil {
			t.Fatal(err)
		}
	}
	if n := fake.Count(googlefake.EndpointToken); n != 1 {
		t.Fatalf("token requests = %d, want 1 (reused until expiry)", n)
	}
	tokenReq := lastRequest(fake, googlefake.EndpointToken)
	form, _ := url.ParseQuery(string(tokenReq.Body))
	for k, want := range map[string]string{
		"grant_type": "refresh_token", "client_id": googlefake.ClientID,
		"client_secret": googlefake.ClientSecret, "refresh_token": googlefake.RefreshToken,
	} {
		if form.Get(k) != want {
			t.Errorf("token form %s = %q, want %q", k, form.Get(k), want)
		}
	}
	if !strings.HasPrefix(lastRequest(fake, googlefake.EndpointSearchStream).Header.Get("Authorization"), "Bearer ya29.") {
		t.Errorf("API call not authorized with the access token")
	}

	mu.Lock()
	now = now.Add(2 * time.Hour) // past the token's expiry
	mu.Unlock()
	if _, err := c.DailyMetrics(t.Context(), "789", from, to); err != nil {
		t.Fatal(err)
	}
	if n := fake.Count(googlefake.EndpointToken); n != 2 {
		t.Fatalf("token requests = %d, want 2 after expiry", n)
	}

	// Concurrent callers share one refresh.
	mu.Lock()
	now = now.Add(2 * time.Hour)
	mu.Unlock()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.DailyMetrics(t.Context(), "789", from, to); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := fake.Count(googlefake.EndpointToken); n != 3 {
		t.Errorf("token requests = %d, want 3", n)
	}
}

func TestErrorsAndRetries(t *testing.T) {
	from, to := *date("2026-09-01"), *date("2026-09-07")
	metrics := func(c *google.Client) error {
		_, err := c.DailyMetrics(context.Background(), "789", from, to)
		return err
	}
	create := func(c *google.Client) error {
		_, err := c.CreateCampaign(context.Background(), spec("Retry"))
		return err
	}
	tests := []struct {
		name     string
		endpoint googlefake.Endpoint
		fault    googlefake.Fault
		call     func(*google.Client) error
		check    func(t *testing.T, err error)
		calls    int // API calls made
		sleeps   []time.Duration
		jitter   [2]time.Duration // bounds of the one backoff sleep when the provider named no delay
		after    func(*testing.T, *googlefake.Server, *google.Client)
	}{
		{
			name: "rate limit then success honours retryDelay", endpoint: googlefake.EndpointMutate,
			fault: googlefake.Fault{Kind: googlefake.RateLimited, RetryDelay: 2 * time.Second},
			call:  create, calls: 2, sleeps: []time.Duration{2 * time.Second},
		},
		{
			name: "rate limit in the stream then success", endpoint: googlefake.EndpointSearchStream,
			fault: googlefake.Fault{Kind: googlefake.RateLimited, RetryDelay: 1500 * time.Millisecond},
			call:  metrics, calls: 2, sleeps: []time.Duration{1500 * time.Millisecond},
		},
		{
			name: "rate limit exhausts the retries", endpoint: googlefake.EndpointSearchStream,
			fault: googlefake.Fault{Kind: googlefake.RateLimited, RetryDelay: 2 * time.Second, Times: 5},
			call:  metrics, calls: 3, sleeps: []time.Duration{2 * time.Second, 2 * time.Second},
			check: func(t *testing.T, err error) {
				var rl *ads.RateLimitError
				if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second || rl.Platform != ads.Google {
					t.Errorf("err = %v, want RateLimitError retry after 2s", err)
				}
			},
		},
		{
			name: "rate limit longer than the maximum wait is not retried", endpoint: googlefake.EndpointSearchStream,
			fault: googlefake.Fault{Kind: googlefake.RateLimited, RetryDelay: time.Minute},
			call:  metrics, calls: 1,
			check: func(t *testing.T, err error) {
				var rl *ads.RateLimitError
				if !errors.As(err, &rl) || rl.RetryAfter != time.Minute {
					t.Errorf("err = %v, want RateLimitError retry after 1m", err)
				}
			},
		},
		{
			name: "rate limit without a delay backs off", endpoint: googlefake.EndpointSearchStream,
			fault: googlefake.Fault{Kind: googlefake.RateLimited},
			call:  metrics, calls: 2, jitter: [2]time.Duration{250 * time.Millisecond, 500 * time.Millisecond},
		},
		{
			name: "5xx retried", endpoint: googlefake.EndpointMutate,
			fault: googlefake.Fault{Kind: googlefake.Internal},
			call:  create, calls: 2, jitter: [2]time.Duration{250 * time.Millisecond, 500 * time.Millisecond},
		},
		{
			name: "5xx exhausts the retries", endpoint: googlefake.EndpointSearchStream,
			fault: googlefake.Fault{Kind: googlefake.Unavailable, Times: 3},
			call:  metrics, calls: 3,
			check: func(t *testing.T, err error) {
				var pe *ads.ProviderError
				if !errors.As(err, &pe) || pe.Status != 503 || !pe.Temporary {
					t.Errorf("err = %v, want a temporary 503 ProviderError", err)
				}
			},
		},
		{
			name: "expired token is not retried", endpoint: googlefake.EndpointSearchStream,
			fault: googlefake.Fault{Kind: googlefake.Unauthenticated},
			call:  metrics, calls: 1,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ads.ErrUnauthenticated) || !strings.Contains(err.Error(), "OAUTH_TOKEN_EXPIRED") {
					t.Errorf("err = %v, want ErrUnauthenticated", err)
				}
			},
			after: func(t *testing.T, fake *googlefake.Server, c *google.Client) {
				// The refused token is dropped: the next call refreshes and succeeds.
				if err := metrics(c); err != nil || fake.Count(googlefake.EndpointToken) != 2 {
					t.Errorf("next call: %v after %d token requests, want a second refresh", err, fake.Count(googlefake.EndpointToken))
				}
			},
		},
		{
			name: "revoked refresh token", endpoint: googlefake.EndpointToken,
			fault: googlefake.Fault{Kind: googlefake.Unauthenticated},
			call:  metrics, calls: 0,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ads.ErrUnauthenticated) || !strings.Contains(err.Error(), "invalid_grant") {
					t.Errorf("err = %v, want ErrUnauthenticated (invalid_grant)", err)
				}
			},
		},
		{
			name: "permission denied is a provider error", endpoint: googlefake.EndpointMutate,
			fault: googlefake.Fault{Kind: googlefake.PermissionDenied},
			call:  create, calls: 1,
			check: func(t *testing.T, err error) {
				var pe *ads.ProviderError
				if !errors.As(err, &pe) || pe.Status != 403 || pe.Code != "authorizationError.USER_PERMISSION_DENIED" || pe.Temporary {
					t.Errorf("err = %#v, want a 403 USER_PERMISSION_DENIED ProviderError", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := start(t)
			fake.FailNext(tt.endpoint, tt.fault)
			c, s := client(fake)
			err := tt.call(c)
			if tt.check != nil {
				tt.check(t, err)
			} else if err != nil {
				t.Fatalf("err = %v, want success after retry", err)
			}
			if n := fake.Count(googlefake.EndpointAny); n != tt.calls {
				t.Errorf("API calls = %d, want %d", n, tt.calls)
			}
			got := s.all()
			switch {
			case tt.jitter != [2]time.Duration{}:
				if len(got) != 1 || got[0] < tt.jitter[0] || got[0] > tt.jitter[1] {
					t.Errorf("sleeps = %v, want one in %v", got, tt.jitter)
				}
			case tt.sleeps != nil || tt.calls <= 1:
				if len(got) != len(tt.sleeps) {
					t.Fatalf("sleeps = %v, want %v", got, tt.sleeps)
				}
				for i := range got {
					if got[i] != tt.sleeps[i] {
						t.Errorf("sleeps = %v, want %v", got, tt.sleeps)
					}
				}
			}
			if err != nil && strings.Contains(err.Error(), googlefake.ClientSecret) {
				t.Errorf("error leaks the client secret: %v", err)
			}
			if tt.after != nil {
				tt.after(t, fake, c)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	for _, ep := range []googlefake.Endpoint{googlefake.EndpointSearchStream, googlefake.EndpointToken} {
		t.Run(string(ep), func(t *testing.T) {
			fake := start(t)
			fake.FailNext(ep, googlefake.Fault{Kind: googlefake.Hang})
			c, s := client(fake, google.WithTimeout(100*time.Millisecond))
			began := time.Now()
			_, err := c.DailyMetrics(t.Context(), "789", *date("2026-09-01"), *date("2026-09-07"))
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want DeadlineExceeded", err)
			}
			if d := time.Since(began); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
			if n := fake.Count(ep); n != 1 || len(s.all()) != 0 {
				t.Errorf("calls = %d, sleeps = %v: a timeout must not be retried", n, s.all())
			}
		})
	}
}

func TestNameAndMock(t *testing.T) {
	var p ads.Platform = google.New(start(t).Config())
	if p.Name() != "GOOGLE" || p.Mock() {
		t.Errorf("Name, Mock = %s, %v", p.Name(), p.Mock())
	}
}

func lastRequest(fake *googlefake.Server, ep googlefake.Endpoint) googlefake.Request {
	reqs := fake.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Endpoint == ep {
			return reqs[i]
		}
	}
	return googlefake.Request{}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
