package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/campaign"
	"github.com/marketingos/marketingos/ent/campaignmetric"
	"github.com/marketingos/marketingos/internal/ads/google/googlefake"
	"github.com/marketingos/marketingos/internal/ads/meta/metafake"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// The campaign tests run the server's real Google Ads and Meta clients against the in-process fakes, through the
// contract's operations over real HTTP (and a WebSocket where tenancy is concerned).

// cmpDetailQuery reads what the contract's operations do not select: the failure reason among others.
const cmpDetailQuery = `query($id: ID!) { node(id: $id) { ... on Campaign {
	id name status failureReason externalId mock utmCampaign } } }`

const cmpTrackEvent = `mutation($input: TrackEventInput!) { trackEvent(input: $input) { id eventType visitorId } }`

// cmpGoogleEnv starts a googlefake and returns the server configuration that points the real client at it.
func cmpGoogleEnv(t *testing.T, opts ...googlefake.Option) (*googlefake.Server, []apitest.Option) {
	t.Helper()
	fake := googlefake.New(opts...)
	t.Cleanup(fake.Close)
	cfg := fake.Config()
	return fake, []apitest.Option{
		apitest.WithEnv("GOOGLE_ADS_CLIENT_ID", cfg.ClientID),
		apitest.WithEnv("GOOGLE_ADS_CLIENT_SECRET", cfg.ClientSecret),
		apitest.WithEnv("GOOGLE_ADS_DEVELOPER_TOKEN", cfg.DeveloperToken),
		apitest.WithEnv("GOOGLE_ADS_REFRESH_TOKEN", cfg.RefreshToken),
		apitest.WithEnv("GOOGLE_ADS_CUSTOMER_ID", cfg.CustomerID),
		apitest.WithEnv("GOOGLE_ADS_API_URL", cfg.APIURL),
		apitest.WithEnv("GOOGLE_OAUTH_TOKEN_URL", cfg.OAuthTokenURL),
	}
}

// cmpMetaEnv starts a metafake and returns the server configuration that points the real client at it.
func cmpMetaEnv(t *testing.T, opts ...metafake.Option) (*metafake.Server, []apitest.Option) {
	t.Helper()
	fake := metafake.New(opts...)
	t.Cleanup(fake.Close)
	cfg := fake.Config()
	return fake, []apitest.Option{
		apitest.WithEnv("FACEBOOK_ACCESS_TOKEN", cfg.AccessToken),
		apitest.WithEnv("FACEBOOK_AD_ACCOUNT_ID", cfg.AdAccountID),
		apitest.WithEnv("FACEBOOK_PAGE_ID", cfg.PageID),
		apitest.WithEnv("FACEBOOK_GRAPH_URL", cfg.GraphURL),
	}
}

// cmpSecrets are the credentials the fakes accept; none may ever reach a GraphQL client.
var cmpSecrets = []string{
	googlefake.ClientSecret, googlefake.RefreshToken, googlefake.DeveloperToken,
	"ya29.", // the prefix of every access token googlefake issues
	metafake.AccessToken,
}

func cmpNoSecrets(t testing.TB, what, text string) {
	t.Helper()
	for _, s := range cmpSecrets {
		if strings.Contains(text, s) {
			t.Errorf("%s reveals the credential %q: %s", what, s, text)
		}
	}
}

type cmpBudget struct {
	Daily    float64
	Currency string
	Spent    float64
	Limit    *float64
}

// cmpOut is what the CreateCampaign operation selects.
type cmpOut struct {
	ID, Name, Platform, Status string
	ExternalID                 *string
	Mock                       bool
	UtmCampaign                string
	Budget                     cmpBudget
	Product                    *struct{ ID string }
}

func (c cmpOut) external() string {
	if c.ExternalID == nil {
		return ""
	}
	return *c.ExternalID
}

// cmpPerf is CampaignPerformance as SyncCampaignMetrics selects it.
type cmpPerf struct {
	Impressions, Clicks         int64
	Conversions, Spend, Revenue float64
	CTR, CPC, CPA, ROAS, ROI    *float64
}

func cmpF64(v float64) *float64 { return &v }

// check compares with hand-computed values; ratios to 1e-9, since each is a single float division.
func (p cmpPerf) check(t testing.TB, want cmpPerf) {
	t.Helper()
	eq := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	eqp := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || eq(*a, *b)) }
	if p.Impressions != want.Impressions || p.Clicks != want.Clicks || !eq(p.Conversions, want.Conversions) ||
		!eq(p.Spend, want.Spend) || !eq(p.Revenue, want.Revenue) ||
		!eqp(p.CTR, want.CTR) || !eqp(p.CPC, want.CPC) || !eqp(p.CPA, want.CPA) || !eqp(p.ROAS, want.ROAS) || !eqp(p.ROI, want.ROI) {
		t.Errorf("performance =\n %s\nwant\n %s", p, want)
	}
}

func (p cmpPerf) String() string {
	r := func(v *float64) string {
		if v == nil {
			return "null"
		}
		return fmt.Sprint(*v)
	}
	return fmt.Sprintf("impressions %d clicks %d conversions %v spend %v revenue %v ctr %s cpc %s cpa %s roas %s roi %s",
		p.Impressions, p.Clicks, p.Conversions, p.Spend, p.Revenue, r(p.CTR), r(p.CPC), r(p.CPA), r(p.ROAS), r(p.ROI))
}

func cmpCreate(t testing.TB, c gqlClient, input map[string]any) cmpOut {
	t.Helper()
	var got struct{ CreateCampaign cmpOut }
	c(t, contractOp(t, "CreateCampaign"), map[string]any{"input": input}).Decode(t, &got)
	if got.CreateCampaign.ID == "" {
		t.Fatal("createCampaign returned no id")
	}
	return got.CreateCampaign
}

// cmpSetStatus runs PauseCampaign or ResumeCampaign and returns the status answered.
func cmpSetStatus(t testing.TB, c gqlClient, op, id string) string {
	t.Helper()
	var got map[string]struct{ ID, Status string }
	c(t, contractOp(t, op), map[string]any{"id": id}).Decode(t, &got)
	for _, v := range got {
		if v.ID != id {
			t.Fatalf("%s answered campaign %q, want %q", op, v.ID, id)
		}
		return v.Status
	}
	t.Fatalf("%s answered nothing", op)
	return ""
}

func cmpSync(t testing.TB, c gqlClient, id string) cmpPerf {
	t.Helper()
	var got struct {
		SyncCampaignMetrics struct {
			ID          string
			Performance cmpPerf
		}
	}
	c(t, contractOp(t, "SyncCampaignMetrics"), map[string]any{"id": id}).Decode(t, &got)
	if got.SyncCampaignMetrics.ID != id {
		t.Fatalf("syncCampaignMetrics answered %q, want %q", got.SyncCampaignMetrics.ID, id)
	}
	return got.SyncCampaignMetrics.Performance
}

type cmpDetail struct {
	ID, Name, Status string
	FailureReason    *string
	ExternalID       *string
	Mock             bool
	UtmCampaign      string
}

