// Package config turns the process environment into the typed, validated
// configuration of the MarketingOS server.
//
// Everything is read once at start-up by [Load], so a misconfigured
// deployment fails immediately with a list of every problem rather than
// misbehaving later, one fix-and-restart cycle per mistake. Integrations
// whose credentials are all absent run in mock mode, which keeps a fresh
// checkout usable without any third-party account.
//
// The configuration holds secrets. None of them ever appears in an error
// returned by Load, nor in the fmt or log/slog rendering of the types in
// this package.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/marketingos/marketingos/internal/validation"
)

// Values accepted by ENV.
const (
	EnvDevelopment = "development"
	EnvProduction  = "production"
)

// Values returned by [Config.Driver].
const (
	DriverPostgres = "postgres"
	DriverSQLite   = "sqlite"
)

const (
	defaultSQLiteURL        = "sqlite:marketingos.db"
	defaultPort             = 8080
	defaultAnthropicModel   = "claude-sonnet-4-5"
	defaultGoogleAdsVersion = "v26"
	defaultFacebookVersion  = "v26.0"
	defaultResendFrom       = "MarketingOS <onboarding@resend.dev>"
	defaultScheduleInterval = 6 * time.Hour
	defaultShutdownTimeout  = 25 * time.Second

	// The ad platforms rate-limit their reporting APIs; syncing more often
	// than this only burns quota.
	minScheduleInterval = time.Minute
	// Shorter secrets are guessable by anyone able to reach the cron endpoint.
	minCronSecretLen = 16
)

var (
	googleAdsVersionPattern = regexp.MustCompile(`^v[0-9]+$`)
	facebookVersionPattern  = regexp.MustCompile(`^v[0-9]+\.[0-9]+$`)
)

// Config is the complete server configuration. Build it with [Load]; the
// zero value is not validated.
type Config struct {
	// DatabaseURL is where the data lives: a postgres:// or postgresql://
	// URL for PostgreSQL, or sqlite:PATH / file:PATH for an SQLite file.
	// When DATABASE_URL is unset it is "sqlite:marketingos.db", a file in the
	// working directory. It may contain a password: log
	// [Config.RedactedDatabaseURL] instead.
	DatabaseURL string

	// Port is the TCP port the HTTP server listens on (PORT, default 8080).
	Port int

	// Env is EnvDevelopment (the default) or EnvProduction (ENV). Production
	// refuses settings that are only safe on a developer machine.
	Env string

	// LogLevel is the least severe level logged (LOG_LEVEL: debug, info, warn or error; default info). Successful
	// tracking hits are logged at debug.
	LogLevel slog.Level

	// CronSecret authenticates calls to the cron endpoint (CRON_SECRET).
	// Empty disables the endpoint; otherwise it is at least 16 characters.
	CronSecret string

	// StripeWebhookSecret verifies the signature of Stripe webhook calls
	// (STRIPE_WEBHOOK_SECRET, "whsec_…"). Empty disables the webhook.
	StripeWebhookSecret string

	// AllowedOrigins are the browser origins allowed to call the API
	// cross-origin (ALLOWED_ORIGINS, comma separated). Each is "*", or
	// scheme://host[:port] where host may contain one "*" wildcard, as in
	// https://*.example.com. Empty allows same-origin requests only.
	AllowedOrigins []string

	// Tracking tunes the pixel and event endpoints.
	Tracking Tracking

	// Auth configures sign-in: sessions, single sign-on and the server's public address.
	Auth Auth

	Anthropic Anthropic
	Postiz    Postiz
	GoogleAds GoogleAds
	Facebook  Facebook
	Slack     Slack
	Resend    Resend

	// SchedulerEnabled runs the periodic syncs and publications in-process
	// (SCHEDULER_ENABLED, default true). Turn it off when an external cron
	// calls the cron endpoint instead, so jobs do not run twice.
	SchedulerEnabled bool

	// ScheduleInterval is the period of the scheduler (SCHEDULE_INTERVAL,
	// default 6h, at least 1m).
	ScheduleInterval time.Duration

	// ShutdownTimeout bounds how long in-flight requests and jobs may take to
	// finish once the server is asked to stop (SHUTDOWN_TIMEOUT, default
	// 25s, below the usual 30s grace period of container orchestrators).
	ShutdownTimeout time.Duration
}

