package googlefake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/marketingos/marketingos/internal/ads/google/googlefake"
)

// These tests speak raw HTTP to the fake, to pin the checks a well-behaved client never trips.

func token(t *testing.T, fake *googlefake.Server) string {
	t.Helper()
	status, body := post(t, fake.TokenURL(), "application/x-www-form-urlencoded", "", url.Values{
		"grant_type": {"refresh_token"}, "client_id": {googlefake.ClientID},
		"client_secret": {googlefake.ClientSecret}, "refresh_token": {googlefake.RefreshToken},
	}.Encode())
	if status != 200 {
		t.Fatalf("token: %d %s", status, body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	if err := json.Unmarshal([]byte(body), &tok); err != nil || tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 {
		t.Fatalf("token body %s", body)
	}
	return tok.AccessToken
}

func post(t *testing.T, u, contentType, bearer, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestTokenEndpoint(t *testing.T) {
	fake := googlefake.New()
	defer fake.Close()
	tests := []struct {
		name   string
		form   url.Values
		status int
		errTag string
	}{
		{"wrong grant", url.Values{"grant_type": {"password"}}, 400, "unsupported_grant_type"},
		{"wrong secret", url.Values{"grant_type": {"refresh_token"}, "client_id": {googlefake.ClientID}, "client_secret": {"x"}, "refresh_token": {googlefake.RefreshToken}}, 401, "invalid_client"},
		{"wrong refresh token", url.Values{"grant_type": {"refresh_token"}, "client_id": {googlefake.ClientID}, "client_secret": {googlefake.ClientSecret}, "refresh_token": {"x"}}, 400, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(t, fake.TokenURL(), "application/x-www-form-urlencoded", "", tt.form.Encode())
			if status != tt.status || !strings.Contains(body, `"error":"`+tt.errTag+`"`) {
				t.Errorf("%d %s", status, body)
			}
		})
	}
}

func TestMutateChecks(t *testing.T) {
	cid := googlefake.DefaultCustomerID
	budget := `{"campaignBudgetOperation":{"create":{"resourceName":"customers/` + cid + `/campaignBudgets/-1","name":"B","amountMicros":"5000000"}}}`
	campaign := func(extra string) string {
		return `{"campaignOperation":{"create":{"resourceName":"customers/` + cid + `/campaigns/-2","name":"C","advertisingChannelType":"SEARCH","status":"PAUSED","manualCpc":{}` + extra + `}}}`
	}
	eu := `,"containsEuPoliticalAdvertising":"DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING"`
	withBudget := `,"campaignBudget":"customers/` + cid + `/campaignBudgets/-1"`
	tests := []struct {
		name    string
		version string
		ops     string
		status  int
		want    string // in the error body
	}{
		{"campaign without a budget", "v21", campaign(eu), 400, `"fieldName":"campaign_budget"`},
		{"campaign without the EU political declaration", "v21", budget + "," + campaign(withBudget), 400, `"fieldName":"contains_eu_political_advertising"`},
		{"budget not a whole cent", "v21", `{"campaignBudgetOperation":{"create":{"name":"B","amountMicros":"5000001"}}}`, 400, "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT"},
		{"startDate is gone in v23", "v23", budget + "," + campaign(withBudget+eu+`,"startDate":"2026-09-01"`), 400, `Unknown name \"startDate\"`},
		{"startDateTime unknown in v21", "v21", budget + "," + campaign(withBudget+eu+`,"startDateTime":"2026-09-01 00:00:00"`), 400, `Unknown name \"startDateTime\"`},
		{"unknown temporary id", "v21", campaign(eu + `,"campaignBudget":"customers/` + cid + `/campaignBudgets/-9"`), 400, "RESOURCE_NOT_FOUND"},
		{"keyword without match type", "v21", budget + "," + campaign(withBudget+eu) + `,{"adGroupOperation":{"create":{"resourceName":"customers/` + cid + `/adGroups/-3","name":"G","campaign":"customers/` + cid + `/campaigns/-2"}}},{"adGroupCriterionOperation":{"create":{"adGroup":"customers/` + cid + `/adGroups/-3","keyword":{"text":"x"}}}}`, 400, "REQUIRED"},
		{"complete", "v21", budget + "," + campaign(withBudget+eu), 200, `"campaignResult":{"resourceName":"customers/` + cid + `/campaigns/`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := googlefake.New()
			defer fake.Close()
			status, body := post(t, fake.URL()+"/"+tt.version+"/customers/"+cid+"/googleAds:mutate", "application/json",
				token(t, fake), `{"mutateOperations":[`+tt.ops+`]}`)
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("%d %s\nwant %d containing %s", status, body, tt.status, tt.want)
			}
			if status != 200 && len(fake.Campaigns()) != 0 {
				t.Errorf("a rejected mutate stored %+v", fake.Campaigns())
			}
			if status == 200 && strings.Contains(body, `"error"`) {
				t.Errorf("body %s", body)
			}
		})
	}
}

func TestAPIAuthChecks(t *testing.T) {
	fake := googlefake.New(googlefake.WithLoginCustomerID("999"))
	defer fake.Close()
	path := fake.URL() + "/v21/customers/" + googlefake.DefaultCustomerID + "/googleAds:searchStream"
	query := `{"query":"SELECT segments.date, metrics.clicks FROM campaign WHERE segments.date BETWEEN '2026-09-01' AND '2026-09-02'"}`
	if status, body := post(t, path, "application/json", "", query); status != 401 || !strings.HasPrefix(body, "[") || !strings.Contains(body, "UNAUTHENTICATED") {
		t.Errorf("no token: %d %s", status, body)
	}
	tok := token(t, fake)
	if status, body := post(t, path, "application/json", tok, query); status != 403 || !strings.Contains(body, "USER_PERMISSION_DENIED") {
		t.Errorf("no login-customer-id: %d %s", status, body)
	}
	fake.RevokeTokens()
	if status, body := post(t, path, "application/json", tok, query); status != 401 || !strings.Contains(body, "OAUTH_TOKEN_INVALID") {
		t.Errorf("revoked token: %d %s", status, body)
	}
}

func TestSearchStreamNeedsDateRange(t *testing.T) {
	fake := googlefake.New()
	defer fake.Close()
	path := fake.URL() + "/v21/customers/" + googlefake.DefaultCustomerID + "/googleAds:searchStream"
	status, body := post(t, path, "application/json", token(t, fake), `{"query":"SELECT segments.date, metrics.clicks FROM campaign WHERE campaign.id = 1"}`)
	if status != 400 || !strings.Contains(body, "EXPECTED_FILTERS_ON_DATE_RANGE") {
		t.Errorf("%d %s", status, body)
	}
}
