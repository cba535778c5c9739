package config

import (
	"fmt"
	"log/slog"
	"strings"
)

// Each provider below runs live when Configured reports true and in mock
// mode when none of its credentials is set; Load rejects anything in
// between. Their LogValue and Format methods show non-secret settings only.

// Anthropic configures Claude, which drafts the marketing copy.
type Anthropic struct {
	// APIKey is the Anthropic API key (ANTHROPIC_API_KEY). Secret.
	APIKey string
	// Model is the Claude model used (ANTHROPIC_MODEL, default
	// "claude-sonnet-4-5").
	Model string
	// BaseURL overrides the API endpoint, e.g. for a proxy or a test server
	// (ANTHROPIC_BASE_URL, optional).
	BaseURL string
}

// Configured reports whether Claude can be called for real.
func (a Anthropic) Configured() bool { return a.APIKey != "" }

// LogValue implements [slog.LogValuer] without the API key.
func (a Anthropic) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("configured", a.Configured()),
		slog.String("model", a.Model),
		slog.String("base_url", displayURL(a.BaseURL)),
	)
}

// Format implements [fmt.Formatter] without the API key.
func (a Anthropic) Format(f fmt.State, verb rune) { format(f, verb, render("Anthropic", a.LogValue())) }

// Postiz configures the self-hosted Postiz instance that publishes social
// media posts.
type Postiz struct {
	// APIURL is the base URL of the Postiz public API (POSTIZ_API_URL).
	APIURL string
	// APIKey authenticates against that instance (POSTIZ_API_KEY). Secret.
	APIKey string
}

// Configured reports whether posts are published through Postiz for real.
func (p Postiz) Configured() bool { return p.APIURL != "" && p.APIKey != "" }

// LogValue implements [slog.LogValuer] without the API key.
func (p Postiz) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("configured", p.Configured()),
		slog.String("api_url", displayURL(p.APIURL)),
	)
}

// Format implements [fmt.Formatter] without the API key.
func (p Postiz) Format(f fmt.State, verb rune) { format(f, verb, render("Postiz", p.LogValue())) }

// GoogleAds configures the Google Ads API, used to sync campaigns and their
// metrics.
type GoogleAds struct {
	// ClientID is the OAuth client id (GOOGLE_ADS_CLIENT_ID).
	ClientID string
	// ClientSecret is the OAuth client secret (GOOGLE_ADS_CLIENT_SECRET).
	// Secret.
	ClientSecret string
	// DeveloperToken is the Google Ads API developer token
	// (GOOGLE_ADS_DEVELOPER_TOKEN). Secret.
	DeveloperToken string
	// RefreshToken is the long-lived OAuth refresh token
	// (GOOGLE_ADS_REFRESH_TOKEN). Secret.
	RefreshToken string
	// CustomerID is the advertiser account, digits only: the dashes of the
	// 123-456-7890 form shown by the Google Ads UI are removed, as the API
	// wants (GOOGLE_ADS_CUSTOMER_ID).
	CustomerID string
	// LoginCustomerID is the manager account to authenticate through, same
	// form as CustomerID (GOOGLE_ADS_LOGIN_CUSTOMER_ID, optional).
	LoginCustomerID string
	// APIURL overrides the API endpoint (GOOGLE_ADS_API_URL, optional).
	APIURL string
	// APIVersion is the API version in request paths
	// (GOOGLE_ADS_API_VERSION, default "v26").
	APIVersion string
	// OAuthTokenURL overrides Google's OAuth token endpoint
	// (GOOGLE_OAUTH_TOKEN_URL, optional).
	OAuthTokenURL string
}

// Configured reports whether campaigns are synced with Google Ads for real.
func (g GoogleAds) Configured() bool {
	return g.ClientID != "" && g.ClientSecret != "" && g.DeveloperToken != "" &&
		g.RefreshToken != "" && g.CustomerID != ""
}

// LogValue implements [slog.LogValuer] without the client secret and tokens.
func (g GoogleAds) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("configured", g.Configured()),
		slog.String("customer_id", g.CustomerID),
		slog.String("login_customer_id", g.LoginCustomerID),
		slog.String("api_version", g.APIVersion),
		slog.String("api_url", displayURL(g.APIURL)),
		slog.String("oauth_token_url", displayURL(g.OAuthTokenURL)),
	)
}

// Format implements [fmt.Formatter] without the client secret and tokens.
func (g GoogleAds) Format(f fmt.State, verb rune) { format(f, verb, render("GoogleAds", g.LogValue())) }

