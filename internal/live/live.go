// Package live carries "something changed" messages from the code that commits a change to the subscriptions
// that show it. Messages name what changed (organization, topic, ids), never its content: a subscriber reloads the
// objects with its own tenant context, so a message can never show one organization another's data. The local
// broker serves one process; the PostgreSQL broker relays through LISTEN/NOTIFY so that a subscriber on any
// instance hears of changes committed on any other.
package live

import (
	"context"
	"sync"
	"sync/atomic"
)

// Topics.
const (
	Events    = "event"    // attribution events were stored
	Campaigns = "campaign" // a campaign changed (status, performance)
	Contents  = "content"  // a post changed
)

// Message says that objects of a topic changed in an organization.
type Message struct {
	OrgID string   `json:"o"`
	Topic string   `json:"t"`
	IDs   []string `json:"i"`
}

// Broker publishes and subscribes. Publish is called after the change is committed and never blocks on slow
// subscribers.
type Broker interface {
	Publish(ctx context.Context, m Message)
	// Subscribe delivers the organization's messages of the given topics (all topics when none) until ctx ends.
	Subscribe(ctx context.Context, orgID string, topics ...string) <-chan Message
}

// subscriberBuffer bounds what a slow subscriber may fall behind by; beyond it, messages to it are dropped (and
// counted), so that one stuck WebSocket cannot stall publishing.
const subscriberBuffer = 64

// Local is the in-process broker.
type Local struct {
	mu      sync.RWMutex
	subs    map[string]map[*subscriber]struct{} // by organization
	dropped atomic.Int64
}

type subscriber struct {
	topics map[string]bool
	ch     chan Message
}

// NewLocal returns an in-process broker.
func NewLocal() *Local {
	return &Local{subs: map[string]map[*subscriber]struct{}{}}
}

// Publish delivers m to the organization's subscribers of its topic.
func (b *Local) Publish(_ context.Context, m Message) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for s := range b.subs[m.OrgID] {
		if len(s.topics) > 0 && !s.topics[m.Topic] {
			continue
		}
		select {
		case s.ch <- m:
		default:
			b.dropped.Add(1)
		}
	}
}

// Subscribe registers a subscriber until ctx ends; then its channel is closed.
func (b *Local) Subscribe(ctx context.Context, orgID string, topics ...string) <-chan Message {
	s := &subscriber{topics: map[string]bool{}, ch: make(chan Message, subscriberBuffer)}
	for _, t := range topics {
		s.topics[t] = true
	}
	b.mu.Lock()
	if b.subs[orgID] == nil {
		b.subs[orgID] = map[*subscriber]struct{}{}
	}
	b.subs[orgID][s] = struct{}{}
	b.mu.Unlock()
	context.AfterFunc(ctx, func() {
		b.mu.Lock()
		delete(b.subs[orgID], s)
		if len(b.subs[orgID]) == 0 {
			delete(b.subs, orgID)
		}
		close(s.ch)
		b.mu.Unlock()
	})
	return s.ch
}

// Subscribers counts the current subscriptions (for metrics and leak tests).
func (b *Local) Subscribers() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	n := 0
	for _, set := range b.subs {
		n += len(set)
	}
	return n
}

// Dropped counts messages not delivered to subscribers that had fallen behind.
func (b *Local) Dropped() int64 { return b.dropped.Load() }