// cmpDetailOf reads a campaign through node(id:); nil when the viewer cannot see it.
func cmpDetailOf(t testing.TB, c gqlClient, id string) *cmpDetail {
	t.Helper()
	var got struct{ Node *cmpDetail }
	c(t, cmpDetailQuery, map[string]any{"id": id}).Decode(t, &got)
	return got.Node
}

func cmpOrgCtx(orgID string) context.Context {
	return viewer.ForOrganization(context.Background(), orgID)
}

func cmpCount(t testing.TB, env *apitest.Env, orgID string) int {
	t.Helper()
	n, err := env.DB.Client.Campaign.Query().Count(cmpOrgCtx(orgID))
	if err != nil {
		t.Fatalf("count campaigns: %v", err)
	}
	return n
}

func cmpRow(t testing.TB, env *apitest.Env, orgID, id string) *ent.Campaign {
	t.Helper()
	c, err := env.DB.Client.Campaign.Get(cmpOrgCtx(orgID), id)
	if err != nil {
		t.Fatalf("read campaign %s: %v", id, err)
	}
	return c
}

func cmpMetricRows(t testing.TB, env *apitest.Env, orgID, campaignID string) []*ent.CampaignMetric {
	t.Helper()
	rows, err := env.DB.Client.CampaignMetric.Query().
		Where(campaignmetric.CampaignID(campaignID)).
		Order(ent.Asc(campaignmetric.FieldDate)).
		All(cmpOrgCtx(orgID))
	if err != nil {
		t.Fatalf("read campaign metrics: %v", err)
	}
	return rows
}

// cmpSameRows fails unless both syncs left the same rows: same ids, days and values.
func cmpSameRows(t testing.TB, a, b []*ent.CampaignMetric) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d metric rows, then %d", len(a), len(b))
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ID != y.ID || !x.Date.Equal(y.Date) || x.Impressions != y.Impressions || x.Clicks != y.Clicks ||
			x.Conversions != y.Conversions || x.Cost != y.Cost || x.ConversionValue != y.ConversionValue || x.Currency != y.Currency {
			t.Errorf("metric row %d changed between syncs:\n %v\n %v", i, x, y)
		}
	}
}

// cmpUTCDay is midnight UTC of today's UTC date plus offset days. Offsets of -2 and earlier are inside the sync window
// whatever the server's time zone, since a local date is at most a day from the UTC one.
func cmpUTCDay(offset int) time.Time {
	y, m, d := time.Now().UTC().Date()
	return time.Date(y, m, d+offset, 0, 0, 0, 0, time.UTC)
}

func cmpGoogleInput(name string) map[string]any {
	return map[string]any{"platform": "GOOGLE", "name": name, "dailyBudget": 10, "keywords": []string{"crm software"}}
}

func cmpMetaInput(name string) map[string]any {
	return map[string]any{
		"platform": "FACEBOOK", "name": name, "dailyBudget": 10,
		"creatives": []map[string]any{{"headline": "Close more deals", "body": "The CRM for small teams.", "linkUrl": "https://acme.example/crm"}},
		"targeting": map[string]any{"locations": []string{"US"}},
	}
}

// cmpLiveMeta counts the campaigns on the Meta fake that were not deleted again. (Google's create is atomic:
// every campaign googlefake holds is live.)
func cmpLiveMeta(fake *metafake.Server) int {
	n := 0
	for _, c := range fake.Campaigns() {
		if !c.Deleted {
			n++
		}
	}
	return n
}

