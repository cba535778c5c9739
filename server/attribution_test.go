package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/notify/slackfake"
	"github.com/marketingos/marketingos/internal/viewer"
)

const (
	browserUA     = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15"
	stripeSecret  = "whsec_test_secret_for_marketingos"
	reportQuery   = `query($model: AttributionModel!, $groupBy: AttributionDimension, $to: Time) { attributionReport(model: $model, groupBy: $groupBy, to: $to) { model totalRevenue totalConversions rows { source medium campaign conversions revenue } } }`
	eventsCountQ  = `{ attributionEvents(first: 100) { totalCount edges { node { eventType visitorId userId source campaign value } } } }`
	stripeWebhook = "/api/webhooks/stripe"
)

type pixelResult struct {
	status  int
	dropped string
	cookies []*http.Cookie
}

func hitPixel(t *testing.T, env *apitest.Env, query url.Values, ua string, header http.Header) pixelResult {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, env.Server.URL+"/api/tracking/pixel.gif?"+query.Encode(), nil)
	req.Header.Set("User-Agent", ua)
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := env.Server.Client().Do(req)
	if err != nil {
		t.Fatalf("pixel: %v", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if ct := res.Header.Get("Content-Type"); ct != "image/gif" || len(body) == 0 || string(body[:3]) != "GIF" {
		t.Fatalf("pixel answered %q with %d bytes, want a GIF", ct, len(body))
	}
	return pixelResult{status: res.StatusCode, dropped: res.Header.Get("X-MarketingOS-Dropped"), cookies: res.Cookies()}
}

type eventAnswer struct {
	status int
	body   map[string]any
}

func postEvent(t *testing.T, env *apitest.Env, body string, header map[string]string) eventAnswer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/api/tracking/event", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", browserUA)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := env.Server.Client().Do(req)
	if err != nil {
		t.Fatalf("event: %v", err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("event answer (status %d) is not JSON: %v", res.StatusCode, err)
	}
	return eventAnswer{status: res.StatusCode, body: out}
}

// stripeEvent builds a Stripe event envelope as Stripe sends it.
func stripeEvent(id, typ string, created time.Time, object map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": "2025-09-30.clover", "created": created.Unix(),
		"livemode": false, "pending_webhooks": 1, "type": typ,
		"request": map[string]any{"id": nil, "idempotency_key": nil},
		"data":    map[string]any{"object": object},
	})
	return b
}

func checkoutCompleted(id string, created time.Time, amount int64, metadata map[string]string) []byte {
	return stripeEvent(id, "checkout.session.completed", created, map[string]any{
		"id": "cs_test_" + id, "object": "checkout.session", "amount_total": amount, "amount_subtotal": amount,
		"currency": "usd", "payment_status": "paid", "status": "complete", "mode": "payment",
		"payment_intent": "pi_" + id, "customer": "cus_123", "client_reference_id": nil,
		"created": created.Add(-time.Minute).Unix(), "metadata": metadata,
	})
}

func chargeRefunded(id, paymentIntent string, created time.Time, amount, refunded int64) []byte {
	return stripeEvent(id, "charge.refunded", created, map[string]any{
		"id": "ch_" + id, "object": "charge", "amount": amount, "amount_captured": amount,
		"amount_refunded": refunded, "refunded": refunded >= amount, "currency": "usd",
		"payment_intent": paymentIntent, "status": "succeeded", "metadata": map[string]string{},
	})
}

func postStripe(t *testing.T, env *apitest.Env, payload []byte, signature string) int {
	t.Helper()
	status, _ := postStripeAnswer(t, env, payload, signature)
	return status
}

// postStripeAnswer posts a webhook and returns the status and the JSON answer.
func postStripeAnswer(t *testing.T, env *apitest.Env, payload []byte, signature string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+stripeWebhook, strings.NewReader(string(payload)))
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("Stripe-Signature", signature)
	}
	res, err := env.Server.Client().Do(req)
	if err != nil {
		t.Errorf("stripe webhook: %v", err)
		return 0, nil
	}
	defer res.Body.Close()
	var answer map[string]any
	if err := json.NewDecoder(res.Body).Decode(&answer); err != nil {
		t.Errorf("stripe webhook answered %d with a body that is not JSON: %v", res.StatusCode, err)
	}
	return res.StatusCode, answer
}

func sign(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at}).Header
}