// Load reads the configuration from getenv (os.Getenv in production, a map
// lookup in tests) and validates it. A nil getenv means os.Getenv.
//
// Values are trimmed of surrounding white space, and an empty value counts
// as unset. On failure Load returns a nil Config and every problem at once,
// joined with [errors.Join]: one message per problem, each starting with
// the name of the variable concerned.
func Load(getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	l := &loader{getenv: getenv}
	c := &Config{
		Port:             defaultPort,
		Env:              EnvDevelopment,
		SchedulerEnabled: true,
		ScheduleInterval: defaultScheduleInterval,
		ShutdownTimeout:  defaultShutdownTimeout,
	}

	c.DatabaseURL = l.databaseURL("DATABASE_URL")
	c.Port = l.port("PORT", c.Port)
	c.Env = l.env("ENV", c.Env)
	c.LogLevel = l.logLevel("LOG_LEVEL")
	c.CronSecret = l.cronSecret("CRON_SECRET")
	c.StripeWebhookSecret = l.stripeSecret("STRIPE_WEBHOOK_SECRET")
	c.AllowedOrigins = l.origins("ALLOWED_ORIGINS", c.Env == EnvProduction)

	c.Tracking = l.tracking()
	c.Auth = l.auth(c.Port, c.Env == EnvProduction)
	c.Anthropic = l.anthropic()
	c.Postiz = l.postiz()
	c.GoogleAds = l.googleAds()
	c.Facebook = l.facebook()
	c.Slack = l.slack()
	c.Resend = l.resend()

	c.SchedulerEnabled = l.boolean("SCHEDULER_ENABLED", c.SchedulerEnabled)
	c.ScheduleInterval = l.duration("SCHEDULE_INTERVAL", c.ScheduleInterval, minScheduleInterval)
	c.ShutdownTimeout = l.duration("SHUTDOWN_TIMEOUT", c.ShutdownTimeout, 0)

	if err := errors.Join(l.problems...); err != nil {
		return nil, err
	}
	return c, nil
}

// Development reports whether the server runs in development mode.
func (c *Config) Development() bool {
	return c.Env != EnvProduction
}

// Driver returns DriverPostgres or DriverSQLite, the database/sql driver
// family DatabaseURL is meant for.
func (c *Config) Driver() string {
	if hasPostgresScheme(c.DatabaseURL) {
		return DriverPostgres
	}
	return DriverSQLite
}

// SQLitePath returns the path of the SQLite database file, without the
// sqlite: or file: prefix nor any ?query options, or "" when the database
// is PostgreSQL.
func (c *Config) SQLitePath() string {
	if c.Driver() != DriverSQLite {
		return ""
	}
	raw := c.DatabaseURL
	if raw == "" {
		raw = defaultSQLiteURL
	}
	path, _ := sqlitePath(raw)
	return path
}

// RedactedDatabaseURL returns DatabaseURL with any password replaced, fit
// for logs and error messages.
func (c *Config) RedactedDatabaseURL() string {
	if c.Driver() != DriverPostgres {
		if c.DatabaseURL == "" {
			return defaultSQLiteURL
		}
		return c.DatabaseURL
	}
	return redactURL(c.DatabaseURL)
}

// MockProviders lists, in a fixed order, the integrations without
// credentials, which therefore run in mock mode: any of "anthropic",
// "postiz", "google_ads", "facebook", "slack" and "resend".
func (c *Config) MockProviders() []string {
	var mocked []string
	for _, p := range []struct {
		name       string
		configured bool
	}{
		{"anthropic", c.Anthropic.Configured()},
		{"postiz", c.Postiz.Configured()},
		{"google_ads", c.GoogleAds.Configured()},
		{"facebook", c.Facebook.Configured()},
		{"slack", c.Slack.Configured()},
		{"resend", c.Resend.Configured()},
	} {
		if !p.configured {
			mocked = append(mocked, p.name)
		}
	}
	return mocked
}

// LogValue implements [slog.LogValuer] with the non-secret settings only,
// for the start-up log line. It has a value receiver so that a Config
// logged by value is redacted as well as a *Config.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("env", c.Env),
		slog.String("log_level", c.LogLevel.String()),
		slog.Int("port", c.Port),
		slog.String("database_driver", c.Driver()),
		slog.String("database_url", c.RedactedDatabaseURL()),
		slog.Any("allowed_origins", c.AllowedOrigins),
		slog.Any("tracking", c.Tracking),
		slog.Any("auth", c.Auth),
		slog.Bool("scheduler_enabled", c.SchedulerEnabled),
		slog.Duration("schedule_interval", c.ScheduleInterval),
		slog.Duration("shutdown_timeout", c.ShutdownTimeout),
		slog.Any("mock_providers", c.MockProviders()),
	)
}

// String returns the same non-secret settings as LogValue.
func (c Config) String() string {
	return render("Config", c.LogValue())
}