// TestCampaignLifecycleOnRealPlatforms creates, resumes and pauses a campaign through the contract with the real
// Google Ads and Meta clients, and checks both our record and what the platform holds after each step.
func TestCampaignLifecycleOnRealPlatforms(t *testing.T) {
	t.Parallel()

	t.Run("google", func(t *testing.T) {
		t.Parallel()
		fake, opts := cmpGoogleEnv(t)
		env := apitest.New(t, opts...)
		org := env.NewOrg(t, "Acme")
		gql := httpClient(env, org.APIKey)

		got := cmpCreate(t, gql, map[string]any{
			"platform": "GOOGLE", "name": "Summer Sale 2026!", "dailyBudget": 25.5, "currency": "usd",
			"keywords": []string{"[crm software]", `"sales crm"`, "crm for startups"},
		})
		camps := fake.Campaigns()
		if len(camps) != 1 {
			t.Fatalf("the fake holds %d campaigns, want 1", len(camps))
		}
		onGoogle := camps[0]
		if got.Status != "DRAFT" || got.Mock || got.external() != onGoogle.ID || got.Platform != "GOOGLE" ||
			got.Name != "Summer Sale 2026!" || got.UtmCampaign != "summer-sale-2026" || got.Product != nil {
			t.Errorf("created %+v, want a DRAFT, non-mock GOOGLE campaign with externalId %s and utmCampaign summer-sale-2026", got, onGoogle.ID)
		}
		if want := (cmpBudget{Daily: 25.5, Currency: "USD"}); got.Budget.Daily != want.Daily || got.Budget.Currency != want.Currency ||
			got.Budget.Spent != 0 || got.Budget.Limit != nil {
			t.Errorf("budget = %+v, want {daily 25.5, currency USD, spent 0, limit null}", got.Budget)
		}

		// One atomic googleAds:mutate carried budget, campaign, ad group and the three keywords.
		if n := fake.Count(googlefake.EndpointMutate); n != 1 {
			t.Errorf("%d googleAds:mutate calls, want 1", n)
		}
		var kinds []string
		for _, r := range fake.Requests() {
			if r.Endpoint != googlefake.EndpointMutate {
				continue
			}
			var body struct {
				MutateOperations []map[string]json.RawMessage
				PartialFailure   bool
			}
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatalf("mutate body: %v", err)
			}
			if body.PartialFailure {
				t.Error("the create asked for partial failure; it must be all or nothing")
			}
			for _, op := range body.MutateOperations {
				for k := range op {
					kinds = append(kinds, k)
				}
			}
		}
		wantKinds := []string{"campaignBudgetOperation", "campaignOperation", "adGroupOperation",
			"adGroupCriterionOperation", "adGroupCriterionOperation", "adGroupCriterionOperation"}
		if !slices.Equal(kinds, wantKinds) {
			t.Errorf("mutate operations = %v, want %v", kinds, wantKinds)
		}
		if onGoogle.Status != "PAUSED" || onGoogle.Name != "Summer Sale 2026!" || onGoogle.ChannelType != "SEARCH" ||
			onGoogle.Budget.AmountMicros != 25_500_000 || !strings.Contains(onGoogle.FinalURLSuffix, "utm_campaign=summer-sale-2026") {
			t.Errorf("on Google: %+v, want a PAUSED SEARCH campaign with a 25.50 budget tagged utm_campaign=summer-sale-2026", onGoogle)
		}
		if len(onGoogle.AdGroups) != 1 || onGoogle.AdGroups[0].Status != "ENABLED" {
			t.Fatalf("ad groups on Google: %+v, want one ENABLED", onGoogle.AdGroups)
		}
		var keywords []string
		for _, k := range onGoogle.AdGroups[0].Keywords {
			keywords = append(keywords, k.Text+"/"+k.MatchType+"/"+k.Status)
		}
		if want := []string{"crm software/EXACT/ENABLED", "sales crm/PHRASE/ENABLED", "crm for startups/BROAD/ENABLED"}; !slices.Equal(keywords, want) {
			t.Errorf("keywords on Google = %v, want %v", keywords, want)
		}
		row := cmpRow(t, env, org.ID, got.ID)
		if row.Status != campaign.StatusDRAFT || row.ExternalID == nil || *row.ExternalID != onGoogle.ID || row.Mock || row.DailyBudget != 2550 {
			t.Errorf("stored %v, want DRAFT with external id %s and a daily budget of 2550 cents", row, onGoogle.ID)
		}

		steps := []struct{ op, want, onGoogle string }{
			{"ResumeCampaign", "ACTIVE", "ENABLED"},
			{"PauseCampaign", "PAUSED", "PAUSED"},
			{"ResumeCampaign", "ACTIVE", "ENABLED"},
		}
		for i, s := range steps {
			if status := cmpSetStatus(t, gql, s.op, got.ID); status != s.want {
				t.Errorf("%s answered %s, want %s", s.op, status, s.want)
			}
			if row := cmpRow(t, env, org.ID, got.ID); string(row.Status) != s.want {
				t.Errorf("after %s the campaign is stored %s, want %s", s.op, row.Status, s.want)
			}
			if c, _ := fake.Campaign(onGoogle.ID); c.Status != s.onGoogle {
				t.Errorf("after %s Google has %s, want %s", s.op, c.Status, s.onGoogle)
			}
			if n := fake.Count(googlefake.EndpointCampaigns); n != i+1 {
				t.Errorf("after %s: %d campaigns:mutate calls, want %d", s.op, n, i+1)
			}
		}
		if n := fake.Count(googlefake.EndpointMutate); n != 1 || len(fake.Campaigns()) != 1 {
			t.Errorf("pause and resume created something: %d mutate calls, %d campaigns", n, len(fake.Campaigns()))
		}

		var list struct {
			Campaigns struct {
				TotalCount int
				Edges      []struct{ Node cmpOut }
			}
		}
		gql(t, contractOp(t, "Campaigns"), map[string]any{"first": 10}).Decode(t, &list)
		if list.Campaigns.TotalCount != 1 || len(list.Campaigns.Edges) != 1 {
			t.Fatalf("campaigns = %+v, want the one campaign", list.Campaigns)
		}
		if n := list.Campaigns.Edges[0].Node; n.ID != got.ID || n.Status != "ACTIVE" || n.external() != onGoogle.ID {
			t.Errorf("listed %+v, want %s ACTIVE with externalId %s", n, got.ID, onGoogle.ID)
		}
	})

	t.Run("meta", func(t *testing.T) {
		t.Parallel()
		fake, opts := cmpMetaEnv(t)
		env := apitest.New(t, opts...)
		org := env.NewOrg(t, "Acme")
		gql := httpClient(env, org.APIKey)
		product := createProduct(t, gql, map[string]any{"name": "Acme CRM"})

		got := cmpCreate(t, gql, map[string]any{
			"platform": "FACEBOOK", "name": "Spring Launch", "dailyBudget": 40, "objective": "TRAFFIC", "productId": product,
			"creatives": []map[string]any{
				{"headline": "Close more deals", "body": "The CRM for small teams.", "linkUrl": "https://acme.example/crm", "imageUrl": "https://cdn.acme.example/a.png"},
				{"headline": "Try Acme free", "body": "14 days, no card.", "linkUrl": "https://acme.example/trial"},
			},
			"targeting": map[string]any{"locations": []string{"US", "ca"}, "interests": []string{"Marketing"}, "ageMin": 25, "ageMax": 55},
		})
		camps := fake.Campaigns()
		if len(camps) != 1 {
			t.Fatalf("the fake holds %d campaigns, want 1", len(camps))
		}
		onMeta := camps[0]
		if got.Status != "DRAFT" || got.Mock || got.external() != onMeta.ID || got.Platform != "FACEBOOK" ||
			got.UtmCampaign != "spring-launch" || got.Product == nil || got.Product.ID != product {
			t.Errorf("created %+v, want a DRAFT, non-mock FACEBOOK campaign with externalId %s, utmCampaign spring-launch, product %s", got, onMeta.ID, product)
		}
		if got.Budget.Daily != 40 || got.Budget.Currency != "USD" || got.Budget.Spent != 0 || got.Budget.Limit != nil {
			t.Errorf("budget = %+v, want {daily 40, currency USD, spent 0, limit null}", got.Budget)
		}
		if onMeta.Status != "PAUSED" || onMeta.Objective != "OUTCOME_TRAFFIC" || onMeta.Deleted {
			t.Errorf("on Meta: %+v, want a PAUSED OUTCOME_TRAFFIC campaign", onMeta)
		}
		sets := fake.AdSets()
		if len(sets) != 1 || sets[0].CampaignID != onMeta.ID || sets[0].DailyBudget != 4000 || sets[0].Status != "ACTIVE" {
			t.Fatalf("ad sets on Meta: %+v, want one ACTIVE under %s with a daily budget of 4000 cents", sets, onMeta.ID)
		}
		geo, _ := sets[0].Targeting["geo_locations"].(map[string]any)
		if countries := fmt.Sprint(geo["countries"]); countries != "[US CA]" {
			t.Errorf("targeted countries = %s, want [US CA]", countries)
		}
		if interests := fmt.Sprint(sets[0].Targeting["interests"]); !strings.Contains(interests, "6003279598823") {
			t.Errorf("targeted interests = %s, want Marketing (6003279598823)", interests)
		}
		creatives := fake.Creatives()
		if len(creatives) != 2 {
			t.Fatalf("%d creatives on Meta, want 2", len(creatives))
		}
		for i, cr := range creatives {
			if !strings.Contains(cr.URLTags, "utm_campaign=spring-launch") {
				t.Errorf("creative %d url_tags = %q, want utm_campaign=spring-launch", i, cr.URLTags)
			}
		}
		adsOnMeta := fake.Ads()
		if len(adsOnMeta) != 2 || adsOnMeta[0].AdSetID != sets[0].ID || adsOnMeta[1].AdSetID != sets[0].ID ||
			adsOnMeta[0].CreativeID != creatives[0].ID || adsOnMeta[1].CreativeID != creatives[1].ID {
			t.Errorf("ads on Meta: %+v, want one per creative in ad set %s", adsOnMeta, sets[0].ID)
		}
		for ep, want := range map[metafake.Endpoint]int{metafake.EndpointCampaigns: 1, metafake.EndpointAdSets: 1,
			metafake.EndpointAdCreatives: 2, metafake.EndpointAds: 2, metafake.EndpointUpdate: 0, metafake.EndpointDelete: 0} {
			if n := fake.Count(ep); n != want {
				t.Errorf("%d calls to %s, want %d", n, ep, want)
			}
		}

		steps := []struct{ op, want, onMeta string }{
			{"ResumeCampaign", "ACTIVE", "ACTIVE"},
			{"PauseCampaign", "PAUSED", "PAUSED"},
		}
		for i, s := range steps {
			if status := cmpSetStatus(t, gql, s.op, got.ID); status != s.want {
				t.Errorf("%s answered %s, want %s", s.op, status, s.want)
			}
			if row := cmpRow(t, env, org.ID, got.ID); string(row.Status) != s.want {
				t.Errorf("after %s the campaign is stored %s, want %s", s.op, row.Status, s.want)
			}
			if c, _ := fake.Campaign(onMeta.ID); c.Status != s.onMeta {
				t.Errorf("after %s Meta has %s, want %s", s.op, c.Status, s.onMeta)
			}
			if n := fake.Count(metafake.EndpointUpdate); n != i+1 {
				t.Errorf("after %s: %d update calls, want %d", s.op, n, i+1)
			}
		}
		if n := fake.Count(metafake.EndpointCampaigns); n != 1 {
			t.Errorf("pause and resume created campaigns: %d create calls", n)
		}
	})
}