type reportRow struct {
	Source, Medium, Campaign *string
	Conversions, Revenue     float64
}

type report struct {
	Model            string
	TotalRevenue     float64
	TotalConversions float64
	Rows             []reportRow
}

func attributionReport(t *testing.T, env *apitest.Env, apiKey, model, groupBy string) report {
	t.Helper()
	var got struct{ AttributionReport report }
	// Up to an hour ahead: the tests date payments a moment after the visits that led to them.
	to := time.Now().Add(time.Hour).Format(time.RFC3339)
	env.GraphQL(t, apiKey, reportQuery, map[string]any{"model": model, "groupBy": groupBy, "to": to}).Decode(t, &got)
	return got.AttributionReport
}

// revenueBy maps the grouped key to revenue.
func (r report) revenueBy() map[string]float64 {
	out := map[string]float64{}
	for _, row := range r.Rows {
		for _, k := range []*string{row.Source, row.Medium, row.Campaign} {
			if k != nil {
				out[*k] = row.Revenue
			}
		}
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// TestPurchaseAttributedEndToEnd is the product's core promise over real HTTP: a visitor arrives from a Google
// campaign, comes back from a Facebook one, signs up, pays 997.00 through Stripe, and every model credits the
// campaigns as documented; a full refund takes it all back.
func TestPurchaseAttributedEndToEnd(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	org := env.NewOrg(t, "Acme")

	for _, q := range []url.Values{
		{"k": {org.TrackingKey}, "vid": {"v1"}, "utm_source": {"google"}, "utm_medium": {"cpc"}, "utm_campaign": {"summer"}, "url": {"https://acme.example/pricing"}},
		{"k": {org.TrackingKey}, "vid": {"v1"}, "utm_source": {"facebook"}, "utm_medium": {"paid_social"}, "utm_campaign": {"retarget"}, "url": {"https://acme.example/"}},
	} {
		if res := hitPixel(t, env, q, browserUA, nil); res.status != http.StatusOK || res.dropped != "" {
			t.Fatalf("pixel hit: status %d dropped %q", res.status, res.dropped)
		}
	}
	signup := postEvent(t, env, fmt.Sprintf(`{"key":%q,"eventType":"signup","visitorId":"v1","userId":"user_42"}`, org.TrackingKey), nil)
	if signup.status != http.StatusAccepted || signup.body["stored"] != true {
		t.Fatalf("signup: %d %v", signup.status, signup.body)
	}

	paidAt := time.Now().Add(2 * time.Second) // the payment completes after the visits
	purchase := checkoutCompleted("evt_purchase_1", paidAt, 99700, map[string]string{"user_id": "user_42", "tracking_key": org.TrackingKey})
	if status := postStripe(t, env, purchase, sign(purchase, stripeSecret, time.Now())); status != http.StatusOK {
		t.Fatalf("stripe purchase: status %d", status)
	}

	want := map[string]map[string]float64{
		"FIRST_TOUCH":    {"google": 997},
		"LAST_TOUCH":     {"facebook": 997},
		"LINEAR":         {"google": 498.5, "facebook": 498.5},
		"POSITION_BASED": {"google": 498.5, "facebook": 498.5},
	}
	for model, byChannel := range want {
		rep := attributionReport(t, env, org.APIKey, model, "SOURCE")
		got := rep.revenueBy()
		if len(got) != len(byChannel) || !near(rep.TotalRevenue, 997) || !near(rep.TotalConversions, 1) {
			t.Errorf("%s: report %+v, want %v with total 997 and 1 conversion", model, rep, byChannel)
		}
		for ch, v := range byChannel {
			if !near(got[ch], v) {
				t.Errorf("%s: %s = %v, want %v", model, ch, got[ch], v)
			}
		}
	}
	// Time decay: the facebook touch is the more recent one, so it earns more; together exactly 997.
	td := attributionReport(t, env, org.APIKey, "TIME_DECAY", "CAMPAIGN").revenueBy()
	if !(td["retarget"] >= td["summer"]) || !near(td["retarget"]+td["summer"], 997) {
		t.Errorf("TIME_DECAY by campaign = %v, want retarget ≥ summer summing to 997", td)
	}

	refund := chargeRefunded("evt_refund_1", "pi_evt_purchase_1", paidAt.Add(time.Hour), 99700, 99700)
	if status := postStripe(t, env, refund, sign(refund, stripeSecret, time.Now())); status != http.StatusOK {
		t.Fatalf("stripe refund: status %d", status)
	}
	for _, model := range []string{"FIRST_TOUCH", "LAST_TOUCH", "LINEAR", "TIME_DECAY", "POSITION_BASED"} {
		rep := attributionReport(t, env, org.APIKey, model, "SOURCE")
		if rep.TotalRevenue != 0 || rep.TotalConversions != 0 || len(rep.Rows) != 0 {
			t.Errorf("%s after the refund: %+v, want everything at zero", model, rep)
		}
	}
}

// TestStripeExactlyOnce delivers the same event 50 times at once: one purchase, one set of credits.
func TestStripeExactlyOnce(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	org := env.NewOrg(t, "Acme")
	hitPixel(t, env, url.Values{"k": {org.TrackingKey}, "vid": {"v9"}, "utm_source": {"google"}}, browserUA, nil)

	payload := checkoutCompleted("evt_dup", time.Now().Add(time.Second), 4900, map[string]string{"visitor_id": "v9"})
	sig := sign(payload, stripeSecret, time.Now())
	var wg sync.WaitGroup
	statuses := make([]int, 50)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = postStripe(t, env, payload, sig)
		}()
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusOK {
			t.Errorf("delivery %d: status %d, want 200", i, s)
		}
	}
	ctx := viewer.ForOrganization(context.Background(), org.ID)
	purchases := env.DB.Client.AttributionEvent.Query().CountX(ctx) - 1 // minus the pixel hit
	credits := env.DB.Client.AttributionCredit.Query().CountX(ctx)
	webhooks := env.DB.Client.WebhookEvent.Query().CountX(viewer.SystemContext(context.Background()))
	if purchases != 1 || credits != 5 || webhooks != 1 {
		t.Errorf("after 50 deliveries: %d purchases, %d credits, %d webhook records; want 1, 5 (one per model), 1", purchases, credits, webhooks)
	}
}

