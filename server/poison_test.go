package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/apitest"
)

// TestPoisonedHitsSinkNobody: while 32 clients send events, one sends a NUL-poisoned hit every 10 ms, alternating
// the pixel and the event endpoint and the field it poisons. None of the other clients' requests fails; the event
// endpoint answers 400 naming the field, the pixel its GIF with the drop counted.
func TestPoisonedHitsSinkNobody(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	const clients, each = 32, 15
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range each {
				res := postEvent(t, env, fmt.Sprintf(`{"key":%q,"eventType":"page_view","visitorId":"v%d","url":"https://acme.example/%d"}`, org.TrackingKey, c, i), nil)
				if res.status != http.StatusAccepted {
					t.Errorf("client %d: %d %v", c, res.status, res.body)
				}
			}
		})
	}
	poisons := []struct{ field, body string }{
		{"userId", `"userId":"u\u0000"`}, {"source", `"source":"\u0000"`}, {"url", `"url":"https://a.example/\u0000"`},
		{"metadata", `"metadata":{"k\u0000":"v"}`}, {"metadata", `"metadata":{"k":["\u0000"]}`}, {"referrer", `"referrer":"\u0000"`},
	}
	pixels := []url.Values{{"utm_source": {"\x00"}}, {"url": {"https://a.example/\x00"}}, {"ref": {"\x00"}}, {"vid": {"v\x00"}}}
	done := make(chan struct{})
	var poisoner sync.WaitGroup
	sent := 0
	poisoner.Go(func() {
		tick := time.NewTicker(10 * time.Millisecond) // the hostile client's pace, while the others run
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			sent++
			if i%2 == 0 {
				p := poisons[(i/2)%len(poisons)]
				res := postEvent(t, env, fmt.Sprintf(`{"key":%q,"eventType":"page_view",%s}`, org.TrackingKey, p.body), nil)
				if errBody, _ := res.body["error"].(map[string]any); res.status != http.StatusBadRequest || errBody["code"] != "BAD_USER_INPUT" || errBody["field"] != p.field {
					t.Errorf("poisoned %s: %d %v, want 400 BAD_USER_INPUT naming it", p.field, res.status, res.body)
				}
				continue
			}
			q := pixels[(i/2)%len(pixels)]
			q.Set("k", org.TrackingKey)
			if res := hitPixel(t, env, q, browserUA, nil); res.status != http.StatusOK || res.dropped != "invalid" {
				t.Errorf("poisoned pixel %v: status %d dropped %q, want 200 and dropped invalid", q, res.status, res.dropped)
			}
		}
	})
	wg.Wait()
	close(done)
	poisoner.Wait()
	if n := storedEvents(t, env, org.ID); n != clients*each {
		t.Errorf("%d events stored, want the %d valid ones", n, clients*each)
	}
	if m := get(t, env, "/metrics"); !strings.Contains(m, `marketingos_tracking_hits_total{outcome="invalid"}`) {
		t.Error("/metrics does not count the poisoned hits as invalid")
	}
	t.Logf("%d valid events stored beside %d poisoned hits", clients*each, sent)
}

// TestGraphQLRefusesNUL: a NUL anywhere in a GraphQL request's variables or text is BAD_USER_INPUT naming where,
// over HTTP and WebSocket, and nothing is written.
func TestGraphQLRefusesNUL(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	tests := []struct {
		name, query, field string
		vars               map[string]any
	}{
		{"product name", contractOp(t, "CreateProduct"), "input.name", map[string]any{"input": map[string]any{"name": "A\x00B"}}},
		{"product feature", contractOp(t, "CreateProduct"), "input.features.1", map[string]any{"input": map[string]any{"name": "ok", "features": []any{"a", "\x00"}}}},
		{"event user", `mutation($input: TrackEventInput!) { trackEvent(input: $input) { id } }`, "input.userId", map[string]any{"input": map[string]any{"eventType": "signup", "visitorId": "v1", "userId": "u\x00"}}},
		{"literal in the query", `mutation { createProduct(input: {name: "A\u0000B"}) { id } }`, "query", nil},
	}
	for _, tr := range transports {
		gql := tr.connect(t, env, org.APIKey)
		for _, tc := range tests {
			t.Run(tr.name+"/"+tc.name, func(t *testing.T) {
				res := gql(t, tc.query, tc.vars)
				if got := wantError(t, res, "BAD_USER_INPUT"); got.Extensions["field"] != tc.field {
					t.Errorf("field %v, want %s", got.Extensions["field"], tc.field)
				}
			})
		}
	}
	if n := productCount(t, env); n != 0 {
		t.Errorf("%d products written", n)
	}
	if n := storedEvents(t, env, org.ID); n != 0 {
		t.Errorf("%d events written", n)
	}
}