// TestCampaignProviderFailures: a platform that refuses the create leaves a FAILED record with the reason, answers
// PROVIDER_ERROR naming it, reveals no credential, leaves nothing on the platform, and does not block a retry.
func TestCampaignProviderFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		platform string
		fault    func(g *googlefake.Server, m *metafake.Server)
		message  string // in the error message
		calls    func(g *googlefake.Server, m *metafake.Server) int
		want     int // calls made by the failed create
	}{
		{
			name: "google refresh token revoked", platform: "GOOGLE",
			fault: func(g *googlefake.Server, _ *metafake.Server) {
				g.FailNext(googlefake.EndpointToken, googlefake.Fault{Kind: googlefake.Unauthenticated})
			},
			message: "credentials",
			calls:   func(g *googlefake.Server, _ *metafake.Server) int { return g.Count(googlefake.EndpointMutate) },
			want:    0,
		},
		{
			name: "google access token expired", platform: "GOOGLE",
			fault: func(g *googlefake.Server, _ *metafake.Server) {
				g.FailNext(googlefake.EndpointMutate, googlefake.Fault{Kind: googlefake.Unauthenticated})
			},
			message: "credentials",
			calls:   func(g *googlefake.Server, _ *metafake.Server) int { return g.Count(googlefake.EndpointMutate) },
			want:    1, // not retried: a retry cannot renew credentials
		},
		{
			name: "google permission denied", platform: "GOOGLE",
			fault: func(g *googlefake.Server, _ *metafake.Server) {
				g.FailNext(googlefake.EndpointMutate, googlefake.Fault{Kind: googlefake.PermissionDenied})
			},
			message: "permission",
			calls:   func(g *googlefake.Server, _ *metafake.Server) int { return g.Count(googlefake.EndpointMutate) },
			want:    1,
		},
		{
			name: "google rate limit outlasts the retries", platform: "GOOGLE",
			fault: func(g *googlefake.Server, _ *metafake.Server) {
				g.FailNext(googlefake.EndpointMutate, googlefake.Fault{Kind: googlefake.RateLimited, RetryDelay: time.Millisecond, Times: 3})
			},
			message: "rate limit",
			calls:   func(g *googlefake.Server, _ *metafake.Server) int { return g.Count(googlefake.EndpointMutate) },
			want:    3,
		},
		{
			name: "google asks for a pause longer than the client waits", platform: "GOOGLE",
			fault: func(g *googlefake.Server, _ *metafake.Server) {
				g.FailNext(googlefake.EndpointMutate, googlefake.Fault{Kind: googlefake.RateLimited, RetryDelay: time.Hour})
			},
			message: "rate limit",
			calls:   func(g *googlefake.Server, _ *metafake.Server) int { return g.Count(googlefake.EndpointMutate) },
			want:    1,
		},
		{
			name: "meta token expired", platform: "FACEBOOK",
			fault: func(_ *googlefake.Server, m *metafake.Server) {
				m.FailNext(metafake.EndpointCampaigns, metafake.Fault{Kind: metafake.Unauthenticated})
			},
			message: "credentials",
			calls:   func(_ *googlefake.Server, m *metafake.Server) int { return m.Count(metafake.EndpointCampaigns) },
			want:    1,
		},
		{
			name: "meta ad account throttled", platform: "FACEBOOK",
			fault: func(_ *googlefake.Server, m *metafake.Server) {
				m.FailNext(metafake.EndpointCampaigns, metafake.Fault{Kind: metafake.RateLimited, Code: 613, RegainAfter: 5 * time.Minute})
			},
			message: "rate limit",
			calls:   func(_ *googlefake.Server, m *metafake.Server) int { return m.Count(metafake.EndpointCampaigns) },
			want:    1,
		},
		{
			name: "meta refuses the ad set after the campaign exists", platform: "FACEBOOK",
			fault: func(_ *googlefake.Server, m *metafake.Server) {
				m.FailNext(metafake.EndpointAdSets, metafake.Fault{Kind: metafake.InvalidParameter})
			},
			message: "The fake was told to reject this call.",
			calls:   func(_ *googlefake.Server, m *metafake.Server) int { return m.Count(metafake.EndpointDelete) },
			want:    1, // the half-made campaign was deleted again
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, gopts := cmpGoogleEnv(t)
			m, mopts := cmpMetaEnv(t)
			env := apitest.New(t, append(gopts, mopts...)...)
			org := env.NewOrg(t, "Acme")
			gql := httpClient(env, org.APIKey)
			input := cmpGoogleInput("Black Friday")
			if tt.platform == "FACEBOOK" {
				input = cmpMetaInput("Black Friday")
			}

			tt.fault(g, m)
			res := gql(t, contractOp(t, "CreateCampaign"), map[string]any{"input": input})
			e := wantError(t, res, "PROVIDER_ERROR")
			wantNoDataFor(t, res, "createCampaign")
			if !strings.Contains(e.Message, tt.message) {
				t.Errorf("message %q, want it to mention %q", e.Message, tt.message)
			}
			raw, _ := json.Marshal(res.Errors)
			cmpNoSecrets(t, "the error", string(raw))
			if n := tt.calls(g, m); n != tt.want {
				t.Errorf("%d platform calls of interest, want %d", n, tt.want)
			}
			failedID, _ := e.Extensions["campaignId"].(string)
			if failedID == "" {
				t.Fatalf("extensions = %v, want campaignId", e.Extensions)
			}
			failed := cmpDetailOf(t, gql, failedID)
			if failed == nil || failed.Status != "FAILED" || failed.FailureReason == nil || *failed.FailureReason == "" ||
				failed.ExternalID != nil || failed.UtmCampaign != "black-friday" {
				t.Fatalf("the failed attempt reads %+v, want FAILED with a failureReason, no externalId, utmCampaign black-friday", failed)
			}
			cmpNoSecrets(t, "failureReason", *failed.FailureReason)
			if live := len(g.Campaigns()) + cmpLiveMeta(m); live != 0 {
				t.Errorf("%d campaigns left on the platforms after the failure, want none", live)
			}

			// The platform recovers; the same create succeeds and replaces the failed attempt.
			got := cmpCreate(t, gql, input)
			if got.Status != "DRAFT" || got.external() == "" || got.UtmCampaign != failed.UtmCampaign || got.ID == failedID {
				t.Errorf("retry created %+v, want a new DRAFT with an externalId and utmCampaign %s", got, failed.UtmCampaign)
			}
			if n := cmpCount(t, env, org.ID); n != 1 {
				t.Errorf("%d campaigns stored after the retry, want 1 (the failed attempt replaced)", n)
			}
			wantHidden(t, gql(t, cmpDetailQuery, map[string]any{"id": failedID}), "node")
			if live := len(g.Campaigns()) + cmpLiveMeta(m); live != 1 {
				t.Errorf("%d live campaigns on the platforms after the retry, want 1", live)
			}
		})
	}

	t.Run("google rate limit retried", func(t *testing.T) {
		t.Parallel()
		g, opts := cmpGoogleEnv(t)
		env := apitest.New(t, opts...)
		org := env.NewOrg(t, "Acme")
		g.FailNext(googlefake.EndpointMutate, googlefake.Fault{Kind: googlefake.RateLimited, RetryDelay: time.Millisecond, Times: 1})
		got := cmpCreate(t, httpClient(env, org.APIKey), cmpGoogleInput("Cyber Monday"))
		camps := g.Campaigns()
		if n := g.Count(googlefake.EndpointMutate); n != 2 || len(camps) != 1 {
			t.Fatalf("%d mutate calls and %d campaigns, want the 429 retried once and one campaign", n, len(camps))
		}
		if got.Status != "DRAFT" || got.external() != camps[0].ID {
			t.Errorf("created %+v, want DRAFT with externalId %s", got, camps[0].ID)
		}
	})
}