// Format implements [fmt.Formatter] so that every verb, %+v and %#v
// included, prints the redacted form instead of the raw fields.
func (c Config) Format(f fmt.State, verb rune) {
	format(f, verb, c.String())
}

// render writes a group value as name{key=value …}.
func render(name string, v slog.Value) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('{')
	for i, a := range v.Group() {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(a.Key)
		b.WriteByte('=')
		b.WriteString(a.Value.String())
	}
	b.WriteByte('}')
	return b.String()
}

func format(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = f.Write([]byte(s))
}

// loader reads variables and collects the problems found on the way, so
// that Load can report all of them together.
type loader struct {
	getenv   func(string) string
	problems []error
}

func (l *loader) get(name string) string {
	return strings.TrimSpace(l.getenv(name))
}

// problem records an error about the variable name. Messages must not
// include the value of a secret variable.
func (l *loader) problem(name, format string, args ...any) {
	l.problems = append(l.problems, fmt.Errorf("%s: %w", name, fmt.Errorf(format, args...)))
}

func (l *loader) databaseURL(name string) string {
	raw := l.get(name)
	if raw == "" {
		return defaultSQLiteURL
	}
	if err := checkDatabaseURL(raw); err != nil {
		l.problem(name, "%w", err)
	}
	return raw
}

func (l *loader) port(name string, def int) int {
	raw := l.get(name)
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 65535 {
		l.problem(name, "%q is not a port number between 1 and 65535", raw)
		return def
	}
	return n
}

func (l *loader) env(name, def string) string {
	raw := strings.ToLower(l.get(name))
	switch raw {
	case "":
		return def
	case EnvDevelopment, EnvProduction:
		return raw
	}
	l.problem(name, "unknown environment %q (use %s or %s)", l.get(name), EnvDevelopment, EnvProduction)
	return def
}

func (l *loader) logLevel(name string) slog.Level {
	var level slog.Level // info
	raw := l.get(name)
	if raw == "" {
		return level
	}
	switch strings.ToLower(raw) {
	case "debug", "info", "warn", "error":
		_ = level.UnmarshalText([]byte(raw))
		return level
	}
	l.problem(name, "unknown level %q (use debug, info, warn or error)", raw)
	return level
}

func (l *loader) cronSecret(name string) string {
	v := l.get(name)
	if v != "" && utf8.RuneCountInString(v) < minCronSecretLen {
		l.problem(name, "too short, use at least %d characters (for example the output of `openssl rand -hex 32`) or leave it unset to disable the cron endpoint", minCronSecretLen)
	}
	return v
}

func (l *loader) stripeSecret(name string) string {
	v := l.get(name)
	if v != "" && !strings.HasPrefix(v, "whsec_") {
		l.problem(name, "does not start with whsec_; copy the signing secret of the webhook endpoint from the Stripe dashboard, not an API key")
	}
	return v
}

func (l *loader) origins(name string, production bool) []string {
	var origins []string
	for _, o := range strings.Split(l.get(name), ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if err := validation.Origin(o); err != nil {
			l.problem(name, "%w", err)
			continue
		}
		if o == "*" && production {
			l.problem(name, `"*" lets any website call the API from its visitors' browsers; list the front-end origins explicitly in production`)
		}
		origins = append(origins, o)
	}
	return origins
}

// httpURL reads an optional variable holding an absolute http(s) URL.
func (l *loader) httpURL(name string) string {
	v := l.get(name)
	if v != "" {
		if _, err := parseHTTPURL(v); err != nil {
			l.problem(name, "%w", err)
		}
	}
	return v
}

func (l *loader) email(name string) string {
	v := l.get(name)
	if v != "" {
		if _, err := mail.ParseAddress(v); err != nil {
			l.problem(name, "%q is not a valid e-mail address: %w", v, err)
		}
	}
	return v
}

func (l *loader) version(name, def string, pattern *regexp.Regexp, example string) string {
	v := l.get(name)
	if v == "" {
		return def
	}
	if !pattern.MatchString(v) {
		l.problem(name, "%q is not an API version like %s", v, example)
	}
	return v
}

func (l *loader) boolean(name string, def bool) bool {
	raw := l.get(name)
	if raw == "" {
		return def
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		l.problem(name, "%q is not a boolean (use true or false)", raw)
		return def
	}
	return b
}

// count reads a non-negative whole number.
func (l *loader) count(name string, def int) int {
	raw := l.get(name)
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		l.problem(name, "%q is not a whole number of at least 0", raw)
		return def
	}
	return n
}

