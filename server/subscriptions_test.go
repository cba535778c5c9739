package server_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/apitest"
)

// nextData reads the next "next" message of the subscription id and decodes its data into v.
func nextData(t *testing.T, ctx context.Context, ws *apitest.WS, id string, v any) {
	t.Helper()
	for {
		msg, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("subscription %s: %v", id, err)
		}
		if msg.ID != id {
			continue
		}
		if msg.Type != "next" {
			t.Fatalf("subscription %s: %s %s", id, msg.Type, msg.Payload)
		}
		var res struct {
			Data   json.RawMessage
			Errors []apitest.Error
		}
		if err := json.Unmarshal(msg.Payload, &res); err != nil || len(res.Errors) > 0 {
			t.Fatalf("subscription %s payload %s: %v", id, msg.Payload, err)
		}
		if err := json.Unmarshal(res.Data, v); err != nil {
			t.Fatal(err)
		}
		return
	}
}

// TestLiveSubscriptions: each organization hears of its own changes only, over WebSocket.
func TestLiveSubscriptions(t *testing.T) {
	env := apitest.New(t)
	a, b := env.NewOrg(t, "A"), env.NewOrg(t, "B")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	subscribe := func(key, query string) (*apitest.WS, string) {
		ws, err := env.DialWS(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ws.Close() })
		id, err := ws.Subscribe(ctx, query, nil)
		if err != nil {
			t.Fatal(err)
		}
		return ws, id
	}
	wsA, evA := subscribe(a.APIKey, contractOp(t, "EventTracked"))
	wsA2, evA2 := subscribe(a.APIKey, contractOp(t, "EventTracked")) // shares A's feed
	wsB, evB := subscribe(b.APIKey, contractOp(t, "EventTracked"))
	wsC, cmpA := subscribe(a.APIKey, contractOp(t, "CampaignUpdated"))
	wsD, cntA := subscribe(a.APIKey, contractOp(t, "ContentUpdated"))
	// gqlgen resolves each operation in a goroutine of its own, so wait until all five are registered.
	subscribed(t, env.App, 5, 0)

	hitPixel(t, env, url.Values{"k": {a.TrackingKey}, "vid": {"va"}, "utm_source": {"google"}}, browserUA, nil)
	hitPixel(t, env, url.Values{"k": {b.TrackingKey}, "vid": {"vb"}, "utm_source": {"bing"}}, browserUA, nil)

	var got struct {
		EventTracked struct{ ID, EventType, VisitorID, Source string }
	}
	for _, sub := range []struct {
		ws *apitest.WS
		id string
	}{{wsA, evA}, {wsA2, evA2}} {
		nextData(t, ctx, sub.ws, sub.id, &got)
		if got.EventTracked.VisitorID != "va" || got.EventTracked.Source != "google" {
			t.Errorf("A received %+v, want its own page view", got.EventTracked)
		}
	}
	// B's first event is its own: A's hit, published first, never reached it.
	nextData(t, ctx, wsB, evB, &got)
	if got.EventTracked.VisitorID != "vb" {
		t.Errorf("B received %+v, want only its own events", got.EventTracked)
	}

	var created struct{ CreateCampaign struct{ ID string } }
	env.GraphQL(t, a.APIKey, contractOp(t, "CreateCampaign"), map[string]any{"input": map[string]any{
		"platform": "GOOGLE", "name": "Live", "dailyBudget": 10, "keywords": []string{"live"},
	}}).Decode(t, &created)
	var cu struct {
		CampaignUpdated struct{ ID, Status string }
	}
	nextData(t, ctx, wsC, cmpA, &cu)
	if cu.CampaignUpdated.ID != created.CreateCampaign.ID || cu.CampaignUpdated.Status != "DRAFT" {
		t.Errorf("campaignUpdated = %+v, want the new DRAFT campaign %s", cu.CampaignUpdated, created.CreateCampaign.ID)
	}

	var product struct{ CreateProduct struct{ ID string } }
	env.GraphQL(t, a.APIKey, contractOp(t, "CreateProduct"), map[string]any{"input": map[string]any{"name": "Live"}}).Decode(t, &product)
	env.GraphQL(t, a.APIKey, contractOp(t, "GenerateContent"), map[string]any{"input": map[string]any{
		"productId": product.CreateProduct.ID, "platforms": []string{"X"},
	}}).Decode(t, &struct{}{})
	var ct struct {
		ContentUpdated struct {
			ID, Status  string
			GuardsScore *int
		}
	}
	nextData(t, ctx, wsD, cntA, &ct)
	if ct.ContentUpdated.ID == "" || ct.ContentUpdated.Status == "" {
		t.Errorf("contentUpdated = %+v", ct.ContentUpdated)
	}
}