// TestCreateCampaignRejectsInvalidInput: bad input answers BAD_USER_INPUT naming the field, stores nothing and sends
// nothing to either platform.
func TestCreateCampaignRejectsInvalidInput(t *testing.T) {
	t.Parallel()
	g, gopts := cmpGoogleEnv(t)
	m, mopts := cmpMetaEnv(t)
	env := apitest.New(t, append(gopts, mopts...)...)
	a, b := env.NewOrg(t, "A"), env.NewOrg(t, "B")
	gql := httpClient(env, a.APIKey)
	bProduct := createProduct(t, httpClient(env, b.APIKey), map[string]any{"name": "B's product"})
	if _, err := env.DB.Client.Campaign.Create().SetPlatform(campaign.PlatformGOOGLE).SetName("Existing").
		SetDailyBudget(1000).SetUtmCampaign("taken-utm").Save(cmpOrgCtx(a.ID)); err != nil {
		t.Fatal(err)
	}
	with := func(base map[string]any, kv ...any) map[string]any {
		out := map[string]any{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(out, kv[i].(string))
			} else {
				out[kv[i].(string)] = kv[i+1]
			}
		}
		return out
	}
	day := func(offset int) string { return time.Now().AddDate(0, 0, offset).UTC().Format(time.RFC3339) }
	google, meta := cmpGoogleInput("Valid name"), cmpMetaInput("Valid name")
	creative := func(headline, link string) []map[string]any {
		return []map[string]any{{"headline": headline, "body": "Body", "linkUrl": link}}
	}

	tests := []struct {
		name  string
		input map[string]any
		field string
	}{
		{"empty name", with(google, "name", ""), "name"},
		{"blank name", with(google, "name", "   "), "name"},
		{"201-character name", with(google, "name", strings.Repeat("n", 201)), "name"},
		{"zero budget", with(google, "dailyBudget", 0), "dailyBudget"},
		{"negative budget", with(google, "dailyBudget", -5), "dailyBudget"},
		{"budget below a cent", with(google, "dailyBudget", 0.001), "dailyBudget"},
		{"currency not a code", with(google, "currency", "dollars"), "currency"},
		{"google without keywords", with(google, "keywords", nil), "keywords"},
		{"google with an empty keyword list", with(google, "keywords", []string{}), "keywords"},
		{"meta without creatives", with(meta, "creatives", nil), "creatives"},
		{"meta with an empty creative list", with(meta, "creatives", []map[string]any{}), "creatives"},
		{"meta creative with an ftp link", with(meta, "creatives", creative("Headline", "ftp://x")), "creatives.linkUrl"},
		{"meta creative with a relative link", with(meta, "creatives", creative("Headline", "/pricing")), "creatives.linkUrl"},
		{"meta creative without a headline", with(meta, "creatives", creative(" ", "https://acme.example")), "creatives"},
		{"end before start", with(google, "startDate", day(10), "endDate", day(5)), "endDate"},
		{"end in the past", with(google, "endDate", day(-2)), "endDate"},
		{"utmCampaign already used", with(google, "utmCampaign", "taken-utm"), "utmCampaign"},
		{"utmCampaign already used, other case", with(google, "utmCampaign", " Taken-UTM "), "utmCampaign"},
		{"name whose slug is already used", with(google, "name", "Taken UTM!"), "utmCampaign"},
		{"name without a usable slug", with(google, "name", "!!!"), "utmCampaign"},
		{"ages reversed", with(google, "targeting", map[string]any{"ageMin": 40, "ageMax": 30}), "targeting.ageMax"},
		{"product of another organization", with(google, "productId", bProduct), "productId"},
		{"unknown product", with(meta, "productId", "prd_01jzzzzzzzzzzzzzzzzzzzzzzz"), "productId"},
		// The platforms' own rules are input errors too, refused before anything is recorded or sent.
		{"meta without a country", with(meta, "targeting", map[string]any{"interests": []string{"Marketing"}}), "targeting.locations"},
		{"meta with an unknown objective", with(meta, "objective", "WORLD_DOMINATION"), "objective"},
		{"google with an empty match-type keyword", with(google, "keywords", []string{"[]"}), "keywords[0]"},
	}
	gBefore, mBefore := len(g.Requests()), len(m.Requests())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := gql(t, contractOp(t, "CreateCampaign"), map[string]any{"input": tt.input})
			e := wantError(t, res, "BAD_USER_INPUT")
			wantNoDataFor(t, res, "createCampaign")
			if f, _ := e.Extensions["field"].(string); f != tt.field {
				t.Errorf("field = %q (%q), want %q", f, e.Message, tt.field)
			}
			if n := cmpCount(t, env, a.ID); n != 1 {
				t.Errorf("%d campaigns stored, want only the existing one", n)
			}
			if gn, mn := len(g.Requests()), len(m.Requests()); gn != gBefore || mn != mBefore {
				t.Errorf("requests reached the platforms: Google %d→%d, Meta %d→%d", gBefore, gn, mBefore, mn)
			}
		})
	}

	// The base inputs are valid: the same requests with nothing wrong reach the platforms and are stored.
	for _, in := range []map[string]any{google, with(meta, "name", "Valid Meta name", "productId", nil)} {
		if got := cmpCreate(t, gql, in); got.Status != "DRAFT" || got.external() == "" {
			t.Errorf("valid input created %+v, want a DRAFT with an externalId", got)
		}
	}
	if n := cmpCount(t, env, a.ID); n != 3 {
		t.Errorf("%d campaigns after two valid creates, want 3", n)
	}
	if len(g.Campaigns()) != 1 || len(m.Campaigns()) != 1 {
		t.Errorf("platforms hold %d Google and %d Meta campaigns, want one each", len(g.Campaigns()), len(m.Campaigns()))
	}
}