// TestStripeRejectsForgeries: nothing that is not a genuine, fresh, correctly signed event is stored.
func TestStripeRejectsForgeries(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	org := env.NewOrg(t, "Acme")
	payload := checkoutCompleted("evt_forged", time.Now(), 99700, map[string]string{"visitor_id": "v1"})
	tampered := []byte(strings.Replace(string(payload), "99700", "99", 1))
	cases := []struct {
		name      string
		body      []byte
		signature string
	}{
		{"tampered body", tampered, sign(payload, stripeSecret, time.Now())},
		{"wrong secret", payload, sign(payload, "whsec_someone_else", time.Now())},
		{"stale timestamp", payload, sign(payload, stripeSecret, time.Now().Add(-301*time.Second))},
		{"missing header", payload, ""},
		{"garbage header", payload, "t=abc,v1"},
		{"not an event", []byte(`{"hello":"world"}`), sign([]byte(`{"hello":"world"}`), stripeSecret, time.Now())},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if status := postStripe(t, env, tc.body, tc.signature); status != http.StatusBadRequest {
				t.Errorf("status %d, want 400", status)
			}
		})
	}
	ctx := viewer.SystemContext(context.Background())
	if n := env.DB.Client.AttributionEvent.Query().CountX(ctx); n != 0 {
		t.Errorf("%d events stored from forged webhooks", n)
	}
	if n := env.DB.Client.WebhookEvent.Query().CountX(ctx); n != 0 {
		t.Errorf("%d webhook records stored from forged webhooks", n)
	}
	_ = org
}

// TestStripeUnhandledAndUnpaid: other event types and unpaid sessions are acknowledged and change nothing.
func TestStripeUnhandledAndUnpaid(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	env.NewOrg(t, "Acme")
	unpaid := stripeEvent("evt_unpaid", "checkout.session.completed", time.Now(), map[string]any{
		"id": "cs_unpaid", "object": "checkout.session", "amount_total": 500, "currency": "usd", "payment_status": "unpaid",
	})
	other := stripeEvent("evt_other", "customer.created", time.Now(), map[string]any{"id": "cus_1", "object": "customer"})
	for _, p := range [][]byte{unpaid, other} {
		if status := postStripe(t, env, p, sign(p, stripeSecret, time.Now())); status != http.StatusOK {
			t.Errorf("status %d, want 200", status)
		}
	}
	if n := env.DB.Client.AttributionEvent.Query().CountX(viewer.SystemContext(context.Background())); n != 0 {
		t.Errorf("%d events stored, want 0", n)
	}
}

