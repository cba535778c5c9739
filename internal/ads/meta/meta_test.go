package meta_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent/schema/jsontype"
	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/ads/meta"
	"github.com/marketingos/marketingos/internal/ads/meta/metafake"
)

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

func start(t *testing.T, opts ...metafake.Option) *metafake.Server {
	t.Helper()
	fake := metafake.New(opts...)
	t.Cleanup(fake.Close)
	return fake
}

func client(fake *metafake.Server, retry ads.Retry, opts ...meta.Option) (*meta.Client, *sleeps) {
	s := &sleeps{}
	retry.Sleep = s.sleep
	return meta.New(fake.Config(), append([]meta.Option{meta.WithRetry(retry)}, opts...)...), s
}

func date(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

func ptr[T any](v T) *T { return &v }

func spec() ads.CampaignSpec {
	return ads.CampaignSpec{
		Name:        "Spring sale",
		Objective:   "SALES",
		Currency:    "USD",
		UTMCampaign: "spring_sale",
		DailyBudget: 5000,
		Creatives: []jsontype.Creative{
			{Headline: "Ship faster", Body: "Try it free for 14 days.", LinkURL: "https://example.com/a", ImageURL: ptr("https://cdn.example.com/a.png")},
			{Headline: "Plan less", Body: "Automate the boring parts.", LinkURL: "https://example.com/b"},
		},
		Targeting: jsontype.Targeting{
			Locations: []string{"us", "GB", "US"},
			Interests: []string{"marketing", "6003371567474"},
			AgeMin:    ptr(25),
			AgeMax:    ptr(54),
		},
		StartDate: date("2026-09-01"),
		EndDate:   date("2026-09-30"),
	}
}

func TestCreateCampaign(t *testing.T) {
	tests := []struct {
		name      string
		fake      []metafake.Option
		edit      func(*ads.CampaignSpec)
		objective string
		goal      string
		budget    int64
	}{
		{name: "sales campaign", objective: "OUTCOME_SALES", goal: "LINK_CLICKS", budget: 5000},
		{
			name: "signed with appsecret_proof", fake: []metafake.Option{metafake.WithAppSecret("s3cret")},
			objective: "OUTCOME_SALES", goal: "LINK_CLICKS", budget: 5000,
		},
		{
			name: "awareness in yen", edit: func(s *ads.CampaignSpec) { s.Objective, s.Currency, s.DailyBudget = "awareness", "JPY", 3000 },
			objective: "OUTCOME_AWARENESS", goal: "REACH", budget: 3000,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := start(t, tt.fake...)
			c, _ := client(fake, ads.Retry{})
			s := spec()
			if tt.edit != nil {
				tt.edit(&s)
			}
			created, err := c.CreateCampaign(t.Context(), s)
			if err != nil {
				t.Fatalf("CreateCampaign: %v", err)
			}

			camp, ok := fake.Campaign(created.ExternalID)
			if !ok {
				t.Fatalf("no campaign %s on the fake", created.ExternalID)
			}
			if camp.Name != "Spring sale" || camp.Objective != tt.objective || camp.Status != "PAUSED" || camp.BudgetSharing != "false" || len(camp.SpecialAdCategories) != 0 {
				t.Errorf("campaign = %+v", camp)
			}
			sets := fake.AdSets()
			if len(sets) != 1 {
				t.Fatalf("ad sets = %+v", sets)
			}
			as := sets[0]
			if as.CampaignID != camp.ID || as.DailyBudget != tt.budget || as.BillingEvent != "IMPRESSIONS" || as.OptimizationGoal != tt.goal ||
				as.BidStrategy != "LOWEST_COST_WITHOUT_CAP" || as.Status != "ACTIVE" {
				t.Errorf("ad set = %+v", as)
			}
			if as.StartTime != "2026-09-01T00:00:00+0000" || as.EndTime != "2026-09-30T23:59:59+0000" {
				t.Errorf("schedule = %s – %s", as.StartTime, as.EndTime)
			}
			gotTargeting, _ := json.Marshal(as.Targeting)
			wantTargeting := `{"age_max":54,"age_min":25,"geo_locations":{"countries":["US","GB"]},` +
				`"interests":[{"id":"6003279598823","name":"Marketing"},{"id":"6003371567474"}],"targeting_automation":{"advantage_audience":0}}`
			if string(gotTargeting) != wantTargeting {
				t.Errorf("targeting = %s\nwant        %s", gotTargeting, wantTargeting)
			}

			creatives, adList := fake.Creatives(), fake.Ads()
			if len(creatives) != 2 || len(adList) != 2 {
				t.Fatalf("creatives = %+v, ads = %+v", creatives, adList)
			}
			for i, cr := range creatives {
				want := s.Creatives[i]
				link, _ := cr.ObjectStorySpec["link_data"].(map[string]any)
				if cr.ObjectStorySpec["page_id"] != metafake.PageID || link["link"] != want.LinkURL || link["message"] != want.Body || link["name"] != want.Headline {
					t.Errorf("creative %d = %+v", i, cr.ObjectStorySpec)
				}
				if (want.ImageURL != nil) != (link["picture"] != nil) {
					t.Errorf("creative %d picture = %v", i, link["picture"])
				}
				if q, _ := url.ParseQuery(cr.URLTags); q.Get("utm_source") != "facebook" || q.Get("utm_campaign") != "spring_sale" {
					t.Errorf("url_tags = %q", cr.URLTags)
				}
				if adList[i].CreativeID != cr.ID || adList[i].AdSetID != as.ID || adList[i].Status != "ACTIVE" {
					t.Errorf("ad %d = %+v", i, adList[i])
				}
			}
			want := []string{"campaigns/" + camp.ID, "adsets/" + as.ID, "adcreatives/" + creatives[0].ID, "ads/" + adList[0].ID,
				"adcreatives/" + creatives[1].ID, "ads/" + adList[1].ID}
			if strings.Join(created.Resources, " ") != strings.Join(want, " ") {
				t.Errorf("resources = %v\nwant %v", created.Resources, want)
			}

			// One interest search (the numeric id needs none), then the creates in order, all authenticated.
			var order []string
			for _, r := range fake.Requests() {
				order = append(order, string(r.Endpoint))
				if r.Params["access_token"] != metafake.AccessToken {
					t.Errorf("%s without the access token", r.Endpoint)
				}
				if proof, want := r.Params["appsecret_proof"], proofFor(fake.Config().AppSecret); (want == "") != (proof == nil) || (want != "" && proof != want) {
					t.Errorf("%s appsecret_proof = %v, want %q", r.Endpoint, proof, want)
				}
			}
			if got := strings.Join(order, ","); got != "search,campaigns,adsets,adcreatives,ads,adcreatives,ads" {
				t.Errorf("calls = %s", got)
			}
		})
	}
}

