package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// mapEnv stands in for os.Getenv.
func mapEnv(m map[string]string) func(string) string {
	return func(name string) string { return m[name] }
}

// problems splits the error returned by Load into its messages.
func problems(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("Load error is not an errors.Join: %T %v", err, err)
	}
	var msgs []string
	for _, e := range joined.Unwrap() {
		msgs = append(msgs, e.Error())
	}
	return msgs
}

// Complete credential sets, each enough for its provider to run live.
var (
	anthropicEnv = map[string]string{"ANTHROPIC_API_KEY": "sk-ant-secret-anthropic"}
	postizEnv    = map[string]string{
		"POSTIZ_API_URL": "https://postiz.example.com/api/public/v1",
		"POSTIZ_API_KEY": "secret-postiz-key",
	}
	googleEnv = map[string]string{
		"GOOGLE_ADS_CLIENT_ID":       "client-id.apps.googleusercontent.com",
		"GOOGLE_ADS_CLIENT_SECRET":   "secret-google-client",
		"GOOGLE_ADS_DEVELOPER_TOKEN": "secret-google-devtoken",
		"GOOGLE_ADS_REFRESH_TOKEN":   "secret-google-refresh",
		"GOOGLE_ADS_CUSTOMER_ID":     "123-456-7890",
	}
	facebookEnv = map[string]string{
		"FACEBOOK_APP_ID":        "987654321",
		"FACEBOOK_APP_SECRET":    "secret-facebook-app",
		"FACEBOOK_ACCESS_TOKEN":  "secret-facebook-token",
		"FACEBOOK_AD_ACCOUNT_ID": "act_1122334455",
		"FACEBOOK_PAGE_ID":       "5566778899",
	}
	slackEnv  = map[string]string{"SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T000/B000/secretslackpath"}
	resendEnv = map[string]string{
		"RESEND_API_KEY": "re_secret-resend",
		"ADMIN_EMAIL":    "admin@example.com",
	}
)

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func without(m map[string]string, names ...string) map[string]string {
	out := merge(m)
	for _, n := range names {
		delete(out, n)
	}
	return out
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c, err := Load(mapEnv(nil))
	if err != nil {
		t.Fatalf("Load(empty) error: %v", err)
	}
	want := &Config{
		DatabaseURL:      "sqlite:marketingos.db",
		Port:             8080,
		Env:              EnvDevelopment,
		Tracking:         Tracking{RatePerIP: 600, RatePerKey: 60000},
		Auth:             Auth{PublicURL: "http://localhost:8080", SessionIdleTimeout: 7 * 24 * time.Hour, SessionMaxAge: 30 * 24 * time.Hour},
		Anthropic:        Anthropic{Model: "claude-sonnet-4-5"},
		GoogleAds:        GoogleAds{APIVersion: "v26"},
		Facebook:         Facebook{APIVersion: "v26.0"},
		Resend:           Resend{FromEmail: "MarketingOS <onboarding@resend.dev>"},
		SchedulerEnabled: true,
		ScheduleInterval: 6 * time.Hour,
		ShutdownTimeout:  25 * time.Second,
	}
	if !reflect.DeepEqual(c, want) {
		// Compare field by field: the Format methods hide secrets, and
		// therefore differences, from %v.
		t.Errorf("Load(empty) differs from the defaults:\n got %#v\nwant %#v", *c, *want)
	}
	if got := c.Driver(); got != DriverSQLite {
		t.Errorf("Driver() = %q, want %q", got, DriverSQLite)
	}
	if got := c.SQLitePath(); got != "marketingos.db" {
		t.Errorf("SQLitePath() = %q, want marketingos.db", got)
	}
	if !c.Development() {
		t.Error("Development() = false by default")
	}
	wantMocks := []string{"anthropic", "postiz", "google_ads", "facebook", "slack", "resend"}
	if got := c.MockProviders(); !slices.Equal(got, wantMocks) {
		t.Errorf("MockProviders() = %q, want %q", got, wantMocks)
	}
}

func TestLoadBlankValuesAreUnset(t *testing.T) {
	t.Parallel()
	blank, err := Load(mapEnv(map[string]string{"PORT": "  ", "ENV": "\t", "SCHEDULE_INTERVAL": " ", "GOOGLE_ADS_CLIENT_ID": " "}))
	if err != nil {
		t.Fatalf("Load(blank values) error: %v", err)
	}
	if blank.Port != 8080 || blank.Env != EnvDevelopment || blank.ScheduleInterval != 6*time.Hour || blank.GoogleAds.ClientID != "" {
		t.Errorf("blank values were not treated as unset: %+v", blank)
	}
}

func TestLoadNilGetenvReadsProcessEnvironment(t *testing.T) {
	t.Setenv("PORT", "9191")
	c, err := Load(nil)
	if err != nil {
		t.Fatalf("Load(nil) error: %v", err)
	}
	if c.Port != 9191 {
		t.Errorf("Load(nil).Port = %d, want 9191 from the process environment", c.Port)
	}
}

func TestLoadValidValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, c *Config)
	}{
		{"postgres URL", map[string]string{"DATABASE_URL": "postgres://app:pw@db:5432/marketingos?sslmode=disable"}, func(t *testing.T, c *Config) {
			if c.Driver() != DriverPostgres || c.SQLitePath() != "" || c.DatabaseURL != "postgres://app:pw@db:5432/marketingos?sslmode=disable" {
				t.Errorf("Driver() = %q, SQLitePath() = %q, DatabaseURL kept = %v", c.Driver(), c.SQLitePath(), c.DatabaseURL == "postgres://app:pw@db:5432/marketingos?sslmode=disable")
			}
		}},
		{"log level", map[string]string{"LOG_LEVEL": "DEBUG"}, func(t *testing.T, c *Config) {
			if c.LogLevel != slog.LevelDebug {
				t.Errorf("LogLevel = %v, want DEBUG", c.LogLevel)
			}
		}},
		{"postgresql URL", map[string]string{"DATABASE_URL": "postgresql://db/marketingos"}, func(t *testing.T, c *Config) {
			if c.Driver() != DriverPostgres {
				t.Errorf("Driver() = %q, want postgres", c.Driver())
			}
		}},
		{"postgres over a unix socket", map[string]string{"DATABASE_URL": "postgres:///marketingos?host=/var/run/postgresql"}, func(t *testing.T, c *Config) {
			if c.Driver() != DriverPostgres {
				t.Errorf("Driver() = %q, want postgres", c.Driver())
			}
		}},
		{"sqlite relative path", map[string]string{"DATABASE_URL": "sqlite:data/app.db"}, func(t *testing.T, c *Config) {
			if c.Driver() != DriverSQLite || c.SQLitePath() != "data/app.db" {
				t.Errorf("Driver() = %q, SQLitePath() = %q", c.Driver(), c.SQLitePath())
			}
		}},
		{"sqlite absolute URL", map[string]string{"DATABASE_URL": "sqlite:///var/lib/marketingos/app.db"}, func(t *testing.T, c *Config) {
			if c.SQLitePath() != "/var/lib/marketingos/app.db" {
				t.Errorf("SQLitePath() = %q", c.SQLitePath())
			}
		}},
		{"file URI with driver options", map[string]string{"DATABASE_URL": "file:app.db?_pragma=foreign_keys(1)"}, func(t *testing.T, c *Config) {
			if c.Driver() != DriverSQLite || c.SQLitePath() != "app.db" || c.DatabaseURL != "file:app.db?_pragma=foreign_keys(1)" {
				t.Errorf("Driver() = %q, SQLitePath() = %q, DatabaseURL = %q", c.Driver(), c.SQLitePath(), c.DatabaseURL)
			}
		}},
		{"port", map[string]string{"PORT": "65535"}, func(t *testing.T, c *Config) {
			if c.Port != 65535 {
				t.Errorf("Port = %d", c.Port)
			}
		}},
		{"production, any case", map[string]string{"ENV": " Production "}, func(t *testing.T, c *Config) {
			if c.Env != EnvProduction || c.Development() {
				t.Errorf("Env = %q, Development() = %v", c.Env, c.Development())
			}
		}},
		{"secrets", map[string]string{"CRON_SECRET": "0123456789abcdef", "STRIPE_WEBHOOK_SECRET": "whsec_abc"}, func(t *testing.T, c *Config) {
			if c.CronSecret != "0123456789abcdef" || c.StripeWebhookSecret != "whsec_abc" {
				t.Error("secrets not loaded")
			}
		}},
		{"scheduler off", map[string]string{"SCHEDULER_ENABLED": "0"}, func(t *testing.T, c *Config) {
			if c.SchedulerEnabled {
				t.Error("SchedulerEnabled = true")
			}
		}},
		{"durations", map[string]string{"SCHEDULE_INTERVAL": "1m", "SHUTDOWN_TIMEOUT": "1m30s"}, func(t *testing.T, c *Config) {
			if c.ScheduleInterval != time.Minute || c.ShutdownTimeout != 90*time.Second {
				t.Errorf("ScheduleInterval = %s, ShutdownTimeout = %s", c.ScheduleInterval, c.ShutdownTimeout)
			}
		}},
		{"overrides", map[string]string{
			"ANTHROPIC_MODEL": "claude-opus-4-1", "ANTHROPIC_BASE_URL": "http://localhost:9000",
			"GOOGLE_ADS_API_VERSION": "v22", "GOOGLE_ADS_API_URL": "https://googleads.example.test", "GOOGLE_OAUTH_TOKEN_URL": "https://oauth.example.test/token",
			"FACEBOOK_API_VERSION": "v24.0", "FACEBOOK_GRAPH_URL": "https://graph.example.test",
			"RESEND_BASE_URL": "https://resend.example.test", "RESEND_FROM": "news@example.com",
		}, func(t *testing.T, c *Config) {
			if c.Anthropic.Model != "claude-opus-4-1" || c.Anthropic.BaseURL != "http://localhost:9000" ||
				c.GoogleAds.APIVersion != "v22" || c.GoogleAds.APIURL != "https://googleads.example.test" ||
				c.GoogleAds.OAuthTokenURL != "https://oauth.example.test/token" ||
				c.Facebook.APIVersion != "v24.0" || c.Facebook.GraphURL != "https://graph.example.test" ||
				c.Resend.BaseURL != "https://resend.example.test" || c.Resend.FromEmail != "news@example.com" {
				t.Errorf("overrides not applied: %#v", c)
			}
			// Overriding endpoints and versions is not a credential:
			// the providers stay in mock mode without complaint.
			if len(c.MockProviders()) != 6 {
				t.Errorf("MockProviders() = %q, want all six", c.MockProviders())
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(mapEnv(tt.env))
			if err != nil {
				t.Fatalf("Load error: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestLoadInvalidValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string // the whole message must start with the variable name
	}{
		{"mysql", map[string]string{"DATABASE_URL": "mysql://root:pw@db/app"}, `DATABASE_URL: unsupported scheme "mysql" (use postgres://… or leave it unset for the embedded SQLite file)`},
		{"bare file name", map[string]string{"DATABASE_URL": "marketingos.db"}, "DATABASE_URL: not a database URL"},
		{"unparsable postgres", map[string]string{"DATABASE_URL": "postgres://u:p%zz@db/app"}, "DATABASE_URL: not a valid PostgreSQL URL"},
		{"postgres bad port", map[string]string{"DATABASE_URL": "postgres://db:70000/app"}, `DATABASE_URL: port "70000" is out of range`},
		{"empty sqlite path", map[string]string{"DATABASE_URL": "sqlite:"}, "DATABASE_URL: the SQLite database file path is empty"},
		{"port not a number", map[string]string{"PORT": "http"}, `PORT: "http" is not a port number between 1 and 65535`},
		{"port zero", map[string]string{"PORT": "0"}, `PORT: "0" is not a port number`},
		{"port too big", map[string]string{"PORT": "65536"}, `PORT: "65536" is not a port number`},
		{"env", map[string]string{"ENV": "staging"}, `ENV: unknown environment "staging" (use development or production)`},
		{"log level", map[string]string{"LOG_LEVEL": "verbose"}, `LOG_LEVEL: unknown level "verbose" (use debug, info, warn or error)`},
		{"cron secret short", map[string]string{"CRON_SECRET": "short"}, "CRON_SECRET: too short, use at least 16 characters"},
		{"stripe secret prefix", map[string]string{"STRIPE_WEBHOOK_SECRET": "sk_live_123"}, "STRIPE_WEBHOOK_SECRET: does not start with whsec_"},
		{"origin with path", map[string]string{"ALLOWED_ORIGINS": "https://app.example.com/login"}, `ALLOWED_ORIGINS: "https://app.example.com/login": an origin has no path`},
		{"wildcard in production", map[string]string{"ENV": "production", "ALLOWED_ORIGINS": "https://app.example.com, *"}, `ALLOWED_ORIGINS: "*" lets any website call the API`},
		{"scheduler bool", map[string]string{"SCHEDULER_ENABLED": "yes"}, `SCHEDULER_ENABLED: "yes" is not a boolean (use true or false)`},
		{"interval syntax", map[string]string{"SCHEDULE_INTERVAL": "6 hours"}, "SCHEDULE_INTERVAL: not a duration such as 6h or 90s: time:"},
		{"interval too short", map[string]string{"SCHEDULE_INTERVAL": "30s"}, "SCHEDULE_INTERVAL: 30s is shorter than the 1m0s minimum"},
		{"interval negative", map[string]string{"SCHEDULE_INTERVAL": "-1h"}, "SCHEDULE_INTERVAL: -1h0m0s is not a positive duration"},
		{"shutdown zero", map[string]string{"SHUTDOWN_TIMEOUT": "0s"}, "SHUTDOWN_TIMEOUT: 0s is not a positive duration"},
		{"shutdown syntax", map[string]string{"SHUTDOWN_TIMEOUT": "25"}, "SHUTDOWN_TIMEOUT: not a duration"},
		{"anthropic url", map[string]string{"ANTHROPIC_BASE_URL": "api.anthropic.com"}, "ANTHROPIC_BASE_URL: not an absolute http:// or https:// URL"},
		{"postiz url", merge(postizEnv, map[string]string{"POSTIZ_API_URL": "ftp://postiz.example.com"}), "POSTIZ_API_URL: not an absolute http:// or https:// URL"},
		{"google ads url", map[string]string{"GOOGLE_ADS_API_URL": "/v21"}, "GOOGLE_ADS_API_URL: not an absolute http:// or https:// URL"},
		{"oauth url", map[string]string{"GOOGLE_OAUTH_TOKEN_URL": "https://exa mple.com/token"}, "GOOGLE_OAUTH_TOKEN_URL: not a valid URL"},
		{"graph url", map[string]string{"FACEBOOK_GRAPH_URL": "https:graph.facebook.com"}, "FACEBOOK_GRAPH_URL: not an absolute http:// or https:// URL"},
		{"slack url", map[string]string{"SLACK_WEBHOOK_URL": "hooks.slack.com/services/x"}, "SLACK_WEBHOOK_URL: not an absolute http:// or https:// URL"},
		{"resend url", map[string]string{"RESEND_BASE_URL": "https://"}, "RESEND_BASE_URL: not an absolute http:// or https:// URL"},
		{"google ads version", map[string]string{"GOOGLE_ADS_API_VERSION": "21"}, `GOOGLE_ADS_API_VERSION: "21" is not an API version like v21`},
		{"facebook version", map[string]string{"FACEBOOK_API_VERSION": "v23"}, `FACEBOOK_API_VERSION: "v23" is not an API version like v23.0`},
		{"customer id", merge(googleEnv, map[string]string{"GOOGLE_ADS_CUSTOMER_ID": "123-456-789O"}), `GOOGLE_ADS_CUSTOMER_ID: "123-456-789O" is not a customer id`},
		{"customer id only dashes", merge(googleEnv, map[string]string{"GOOGLE_ADS_CUSTOMER_ID": "---"}), `GOOGLE_ADS_CUSTOMER_ID: "---" is not a customer id`},
		{"login customer id", merge(googleEnv, map[string]string{"GOOGLE_ADS_LOGIN_CUSTOMER_ID": "mcc"}), `GOOGLE_ADS_LOGIN_CUSTOMER_ID: "mcc" is not a customer id`},
		{"ad account id", merge(facebookEnv, map[string]string{"FACEBOOK_AD_ACCOUNT_ID": "act_abc"}), `FACEBOOK_AD_ACCOUNT_ID: "act_abc" is not an ad account id`},
		{"bare act_ prefix", merge(facebookEnv, map[string]string{"FACEBOOK_AD_ACCOUNT_ID": "act_"}), `FACEBOOK_AD_ACCOUNT_ID: "act_" is not an ad account id`},
		{"admin email", merge(resendEnv, map[string]string{"ADMIN_EMAIL": "admin.example.com"}), `ADMIN_EMAIL: "admin.example.com" is not a valid e-mail address: mail:`},
		{"from email", map[string]string{"RESEND_FROM": "MarketingOS onboarding@"}, `RESEND_FROM: "MarketingOS onboarding@" is not a valid e-mail address`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(mapEnv(tt.env))
			if c != nil {
				t.Errorf("Load returned a config along with an error")
			}
			msgs := problems(t, err)
			if len(msgs) != 1 {
				t.Fatalf("Load reported %d problems, want 1: %q", len(msgs), msgs)
			}
			if !strings.HasPrefix(msgs[0], tt.want) {
				t.Errorf("Load error:\n got %q\nwant a message starting with %q", msgs[0], tt.want)
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"DATABASE_URL":           "mysql://root:hunter2@db/app",
		"PORT":                   "eighty",
		"ENV":                    "prod",
		"CRON_SECRET":            "tiny",
		"ALLOWED_ORIGINS":        "https://ok.example.com,ftp://files.example.com,https://a.example.com/",
		"SCHEDULER_ENABLED":      "sometimes",
		"SCHEDULE_INTERVAL":      "10s",
		"SLACK_WEBHOOK_URL":      "not a url",
		"GOOGLE_ADS_CLIENT_ID":   "id",
		"FACEBOOK_AD_ACCOUNT_ID": "act_1",
	}
	_, err := Load(mapEnv(env))
	msgs := problems(t, err)
	wantPrefixes := []string{
		"DATABASE_URL: ",
		"PORT: ",
		"ENV: ",
		"CRON_SECRET: ",
		`ALLOWED_ORIGINS: "ftp://files.example.com"`,
		`ALLOWED_ORIGINS: "https://a.example.com/": remove the trailing slash`,
		"GOOGLE_ADS_*: ",
		"FACEBOOK_*: ",
		"SLACK_WEBHOOK_URL: ",
		"SCHEDULER_ENABLED: ",
		"SCHEDULE_INTERVAL: ",
	}
	if len(msgs) != len(wantPrefixes) {
		t.Fatalf("Load reported %d problems, want %d:\n%s", len(msgs), len(wantPrefixes), strings.Join(msgs, "\n"))
	}
	for i, want := range wantPrefixes {
		if !strings.HasPrefix(msgs[i], want) {
			t.Errorf("problem %d = %q, want it to start with %q", i, msgs[i], want)
		}
	}
	if got := err.Error(); got != strings.Join(msgs, "\n") {
		t.Errorf("err.Error() is not one message a line:\n%s", got)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("the database password leaked into the error:\n%s", err)
	}
}

func TestLoadPartialProviderCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"google ads missing two", without(googleEnv, "GOOGLE_ADS_REFRESH_TOKEN", "GOOGLE_ADS_CUSTOMER_ID"),
			"GOOGLE_ADS_*: GOOGLE_ADS_REFRESH_TOKEN and GOOGLE_ADS_CUSTOMER_ID are missing (set all five, or none for mock mode)"},
		{"google ads missing one", without(googleEnv, "GOOGLE_ADS_DEVELOPER_TOKEN"),
			"GOOGLE_ADS_*: GOOGLE_ADS_DEVELOPER_TOKEN is missing (set all five, or none for mock mode)"},
		{"google ads only login customer", map[string]string{"GOOGLE_ADS_LOGIN_CUSTOMER_ID": "111-222-3333"},
			"GOOGLE_ADS_*: GOOGLE_ADS_CLIENT_ID, GOOGLE_ADS_CLIENT_SECRET, GOOGLE_ADS_DEVELOPER_TOKEN, GOOGLE_ADS_REFRESH_TOKEN and GOOGLE_ADS_CUSTOMER_ID are missing (set all five, or none for mock mode)"},
		{"facebook without page", without(facebookEnv, "FACEBOOK_PAGE_ID"),
			"FACEBOOK_*: FACEBOOK_PAGE_ID is missing (set all three, or none for mock mode)"},
		{"facebook app only", map[string]string{"FACEBOOK_APP_ID": "1", "FACEBOOK_APP_SECRET": "secret-facebook-app"},
			"FACEBOOK_*: FACEBOOK_ACCESS_TOKEN, FACEBOOK_AD_ACCOUNT_ID and FACEBOOK_PAGE_ID are missing (set all three, or none for mock mode)"},
		{"postiz without key", without(postizEnv, "POSTIZ_API_KEY"),
			"POSTIZ_*: POSTIZ_API_KEY is missing (set both, or neither for mock mode)"},
		{"postiz without url", without(postizEnv, "POSTIZ_API_URL"),
			"POSTIZ_*: POSTIZ_API_URL is missing (set both, or neither for mock mode)"},
		{"resend without admin", without(resendEnv, "ADMIN_EMAIL"),
			"RESEND_API_KEY/ADMIN_EMAIL: ADMIN_EMAIL is missing (set both, or neither for mock mode)"},
		{"resend without key", without(resendEnv, "RESEND_API_KEY"),
			"RESEND_API_KEY/ADMIN_EMAIL: RESEND_API_KEY is missing (set both, or neither for mock mode)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(mapEnv(tt.env))
			msgs := problems(t, err)
			if !slices.Equal(msgs, []string{tt.want}) {
				t.Errorf("Load errors:\n got %q\nwant %q", msgs, tt.want)
			}
			for _, secret := range []string{"secret-google", "secret-facebook", "secret-postiz", "re_secret"} {
				if err != nil && strings.Contains(err.Error(), secret) {
					t.Errorf("a secret leaked into the error: %v", err)
				}
			}
		})
	}
}

func TestLoadProviders(t *testing.T) {
	t.Parallel()
	all := merge(anthropicEnv, postizEnv, googleEnv, facebookEnv, slackEnv, resendEnv)
	tests := []struct {
		name  string
		env   map[string]string
		mocks []string
	}{
		{"all live", all, nil},
		{"only google ads", googleEnv, []string{"anthropic", "postiz", "facebook", "slack", "resend"}},
		{"facebook without optional app", without(facebookEnv, "FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET"), []string{"anthropic", "postiz", "google_ads", "slack", "resend"}},
		{"anthropic and slack", merge(anthropicEnv, slackEnv), []string{"postiz", "google_ads", "facebook", "resend"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(mapEnv(tt.env))
			if err != nil {
				t.Fatalf("Load error: %v", err)
			}
			if got := c.MockProviders(); !slices.Equal(got, tt.mocks) {
				t.Errorf("MockProviders() = %q, want %q", got, tt.mocks)
			}
		})
	}

	c, err := Load(mapEnv(all))
	if err != nil {
		t.Fatalf("Load error: %v", err)
	}
	for name, configured := range map[string]bool{
		"Anthropic": c.Anthropic.Configured(), "Postiz": c.Postiz.Configured(), "GoogleAds": c.GoogleAds.Configured(),
		"Facebook": c.Facebook.Configured(), "Slack": c.Slack.Configured(), "Resend": c.Resend.Configured(),
	} {
		if !configured {
			t.Errorf("%s.Configured() = false with every credential set", name)
		}
	}
	if c.GoogleAds.ClientSecret != "secret-google-client" || c.Facebook.AccessToken != "secret-facebook-token" ||
		c.Postiz.APIKey != "secret-postiz-key" || c.Resend.AdminEmail != "admin@example.com" ||
		c.Slack.WebhookURL != slackEnv["SLACK_WEBHOOK_URL"] || c.Anthropic.APIKey != "sk-ant-secret-anthropic" {
		t.Error("credentials were not copied into the config")
	}
}

func TestProviderConfigured(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"anthropic zero", Anthropic{}.Configured(), false},
		{"anthropic key", Anthropic{APIKey: "k"}.Configured(), true},
		{"postiz key only", Postiz{APIKey: "k"}.Configured(), false},
		{"postiz both", Postiz{APIKey: "k", APIURL: "https://p"}.Configured(), true},
		{"google without customer", GoogleAds{ClientID: "a", ClientSecret: "b", DeveloperToken: "c", RefreshToken: "d"}.Configured(), false},
		{"google five", GoogleAds{ClientID: "a", ClientSecret: "b", DeveloperToken: "c", RefreshToken: "d", CustomerID: "1"}.Configured(), true},
		{"facebook without page", Facebook{AccessToken: "t", AdAccountID: "1"}.Configured(), false},
		{"facebook three", Facebook{AccessToken: "t", AdAccountID: "1", PageID: "2"}.Configured(), true},
		{"slack zero", Slack{}.Configured(), false},
		{"slack url", Slack{WebhookURL: "https://hooks"}.Configured(), true},
		{"resend key only", Resend{APIKey: "k"}.Configured(), false},
		{"resend both", Resend{APIKey: "k", AdminEmail: "a@b.c"}.Configured(), true},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: Configured() = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestLoadNormalisesIDs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, variable, value, want string
		get                         func(*Config) string
	}{
		{"dashed customer id", "GOOGLE_ADS_CUSTOMER_ID", "123-456-7890", "1234567890", func(c *Config) string { return c.GoogleAds.CustomerID }},
		{"plain customer id", "GOOGLE_ADS_CUSTOMER_ID", "1234567890", "1234567890", func(c *Config) string { return c.GoogleAds.CustomerID }},
		{"dashed login customer id", "GOOGLE_ADS_LOGIN_CUSTOMER_ID", "111-222-3333", "1112223333", func(c *Config) string { return c.GoogleAds.LoginCustomerID }},
		{"ad account with act_", "FACEBOOK_AD_ACCOUNT_ID", "act_1122334455", "1122334455", func(c *Config) string { return c.Facebook.AdAccountID }},
		{"ad account without act_", "FACEBOOK_AD_ACCOUNT_ID", "1122334455", "1122334455", func(c *Config) string { return c.Facebook.AdAccountID }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := merge(googleEnv, facebookEnv, map[string]string{tt.variable: tt.value})
			c, err := Load(mapEnv(env))
			if err != nil {
				t.Fatalf("Load error: %v", err)
			}
			if got := tt.get(c); got != tt.want {
				t.Errorf("%s=%q loaded as %q, want %q", tt.variable, tt.value, got, tt.want)
			}
		})
	}
}

