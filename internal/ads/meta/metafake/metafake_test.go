package metafake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/marketingos/marketingos/internal/ads/meta/metafake"
)

// These tests speak raw HTTP to the fake, to pin the checks a well-behaved client never trips.

func do(t *testing.T, method, u, contentType, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("not JSON: %s", raw)
	}
	return resp.StatusCode, out
}

func form(kv ...string) string {
	v := url.Values{"access_token": {metafake.AccessToken}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

func errorOf(t *testing.T, body map[string]any) (code float64, message string) {
	t.Helper()
	e, ok := body["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error in %v", body)
	}
	code, _ = e["code"].(float64)
	message, _ = e["message"].(string)
	if e["type"] == nil || e["fbtrace_id"] == nil {
		t.Errorf("error object lacks type or fbtrace_id: %v", e)
	}
	return code, message
}

func TestCampaignChecks(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string // in the error message; "" for success
	}{
		{"no special_ad_categories", form("name", "x", "objective", "OUTCOME_TRAFFIC", "is_adset_budget_sharing_enabled", "false"), "special_ad_categories"},
		{"legacy objective", form("name", "x", "objective", "LINK_CLICKS", "special_ad_categories", "[]", "is_adset_budget_sharing_enabled", "false"), "Objective"},
		{"no budget and no sharing flag", form("name", "x", "objective", "OUTCOME_TRAFFIC", "special_ad_categories", "[]"), "is_adset_budget_sharing_enabled"},
		{"campaign budget needs no flag", form("name", "x", "objective", "OUTCOME_TRAFFIC", "special_ad_categories", "[]", "daily_budget", "1000"), ""},
		{"complete", form("name", "x", "objective", "OUTCOME_TRAFFIC", "special_ad_categories", "[]", "is_adset_budget_sharing_enabled", "false", "status", "PAUSED"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := metafake.New()
			defer fake.Close()
			status, body := do(t, "POST", fake.URL()+"/v23.0/act_"+metafake.AdAccountID+"/campaigns", "application/x-www-form-urlencoded", tt.body)
			if tt.want == "" {
				if status != 200 || body["id"] == nil {
					t.Fatalf("%d %v", status, body)
				}
				return
			}
			code, msg := errorOf(t, body)
			if status != 400 || code != 100 || !strings.Contains(msg, tt.want) {
				t.Errorf("%d %v, want a code 100 about %s", status, body, tt.want)
			}
		})
	}
}

func TestAdSetChecksAcceptFormAndJSON(t *testing.T) {
	fake := metafake.New()
	defer fake.Close()
	_, camp := do(t, "POST", fake.URL()+"/v23.0/act_"+metafake.AdAccountID+"/campaigns", "application/x-www-form-urlencoded",
		form("name", "c", "objective", "OUTCOME_TRAFFIC", "special_ad_categories", "[]", "is_adset_budget_sharing_enabled", "false"))
	cid, _ := camp["id"].(string)
	base := func(targeting string) map[string]string {
		m := map[string]string{"name": "s", "campaign_id": cid, "daily_budget": "500", "billing_event": "IMPRESSIONS", "optimization_goal": "LINK_CLICKS", "access_token": metafake.AccessToken}
		if targeting != "" {
			m["targeting"] = targeting
		}
		return m
	}
	tests := []struct {
		name   string
		params map[string]string
		want   string
	}{
		{"no targeting", base(""), "targeting is required"},
		{"no location", base(`{"age_min":20}`), "geo_locations"},
		{"age range without the advantage audience flag", base(`{"geo_locations":{"countries":["US"]},"age_min":25}`), "advantage_audience"},
		{"no budget", func() map[string]string {
			m := base(`{"geo_locations":{"countries":["US"]}}`)
			delete(m, "daily_budget")
			return m
		}(), "budget"},
		{"fractional budget", func() map[string]string {
			m := base(`{"geo_locations":{"countries":["US"]}}`)
			m["daily_budget"] = "5.00"
			return m
		}(), "daily_budget"},
		{"complete", base(`{"geo_locations":{"countries":["US"]},"age_min":25,"targeting_automation":{"advantage_audience":0}}`), ""},
	}
	for _, tt := range tests {
		for _, enc := range []string{"form", "json"} {
			t.Run(tt.name+"/"+enc, func(t *testing.T) {
				var body, ct string
				if enc == "form" {
					v := url.Values{}
					for k, s := range tt.params {
						v.Set(k, s)
					}
					body, ct = v.Encode(), "application/x-www-form-urlencoded"
				} else {
					// A JSON body may carry nested fields as objects rather than strings.
					m := map[string]any{}
					for k, s := range tt.params {
						m[k] = s
					}
					if tg, ok := tt.params["targeting"]; ok {
						m["targeting"] = json.RawMessage(tg)
					}
					b, _ := json.Marshal(m)
					body, ct = string(b), "application/json"
				}
				status, out := do(t, "POST", fake.URL()+"/v23.0/act_"+metafake.AdAccountID+"/adsets", ct, body)
				if tt.want == "" {
					if status != 200 || out["id"] == nil {
						t.Fatalf("%d %v", status, out)
					}
					return
				}
				code, _ := errorOf(t, out)
				if status != 400 || code != 100 || !strings.Contains(strings.ToLower(jsonString(out)), strings.ToLower(tt.want)) {
					t.Errorf("%d %v, want a code 100 about %s", status, out, tt.want)
				}
			})
		}
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestAuthChecks(t *testing.T) {
	fake := metafake.New(metafake.WithAppSecret("s3cret"))
	defer fake.Close()
	u := fake.URL() + "/v23.0/search?type=adinterest&q=marketing"
	tests := []struct {
		name  string
		query string
		code  float64
	}{
		{"no token", "", 104},
		{"wrong token", "&access_token=nope", 190},
		{"no proof", "&access_token=" + metafake.AccessToken, 100},
		{"wrong proof", "&access_token=" + metafake.AccessToken + "&appsecret_proof=00", 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := do(t, "GET", u+tt.query, "", "")
			if code, _ := errorOf(t, body); status != 400 || code != tt.code {
				t.Errorf("%d %v, want code %v", status, body, tt.code)
			}
		})
	}
}

func TestCreativeNeedsTheConfiguredPage(t *testing.T) {
	fake := metafake.New()
	defer fake.Close()
	status, body := do(t, "POST", fake.URL()+"/v23.0/act_"+metafake.AdAccountID+"/adcreatives", "application/x-www-form-urlencoded",
		form("name", "x", "object_story_spec", `{"page_id":"999","link_data":{"link":"https://example.com"}}`))
	if code, _ := errorOf(t, body); status != 400 || code != 100 {
		t.Errorf("%d %v", status, body)
	}
	status, body = do(t, "POST", fake.URL()+"/v23.0/act_999/adcreatives", "application/x-www-form-urlencoded",
		form("name", "x", "object_story_spec", `{"page_id":"`+metafake.PageID+`","link_data":{"link":"https://example.com"}}`))
	if code, msg := errorOf(t, body); status != 400 || code != 100 || !strings.Contains(msg, "does not exist") {
		t.Errorf("other ad account: %d %v", status, body)
	}
}