func proofFor(secret string) string {
	if secret == "" {
		return ""
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(metafake.AccessToken))
	return hex.EncodeToString(mac.Sum(nil))
}

func TestCreateCampaignRejectsBadSpecLocally(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*ads.CampaignSpec)
		field string
	}{
		{"no budget", func(s *ads.CampaignSpec) { s.DailyBudget = -1 }, "dailyBudget"},
		{"no creative", func(s *ads.CampaignSpec) { s.Creatives = nil }, "creatives"},
		{"relative link", func(s *ads.CampaignSpec) { s.Creatives[1].LinkURL = "/pricing" }, "creatives[1].linkUrl"},
		{"no location", func(s *ads.CampaignSpec) { s.Targeting.Locations = nil }, "targeting.locations"},
		{"location by name", func(s *ads.CampaignSpec) { s.Targeting.Locations = []string{"United States"} }, "targeting.locations[0]"},
		{"age out of range", func(s *ads.CampaignSpec) { s.Targeting.AgeMax = ptr(70) }, "targeting.ageMax"},
		{"unsupported objective", func(s *ads.CampaignSpec) { s.Objective = "APP_INSTALLS" }, "objective"},
		{"unknown interest", func(s *ads.CampaignSpec) { s.Targeting.Interests = []string{"Marketing", "Underwater basket weaving"} }, "targeting.interests[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := start(t)
			c, _ := client(fake, ads.Retry{})
			s := spec()
			tt.edit(&s)
			_, err := c.CreateCampaign(t.Context(), s)
			ie, ok := errors.AsType[*ads.InputError](err)
			if !errors.Is(err, ads.ErrInvalidInput) || !ok || ie.Field != tt.field {
				t.Fatalf("err = %v, want an InputError on %s", err, tt.field)
			}
			if n := len(fake.Campaigns()); n != 0 {
				t.Errorf("%d campaigns created", n)
			}
		})
	}
}