func TestLoadAllowedOrigins(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		value   string
		env     string
		want    []string
		wantErr string
	}{
		{name: "unset", value: "", want: nil},
		{name: "trimmed, empties dropped", value: " https://app.example.com , ,http://localhost:5173,", want: []string{"https://app.example.com", "http://localhost:5173"}},
		{name: "star in development", value: "*", want: []string{"*"}},
		{name: "subdomain wildcard", value: "https://*.example.com", want: []string{"https://*.example.com"}},
		{name: "subdomain wildcard in production", value: "https://*.example.com", env: "production", want: []string{"https://*.example.com"}},
		{name: "wildcard with port", value: "https://*.example.com:8443", want: []string{"https://*.example.com:8443"}},
		{name: "ipv4", value: "http://127.0.0.1:3000", want: []string{"http://127.0.0.1:3000"}},
		{name: "ipv6", value: "http://[::1]:3000", want: []string{"http://[::1]:3000"}},
		{name: "star in production", value: "*", env: "production", wantErr: `ALLOWED_ORIGINS: "*" lets any website call the API`},
		{name: "no scheme", value: "app.example.com", wantErr: `ALLOWED_ORIGINS: "app.example.com" is not an origin`},
		{name: "bad scheme", value: "ws://app.example.com", wantErr: `ALLOWED_ORIGINS: "ws://app.example.com": the scheme of an origin must be http or https`},
		{name: "trailing slash", value: "https://app.example.com/", wantErr: `ALLOWED_ORIGINS: "https://app.example.com/": remove the trailing slash`},
		{name: "path", value: "https://app.example.com/app", wantErr: `ALLOWED_ORIGINS: "https://app.example.com/app": an origin has no path`},
		{name: "query", value: "https://app.example.com?x=1", wantErr: `ALLOWED_ORIGINS: "https://app.example.com?x=1": an origin has no path`},
		{name: "credentials", value: "https://user@app.example.com", wantErr: `ALLOWED_ORIGINS: "https://user@app.example.com": an origin has no user name`},
		{name: "two wildcards", value: "https://*.*.example.com", wantErr: `ALLOWED_ORIGINS: "https://*.*.example.com": the host must be a name with at most one * wildcard`},
		{name: "wildcard port", value: "https://example.com:*", wantErr: `ALLOWED_ORIGINS: "https://example.com:*" is not an origin`},
		{name: "port out of range", value: "https://example.com:99999", wantErr: `ALLOWED_ORIGINS: "https://example.com:99999": port 99999 is out of range`},
		{name: "no host", value: "https://:8080", wantErr: `ALLOWED_ORIGINS: "https://:8080": the host must be a name`},
		{name: "bad host character", value: "https://app!.example.com", wantErr: `ALLOWED_ORIGINS: "https://app!.example.com": invalid character '!' in host`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(mapEnv(map[string]string{"ALLOWED_ORIGINS": tt.value, "ENV": tt.env}))
			if tt.wantErr != "" {
				msgs := problems(t, err)
				if len(msgs) != 1 || !strings.HasPrefix(msgs[0], tt.wantErr) {
					t.Errorf("Load errors = %q, want one starting with %q", msgs, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load error: %v", err)
			}
			if !slices.Equal(c.AllowedOrigins, tt.want) {
				t.Errorf("AllowedOrigins = %q, want %q", c.AllowedOrigins, tt.want)
			}
		})
	}
}

func TestRedactedDatabaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url, want string
	}{
		{"", "sqlite:marketingos.db"},
		{"sqlite:data/app.db", "sqlite:data/app.db"},
		{"postgres://app:s3cr%40t@db:5432/marketingos?sslmode=require", "postgres://app:xxxxx@db:5432/marketingos?sslmode=require"},
		{"postgresql://app@db/marketingos", "postgresql://app@db/marketingos"},
		{"postgres://db/marketingos?user=app&password=s3cr%40t", "postgres://db/marketingos?password=xxxxx&user=app"},
		{"postgres://app:s3cr@t@db/marketingos", "postgres://app:xxxxx@db/marketingos"},
		{"postgres://app:s3cr%zzt@db/marketingos", "(unparsable URL hidden)"},
	}
	for _, tt := range tests {
		c := &Config{DatabaseURL: tt.url}
		got := c.RedactedDatabaseURL()
		if got != tt.want {
			t.Errorf("RedactedDatabaseURL(%q) = %q, want %q", tt.url, got, tt.want)
		}
		if strings.Contains(got, "s3cr") {
			t.Errorf("RedactedDatabaseURL(%q) = %q shows the password", tt.url, got)
		}
	}
}

// TestSecretsNeverShown sets every secret to a recognisable value and
// checks that no rendering meant for humans or logs shows any of them.
func TestSecretsNeverShown(t *testing.T) {
	t.Parallel()
	env := merge(anthropicEnv, postizEnv, googleEnv, facebookEnv, slackEnv, resendEnv, map[string]string{
		"DATABASE_URL":          "postgres://app:secret-db-password@db/marketingos?password=secret-db-query",
		"CRON_SECRET":           "secret-cron-0123456789",
		"STRIPE_WEBHOOK_SECRET": "whsec_secretstripe",
		"ANTHROPIC_BASE_URL":    "https://proxy:secret-proxy@proxy.example.com/v1?key=secret-proxy-query",
		"ENV":                   "production",
		"ALLOWED_ORIGINS":       "https://app.example.com",
	})
	secrets := []string{
		"secret-db-password", "secret-db-query", "secret-cron", "secretstripe", "secret-proxy",
		"sk-ant-secret-anthropic", "secret-postiz-key", "secret-google-client", "secret-google-devtoken",
		"secret-google-refresh", "secret-facebook-app", "secret-facebook-token", "secretslackpath", "re_secret-resend",
	}
	c, err := Load(mapEnv(env))
	if err != nil {
		t.Fatalf("Load error: %v", err)
	}

	var outputs []string
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("config", "config", c, "value", *c,
		"anthropic", c.Anthropic, "postiz", c.Postiz, "google_ads", c.GoogleAds,
		"facebook", c.Facebook, "slack", c.Slack, "resend", c.Resend)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("config", "config", c, "value", *c,
		"anthropic", c.Anthropic, "postiz", c.Postiz, "google_ads", c.GoogleAds,
		"facebook", c.Facebook, "slack", c.Slack, "resend", c.Resend)
	outputs = append(outputs, text.String(), js.String(), c.String(), c.LogValue().String())
	for _, v := range []any{c, *c, c.Anthropic, c.Postiz, c.GoogleAds, c.Facebook, c.Slack, c.Resend} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x"} {
			outputs = append(outputs, fmt.Sprintf(verb, v))
		}
	}
	for _, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("secret %q shown in:\n%s", s, out)
			}
		}
	}

	// The start-up log line still says what matters.
	for _, want := range []string{"env=production", "port=8080", "database_driver=postgres",
		"database_url=\"postgres://app:xxxxx@db/marketingos?password=xxxxx\"", "scheduler_enabled=true",
		"schedule_interval=6h0m0s", "shutdown_timeout=25s", "mock_providers=[]"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("log line lacks %s:\n%s", want, text.String())
		}
	}
	if !strings.Contains(fmt.Sprint(c.Anthropic), "base_url=https://proxy.example.com/v1") {
		t.Errorf("Anthropic base URL not shown without its credentials: %v", c.Anthropic)
	}

	// Invalid secrets are reported without being echoed.
	bad := map[string]string{
		"DATABASE_URL":          "postgres://app:secret-db%zzpassword@db/marketingos",
		"CRON_SECRET":           "secret-cron",
		"STRIPE_WEBHOOK_SECRET": "sk_secretstripe",
		"SLACK_WEBHOOK_URL":     "hooks.slack.com/services/secretslackpath",
		"POSTIZ_API_URL":        "postiz:secret-postiz-key@host",
		"ANTHROPIC_BASE_URL":    "https://proxy:secret-proxy@exa mple.com",
	}
	_, err = Load(mapEnv(bad))
	// One problem per variable, plus POSTIZ_API_KEY missing.
	if got, want := len(problems(t, err)), len(bad)+1; got != want {
		t.Fatalf("Load reported %d problems, want %d: %v", got, want, err)
	}
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) {
			t.Errorf("secret %q shown in the error:\n%v", s, err)
		}
	}
	_, err = Load(mapEnv(map[string]string{"DATABASE_URL": "app:secret-db-password@db/marketingos"}))
	if err == nil || strings.Contains(err.Error(), "secret-db-password") {
		t.Errorf("Load(DATABASE_URL without scheme) error = %v, want one that hides the password", err)
	}
}