// TestCampaignMetricsSync: a sync upserts one row per day, so syncing twice changes nothing; performance is computed
// from the platform's numbers, and revenue switches to what attribution credits the campaign under LAST_TOUCH once
// it has credits.
func TestCampaignMetricsSync(t *testing.T) {
	t.Parallel()
	fake, opts := cmpGoogleEnv(t)
	env := apitest.New(t, opts...)
	org := env.NewOrg(t, "Acme")
	gql := httpClient(env, org.APIKey)

	c := cmpCreate(t, gql, map[string]any{"platform": "GOOGLE", "name": "Autumn CRM", "dailyBudget": 20, "keywords": []string{"crm"}})
	if status := cmpSetStatus(t, gql, "ResumeCampaign", c.ID); status != "ACTIVE" {
		t.Fatalf("resume answered %s", status)
	}
	days := []time.Time{cmpUTCDay(-4), cmpUTCDay(-3), cmpUTCDay(-2)}
	fixture := []googlefake.Metric{
		// cost 12.345678 rounds to 12.35, 19.994999 to 19.99: 40.00 in all.
		{Date: days[0], Impressions: 1000, Clicks: 50, CostMicros: 12_345_678, Conversions: 2, ConversionsValue: 150},
		{Date: days[1], Impressions: 2000, Clicks: 80, CostMicros: 19_994_999, Conversions: 3.5, ConversionsValue: 210.5},
		{Date: days[2], Impressions: 500, Clicks: 20, CostMicros: 7_660_000, Conversions: 0.5, ConversionsValue: 39.5},
	}
	outside := googlefake.Metric{Date: cmpUTCDay(-45), Impressions: 99999, Clicks: 9999, CostMicros: 999_000_000, Conversions: 99, ConversionsValue: 9999}
	fake.SetMetrics(c.external(), append(slices.Clone(fixture), outside)...)

	// Hand-computed from the fixture: 3500 impressions, 150 clicks, 6 conversions, 40.00 spent, 400.00 of value.
	platformPerf := cmpPerf{Impressions: 3500, Clicks: 150, Conversions: 6, Spend: 40, Revenue: 400,
		CTR: cmpF64(0.04285714285714286), CPC: cmpF64(0.26666666666666666), CPA: cmpF64(6.666666666666667), ROAS: cmpF64(10), ROI: cmpF64(9)}

	cmpSync(t, gql, c.ID).check(t, platformPerf)
	first := cmpMetricRows(t, env, org.ID, c.ID)
	if len(first) != 3 {
		t.Fatalf("%d metric rows after the first sync, want 3 (the day outside the 30-day window is not read)", len(first))
	}
	wantCost, wantValue := []int64{1235, 1999, 766}, []int64{15000, 21050, 3950}
	for i, r := range first {
		if !r.Date.Equal(days[i]) || r.Impressions != fixture[i].Impressions || r.Clicks != fixture[i].Clicks ||
			r.Conversions != fixture[i].Conversions || r.Cost != wantCost[i] || r.ConversionValue != wantValue[i] || r.Currency != "USD" {
			t.Errorf("metric row %d = %v, want %s with cost %d and value %d cents", i, r, days[i].Format(time.DateOnly), wantCost[i], wantValue[i])
		}
	}
	cmpSync(t, gql, c.ID).check(t, platformPerf)
	cmpSameRows(t, first, cmpMetricRows(t, env, org.ID, c.ID))
	row := cmpRow(t, env, org.ID, c.ID)
	if row.BudgetSpent != 4000 || row.MetricsSyncedAt == nil || row.Status != campaign.StatusACTIVE {
		t.Errorf("stored %v, want 4000 cents spent, a sync time, still ACTIVE", row)
	}

	t.Run("CampaignMetrics", func(t *testing.T) {
		type point struct {
			Date                  time.Time
			Impressions, Clicks   int64
			Conversions           float64
			Cost, ConversionValue float64
		}
		read := func(vars map[string]any) []point {
			var got struct {
				Node *struct {
					ID      string
					Metrics []point
				}
			}
			gql(t, contractOp(t, "CampaignMetrics"), vars).Decode(t, &got)
			if got.Node == nil || got.Node.ID != c.ID {
				t.Fatalf("CampaignMetrics node = %+v, want campaign %s", got.Node, c.ID)
			}
			return got.Node.Metrics
		}
		want := []point{
			{days[0], 1000, 50, 2, 12.35, 150},
			{days[1], 2000, 80, 3.5, 19.99, 210.5},
			{days[2], 500, 20, 0.5, 7.66, 39.5},
		}
		eq := func(a, b point) bool {
			return a.Date.Equal(b.Date) && a.Impressions == b.Impressions && a.Clicks == b.Clicks &&
				a.Conversions == b.Conversions && a.Cost == b.Cost && a.ConversionValue == b.ConversionValue
		}
		got := read(map[string]any{"id": c.ID})
		if !slices.EqualFunc(got, want, eq) {
			t.Errorf("daily series = %+v,\nwant %+v", got, want)
		}
		ranged := read(map[string]any{"id": c.ID, "from": days[1].Format(time.RFC3339), "to": days[2].Format(time.RFC3339)})
		if !slices.EqualFunc(ranged, want[1:], eq) {
			t.Errorf("series from %s to %s = %+v, want the last two days", days[1].Format(time.DateOnly), days[2].Format(time.DateOnly), ranged)
		}
	})

	// Attribution: buyer-1's last touch is this campaign (30.50 credited to it); buyer-2 came through it first but
	// last through another campaign, and buyer-3 only through the other one: LAST_TOUCH gives them to "retargeting".
	touch := func(vid, utm string) {
		q := url.Values{"k": {org.TrackingKey}, "vid": {vid}, "utm_source": {"google"}, "utm_medium": {"cpc"}, "utm_campaign": {utm}}
		if res := hitPixel(t, env, q, browserUA, nil); res.status != http.StatusOK || res.dropped != "" {
			t.Fatalf("pixel hit: status %d dropped %q", res.status, res.dropped)
		}
	}
	buy := func(vid string, value float64) {
		in := map[string]any{"eventType": "purchase", "visitorId": vid, "value": value, "idempotencyKey": "order-" + vid}
		gql(t, cmpTrackEvent, map[string]any{"input": in}).Decode(t, &struct{}{})
	}
	touch("buyer-1", c.UtmCampaign)
	touch("buyer-2", c.UtmCampaign)
	touch("buyer-2", "retargeting")
	touch("buyer-3", "retargeting")
	buy("buyer-1", 30.5)
	buy("buyer-2", 300)
	buy("buyer-3", 100)
	if byCampaign := attributionReport(t, env, org.APIKey, "LAST_TOUCH", "CAMPAIGN").revenueBy(); !near(byCampaign[c.UtmCampaign], 30.5) || !near(byCampaign["retargeting"], 400) {
		t.Fatalf("LAST_TOUCH by campaign = %v, want %s 30.5 and retargeting 400", byCampaign, c.UtmCampaign)
	}

	attributed := platformPerf
	attributed.Revenue, attributed.ROAS, attributed.ROI = 30.5, cmpF64(0.7625), cmpF64(-0.2375)
	cmpSync(t, gql, c.ID).check(t, attributed)
	cmpSameRows(t, first, cmpMetricRows(t, env, org.ID, c.ID))

	// The platform revises the last day (late clicks): the same row takes the new numbers.
	revised := slices.Clone(fixture)
	revised[2].Clicks = 30
	fake.SetMetrics(c.external(), revised...)
	revisedPerf := attributed
	revisedPerf.Clicks, revisedPerf.CTR, revisedPerf.CPC = 160, cmpF64(0.045714285714285714), cmpF64(0.25)
	cmpSync(t, gql, c.ID).check(t, revisedPerf)
	after := cmpMetricRows(t, env, org.ID, c.ID)
	if len(after) != 3 || after[2].ID != first[2].ID || after[2].Clicks != 30 || after[0].ID != first[0].ID || after[1].ID != first[1].ID {
		t.Errorf("after the revision: %v, want the same three rows with 30 clicks on the last", after)
	}

	var list struct {
		Campaigns struct {
			Edges []struct {
				Node struct {
					ID          string
					Performance struct{ Spend, Revenue, ROAS, ROI float64 }
				}
			}
		}
	}
	gql(t, contractOp(t, "Campaigns"), map[string]any{"first": 5}).Decode(t, &list)
	if len(list.Campaigns.Edges) != 1 {
		t.Fatalf("campaigns = %+v, want one", list.Campaigns)
	}
	if p := list.Campaigns.Edges[0].Node.Performance; !near(p.Spend, 40) || !near(p.Revenue, 30.5) || !near(p.ROAS, 0.7625) || !near(p.ROI, -0.2375) {
		t.Errorf("listed performance = %+v, want spend 40, revenue 30.5, roas 0.7625, roi -0.2375", p)
	}
}