func TestCreateCampaignRollback(t *testing.T) {
	tests := []struct {
		name     string
		faults   map[metafake.Endpoint]metafake.Fault
		deletes  int // DELETE calls: the campaign, then each creative made
		check    func(t *testing.T, err error)
		orphaned bool
	}{
		{
			name:    "ad set rejected",
			faults:  map[metafake.Endpoint]metafake.Fault{metafake.EndpointAdSets: {Kind: metafake.InvalidParameter}},
			deletes: 1,
			check:   wantProviderCode("100"),
		},
		{
			name:    "creative rejected",
			faults:  map[metafake.Endpoint]metafake.Fault{metafake.EndpointAdCreatives: {Kind: metafake.InvalidParameter}},
			deletes: 1,
			check:   wantProviderCode("100"),
		},
		{
			name:    "second ad rejected",
			faults:  map[metafake.Endpoint]metafake.Fault{metafake.EndpointAds: {Kind: metafake.InvalidParameter, After: 1}},
			deletes: 3,
			check:   wantProviderCode("100"),
		},
		{
			name:    "creative rate limited past the retries",
			faults:  map[metafake.Endpoint]metafake.Fault{metafake.EndpointAdCreatives: {Kind: metafake.RateLimited, Code: 80004, Times: 3}},
			deletes: 1,
			check: func(t *testing.T, err error) {
				if _, ok := errors.AsType[*ads.RateLimitError](err); !ok {
					t.Errorf("err = %v, want a RateLimitError", err)
				}
			},
		},
		{
			name: "token revoked mid-way, so the delete fails too",
			faults: map[metafake.Endpoint]metafake.Fault{
				metafake.EndpointAdCreatives: {Kind: metafake.Unauthenticated},
				metafake.EndpointDelete:      {Kind: metafake.Unauthenticated},
			},
			deletes:  1,
			orphaned: true,
			check: func(t *testing.T, err error) {
				pe, ok := errors.AsType[*ads.PartialCreateError](err)
				if !ok || !errors.Is(err, ads.ErrPartialCreate) || !errors.Is(err, ads.ErrUnauthenticated) || !errors.Is(pe.Cleanup, ads.ErrUnauthenticated) {
					t.Fatalf("err = %v, want a PartialCreateError caused by ErrUnauthenticated", err)
				}
				if pe.Created.ExternalID == "" || len(pe.Created.Resources) != 2 {
					t.Errorf("left behind = %+v, want the campaign and its ad set", pe.Created)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := start(t)
			for ep, f := range tt.faults {
				fake.FailNext(ep, f)
			}
			c, _ := client(fake, ads.Retry{})
			created, err := c.CreateCampaign(t.Context(), spec())
			if err == nil {
				t.Fatalf("created %+v despite the fault", created)
			}
			tt.check(t, err)
			if n := fake.Count(metafake.EndpointDelete); n != tt.deletes {
				t.Errorf("DELETE calls = %d, want %d", n, tt.deletes)
			}
			camps := fake.Campaigns()
			if len(camps) != 1 || camps[0].Deleted == tt.orphaned {
				t.Fatalf("campaigns = %+v, want one, deleted = %v", camps, !tt.orphaned)
			}
			if tt.orphaned {
				return
			}
			if !strings.Contains(err.Error(), "campaign "+camps[0].ID+" removed") {
				t.Errorf("err = %v, want it to say the campaign was removed", err)
			}
			for _, as := range fake.AdSets() {
				if !as.Deleted {
					t.Errorf("ad set %s left behind", as.ID)
				}
			}
			for _, ad := range fake.Ads() {
				if !ad.Deleted {
					t.Errorf("ad %s left behind", ad.ID)
				}
			}
			for _, cr := range fake.Creatives() {
				if !cr.Deleted {
					t.Errorf("creative %s left behind", cr.ID)
				}
			}
		})
	}
}

func wantProviderCode(code string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		pe, ok := errors.AsType[*ads.ProviderError](err)
		if !ok || pe.Code != code || pe.Platform != ads.Facebook || pe.Message == "" {
			t.Errorf("err = %v, want a ProviderError with code %s", err, code)
		}
	}
}