// TestEnvExample keeps .env.example in step with Load: it must list every
// variable Load reads and nothing else, and its values must load.
func TestEnvExample(t *testing.T) {
	t.Parallel()
	var read []string
	_, err := Load(func(name string) string {
		read = append(read, name)
		return ""
	})
	if err != nil {
		t.Fatalf("Load error: %v", err)
	}

	f, err := os.Open(filepath.Join("..", "..", ".env.example"))
	if err != nil {
		t.Fatalf("open .env.example: %v", err)
	}
	defer f.Close()
	example := map[string]string{}
	var listed []string
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		name, value, ok := strings.Cut(text, "=")
		if !ok {
			t.Errorf(".env.example:%d: not NAME=value: %q", line, text)
			continue
		}
		if _, dup := example[name]; dup {
			t.Errorf(".env.example:%d: %s listed twice", line, name)
		}
		example[name] = strings.Trim(value, `"`)
		listed = append(listed, name)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read .env.example: %v", err)
	}

	slices.Sort(read)
	read = slices.Compact(read)
	slices.Sort(listed)
	if !slices.Equal(read, listed) {
		t.Errorf(".env.example lists\n%q\nLoad reads\n%q", listed, read)
	}

	fromExample, err := Load(mapEnv(example))
	if err != nil {
		t.Fatalf("Load(.env.example) error: %v", err)
	}
	defaults, _ := Load(mapEnv(nil))
	if !reflect.DeepEqual(fromExample, defaults) {
		t.Errorf(".env.example does not show the defaults:\n got %#v\nwant %#v", *fromExample, *defaults)
	}
}