// Facebook configures the Meta Graph API, used for Facebook and Instagram
// ads and the page the posts belong to.
type Facebook struct {
	// AppID is the Meta app id (FACEBOOK_APP_ID, optional).
	AppID string
	// AppSecret is the Meta app secret, used to sign calls with
	// appsecret_proof (FACEBOOK_APP_SECRET, optional). Secret.
	AppSecret string
	// AccessToken is a long-lived system user or page token
	// (FACEBOOK_ACCESS_TOKEN). Secret.
	AccessToken string
	// AdAccountID is the numeric ad account id, without the act_ prefix
	// that the Ads Manager shows and Graph API paths add back
	// (FACEBOOK_AD_ACCOUNT_ID; accepted with or without the prefix).
	AdAccountID string
	// PageID is the Facebook page the ads and posts run for
	// (FACEBOOK_PAGE_ID).
	PageID string
	// GraphURL overrides the Graph API endpoint (FACEBOOK_GRAPH_URL,
	// optional).
	GraphURL string
	// APIVersion is the Graph API version (FACEBOOK_API_VERSION, default
	// "v26.0").
	APIVersion string
}

// Configured reports whether Meta is called for real.
func (fb Facebook) Configured() bool {
	return fb.AccessToken != "" && fb.AdAccountID != "" && fb.PageID != ""
}

// LogValue implements [slog.LogValuer] without the app secret and token.
func (fb Facebook) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("configured", fb.Configured()),
		slog.String("app_id", fb.AppID),
		slog.String("ad_account_id", fb.AdAccountID),
		slog.String("page_id", fb.PageID),
		slog.String("api_version", fb.APIVersion),
		slog.String("graph_url", displayURL(fb.GraphURL)),
	)
}

// Format implements [fmt.Formatter] without the app secret and token.
func (fb Facebook) Format(f fmt.State, verb rune) { format(f, verb, render("Facebook", fb.LogValue())) }

// Slack configures the incoming webhook that receives notifications.
type Slack struct {
	// WebhookURL is the incoming webhook URL (SLACK_WEBHOOK_URL). Secret:
	// whoever knows it can post to the channel.
	WebhookURL string
}

// Configured reports whether notifications are posted to Slack for real.
func (s Slack) Configured() bool { return s.WebhookURL != "" }

// LogValue implements [slog.LogValuer] without the webhook URL.
func (s Slack) LogValue() slog.Value {
	return slog.GroupValue(slog.Bool("configured", s.Configured()))
}

// Format implements [fmt.Formatter] without the webhook URL.
func (s Slack) Format(f fmt.State, verb rune) { format(f, verb, render("Slack", s.LogValue())) }

// Resend configures the Resend e-mail API, used for reports and alerts to
// the administrator.
type Resend struct {
	// APIKey is the Resend API key (RESEND_API_KEY). Secret.
	APIKey string
	// BaseURL overrides the API endpoint (RESEND_BASE_URL, optional).
	BaseURL string
	// AdminEmail is the address that receives the e-mails (ADMIN_EMAIL).
	AdminEmail string
	// FromEmail is the sender, as an RFC 5322 address (RESEND_FROM, default
	// "MarketingOS <onboarding@resend.dev>", Resend's test sender).
	FromEmail string
}

// Configured reports whether e-mails are sent for real.
func (r Resend) Configured() bool { return r.APIKey != "" && r.AdminEmail != "" }

// LogValue implements [slog.LogValuer] without the API key.
func (r Resend) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("configured", r.Configured()),
		slog.String("admin_email", r.AdminEmail),
		slog.String("from", r.FromEmail),
		slog.String("base_url", displayURL(r.BaseURL)),
	)
}

// Format implements [fmt.Formatter] without the API key.
func (r Resend) Format(f fmt.State, verb rune) { format(f, verb, render("Resend", r.LogValue())) }

// displayURL returns a URL fit for logs: the scheme, host and path only,
// since user information and query strings often carry credentials.
func displayURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := parseHTTPURL(raw)
	if err != nil {
		return "(invalid URL hidden)"
	}
	u.User, u.RawQuery, u.Fragment, u.ForceQuery = nil, "", "", false
	return u.String()
}

func (l *loader) anthropic() Anthropic {
	return Anthropic{
		APIKey:  l.get("ANTHROPIC_API_KEY"),
		Model:   l.withDefault("ANTHROPIC_MODEL", defaultAnthropicModel),
		BaseURL: l.httpURL("ANTHROPIC_BASE_URL"),
	}
}

func (l *loader) postiz() Postiz {
	p := Postiz{
		APIURL: l.httpURL("POSTIZ_API_URL"),
		APIKey: l.get("POSTIZ_API_KEY"),
	}
	l.allOrNone("POSTIZ_*",
		credential{"POSTIZ_API_URL", p.APIURL, true},
		credential{"POSTIZ_API_KEY", p.APIKey, true},
	)
	return p
}