// TestPartialRefunds: two partial refunds bring a purchase to zero exactly, whatever the rounding of each.
func TestPartialRefunds(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	org := env.NewOrg(t, "Acme")
	for _, src := range []string{"google", "bing", "newsletter"} {
		hitPixel(t, env, url.Values{"k": {org.TrackingKey}, "vid": {"v3"}, "utm_source": {src}, "utm_campaign": {src}}, browserUA, nil)
	}
	paid := time.Now().Add(time.Second)
	p := checkoutCompleted("evt_p3", paid, 10001, map[string]string{"visitor_id": "v3"})
	postStripe(t, env, p, sign(p, stripeSecret, time.Now()))

	r1 := chargeRefunded("evt_r1", "pi_evt_p3", paid, 10001, 3333)
	if s := postStripe(t, env, r1, sign(r1, stripeSecret, time.Now())); s != http.StatusOK {
		t.Fatalf("first refund: %d", s)
	}
	rep := attributionReport(t, env, org.APIKey, "LINEAR", "SOURCE")
	if !near(rep.TotalRevenue, 66.68) || !near(rep.TotalConversions, 1) {
		t.Errorf("after a partial refund: revenue %v conversions %v, want 66.68 and 1", rep.TotalRevenue, rep.TotalConversions)
	}
	// A redelivery of the same refund event and an out-of-date cumulative amount change nothing.
	postStripe(t, env, r1, sign(r1, stripeSecret, time.Now()))
	stale := chargeRefunded("evt_r1_stale", "pi_evt_p3", paid, 10001, 3000)
	postStripe(t, env, stale, sign(stale, stripeSecret, time.Now()))
	if again := attributionReport(t, env, org.APIKey, "LINEAR", "SOURCE"); !near(again.TotalRevenue, 66.68) {
		t.Errorf("replayed refunds changed revenue to %v", again.TotalRevenue)
	}

	r2 := chargeRefunded("evt_r2", "pi_evt_p3", paid, 10001, 10001)
	postStripe(t, env, r2, sign(r2, stripeSecret, time.Now()))
	for _, model := range []string{"FIRST_TOUCH", "LAST_TOUCH", "LINEAR", "TIME_DECAY", "POSITION_BASED"} {
		for _, dim := range []string{"SOURCE", "CAMPAIGN"} {
			if rep := attributionReport(t, env, org.APIKey, model, dim); rep.TotalRevenue != 0 || len(rep.Rows) != 0 {
				t.Errorf("%s/%s after the full refund: %+v, want nothing left", model, dim, rep)
			}
		}
	}
}

// TestReportInOrganizationTimeZone: report bounds in the organization's zone still select the right conversions
// (SQLite compares timestamps as text, so bounds must be in UTC like the stored values).
func TestReportInOrganizationTimeZone(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Far East")
	env.DB.Client.Organization.UpdateOneID(org.ID).SetTimezone("Pacific/Kiritimati").ExecX(viewer.SystemContext(context.Background()))
	env.GraphQL(t, org.APIKey, `mutation { trackEvent(input: {eventType: "purchase", visitorId: "v", value: 12.5}) { id } }`, nil).Decode(t, &struct{}{})
	var got struct{ AttributionReport report }
	env.GraphQL(t, org.APIKey, `{ attributionReport(model: LAST_TOUCH) { totalRevenue totalConversions } }`, nil).Decode(t, &got)
	if !near(got.AttributionReport.TotalRevenue, 12.5) || !near(got.AttributionReport.TotalConversions, 1) {
		t.Errorf("report in UTC+14 = %+v, want the purchase made just now", got.AttributionReport)
	}
	var dash struct{ Dashboard struct{ Revenue float64 } }
	env.GraphQL(t, org.APIKey, `{ dashboard { revenue } }`, nil).Decode(t, &dash)
	if !near(dash.Dashboard.Revenue, 12.5) {
		t.Errorf("dashboard revenue in UTC+14 = %v, want 12.5", dash.Dashboard.Revenue)
	}
}

