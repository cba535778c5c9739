package live_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/live"
	"github.com/marketingos/marketingos/internal/viewer"
)

// loads records each load of a test feed: the organization its context was confined to, and the ids.
type loads struct {
	mu  sync.Mutex
	got []string // "org:ids"
}

func (l *loads) load(ctx context.Context, ids []string) ([]string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, fmt.Sprintf("%s:%v", viewer.OrgID(ctx), ids))
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = viewer.OrgID(ctx) + "/" + id
	}
	return items, nil
}

func (l *loads) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.got...)
}

// TestFeedsShareOneLoadPerOrganization: the followers of one organization share one broker subscription and one load
// per message, made with that organization's tenant context; another organization's followers get nothing of it; a
// follower that stopped reading does not hold up the others; the feed stops with its last follower.
func TestFeedsShareOneLoadPerOrganization(t *testing.T) {
	b := live.NewLocal()
	l := &loads{}
	feeds := live.NewFeeds(b, live.Events, l.load)
	ctx, cancel := context.WithCancel(context.Background())
	var followers []<-chan string
	for range 50 {
		followers = append(followers, feeds.Follow(ctx, "org_a"))
	}
	stuck := feeds.Follow(ctx, "org_a") // never read
	otherCtx, cancelOther := context.WithCancel(context.Background())
	other := feeds.Follow(otherCtx, "org_b")
	if got := b.Subscribers(); got != 2 {
		t.Fatalf("broker subscribers = %d for followers of 2 organizations, want 2", got)
	}
	if got := feeds.Followers(); got != 52 {
		t.Fatalf("Followers() = %d, want 52", got)
	}

	// More messages than a follower may fall behind by: the stuck one loses some, the others none.
	const messages = 100
	for i := range messages {
		b.Publish(ctx, live.Message{OrgID: "org_a", Topic: live.Events, IDs: []string{fmt.Sprint(i)}})
		for j, ch := range followers {
			if got, want := receive(t, ch, 5*time.Second), fmt.Sprintf("org_a/%d", i); got != want {
				t.Fatalf("follower %d got %q, want %q", j, got, want)
			}
		}
	}
	if n := len(l.all()); n != messages {
		t.Errorf("%d loads for %d messages to 51 followers of one organization, want %d", n, messages, messages)
	}
	if l.all()[0] != "org_a:[0]" {
		t.Errorf("first load %q, want org_a's context and ids", l.all()[0])
	}
	if feeds.Dropped() == 0 {
		t.Error("the follower that never read lost nothing, want its overflow dropped")
	}
	select {
	case s := <-other:
		t.Errorf("another organization's follower got %q", s)
	default:
	}

	b.Publish(ctx, live.Message{OrgID: "org_b", Topic: live.Events, IDs: []string{"x"}})
	if got := receive(t, other, 5*time.Second); got != "org_b/x" {
		t.Errorf("org_b's follower got %q, want its own org_b/x", got)
	}

	cancel()
	cancelOther()
	for _, ch := range append(followers, stuck, other) {
		for range ch { // closed once its context ended
		}
	}
	done := make(chan struct{})
	go func() { feeds.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("feeds still running after their last followers left")
	}
	if feeds.Followers() != 0 {
		t.Errorf("Followers() = %d after everyone left", feeds.Followers())
	}
	deadline := time.Now().Add(5 * time.Second)
	for b.Subscribers() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("broker still has %d subscribers after the feeds stopped", b.Subscribers())
		}
		time.Sleep(time.Millisecond)
	}
}