func TestPauseResume(t *testing.T) {
	fake := start(t)
	c, _ := client(fake, ads.Retry{})
	created, err := c.CreateCampaign(t.Context(), spec())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []struct {
		call func(context.Context, string) error
		want string
	}{{c.ResumeCampaign, "ACTIVE"}, {c.PauseCampaign, "PAUSED"}, {c.ResumeCampaign, "ACTIVE"}} {
		if err := st.call(t.Context(), created.ExternalID); err != nil {
			t.Fatal(err)
		}
		if got, _ := fake.Campaign(created.ExternalID); got.Status != st.want {
			t.Errorf("status = %s, want %s", got.Status, st.want)
		}
	}
	if err := c.PauseCampaign(t.Context(), "999"); err == nil {
		t.Error("pausing an unknown campaign succeeded")
	} else if pe, ok := errors.AsType[*ads.ProviderError](err); !ok || pe.Code != "100/33" {
		t.Errorf("unknown campaign: %v", err)
	}
	if err := c.ResumeCampaign(t.Context(), "fb_mock_1"); !errors.Is(err, ads.ErrInvalidInput) {
		t.Errorf("mock id: %v", err)
	}
}

func TestDailyMetrics(t *testing.T) {
	day := func(s string) time.Time { return *date(s) }
	purchase := func(n string) []metafake.Action {
		return []metafake.Action{{Type: "link_click", Value: "480"}, {Type: "purchase", Value: n}, {Type: "omni_purchase", Value: n}, {Type: "offsite_conversion.fb_pixel_purchase", Value: n}}
	}
	tests := []struct {
		name     string
		currency string
		rows     []metafake.Insight
		from, to string
		want     []ads.DailyMetric
	}{
		{
			name:     "duplicated purchase types counted once, range inclusive",
			currency: "USD",
			rows: []metafake.Insight{
				{Date: day("2026-08-31"), Impressions: 1, Spend: "1"},
				{Date: day("2026-09-01"), Impressions: 361324, Clicks: 512, Spend: "5339.5", Actions: purchase("7"),
					ActionValues: []metafake.Action{{Type: "purchase", Value: "910.00"}, {Type: "omni_purchase", Value: "910.00"}}},
				{Date: day("2026-09-02"), Impressions: 1000, Clicks: 10, Spend: "12.34",
					Actions: []metafake.Action{{Type: "offsite_conversion.fb_pixel_purchase", Value: "3"}}, ActionValues: []metafake.Action{{Type: "offsite_conversion.fb_pixel_purchase", Value: "45.555"}}},
				{Date: day("2026-09-03"), Impressions: 500, Clicks: 4, Spend: "0.99", Actions: []metafake.Action{{Type: "link_click", Value: "4"}}},
				{Date: day("2026-09-05"), Impressions: 10, Spend: "0"},
				{Date: day("2026-09-07"), Impressions: 20, Clicks: 1, Spend: "0.5"},
				{Date: day("2026-09-08"), Impressions: 1, Spend: "1"},
			},
			from: "2026-09-01", to: "2026-09-07",
			want: []ads.DailyMetric{
				{Date: day("2026-09-01"), Impressions: 361324, Clicks: 512, Cost: 533950, Conversions: 7, ConversionValue: 91000, Currency: "USD"},
				{Date: day("2026-09-02"), Impressions: 1000, Clicks: 10, Cost: 1234, Conversions: 3, ConversionValue: 4556, Currency: "USD"},
				{Date: day("2026-09-03"), Impressions: 500, Clicks: 4, Cost: 99, Currency: "USD"},
				{Date: day("2026-09-05"), Impressions: 10, Currency: "USD"},
				{Date: day("2026-09-07"), Impressions: 20, Clicks: 1, Cost: 50, Currency: "USD"},
			},
		},
		{
			name:     "zero-decimal currency",
			currency: "JPY",
			rows:     []metafake.Insight{{Date: day("2026-09-01"), Impressions: 100, Clicks: 5, Spend: "1234", Actions: purchase("1"), ActionValues: []metafake.Action{{Type: "omni_purchase", Value: "5000"}}}},
			from:     "2026-09-01", to: "2026-09-01",
			want: []ads.DailyMetric{{Date: day("2026-09-01"), Impressions: 100, Clicks: 5, Cost: 1234, Conversions: 1, ConversionValue: 5000, Currency: "JPY"}},
		},
		{
			name:     "no delivery",
			currency: "USD",
			from:     "2026-09-01", to: "2026-09-07",
			want: []ads.DailyMetric{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := start(t, metafake.WithCurrency(tt.currency), metafake.WithAppSecret("s3cret"))
			fake.SetInsights("120", tt.rows...)
			c, _ := client(fake, ads.Retry{})
			got, err := c.DailyMetrics(t.Context(), "120", day(tt.from), day(tt.to))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("rows = %+v\nwant %+v", got, tt.want)
			}
			for i := range got {
				if !got[i].Date.Equal(tt.want[i].Date) || got[i].Date.Location() != time.UTC {
					t.Errorf("row %d date = %v", i, got[i].Date)
				}
				got[i].Date = tt.want[i].Date
				if got[i] != tt.want[i] {
					t.Errorf("row %d = %+v\nwant   %+v", i, got[i], tt.want[i])
				}
			}
			reqs := fake.Requests()
			q := reqs[0].Params
			if q["time_increment"] != "1" || !strings.Contains(fmt.Sprint(q["fields"]), "actions,action_values") {
				t.Errorf("query = %v", q)
			}
			if tr, _ := q["time_range"].(map[string]any); tr["since"] != tt.from || tr["until"] != tt.to {
				t.Errorf("time_range = %v", q["time_range"])
			}
		})
	}
}