// TestCampaignMockMode: without credentials a campaign is created, resumed and synced in mock mode, and the mock's
// numbers are stable, so syncing twice leaves the same rows and totals.
func TestCampaignMockMode(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	gql := httpClient(env, org.APIKey)
	tests := []struct {
		input  map[string]any
		prefix string
	}{
		{cmpGoogleInput("Mock Google"), "google_mock_"},
		{cmpMetaInput("Mock Meta"), "fb_mock_"},
	}
	for _, tt := range tests {
		t.Run(tt.input["platform"].(string), func(t *testing.T) {
			c := cmpCreate(t, gql, tt.input)
			if !c.Mock || c.Status != "DRAFT" || !strings.HasPrefix(c.external(), tt.prefix) || len(c.external()) == len(tt.prefix) {
				t.Fatalf("created %+v, want a mock DRAFT with externalId %s<n>", c, tt.prefix)
			}
			if status := cmpSetStatus(t, gql, "ResumeCampaign", c.ID); status != "ACTIVE" {
				t.Fatalf("resume answered %s, want ACTIVE", status)
			}
			p1 := cmpSync(t, gql, c.ID)
			rows := cmpMetricRows(t, env, org.ID, c.ID)
			p2 := cmpSync(t, gql, c.ID)
			cmpSameRows(t, rows, cmpMetricRows(t, env, org.ID, c.ID))
			p2.check(t, p1)
			if len(rows) < 29 || len(rows) > 30 {
				t.Errorf("%d mock days, want the 30-day window", len(rows))
			}
			var impressions, clicks, cost, value int64
			for _, r := range rows {
				impressions, clicks, cost, value = impressions+r.Impressions, clicks+r.Clicks, cost+r.Cost, value+r.ConversionValue
			}
			if p1.Impressions != impressions || p1.Clicks != clicks || !near(p1.Spend, float64(cost)/100) || !near(p1.Revenue, float64(value)/100) || impressions == 0 {
				t.Errorf("performance %s, want the sum of the rows: %d impressions, %d clicks, %d cents spent, %d cents of value", p1, impressions, clicks, cost, value)
			}
			if d := cmpDetailOf(t, gql, c.ID); d == nil || !d.Mock || d.Status != "ACTIVE" {
				t.Errorf("campaign reads %+v, want mock and ACTIVE", d)
			}
		})
	}
}

// TestCampaignStatusTransitions: transitions the status does not allow are refused with BAD_USER_INPUT on "status"
// and reach no platform; repeating the current status is harmless.
func TestCampaignStatusTransitions(t *testing.T) {
	t.Parallel()
	fake, opts := cmpGoogleEnv(t)
	env := apitest.New(t, opts...)
	org := env.NewOrg(t, "Acme")
	gql := httpClient(env, org.APIKey)

	draft := cmpCreate(t, gql, cmpGoogleInput("Draft one")).ID
	active := cmpCreate(t, gql, cmpGoogleInput("Active one")).ID
	cmpSetStatus(t, gql, "ResumeCampaign", active)
	paused := cmpCreate(t, gql, cmpGoogleInput("Paused one")).ID
	cmpSetStatus(t, gql, "ResumeCampaign", paused)
	cmpSetStatus(t, gql, "PauseCampaign", paused)
	ended := cmpCreate(t, gql, cmpGoogleInput("Ended one")).ID
	cmpSetStatus(t, gql, "ResumeCampaign", ended)
	if err := env.DB.Client.Campaign.UpdateOneID(ended).SetStatus(campaign.StatusENDED).Exec(cmpOrgCtx(org.ID)); err != nil {
		t.Fatal(err)
	}
	fake.FailNext(googlefake.EndpointMutate, googlefake.Fault{Kind: googlefake.PermissionDenied})
	failedRes := gql(t, contractOp(t, "CreateCampaign"), map[string]any{"input": cmpGoogleInput("Failed one")})
	failed, _ := wantError(t, failedRes, "PROVIDER_ERROR").Extensions["campaignId"].(string)

	tests := []struct {
		name, op, id string
		code         string // "" for success
		status       string // stored afterwards (and answered on success)
		calls        int    // platform API calls made
	}{
		{"pause a DRAFT", "PauseCampaign", draft, "BAD_USER_INPUT", "DRAFT", 0},
		{"resume an ACTIVE", "ResumeCampaign", active, "", "ACTIVE", 0},
		{"pause a PAUSED", "PauseCampaign", paused, "", "PAUSED", 0},
		{"resume a FAILED", "ResumeCampaign", failed, "BAD_USER_INPUT", "FAILED", 0},
		{"pause a FAILED", "PauseCampaign", failed, "BAD_USER_INPUT", "FAILED", 0},
		{"resume an ENDED", "ResumeCampaign", ended, "BAD_USER_INPUT", "ENDED", 0},
		{"pause an ENDED", "PauseCampaign", ended, "BAD_USER_INPUT", "ENDED", 0},
		{"sync a DRAFT", "SyncCampaignMetrics", draft, "BAD_USER_INPUT", "DRAFT", 0},
		{"sync a FAILED", "SyncCampaignMetrics", failed, "BAD_USER_INPUT", "FAILED", 0},
		{"sync a PAUSED", "SyncCampaignMetrics", paused, "", "PAUSED", 1},
		{"pause an unknown id", "PauseCampaign", "cmp_01jzzzzzzzzzzzzzzzzzzzzzzz", "NOT_FOUND", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := fake.Count(googlefake.EndpointAny)
			res := gql(t, contractOp(t, tt.op), map[string]any{"id": tt.id})
			switch tt.code {
			case "":
				var got map[string]struct{ ID, Status string }
				res.Decode(t, &got)
				for field, v := range got {
					if v.ID != tt.id || (tt.op != "SyncCampaignMetrics" && v.Status != tt.status) {
						t.Errorf("%s = %+v, want %s %s", field, v, tt.id, tt.status)
					}
				}
			default:
				e := wantError(t, res, tt.code)
				if f, _ := e.Extensions["field"].(string); tt.code == "BAD_USER_INPUT" && f != "status" {
					t.Errorf("field = %q (%q), want status", f, e.Message)
				}
			}
			if tt.status != "" {
				if row := cmpRow(t, env, org.ID, tt.id); string(row.Status) != tt.status {
					t.Errorf("stored status %s, want %s", row.Status, tt.status)
				}
			}
			if n := fake.Count(googlefake.EndpointAny) - before; n != tt.calls {
				t.Errorf("%d platform calls, want %d", n, tt.calls)
			}
		})
	}

	t.Run("platform refuses the pause", func(t *testing.T) {
		fake.FailNext(googlefake.EndpointCampaigns, googlefake.Fault{Kind: googlefake.PermissionDenied})
		res := gql(t, contractOp(t, "PauseCampaign"), map[string]any{"id": active})
		e := wantError(t, res, "PROVIDER_ERROR")
		if id, _ := e.Extensions["campaignId"].(string); id != active {
			t.Errorf("campaignId = %q, want %s", id, active)
		}
		if row := cmpRow(t, env, org.ID, active); row.Status != campaign.StatusACTIVE {
			t.Errorf("stored %s after the refused pause, want still ACTIVE", row.Status)
		}
	})
}

