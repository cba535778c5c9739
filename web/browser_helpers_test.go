package web_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/browsertest"
	"github.com/marketingos/marketingos/internal/demo"
	"github.com/marketingos/marketingos/internal/notify/resendfake"
)

// The dashboard's browser tests drive the embedded build (web/dist, as the binary serves it) in Debian's
// headless Chromium against the real server on a test database, signed in as the demo organization's owner.

const (
	stripeSecret = "whsec_dashboard_test"
	resendKey    = "re_dashboard_test"
	// publicURL only shapes the invitation links; the browser reaches the server at its test address.
	publicURL = "http://mos.example.test"
)

// dashboard is a running server with the demo organization, and what the tests need to reach it.
type dashboard struct {
	env    *apitest.Env
	mail   *resendfake.Server
	demo   *demo.Result
	origin string // where the browser opens the app (the server, or a proxy in front of it)
}

func newDashboard(t *testing.T) *dashboard {
	t.Helper()
	browsertest.Path(t) // skip before seeding when there is no browser
	mail := resendfake.New(resendKey)
	t.Cleanup(mail.Close)
	env := apitest.New(t,
		apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret),
		apitest.WithEnv("RESEND_API_KEY", resendKey),
		apitest.WithEnv("RESEND_BASE_URL", mail.URL),
		apitest.WithEnv("ADMIN_EMAIL", "ops@example.com"),
		apitest.WithEnv("PUBLIC_URL", publicURL),
	)
	res, err := demo.Ensure(context.Background(), env.DB.Client)
	if err != nil {
		t.Fatalf("demo data: %v", err)
	}
	return &dashboard{env: env, mail: mail, demo: res, origin: env.Server.URL}
}

// graphQL runs a query with the demo organization's API key and decodes its data into out.
func (d *dashboard) graphQL(t *testing.T, query string, vars map[string]any, out any) {
	t.Helper()
	d.env.GraphQL(t, d.demo.APIKey, query, vars).Decode(t, out)
}

// page is one browser tab on the app, with the console messages it has written.
type page struct {
	ctx     context.Context
	d       *dashboard
	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

func (d *dashboard) newPage(t *testing.T, extra ...chromedp.ExecAllocatorOption) *page {
	t.Helper()
	p := &page{ctx: browsertest.New(t, extra...), d: d}
	messages := chromedp.Console(p.ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.console = append(p.console, m)
			p.mu.Unlock()
		}
	}()
	t.Cleanup(func() { p.checkConsole(t) })
	return p
}

// expectedNetworkErrors are the browser's own log lines for answers the app expects and handles: asking who is
// signed in before anyone is (401), and a refused sign-in. Chromium logs every 4xx of a fetch, whatever the page
// does with it.
var expectedNetworkErrors = regexp.MustCompile(`/api/auth/(session|login|invitations/accept)\b|status of 401`)

// checkConsole fails the test on any error or exception the page wrote.
func (p *page) checkConsole(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.console {
		if m.Type != chromedp.ConsoleError && !m.IsException() {
			continue
		}
		if m.Source == "network" && expectedNetworkErrors.MatchString(m.Text+" "+m.URL) {
			continue
		}
		t.Errorf("console %s (%s %s)", m, m.Source, m.URL)
	}
}

func (p *page) step(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	browsertest.Step(t, p.ctx, actions...)
}

// waitFor waits until the JavaScript condition holds, at most within.
func (p *page) waitFor(t *testing.T, condition string, within time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, within+5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("!!("+condition+")", chromedp.WithPollingTimeout(within), chromedp.WithPollingMutation())); err != nil {
		t.Fatalf("within %s, never: %s (%v)", within, condition, err)
	}
}

// open navigates to a path of the app and waits for the screen's heading.
func (p *page) open(t *testing.T, path, heading string) {
	t.Helper()
	p.step(t, chromedp.Navigate(p.d.origin+path))
	p.waitHeading(t, heading)
}

func (p *page) waitHeading(t *testing.T, heading string) {
	t.Helper()
	p.waitFor(t, fmt.Sprintf(`[...document.querySelectorAll('main h1')].some(h => h.textContent === %q) && !document.querySelector('main [role=status].loading')`, heading), 15*time.Second)
}