// TestStripeSessionPaidTwice: a checkout session's completed event and its async_payment_succeeded event (both
// paid, different event ids) record one purchase and raise one high-value notice.
func TestStripeSessionPaidTwice(t *testing.T) {
	slack := slackfake.New()
	t.Cleanup(slack.Close)
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret), apitest.WithEnv("SLACK_WEBHOOK_URL", slack.WebhookURL))
	env.NewOrg(t, "Acme")
	completed := checkoutCompleted("evt_paid", time.Now(), 99700, nil) // above the default 500.00 threshold
	var session map[string]any
	if err := json.Unmarshal(completed, &session); err != nil {
		t.Fatal(err)
	}
	later := stripeEvent("evt_paid_async", "checkout.session.async_payment_succeeded", time.Now(),
		session["data"].(map[string]any)["object"].(map[string]any))
	for _, p := range [][]byte{completed, later} {
		if status := postStripe(t, env, p, sign(p, stripeSecret, time.Now())); status != http.StatusOK {
			t.Fatalf("status %d, want 200", status)
		}
	}
	sys := viewer.SystemContext(context.Background())
	if n := env.DB.Client.AttributionEvent.Query().CountX(sys); n != 1 {
		t.Errorf("%d events stored, want the one purchase", n)
	}
	// Closing the app drains the notification dispatcher: every notice raised has been delivered after it.
	if err := env.App.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(slack.Messages()); n != 1 {
		t.Errorf("%d Slack notices, want 1 high-value notice", n)
	}
}

// TestSubscriptionRefund: a subscription's checkout has no payment intent, only its first invoice; the refund of
// that invoice's charge (which names the invoice and a payment intent of its own) finds the purchase through the
// invoice and reverses its credits.
func TestSubscriptionRefund(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	org := env.NewOrg(t, "Acme")
	hitPixel(t, env, url.Values{"k": {org.TrackingKey}, "vid": {"v9"}, "utm_source": {"google"}, "utm_campaign": {"pro"}}, browserUA, nil)
	paid := time.Now().Add(time.Second)
	sub := stripeEvent("evt_sub", "checkout.session.completed", paid, map[string]any{
		"id": "cs_test_sub", "object": "checkout.session", "amount_total": 4900, "amount_subtotal": 4900,
		"currency": "usd", "payment_status": "paid", "status": "complete", "mode": "subscription",
		"payment_intent": nil, "invoice": "in_first", "subscription": "sub_123", "customer": "cus_123",
		"client_reference_id": "v9", "created": paid.Add(-time.Minute).Unix(), "metadata": map[string]string{},
	})
	if s := postStripe(t, env, sub, sign(sub, stripeSecret, time.Now())); s != http.StatusOK {
		t.Fatalf("subscription checkout: %d", s)
	}
	if rep := attributionReport(t, env, org.APIKey, "LAST_TOUCH", "SOURCE"); !near(rep.TotalRevenue, 49) {
		t.Fatalf("after the subscription's checkout: revenue %v, want 49", rep.TotalRevenue)
	}
	refund := stripeEvent("evt_sub_refund", "charge.refunded", paid, map[string]any{
		"id": "ch_sub", "object": "charge", "amount": 4900, "amount_captured": 4900, "amount_refunded": 4900,
		"refunded": true, "currency": "usd", "payment_intent": "pi_of_the_invoice", "invoice": "in_first",
		"status": "succeeded", "metadata": map[string]string{},
	})
	if s := postStripe(t, env, refund, sign(refund, stripeSecret, time.Now())); s != http.StatusOK {
		t.Fatalf("refund: %d", s)
	}
	for _, model := range []string{"FIRST_TOUCH", "LAST_TOUCH", "LINEAR", "TIME_DECAY", "POSITION_BASED"} {
		if rep := attributionReport(t, env, org.APIKey, model, "SOURCE"); rep.TotalRevenue != 0 || len(rep.Rows) != 0 {
			t.Errorf("%s after the subscription's refund: %+v, want nothing left", model, rep)
		}
	}
}