func TestDailyMetricsFollowsPaging(t *testing.T) {
	fake := start(t, metafake.WithAppSecret("s3cret"))
	var rows []metafake.Insight
	for d := 1; d <= 30; d++ {
		rows = append(rows, metafake.Insight{Date: time.Date(2026, 9, d, 0, 0, 0, 0, time.UTC), Impressions: int64(d), Spend: "1.00"})
	}
	fake.SetInsights("120", rows...)
	// A transport that shrinks the page size the client asks for makes the fake page, and every link is followed.
	c, _ := client(fake, ads.Retry{}, meta.WithHTTPClient(&http.Client{Transport: pageSize{7}}))
	got, err := c.DailyMetrics(t.Context(), "120", *date("2026-09-01"), *date("2026-09-30"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 30 || got[0].Impressions != 1 || got[29].Impressions != 30 {
		t.Fatalf("rows = %d (%+v … %+v)", len(got), got[0], got[len(got)-1])
	}
	if n := fake.Count(metafake.EndpointInsights); n != 5 {
		t.Errorf("insights pages = %d, want 5 (7 rows each)", n)
	}
	for _, r := range fake.Requests() {
		if r.Params["appsecret_proof"] != proofFor("s3cret") {
			t.Errorf("page without appsecret_proof: %v", r.Params)
		}
	}
}

// pageSize rewrites the limit parameter of insights requests.
type pageSize struct{ n int }

func (p pageSize) RoundTrip(r *http.Request) (*http.Response, error) {
	q := r.URL.Query()
	if q.Has("limit") {
		q.Set("limit", fmt.Sprint(p.n))
		r = r.Clone(r.Context())
		r.URL.RawQuery = q.Encode()
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestPagingLinkToAnotherHostRefused(t *testing.T) {
	var evilHits int
	var mu sync.Mutex
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		evilHits++
		mu.Unlock()
		_, _ = w.Write([]byte(`{"data":[]}`))
	}))
	defer evil.Close()
	graph := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"data":[],"paging":{"next":%q}}`, evil.URL+r.URL.Path+"?after=x")
	}))
	defer graph.Close()
	cfg := start(t).Config()
	cfg.GraphURL = graph.URL
	c := meta.New(cfg)
	_, err := c.DailyMetrics(t.Context(), "120", *date("2026-09-01"), *date("2026-09-02"))
	if err == nil || !strings.Contains(err.Error(), "another host") {
		t.Errorf("err = %v, want the foreign paging link refused", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if evilHits != 0 {
		t.Errorf("the other host got %d requests", evilHits)
	}
}

func TestErrorsAndRetries(t *testing.T) {
	from, to := *date("2026-09-01"), *date("2026-09-07")
	tests := []struct {
		name   string
		fault  metafake.Fault
		retry  ads.Retry
		revoke bool
		calls  int
		sleeps []time.Duration
		jitter [2]time.Duration
		check  func(*testing.T, error)
	}{
		{
			name:  "user rate limit then success backs off",
			fault: metafake.Fault{Kind: metafake.RateLimited, Code: 17},
			calls: 2, jitter: [2]time.Duration{250 * time.Millisecond, 500 * time.Millisecond},
		},
		{
			name:  "ad account limit honours the time to regain access",
			fault: metafake.Fault{Kind: metafake.RateLimited, Code: 613, RegainAfter: time.Minute},
			retry: ads.Retry{MaxDelay: 2 * time.Minute},
			calls: 2, sleeps: []time.Duration{time.Minute},
		},
		{
			name:  "wait longer than the maximum is not retried",
			fault: metafake.Fault{Kind: metafake.RateLimited, Code: 4, RegainAfter: 5 * time.Minute},
			calls: 1,
			check: func(t *testing.T, err error) {
				rl, ok := errors.AsType[*ads.RateLimitError](err)
				if !ok || rl.RetryAfter != 5*time.Minute || rl.Platform != ads.Facebook {
					t.Errorf("err = %v, want a RateLimitError after 5m", err)
				}
			},
		},
		{
			name:  "business use case limit exhausts the retries",
			fault: metafake.Fault{Kind: metafake.RateLimited, Code: 80004, Times: 3},
			calls: 3,
			check: func(t *testing.T, err error) {
				if _, ok := errors.AsType[*ads.RateLimitError](err); !ok {
					t.Errorf("err = %v, want a RateLimitError", err)
				}
			},
		},
		{
			name:  "transient server error retried",
			fault: metafake.Fault{Kind: metafake.ServerError},
			calls: 2, jitter: [2]time.Duration{250 * time.Millisecond, 500 * time.Millisecond},
		},
		{
			name:  "server errors exhaust the retries",
			fault: metafake.Fault{Kind: metafake.ServerError, Times: 3},
			calls: 3,
			check: func(t *testing.T, err error) {
				pe, ok := errors.AsType[*ads.ProviderError](err)
				if !ok || pe.Status != 500 || !pe.Temporary || pe.Code != "2" {
					t.Errorf("err = %v, want a temporary ProviderError", err)
				}
			},
		},
		{
			name:  "expired token is not retried",
			fault: metafake.Fault{Kind: metafake.Unauthenticated},
			calls: 1,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ads.ErrUnauthenticated) || !strings.Contains(err.Error(), "190/463") {
					t.Errorf("err = %v, want ErrUnauthenticated 190/463", err)
				}
			},
		},
		{
			name:   "revoked token",
			revoke: true,
			calls:  1,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ads.ErrUnauthenticated) {
					t.Errorf("err = %v, want ErrUnauthenticated", err)
				}
			},
		},
		{
			name:  "invalid parameter is not retried",
			fault: metafake.Fault{Kind: metafake.InvalidParameter},
			calls: 1,
			check: wantProviderCode("100"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := start(t)
			fake.SetInsights("120")
			if tt.fault.Kind != 0 {
				fake.FailNext(metafake.EndpointInsights, tt.fault)
			}
			if tt.revoke {
				fake.RevokeToken()
			}
			c, s := client(fake, tt.retry)
			_, err := c.DailyMetrics(t.Context(), "120", from, to)
			if tt.check != nil {
				tt.check(t, err)
			} else if err != nil {
				t.Fatalf("err = %v, want success after retry", err)
			}
			if n := fake.Count(metafake.EndpointAny); n != tt.calls {
				t.Errorf("calls = %d, want %d", n, tt.calls)
			}
			got := s.all()
			switch {
			case tt.jitter != [2]time.Duration{}:
				if len(got) != 1 || got[0] < tt.jitter[0] || got[0] > tt.jitter[1] {
					t.Errorf("sleeps = %v, want one in %v", got, tt.jitter)
				}
			case tt.sleeps != nil || tt.calls == 1:
				if fmt.Sprint(got) != fmt.Sprint(tt.sleeps) {
					t.Errorf("sleeps = %v, want %v", got, tt.sleeps)
				}
			}
			if err != nil && strings.Contains(err.Error(), metafake.AccessToken) {
				t.Errorf("error leaks the access token: %v", err)
			}
		})
	}
}

func TestTimeoutAndTransportErrorsHideTheToken(t *testing.T) {
	fake := start(t)
	fake.SetInsights("120")
	fake.FailNext(metafake.EndpointInsights, metafake.Fault{Kind: metafake.Hang})
	c, s := client(fake, ads.Retry{}, meta.WithTimeout(100*time.Millisecond))
	began := time.Now()
	_, err := c.DailyMetrics(t.Context(), "120", *date("2026-09-01"), *date("2026-09-02"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
	if n := fake.Count(metafake.EndpointInsights); n != 1 || len(s.all()) != 0 {
		t.Errorf("calls = %d, sleeps = %v: a timeout must not be retried", n, s.all())
	}
	if strings.Contains(err.Error(), metafake.AccessToken) {
		t.Errorf("timeout error leaks the token: %v", err)
	}

	// Nothing listens any more: the dial error must not print the URL, which holds the token.
	closed := metafake.New()
	cfg := closed.Config()
	closed.Close()
	_, err = meta.New(cfg).DailyMetrics(t.Context(), "120", *date("2026-09-01"), *date("2026-09-02"))
	if err == nil || strings.Contains(err.Error(), metafake.AccessToken) {
		t.Errorf("err = %v", err)
	}
}

func TestCancelledCreateStillRollsBack(t *testing.T) {
	fake := start(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// The creative call hangs until the caller gives up; the rollback must run anyway.
	fake.FailNext(metafake.EndpointAdCreatives, metafake.Fault{Kind: metafake.Hang})
	c, _ := client(fake, ads.Retry{})
	time.AfterFunc(200*time.Millisecond, cancel)
	_, err := c.CreateCampaign(ctx, spec())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	camps := fake.Campaigns()
	if len(camps) != 1 || !camps[0].Deleted {
		t.Errorf("campaigns = %+v, want the one created deleted", camps)
	}
}

func TestNameAndMock(t *testing.T) {
	var p ads.Platform = meta.New(start(t).Config())
	if p.Name() != "FACEBOOK" || p.Mock() {
		t.Errorf("Name, Mock = %s, %v", p.Name(), p.Mock())
	}
}
