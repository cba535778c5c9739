package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent/webhookevent"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// FuzzStripeWebhook signs random JSON mutations of real Stripe events (testdata/stripe) and posts them to the
// webhook: whatever the body, the answer is never a 5xx (the database works throughout), nor a panic, which the
// server would answer with a 500; an event answered as failed is recorded with its reason.
func FuzzStripeWebhook(f *testing.F) {
	paths, err := filepath.Glob("testdata/stripe/*.json")
	if err != nil || len(paths) == 0 {
		f.Fatalf("no Stripe events in testdata/stripe: %v", err)
	}
	var events []any
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(raw, &doc); err != nil {
			f.Fatalf("%s: %v", p, err)
		}
		events = append(events, doc)
	}
	for seed := range events {
		f.Add(uint8(seed), uint16(0), uint8(mutateNone), "", int64(0)) // the event as Stripe sent it
		for kind := range uint8(mutationKinds) {
			f.Add(uint8(seed), uint16(7*int(kind)+seed), kind, "x\u0000y", int64(-5000))
		}
	}
	env := apitest.New(f, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	env.NewOrg(f, "Only") // no tracking_key in an event: the only organization's
	var serial atomic.Int64
	f.Fuzz(func(t *testing.T, seed uint8, node uint16, kind uint8, s string, n int64) {
		doc := clone(events[int(seed)%len(events)])
		// A fresh event id, so that exactly-once does not answer every input after the first as a duplicate.
		doc.(map[string]any)["id"] = fmt.Sprintf("evt_fuzz_%d_%d", os.Getpid(), serial.Add(1))
		var payload []byte
		if kind == mutateRaw {
			payload = []byte(s)
		} else {
			doc = mutate(doc, int(node), kind, s, n)
			payload, _ = json.Marshal(doc)
		}
		status, answer := postStripeAnswer(t, env, payload, sign(payload, stripeSecret, time.Now()))
		if status >= 500 || (status != http.StatusOK && status != http.StatusBadRequest) {
			t.Fatalf("answered %d %v to %s", status, answer, payload)
		}
		if answer["outcome"] != "failed" {
			return
		}
		var id struct{ ID string }
		_ = json.Unmarshal(payload, &id)
		rec, err := env.DB.Client.WebhookEvent.Query().Where(webhookevent.EventID(id.ID)).Only(viewer.SystemContext(context.Background()))
		if err != nil || rec.FailureReason == nil || *rec.FailureReason != answer["reason"] || len(rec.Payload) == 0 {
			t.Fatalf("failed event %q not recorded with its reason %v and payload: %+v, %v", id.ID, answer["reason"], rec, err)
		}
	})
}

// Mutations of one node of an event.
const (
	mutateNull = iota
	mutateString
	mutateInteger
	mutateNegative
	mutateFraction
	mutateHuge
	mutateBool
	mutateEmptyObject
	mutateEmptyArray
	mutateObject
	mutateArray
	mutateDelete
	mutationKinds
	mutateNone = 254
	mutateRaw  = 255 // the whole body is s
)

// mutate replaces the node numbered node (mod the number of nodes, depth first, keys in order) of doc by a value
// of kind built from s and n, or deletes it from its object.
func mutate(doc any, node int, kind uint8, s string, n int64) any {
	if kind == mutateNone {
		return doc
	}
	value := func() (any, bool) {
		switch kind % mutationKinds {
		case mutateNull:
			return nil, true
		case mutateString:
			return s, true
		case mutateInteger:
			return n, true
		case mutateNegative:
			return -abs(n), true
		case mutateFraction:
			return float64(n) + 0.5, true
		case mutateHuge:
			return math.MaxFloat64, true
		case mutateBool:
			return n%2 == 0, true
		case mutateEmptyObject:
			return map[string]any{}, true
		case mutateEmptyArray:
			return []any{}, true
		case mutateObject:
			return map[string]any{s: n}, true
		case mutateArray:
			return []any{s, n}, true
		}
		return nil, false // delete
	}
	total := countNodes(doc)
	target := node % total
	var walk func(v any) (any, bool)
	i := 0
	walk = func(v any) (any, bool) {
		if i == target {
			i++
			return value()
		}
		i++
		switch v := v.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(mapsKeys(v)) {
				if nv, keep := walk(v[k]); keep {
					v[k] = nv
				} else {
					delete(v, k)
				}
			}
		case []any:
			for j := range v {
				v[j], _ = walk(v[j])
			}
		}
		return v, true
	}
	out, keep := walk(doc)
	if !keep {
		return map[string]any{}
	}
	return out
}

func countNodes(v any) int {
	n := 1
	switch v := v.(type) {
	case map[string]any:
		for _, c := range v {
			n += countNodes(c)
		}
	case []any:
		for _, c := range v {
			n += countNodes(c)
		}
	}
	return n
}

func clone(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func mapsKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
