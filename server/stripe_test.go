package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent/webhookevent"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// withoutData is a Stripe event envelope of typ with no data at all.
func withoutData(id, typ string) []byte {
	b, _ := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "created": time.Now().Unix()})
	return b
}

// checkoutWith is a paid checkout session event whose object has the fields given replaced (or added).
func checkoutWith(id string, fields map[string]any) []byte {
	object := map[string]any{
		"id": "cs_" + id, "object": "checkout.session", "amount_total": 5000, "currency": "usd",
		"payment_status": "paid", "payment_intent": "pi_" + id, "metadata": map[string]string{},
	}
	for k, v := range fields {
		object[k] = v
	}
	return stripeEvent(id, "checkout.session.completed", time.Now(), object)
}

const failuresQuery = `{ webhookFailures { id provider eventId type reason receivedAt failedAt } }`

type webhookFailure struct {
	ID, Provider, EventID, Type, Reason string
	ReceivedAt, FailedAt                time.Time
}

func webhookFailures(t *testing.T, env *apitest.Env, apiKey string) []webhookFailure {
	t.Helper()
	var got struct{ WebhookFailures []webhookFailure }
	env.GraphQL(t, apiKey, failuresQuery, nil).Decode(t, &got)
	return got.WebhookFailures
}

// TestStripeUnprocessableEvents: validly signed events that can never be applied as they stand are answered 200
// (Stripe would otherwise retry them for three days and then disable the endpoint), store nothing, and are recorded
// with their reason for an administrator; a redelivery changes nothing.
func TestStripeUnprocessableEvents(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	org := env.NewOrg(t, "Acme")
	cases := []struct {
		name, reason string
		payload      []byte
	}{
		{"checkout without data", "no data object", withoutData("evt_nodata", "checkout.session.completed")},
		{"refund without data", "no data object", withoutData("evt_nodata_refund", "charge.refunded")},
		{"data not an object", "not a checkout session", stripeEvent("evt_data_list", "checkout.session.completed", time.Now(), nil)},
		{"amount_total as a string", "amount_total is not an integer", checkoutWith("evt_amount_string", map[string]any{"amount_total": "5000"})},
		{"amount_total with cents", "amount_total is not an integer", checkoutWith("evt_amount_float", map[string]any{"amount_total": 49.5})},
		{"amount_total missing", "amount_total is missing", checkoutWith("evt_amount_null", map[string]any{"amount_total": nil})},
		{"negative amount_total", "not a positive amount", checkoutWith("evt_negative", map[string]any{"amount_total": -5000})},
		{"zero amount_total", "not a positive amount", checkoutWith("evt_zero", map[string]any{"amount_total": 0})},
		{"metadata as a string", "metadata is not an object of strings", checkoutWith("evt_metadata_string", map[string]any{"metadata": "tracking_key=x"})},
		{"payment_intent a number", "payment_intent, invoice or customer is neither", checkoutWith("evt_pi_number", map[string]any{"payment_intent": 7})},
		{"tracking_key of no organization", "tracking_key names no organization",
			checkoutWith("evt_orphan", map[string]any{"metadata": map[string]string{"tracking_key": "mos_pk_nobody"}})},
		{"NUL in the visitor", "client_reference_id contains a NUL", checkoutWith("evt_nul", map[string]any{"client_reference_id": "v\u0000"})},
		{"visitor id too long", "visitor_id is refused", checkoutWith("evt_long_visitor", map[string]any{"client_reference_id": strings.Repeat("v", 300)})},
		{"created as a string", "created is not a Unix time", []byte(strings.Replace(string(checkoutWith("evt_created_string", nil)),
			fmt.Sprintf(`"created":%d`, time.Now().Unix()), `"created":"yesterday"`, 1))},
		{"negative refund", "amount_refunded -100 is not a positive", chargeRefunded("evt_refund_negative", "pi_x", time.Now(), 5000, -100)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for delivery := range 2 { // the second is a redelivery
				status, answer := postStripeAnswer(t, env, tc.payload, sign(tc.payload, stripeSecret, time.Now()))
				reason, _ := answer["reason"].(string)
				if status != http.StatusOK || answer["outcome"] != "failed" || !strings.Contains(reason, tc.reason) {
					t.Errorf("delivery %d: %d %v, want 200 failed with a reason saying %q", delivery+1, status, answer, tc.reason)
				}
			}
		})
	}
	sys := viewer.SystemContext(context.Background())
	if n := env.DB.Client.AttributionEvent.Query().CountX(sys); n != 0 {
		t.Errorf("%d attribution events stored from unprocessable webhooks, want none", n)
	}
	failures := webhookFailures(t, env, org.APIKey)
	if len(failures) != len(cases) {
		t.Errorf("webhookFailures lists %d, want the %d events, once each", len(failures), len(cases))
	}
	for _, f := range failures {
		if f.Provider != "stripe" || f.Reason == "" || f.Type == "" || f.ReceivedAt.IsZero() || f.FailedAt.Before(f.ReceivedAt) {
			t.Errorf("failure %+v: want provider, type, reason, and failedAt not before receivedAt", f)
		}
	}
}