func TestLoadErrorsAreWrapped(t *testing.T) {
	t.Parallel()
	_, err := Load(mapEnv(map[string]string{"SCHEDULE_INTERVAL": "6x"}))
	var target interface{ Unwrap() error }
	if !errors.As(err, &target) || target.Unwrap() == nil {
		t.Errorf("Load error %v does not wrap its cause", err)
	}
}

func TestLoadTracking(t *testing.T) {
	t.Parallel()
	c, err := Load(mapEnv(map[string]string{
		"TRACKING_IP_SALT": "0123456789abcdef-salt", "TRUST_PROXY": "true",
		"TRACKING_RATE_PER_IP": "0", "TRACKING_RATE_PER_KEY": "100",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := Tracking{IPSalt: "0123456789abcdef-salt", TrustProxy: true, RatePerIP: 0, RatePerKey: 100}
	if !reflect.DeepEqual(c.Tracking, want) {
		t.Errorf("Tracking = %#v, want %#v", c.Tracking, want)
	}
	if strings.Contains(fmt.Sprintf("%v %+v %#v", c, c.Tracking, c.Tracking), "0123456789abcdef-salt") {
		t.Error("the salt is printed")
	}
	_, err = Load(mapEnv(map[string]string{"TRACKING_IP_SALT": "short", "TRACKING_RATE_PER_IP": "-1"}))
	got := problems(t, err)
	if len(got) != 2 || !strings.HasPrefix(got[0], "TRACKING_IP_SALT") && !strings.HasPrefix(got[1], "TRACKING_IP_SALT") {
		t.Errorf("problems = %q, want TRACKING_IP_SALT and TRACKING_RATE_PER_IP", got)
	}
	c, err = Load(mapEnv(map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, 203.0.113.9"}))
	if err != nil || !c.Tracking.TrustProxy || !reflect.DeepEqual(c.Tracking.TrustedProxies, []string{"10.0.0.0/8", "203.0.113.9"}) {
		t.Errorf("TRUSTED_PROXIES: %+v, %v; want both, and trust implied", c.Tracking, err)
	}
	_, err = Load(mapEnv(map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}))
	if got := problems(t, err); len(got) != 1 || !strings.HasPrefix(got[0], "TRUSTED_PROXIES") {
		t.Errorf("problems = %q, want TRUSTED_PROXIES", got)
	}
}