// signIn signs in through the form and waits for the overview.
func (p *page) signIn(t *testing.T, email, password string) {
	t.Helper()
	p.step(t, chromedp.Navigate(p.d.origin+"/"))
	p.waitFor(t, `document.querySelector('input[name=email]')`, 15*time.Second)
	p.step(t,
		chromedp.SendKeys(`input[name=email]`, email),
		chromedp.SendKeys(`input[name=password]`, password),
		chromedp.Click(`form button[type=submit]`),
	)
	p.waitHeading(t, "Overview")
}

func (p *page) eval(t *testing.T, expr string) any {
	t.Helper()
	return browsertest.Eval[any](t, p.ctx, expr)
}

func (p *page) text(t *testing.T, expr string) string {
	t.Helper()
	return browsertest.Eval[string](t, p.ctx, expr)
}

// number reads a data-value attribute (the raw number behind a formatted figure); NaN when it is empty.
func (p *page) number(t *testing.T, selector string) float64 {
	t.Helper()
	raw := p.text(t, fmt.Sprintf(`document.querySelector(%q)?.getAttribute('data-value') ?? 'missing'`, selector))
	if raw == "missing" {
		t.Fatalf("no element %s", selector)
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return nan
	}
	return f
}

var nan = func() float64 { f, _ := strconv.ParseFloat("NaN", 64); return f }()

// screenshot saves the page as SCREENSHOT_DIR/name.png (a temporary directory when unset), for CI to keep.
func (p *page) screenshot(t *testing.T, name string) string {
	t.Helper()
	dir := cmp.Or(os.Getenv("SCREENSHOT_DIR"), filepath.Join(os.TempDir(), "marketingos-screenshots"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pixelHit sends the no-JS pixel as a landing page's visitor would, and fails unless it was stored.
func (d *dashboard) pixelHit(t *testing.T, visitorID string) {
	t.Helper()
	q := url.Values{"k": {d.demo.Organization.TrackingKey}, "vid": {visitorID}, "url": {"https://www.acme.test/pricing"}}
	req, _ := http.NewRequest(http.MethodGet, d.env.Server.URL+"/api/tracking/pixel.gif?"+q.Encode(), nil)
	req.Header.Set("User-Agent", browsertest.DesktopUA)
	res, err := d.env.Server.Client().Do(req)
	if err != nil {
		t.Fatalf("pixel: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("X-MarketingOS-Dropped") != "" {
		t.Fatalf("pixel answered %d, dropped %q", res.StatusCode, res.Header.Get("X-MarketingOS-Dropped"))
	}
}

// purchase posts a Stripe-signed checkout.session.completed of amount minor units by visitorID.
func (d *dashboard) purchase(t *testing.T, visitorID string, amount int64) {
	t.Helper()
	id := fmt.Sprintf("evt_dash_%d", time.Now().UnixNano())
	payload, _ := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": "2025-09-30.clover", "created": time.Now().Unix(),
		"livemode": false, "pending_webhooks": 1, "type": "checkout.session.completed",
		"data": map[string]any{"object": map[string]any{
			"id": "cs_test_" + id, "object": "checkout.session", "amount_total": amount, "amount_subtotal": amount,
			"currency": strings.ToLower(d.demo.Organization.Currency), "payment_status": "paid", "status": "complete",
			"mode": "payment", "payment_intent": "pi_" + id, "client_reference_id": visitorID,
			"created":  time.Now().Add(-time.Minute).Unix(),
			"metadata": map[string]string{"tracking_key": d.demo.Organization.TrackingKey},
		}},
	})
	signature := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: stripeSecret, Timestamp: time.Now()}).Header
	req, _ := http.NewRequest(http.MethodPost, d.env.Server.URL+"/api/webhooks/stripe", strings.NewReader(string(payload)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", signature)
	res, err := d.env.Server.Client().Do(req)
	if err != nil {
		t.Fatalf("stripe webhook: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stripe webhook answered %d", res.StatusCode)
	}
}