func (l *loader) googleAds() GoogleAds {
	g := GoogleAds{
		ClientID:        l.get("GOOGLE_ADS_CLIENT_ID"),
		ClientSecret:    l.get("GOOGLE_ADS_CLIENT_SECRET"),
		DeveloperToken:  l.get("GOOGLE_ADS_DEVELOPER_TOKEN"),
		RefreshToken:    l.get("GOOGLE_ADS_REFRESH_TOKEN"),
		CustomerID:      l.customerID("GOOGLE_ADS_CUSTOMER_ID"),
		LoginCustomerID: l.customerID("GOOGLE_ADS_LOGIN_CUSTOMER_ID"),
		APIURL:          l.httpURL("GOOGLE_ADS_API_URL"),
		APIVersion:      l.version("GOOGLE_ADS_API_VERSION", defaultGoogleAdsVersion, googleAdsVersionPattern, "v21"),
		OAuthTokenURL:   l.httpURL("GOOGLE_OAUTH_TOKEN_URL"),
	}
	l.allOrNone("GOOGLE_ADS_*",
		credential{"GOOGLE_ADS_CLIENT_ID", g.ClientID, true},
		credential{"GOOGLE_ADS_CLIENT_SECRET", g.ClientSecret, true},
		credential{"GOOGLE_ADS_DEVELOPER_TOKEN", g.DeveloperToken, true},
		credential{"GOOGLE_ADS_REFRESH_TOKEN", g.RefreshToken, true},
		credential{"GOOGLE_ADS_CUSTOMER_ID", g.CustomerID, true},
		credential{"GOOGLE_ADS_LOGIN_CUSTOMER_ID", g.LoginCustomerID, false},
	)
	return g
}

func (l *loader) facebook() Facebook {
	fb := Facebook{
		AppID:       l.get("FACEBOOK_APP_ID"),
		AppSecret:   l.get("FACEBOOK_APP_SECRET"),
		AccessToken: l.get("FACEBOOK_ACCESS_TOKEN"),
		AdAccountID: l.adAccountID("FACEBOOK_AD_ACCOUNT_ID"),
		PageID:      l.get("FACEBOOK_PAGE_ID"),
		GraphURL:    l.httpURL("FACEBOOK_GRAPH_URL"),
		APIVersion:  l.version("FACEBOOK_API_VERSION", defaultFacebookVersion, facebookVersionPattern, "v23.0"),
	}
	l.allOrNone("FACEBOOK_*",
		credential{"FACEBOOK_ACCESS_TOKEN", fb.AccessToken, true},
		credential{"FACEBOOK_AD_ACCOUNT_ID", fb.AdAccountID, true},
		credential{"FACEBOOK_PAGE_ID", fb.PageID, true},
		credential{"FACEBOOK_APP_ID", fb.AppID, false},
		credential{"FACEBOOK_APP_SECRET", fb.AppSecret, false},
	)
	return fb
}

func (l *loader) slack() Slack {
	return Slack{WebhookURL: l.httpURL("SLACK_WEBHOOK_URL")}
}

func (l *loader) resend() Resend {
	r := Resend{
		APIKey:     l.get("RESEND_API_KEY"),
		BaseURL:    l.httpURL("RESEND_BASE_URL"),
		AdminEmail: l.email("ADMIN_EMAIL"),
		FromEmail:  l.email("RESEND_FROM"),
	}
	if r.FromEmail == "" {
		r.FromEmail = defaultResendFrom
	}
	l.allOrNone("RESEND_API_KEY/ADMIN_EMAIL",
		credential{"RESEND_API_KEY", r.APIKey, true},
		credential{"ADMIN_EMAIL", r.AdminEmail, true},
	)
	return r
}

func (l *loader) withDefault(name, def string) string {
	if v := l.get(name); v != "" {
		return v
	}
	return def
}

// customerID reads a Google Ads customer id, accepting the dashed form the
// Google Ads UI displays.
func (l *loader) customerID(name string) string {
	raw := l.get(name)
	id := strings.ReplaceAll(raw, "-", "")
	if raw != "" && !isDigits(id) {
		l.problem(name, "%q is not a customer id: use its digits, dashes allowed (e.g. 123-456-7890)", raw)
		// Keep the faulty value so that it does not also count as missing.
		return raw
	}
	return id
}

// adAccountID reads a Meta ad account id, accepting the act_ prefix the Ads
// Manager displays.
func (l *loader) adAccountID(name string) string {
	raw := l.get(name)
	id := strings.TrimPrefix(raw, "act_")
	if raw != "" && !isDigits(id) {
		l.problem(name, "%q is not an ad account id: use its digits, with or without the act_ prefix (e.g. act_1234567890)", raw)
		return raw
	}
	return id
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
