package live

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/marketingos/marketingos/internal/viewer"
)

// Feeds turns a topic's messages into the objects they name for the subscribers of each organization. The
// subscribers of one organization share a feed: one broker subscription and one load per message, made with that
// organization's tenant context (a viewer is its organization; every subscriber of it may see the same rows), so
// that N dashboards open on one organization cost one query per change, not N.
type Feeds[T any] struct {
	broker  Broker
	topic   string
	load    func(ctx context.Context, ids []string) ([]T, error)
	mu      sync.Mutex
	orgs    map[string]*orgFeed[T]
	wg      sync.WaitGroup
	dropped atomic.Int64
}

type orgFeed[T any] struct {
	cancel    context.CancelFunc
	followers map[chan []T]struct{} // each a follower's loaded batches, buffered; see run
}

// NewFeeds returns the feeds of topic; load reads the objects of a message's ids, with a context confined to the
// message's organization.
func NewFeeds[T any](broker Broker, topic string, load func(ctx context.Context, ids []string) ([]T, error)) *Feeds[T] {
	return &Feeds[T]{broker: broker, topic: topic, load: load, orgs: map[string]*orgFeed[T]{}}
}

// Follow returns the organization's objects named by the messages published from now on, one at a time, until ctx
// ends; then the channel is closed.
func (f *Feeds[T]) Follow(ctx context.Context, orgID string) <-chan T {
	batches := make(chan []T, subscriberBuffer)
	f.mu.Lock()
	feed := f.orgs[orgID]
	if feed == nil {
		fctx, cancel := context.WithCancel(viewer.ForOrganization(context.Background(), orgID))
		// Subscribed before Follow returns: the first follower hears of every change committed from here on.
		msgs := f.broker.Subscribe(fctx, orgID, f.topic)
		feed = &orgFeed[T]{cancel: cancel, followers: map[chan []T]struct{}{}}
		f.orgs[orgID] = feed
		f.wg.Add(1)
		go f.run(fctx, feed, msgs)
	}
	feed.followers[batches] = struct{}{}
	f.mu.Unlock()

	out := make(chan T, 1)
	go func() {
		defer close(out)
		defer f.leave(orgID, feed, batches)
		for {
			select {
			case <-ctx.Done():
				return
			case batch := <-batches:
				for _, it := range batch {
					select {
					case out <- it:
					case <-ctx.Done():
						return
					}
				}
			}
		}
	}()
	return out
}

// run loads each message's objects once and hands them to every follower. A follower that has fallen
// subscriberBuffer messages behind misses the next ones (counted), as a broker subscriber would: one stuck
// WebSocket must not hold up the others.
func (f *Feeds[T]) run(ctx context.Context, feed *orgFeed[T], msgs <-chan Message) {
	defer f.wg.Done()
	for m := range msgs {
		items, err := f.load(ctx, m.IDs)
		if err != nil || len(items) == 0 {
			continue // a failed reload (the database blinked, the feed is stopping) loses one update
		}
		f.mu.Lock()
		for batch := range feed.followers {
			select {
			case batch <- items:
			default:
				f.dropped.Add(1)
			}
		}
		f.mu.Unlock()
	}
}

// leave removes a follower; the organization's feed stops with its last one.
func (f *Feeds[T]) leave(orgID string, feed *orgFeed[T], batches chan []T) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(feed.followers, batches)
	if len(feed.followers) == 0 {
		feed.cancel()
		if f.orgs[orgID] == feed {
			delete(f.orgs, orgID)
		}
	}
}

// Followers counts the current followers, of every organization (for metrics, benchmarks and leak tests).
func (f *Feeds[T]) Followers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, feed := range f.orgs {
		n += len(feed.followers)
	}
	return n
}

// Dropped counts the batches not handed to followers that had fallen behind.
func (f *Feeds[T]) Dropped() int64 { return f.dropped.Load() }

// Wait blocks until every organization's feed has stopped (after their followers left).
func (f *Feeds[T]) Wait() { f.wg.Wait() }