// TestRefundFindsItsOrganization: with several organizations, a refunded charge names none (Stripe copies a
// checkout session's metadata to neither its payment intent nor its charges): the refund goes to the organization
// that recorded the purchase, and only there. A refund of a payment no organization recorded is acknowledged (and
// kept for a purchase that may come later) and changes nothing.
func TestRefundFindsItsOrganization(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	a, b := env.NewOrg(t, "A"), env.NewOrg(t, "B")
	paid := time.Now().Add(time.Second)
	for _, p := range []struct {
		id  string
		org apitest.Org
	}{{"evt_pay_a", a}, {"evt_pay_b", b}} {
		purchase := checkoutCompleted(p.id, paid, 5000, map[string]string{"tracking_key": p.org.TrackingKey})
		if s := postStripe(t, env, purchase, sign(purchase, stripeSecret, time.Now())); s != http.StatusOK {
			t.Fatalf("purchase %s: status %d", p.id, s)
		}
	}
	for _, refund := range [][]byte{
		chargeRefunded("evt_refund_b", "pi_evt_pay_b", paid, 5000, 5000),
		chargeRefunded("evt_refund_unknown", "pi_nobody_recorded", paid, 700, 700),
	} {
		if s := postStripe(t, env, refund, sign(refund, stripeSecret, time.Now())); s != http.StatusOK {
			t.Fatalf("refund: status %d, want 200", s)
		}
	}
	for _, c := range []struct {
		org  apitest.Org
		want float64
	}{{a, 50}, {b, 0}} {
		if rep := attributionReport(t, env, c.org.APIKey, "LAST_TOUCH", "SOURCE"); !near(rep.TotalRevenue, c.want) {
			t.Errorf("%s after B's refund: revenue %v, want %v", c.org.Name, rep.TotalRevenue, c.want)
		}
	}
}

// TestRefundBeforeItsPurchase: Stripe does not deliver events in order, so refunds may arrive before the purchase
// they refund (its checkout event failed and is being retried, say). They wait, and the purchase, once recorded,
// takes them: net revenue is right whatever the order, redeliveries change nothing, and only the purchase's
// organization is touched. With one organization the refunds wait in it; with two, in none until the purchase
// tells.
func TestRefundBeforeItsPurchase(t *testing.T) {
	for _, orgs := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d organizations", orgs), func(t *testing.T) { refundBeforeItsPurchase(t, orgs == 2) })
	}
}

func refundBeforeItsPurchase(t *testing.T, another bool) {
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	b := env.NewOrg(t, "B")
	var a *apitest.Org
	if another {
		o := env.NewOrg(t, "A")
		a = &o
	}
	hitPixel(t, env, url.Values{"k": {b.TrackingKey}, "vid": {"v1"}, "utm_source": {"google"}}, browserUA, nil)
	paid := time.Now().Add(time.Second)
	deliver := func(what string, payload []byte) {
		t.Helper()
		if s := postStripe(t, env, payload, sign(payload, stripeSecret, time.Now())); s != http.StatusOK {
			t.Errorf("%s: status %d, want 200", what, s)
		}
	}
	revenue := func(org apitest.Org) float64 {
		return attributionReport(t, env, org.APIKey, "LAST_TOUCH", "SOURCE").TotalRevenue
	}
	first := chargeRefunded("evt_early_refund_1", "pi_evt_late", paid.Add(time.Minute), 10000, 3000)
	second := chargeRefunded("evt_early_refund_2", "pi_evt_late", paid.Add(2*time.Minute), 10000, 4000)
	deliver("first refund", first)
	deliver("second refund", second)
	deliver("first refund again", first)
	if r := revenue(b); r != 0 {
		t.Fatalf("revenue %v before the purchase, want 0", r)
	}
	events := liveSubscribe(t, env, "B eventTracked", b.APIKey, contractOp(t, "EventTracked"), nil)
	subscribed(t, env.App, 1, 0)
	purchase := checkoutCompleted("evt_late", paid, 10000, map[string]string{"tracking_key": b.TrackingKey, "visitor_id": "v1"})
	deliver("purchase", purchase)
	// The live feed shows the purchase and the two refunds it applied.
	for i, want := range []struct {
		typ   string
		value float64
	}{{"purchase", 100}, {"refund", 30}, {"refund", 10}} {
		var ev liveEvent
		events.must(t, 5*time.Second, &ev)
		if got := ev.EventTracked; got.EventType != want.typ || got.Value == nil || !near(*got.Value, want.value) {
			t.Errorf("eventTracked %d = %+v, want a %s of %v", i, got, want.typ, want.value)
		}
	}
	if r := revenue(b); !near(r, 60) {
		t.Errorf("B's revenue %v once the purchase of 100 came after refunds of 40, want 60", r)
	}
	deliver("second refund again", second)
	if r := revenue(b); !near(r, 60) {
		t.Errorf("B's revenue %v after a redelivered refund, want still 60", r)
	}
	if a != nil {
		if r := revenue(*a); r != 0 {
			t.Errorf("A's revenue %v, want 0: the refunds were B's", r)
		}
	}
	deliver("full refund", chargeRefunded("evt_refund_rest", "pi_evt_late", paid.Add(time.Hour), 10000, 10000))
	if rep := attributionReport(t, env, b.APIKey, "LINEAR", "SOURCE"); rep.TotalRevenue != 0 || rep.TotalConversions != 0 {
		t.Errorf("B after the full refund: %+v, want nothing", rep)
	}

	// Purchases and their full refunds delivered at the same moment: neither may miss the other.
	var wg sync.WaitGroup
	for i := range 20 {
		id := fmt.Sprintf("evt_race_%d", i)
		for _, payload := range [][]byte{
			checkoutCompleted(id, paid, 2500, map[string]string{"tracking_key": b.TrackingKey, "visitor_id": "v1"}),
			chargeRefunded(id+"_refund", "pi_"+id, paid.Add(time.Minute), 2500, 2500),
		} {
			wg.Go(func() { deliver(id, payload) })
		}
	}
	wg.Wait()
	if r := revenue(b); r != 0 {
		t.Errorf("B's revenue %v after 20 purchases refunded in full as they were recorded, want 0", r)
	}
}