// TestCampaignTenancy: organization B can neither change, sync nor read A's campaign, over HTTP or a WebSocket, and
// A's campaign and the platform are untouched afterwards.
func TestCampaignTenancy(t *testing.T) {
	t.Parallel()
	fake, opts := cmpGoogleEnv(t)
	env := apitest.New(t, opts...)
	a, b := env.NewOrg(t, "A"), env.NewOrg(t, "B")
	asA := httpClient(env, a.APIKey)

	c := cmpCreate(t, asA, cmpGoogleInput("A's campaign"))
	cmpSetStatus(t, asA, "ResumeCampaign", c.ID)
	fake.SetMetrics(c.external(), googlefake.Metric{Date: cmpUTCDay(-2), Impressions: 100, Clicks: 10, CostMicros: 5_000_000, Conversions: 1, ConversionsValue: 20})
	cmpSync(t, asA, c.ID)
	// A FAILED attempt of A's holds the utm_campaign B will use: B's create must not replace it.
	fake.FailNext(googlefake.EndpointMutate, googlefake.Fault{Kind: googlefake.PermissionDenied})
	aFailed, _ := wantError(t, asA(t, contractOp(t, "CreateCampaign"), map[string]any{"input": cmpWith(cmpGoogleInput("A's failed one"), "utmCampaign", "shared-utm")}), "PROVIDER_ERROR").Extensions["campaignId"].(string)

	before := cmpRow(t, env, a.ID, c.ID)
	metricsBefore := cmpMetricRows(t, env, a.ID, c.ID)
	callsBefore := fake.Count(googlefake.EndpointAny)

	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			asB := tr.connect(t, env, b.APIKey)
			for _, op := range []struct{ op, field string }{
				{"PauseCampaign", "pauseCampaign"},
				{"ResumeCampaign", "resumeCampaign"},
				{"SyncCampaignMetrics", "syncCampaignMetrics"},
			} {
				res := asB(t, contractOp(t, op.op), map[string]any{"id": c.ID})
				wantError(t, res, "NOT_FOUND")
				wantNoDataFor(t, res, op.field)
			}
			wantHidden(t, asB(t, contractOp(t, "Node"), map[string]any{"id": c.ID}), "node")
			wantHidden(t, asB(t, cmpDetailQuery, map[string]any{"id": c.ID}), "node")
			wantHidden(t, asB(t, contractOp(t, "CampaignMetrics"), map[string]any{"id": c.ID}), "node")

			asAHere := tr.connect(t, env, a.APIKey)
			for _, q := range []struct {
				name         string
				vars         map[string]any
				wantA, wantB []string
			}{
				{"all", map[string]any{"first": 50}, sorted(c.ID, aFailed), sorted()},
				{"where utmCampaign", map[string]any{"first": 50, "where": map[string]any{"utmCampaign": c.UtmCampaign}}, sorted(c.ID), sorted()},
			} {
				for _, w := range []struct {
					who    string
					client gqlClient
					want   []string
				}{{"A", asAHere, q.wantA}, {"B", asB, q.wantB}} {
					var data struct{ Campaigns connection }
					w.client(t, contractOp(t, "Campaigns"), q.vars).Decode(t, &data)
					got := data.Campaigns.ids()
					if !slices.Equal(got, w.want) || data.Campaigns.TotalCount == nil || *data.Campaigns.TotalCount != len(w.want) {
						t.Errorf("campaigns %s as %s = %v (totalCount %v), want %v", q.name, w.who, got, data.Campaigns.TotalCount, w.want)
					}
				}
			}
		})
	}

	after := cmpRow(t, env, a.ID, c.ID)
	if after.Status != campaign.StatusACTIVE || !after.UpdatedAt.Equal(before.UpdatedAt) ||
		after.MetricsSyncedAt == nil || !after.MetricsSyncedAt.Equal(*before.MetricsSyncedAt) || after.Spend != before.Spend {
		t.Errorf("A's campaign changed:\n before %v\n after  %v", before, after)
	}
	cmpSameRows(t, metricsBefore, cmpMetricRows(t, env, a.ID, c.ID))
	if n := fake.Count(googlefake.EndpointAny); n != callsBefore {
		t.Errorf("B's requests made %d platform calls", n-callsBefore)
	}
	if onGoogle, _ := fake.Campaign(c.external()); onGoogle.Status != "ENABLED" {
		t.Errorf("A's campaign is %s on Google, want ENABLED", onGoogle.Status)
	}
	// A sees its campaign as before (so each "B sees nothing" above could have failed).
	if d := cmpDetailOf(t, asA, c.ID); d == nil || d.Status != "ACTIVE" {
		t.Errorf("A reads its campaign as %+v, want ACTIVE", d)
	}

	// utm_campaign is unique per organization: B may use the one A's failed attempt holds, and that attempt stays.
	bc := cmpCreate(t, httpClient(env, b.APIKey), cmpWith(cmpGoogleInput("B's campaign"), "utmCampaign", "shared-utm"))
	if bc.UtmCampaign != "shared-utm" || bc.Status != "DRAFT" {
		t.Errorf("B created %+v, want a DRAFT with utmCampaign shared-utm", bc)
	}
	if d := cmpDetailOf(t, asA, aFailed); d == nil || d.Status != "FAILED" || d.UtmCampaign != "shared-utm" {
		t.Errorf("A's failed attempt reads %+v after B's create, want it kept", d)
	}
	if n := cmpCount(t, env, a.ID); n != 2 {
		t.Errorf("A has %d campaigns, want 2", n)
	}
}

func cmpWith(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{k: v}
	for key, val := range m {
		if key != k {
			out[key] = val
		}
	}
	return out
}