// TestStripeUnavailableDatabaseIsRetried: a failure a retry can fix answers 500, so that Stripe retries, both
// for an event that would apply and for one whose failure cannot be recorded.
func TestStripeUnavailableDatabaseIsRetried(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	env.NewOrg(t, "Acme")
	if err := env.DB.SQL.Close(); err != nil {
		t.Fatal(err)
	}
	for name, payload := range map[string][]byte{
		"valid purchase":    checkoutCompleted("evt_db_down", time.Now(), 5000, nil),
		"unprocessable one": withoutData("evt_db_down_garbled", "checkout.session.completed"),
	} {
		if status := postStripe(t, env, payload, sign(payload, stripeSecret, time.Now())); status != http.StatusInternalServerError {
			t.Errorf("%s with the database down: status %d, want 500", name, status)
		}
	}
}

// TestReplayWebhook: an orphaned purchase (its tracking key named no organization) is listed for the
// administrators who may fix it, and applied once by replayWebhook when the key exists; concurrent replays and a
// redelivery apply it no second time. Another organization's failures stay invisible.
func TestReplayWebhook(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	a, b := env.NewOrg(t, "A"), env.NewOrg(t, "B")
	const lostKey = "mos_pk_restored_after_a_mistake"
	orphan := checkoutCompleted("evt_orphan", time.Now(), 4900, map[string]string{"tracking_key": lostKey})
	resent := checkoutCompleted("evt_orphan_resent", time.Now(), 1000, map[string]string{"tracking_key": lostKey})
	bad := checkoutWith("evt_bad_amount_b", map[string]any{"amount_total": -1, "metadata": map[string]string{"tracking_key": b.TrackingKey}})
	for _, p := range [][]byte{orphan, resent, bad} {
		if status, answer := postStripeAnswer(t, env, p, sign(p, stripeSecret, time.Now())); status != http.StatusOK || answer["outcome"] != "failed" {
			t.Fatalf("delivery: %d %v, want 200 failed", status, answer)
		}
	}

	// A sees the orphan (no organization could be told) but not B's failure; B sees both.
	eventIDs := func(fs []webhookFailure) []string {
		var ids []string
		for _, f := range fs {
			ids = append(ids, f.EventID)
		}
		return ids
	}
	if got := eventIDs(webhookFailures(t, env, a.APIKey)); len(got) != 2 || slices.Contains(got, "evt_bad_amount_b") {
		t.Errorf("A's webhookFailures = %v, want the two orphans only", got)
	}
	bFailures := webhookFailures(t, env, b.APIKey)
	if got := eventIDs(bFailures); len(got) != 3 {
		t.Fatalf("B's webhookFailures = %v, want the two orphans and evt_bad_amount_b", got)
	}
	idOf := map[string]string{}
	for _, f := range bFailures {
		idOf[f.EventID] = f.ID
	}
	wantError(t, env.GraphQL(t, a.APIKey, `{ webhookFailures(first: 0) { id } }`, nil), "BAD_USER_INPUT")
	const replay = `mutation($id: ID!) { replayWebhook(id: $id) { outcome reason } }`
	wantError(t, env.GraphQL(t, a.APIKey, replay, map[string]any{"id": idOf["evt_bad_amount_b"]}), "NOT_FOUND")

	// Not fixed yet: the replay fails again, and the failure stays listed.
	var again struct {
		ReplayWebhook struct{ Outcome, Reason string }
	}
	env.GraphQL(t, b.APIKey, replay, map[string]any{"id": idOf["evt_orphan"]}).Decode(t, &again)
	if again.ReplayWebhook.Outcome != "failed" || !strings.Contains(again.ReplayWebhook.Reason, "names no organization") {
		t.Errorf("replay before the fix = %+v, want failed, naming no organization", again.ReplayWebhook)
	}

	// The fix: B gets back the tracking key its checkout pages sent (an operator restores it from a backup; no API
	// sets a key). Ten administrators replay at once.
	if _, err := env.DB.SQL.Exec(`UPDATE organizations SET tracking_key = $1 WHERE id = $2`, lostKey, b.ID); err != nil {
		t.Fatal(err)
	}
	sys := viewer.SystemContext(context.Background())
	outcomes := make([]string, 10)
	var wg sync.WaitGroup
	for i := range outcomes {
		wg.Go(func() {
			res := env.GraphQL(t, b.APIKey, replay, map[string]any{"id": idOf["evt_orphan"]})
			switch {
			case len(res.Errors) > 0:
				outcomes[i] = res.Errors[0].Code() // NOT_FOUND: replayed already
			default:
				var got struct{ ReplayWebhook struct{ Outcome string } }
				res.Decode(t, &got)
				outcomes[i] = got.ReplayWebhook.Outcome
			}
		})
	}
	wg.Wait()
	applied := 0
	for _, o := range outcomes {
		switch o {
		case "applied":
			applied++
		case "duplicate", "NOT_FOUND":
		default:
			t.Errorf("a concurrent replay answered %q", o)
		}
	}
	t.Logf("concurrent replays: %v", outcomes)
	if applied != 1 {
		t.Errorf("concurrent replays: %v, want exactly one applied", outcomes)
	}
	if status, answer := postStripeAnswer(t, env, orphan, sign(orphan, stripeSecret, time.Now())); status != http.StatusOK || answer["outcome"] != "duplicate" {
		t.Errorf("redelivery after the replay: %d %v, want 200 duplicate", status, answer)
	}
	// Stripe sending a recorded failure again (from its dashboard) applies it too, once.
	for i, want := range []string{"applied", "duplicate"} {
		if status, answer := postStripeAnswer(t, env, resent, sign(resent, stripeSecret, time.Now())); status != http.StatusOK || answer["outcome"] != want {
			t.Errorf("delivery %d of the other orphan after the fix: %d %v, want 200 %s", i+1, status, answer, want)
		}
	}
	if rep := attributionReport(t, env, b.APIKey, "LINEAR", "SOURCE"); !near(rep.TotalRevenue, 59) || !near(rep.TotalConversions, 2) {
		t.Errorf("B's revenue after the fix: %v (%v conversions), want 59 from the two purchases", rep.TotalRevenue, rep.TotalConversions)
	}
	if got := eventIDs(webhookFailures(t, env, b.APIKey)); len(got) != 1 || got[0] != "evt_bad_amount_b" {
		t.Errorf("B's webhookFailures after the replay = %v, want only the bad amount left", got)
	}
	rec := env.DB.Client.WebhookEvent.Query().Where(webhookevent.EventID("evt_orphan")).OnlyX(sys)
	if rec.FailureReason != nil || rec.Payload != nil || rec.OrganizationID == nil || *rec.OrganizationID != b.ID {
		t.Errorf("record after the replay: reason %v, payload kept %t, organization %v; want cleared, B's",
			rec.FailureReason, rec.Payload != nil, rec.OrganizationID)
	}
}