// TestPurchaseInTheSecondOfItsLastTouch: Stripe stamps a payment with whole seconds, so a visit and a payment within
// one second look as if the visit came after it. A pixel hit in the payment's own second leads to it under every
// model; a hit in the following second does not (it is credited to (direct)).
func TestPurchaseInTheSecondOfItsLastTouch(t *testing.T) {
	models := []string{"FIRST_TOUCH", "LAST_TOUCH", "LINEAR", "TIME_DECAY", "POSITION_BASED"}
	for _, tc := range []struct {
		name    string
		seconds time.Duration // the payment's second, from the hit's
		want    string        // the source credited
	}{
		{"hit in the payment's second", 0, "newsletter"},
		{"hit in the next second", -time.Second, "(direct)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
			org := env.NewOrg(t, "Acme")
			hit := hitInsideASecond(t, env, org, "v1")
			paid := hit.Truncate(time.Second).Add(tc.seconds)
			purchase := checkoutCompleted("evt_same_second", paid, 4200, map[string]string{"visitor_id": "v1"})
			if status := postStripe(t, env, purchase, sign(purchase, stripeSecret, time.Now())); status != http.StatusOK {
				t.Fatalf("stripe purchase: status %d", status)
			}
			for _, model := range models {
				got := attributionReport(t, env, org.APIKey, model, "SOURCE").revenueBy()
				if len(got) != 1 || !near(got[tc.want], 42) {
					t.Errorf("%s: hit at %s, paid at %s: revenue by source %v, want all 42 to %s",
						model, hit.Format(time.StampMicro), paid.Format(time.StampMicro), got, tc.want)
				}
			}
		})
	}
}

// hitInsideASecond records a pixel hit from a newsletter for visitor and returns when it was stored, retrying
// until that is not a whole second (where the payment's second and the hit's time would coincide and prove
// nothing).
func hitInsideASecond(t *testing.T, env *apitest.Env, org apitest.Org, visitor string) time.Time {
	t.Helper()
	ctx := viewer.ForOrganization(context.Background(), org.ID)
	for range 3 {
		q := url.Values{"k": {org.TrackingKey}, "vid": {visitor}, "utm_source": {"newsletter"}, "utm_medium": {"email"}}
		if res := hitPixel(t, env, q, browserUA, nil); res.status != http.StatusOK || res.dropped != "" {
			t.Fatalf("pixel hit: status %d dropped %q", res.status, res.dropped)
		}
		last, err := env.DB.Client.AttributionEvent.Query().
			Where(attributionevent.VisitorID(visitor)).Order(ent.Desc(attributionevent.FieldCreatedAt)).First(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !last.CreatedAt.Equal(last.CreatedAt.Truncate(time.Second)) {
			return last.CreatedAt
		}
	}
	t.Fatal("three hits stored at whole seconds")
	return time.Time{}
}
