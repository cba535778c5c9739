package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// eventsOf returns an organization's events, oldest first.
func eventsOf(t testing.TB, env *apitest.Env, orgID string) []*ent.AttributionEvent {
	t.Helper()
	return env.DB.Client.AttributionEvent.Query().Order(ent.Asc(attributionevent.FieldCreatedAt), ent.Asc(attributionevent.FieldID)).
		AllX(viewer.ForOrganization(context.Background(), orgID))
}

// TestPageKeepsItsOwnSession: a page that keeps its ids (the tracker script) sends vid and sid with the pixel or
// sessionId with an event; both are stored as they came, and the server sets no cookies of its own.
func TestPageKeepsItsOwnSession(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	res := hitPixel(t, env, url.Values{"k": {org.TrackingKey}, "vid": {"v_page"}, "sid": {"s_page"}, "utm_source": {"google"}}, browserUA, nil)
	if res.status != http.StatusOK || res.dropped != "" || len(res.cookies) != 0 {
		t.Fatalf("pixel with the page's ids: status %d dropped %q cookies %v, want 200, stored, no cookies", res.status, res.dropped, res.cookies)
	}
	ev := postEvent(t, env, fmt.Sprintf(`{"key":%q,"eventType":"signup","visitorId":"v_page","sessionId":"s_page","title":"Pricing","screen":"1280x800","language":"de-DE"}`, org.TrackingKey), nil)
	if ev.status != http.StatusAccepted || ev.body["stored"] != true {
		t.Fatalf("event with the page's ids: %d %v", ev.status, ev.body)
	}
	events := eventsOf(t, env, org.ID)
	if len(events) != 2 {
		t.Fatalf("%d events, want 2", len(events))
	}
	for _, e := range events {
		if e.VisitorID != "v_page" || e.SessionID != "s_page" {
			t.Errorf("%s: visitor %q session %q, want v_page s_page", e.EventType, e.VisitorID, e.SessionID)
		}
	}
	if e := events[1]; e.Title != "Pricing" || e.Screen != "1280x800" || e.Language != "de-DE" {
		t.Errorf("signup page details %q %q %q, want Pricing 1280x800 de-DE", e.Title, e.Screen, e.Language)
	}
	bad := postEvent(t, env, fmt.Sprintf(`{"key":%q,"eventType":"page_view","visitorId":"v_page","screen":"%0200d"}`, org.TrackingKey, 0), nil)
	if bad.status != http.StatusBadRequest || bad.body["error"].(map[string]any)["field"] != "screen" {
		t.Errorf("oversized screen: %d %v, want 400 naming the field", bad.status, bad.body)
	}
}

// TestPixelAttributedByReferer: a bare <img> with nothing but the key is attributed by the page it sits on, which
// the browser names in Referer.
func TestPixelAttributedByReferer(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	page := "https://acme.example/landing?utm_source=newsletter&utm_medium=email&utm_campaign=winter"
	for _, header := range []http.Header{{"Referer": {page}}, {"Referer": {"javascript:alert(1)"}}} {
		if res := hitPixel(t, env, url.Values{"k": {org.TrackingKey}}, browserUA, header); res.status != http.StatusOK || res.dropped != "" {
			t.Fatalf("pixel: status %d dropped %q", res.status, res.dropped)
		}
	}
	events := eventsOf(t, env, org.ID)
	if len(events) != 2 {
		t.Fatalf("%d events, want 2", len(events))
	}
	if e := events[0]; e.URL != page || e.Source != "newsletter" || e.Medium != "email" || e.Campaign != "winter" {
		t.Errorf("event %q %v %v %v, want the Referer as url, newsletter/email/winter", e.URL, e.Source, e.Medium, e.Campaign)
	}
	if e := events[1]; e.URL != "" || e.Source != "(direct)" {
		t.Errorf("a Referer that is no web page: url %q source %v, want none and (direct)", e.URL, e.Source)
	}
}

// TestCookielessVisitors: with cl=1 (the script's data-cookieless) nothing is kept on the device: no cookie, and the
// server derives the visitor from the address and user agent, the same all day and different for another browser.
func TestCookielessVisitors(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("TRACKING_IP_SALT", "a-salt-for-the-tests"))
	org := env.NewOrg(t, "Acme")
	other := "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/135.0"
	for _, ua := range []string{browserUA, browserUA, other} {
		res := hitPixel(t, env, url.Values{"k": {org.TrackingKey}, "cl": {"1"}}, ua, nil)
		if res.status != http.StatusOK || res.dropped != "" || len(res.cookies) != 0 {
			t.Fatalf("cookieless pixel: status %d dropped %q cookies %v", res.status, res.dropped, res.cookies)
		}
	}
	ev := postEvent(t, env, fmt.Sprintf(`{"key":%q,"eventType":"signup","cookieless":true,"visitorId":"ignored"}`, org.TrackingKey), nil)
	if ev.status != http.StatusAccepted {
		t.Fatalf("cookieless event: %d %v", ev.status, ev.body)
	}
	events := eventsOf(t, env, org.ID)
	if len(events) != 4 {
		t.Fatalf("%d events, want 4", len(events))
	}
	first := events[0]
	if first.VisitorID == "" || first.VisitorID == "ignored" || events[1].VisitorID != first.VisitorID || events[3].VisitorID != first.VisitorID {
		t.Errorf("same browser: visitors %q %q %q, want one derived id", first.VisitorID, events[1].VisitorID, events[3].VisitorID)
	}
	if events[1].SessionID != first.SessionID || first.SessionID == "" {
		t.Errorf("same browser: sessions %q %q, want one", first.SessionID, events[1].SessionID)
	}
	if events[2].VisitorID == first.VisitorID {
		t.Errorf("another browser got the same cookieless visitor %q", first.VisitorID)
	}
}