// duration reads a Go duration that must be positive and at least min.
func (l *loader) duration(name string, def, min time.Duration) time.Duration {
	raw := l.get(name)
	if raw == "" {
		return def
	}
	d, err := time.ParseDuration(raw)
	switch {
	case err != nil:
		l.problem(name, "not a duration such as 6h or 90s: %w", err)
		return def
	case d <= 0:
		l.problem(name, "%s is not a positive duration", d)
		return def
	case d < min:
		l.problem(name, "%s is shorter than the %s minimum", d, min)
		return def
	}
	return d
}

// credential is one variable taking part in the all-or-none rule of a
// provider.
type credential struct {
	name     string
	value    string
	required bool
}

// allOrNone enforces that a provider is either fully configured or left
// entirely unset (mock mode): a half-configured provider is almost always
// a forgotten variable, and would otherwise fail only at its first call.
// Optional credentials do not have to be set, but setting one shows the
// provider is meant to be live.
func (l *loader) allOrNone(label string, creds ...credential) {
	var missing []string
	anySet := false
	required := 0
	for _, c := range creds {
		if c.value != "" {
			anySet = true
		}
		if c.required {
			required++
			if c.value == "" {
				missing = append(missing, c.name)
			}
		}
	}
	if !anySet || len(missing) == 0 {
		return
	}
	verb := "is"
	if len(missing) > 1 {
		verb = "are"
	}
	all, none := "all "+numberWord(required), "none"
	if required == 2 {
		all, none = "both", "neither"
	}
	l.problem(label, "%s %s missing (set %s, or %s for mock mode)", joinNames(missing), verb, all, none)
}

func numberWord(n int) string {
	if words := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}; n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}

// joinNames writes names as an English list: "A", "A and B", "A, B and C".
func joinNames(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// checkDatabaseURL validates DATABASE_URL without ever quoting it, since it
// may hold a password.
func checkDatabaseURL(raw string) error {
	if hasPostgresScheme(raw) {
		u, err := url.Parse(raw)
		if err != nil {
			// The *url.Error quotes the whole URL, password included, and
			// even its detail may quote part of the password: drop both.
			return errors.New("not a valid PostgreSQL URL (percent-encode special characters in the user name and password)")
		}
		if u.Port() != "" {
			if p, err := strconv.Atoi(u.Port()); err != nil || p < 1 || p > 65535 {
				return fmt.Errorf("port %q is out of range", u.Port())
			}
		}
		return nil
	}
	if path, ok := sqlitePath(raw); ok {
		if path == "" {
			return errors.New("the SQLite database file path is empty (use sqlite:PATH, or leave it unset for marketingos.db)")
		}
		return nil
	}
	if scheme, _, found := strings.Cut(raw, ":"); found && isScheme(scheme) {
		return fmt.Errorf("unsupported scheme %q (use postgres://… or leave it unset for the embedded SQLite file)", scheme)
	}
	return errors.New("not a database URL (use postgres://… or leave it unset for the embedded SQLite file)")
}

func hasPostgresScheme(raw string) bool {
	lower := strings.ToLower(raw)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

// sqlitePath extracts the file path of a sqlite: or file: URL. The second
// result reports whether raw uses one of these schemes.
func sqlitePath(raw string) (string, bool) {
	var rest string
	lower := strings.ToLower(raw)
	switch {
	case strings.HasPrefix(lower, "sqlite:"):
		rest = raw[len("sqlite:"):]
	case strings.HasPrefix(lower, "file:"):
		rest = raw[len("file:"):]
	default:
		return "", false
	}
	// Options such as ?_pragma=… are for the driver, not part of the path.
	rest, _, _ = strings.Cut(rest, "?")
	// sqlite:///var/lib/x.db is the URL spelling of /var/lib/x.db.
	rest = strings.TrimPrefix(rest, "//")
	return rest, true
}

// isScheme reports whether s is a URL scheme per RFC 3986, which tells an
// unsupported database URL, whose scheme is worth quoting, from a value
// such as user:password@host, which must not be quoted.
func isScheme(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}

// parseHTTPURL parses an absolute http(s) URL. Its errors never quote the
// URL: some, like Slack webhook URLs, embed a token.
func parseHTTPURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Opaque != "" {
		return nil, errors.New("not an absolute http:// or https:// URL")
	}
	return u, nil
}

// redactURL hides the password of a URL, whether in its user information
// or, as libpq allows, in its query.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL hidden)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	if u.RawQuery != "" {
		q := u.Query()
		for key := range q {
			if strings.Contains(strings.ToLower(key), "password") {
				q.Set(key, "xxxxx")
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}
