package live_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/live"
)

// pending returns what ch holds right now without waiting (Local.Publish delivers synchronously, so after it returns
// a subscriber's channel holds everything it will ever get from that call).
func pending(ch <-chan live.Message) []live.Message {
	var out []live.Message
	for {
		select {
		case m, ok := <-ch:
			if !ok {
				return out
			}
			out = append(out, m)
		default:
			return out
		}
	}
}

// receive waits for the next message (or feed item) on ch, or fails after the deadline.
func receive[T any](t *testing.T, ch <-chan T, within time.Duration) T {
	t.Helper()
	var zero T
	select {
	case m, ok := <-ch:
		if !ok {
			t.Fatal("channel closed, want a message")
		}
		return m
	case <-time.After(within):
		t.Fatalf("no message within %s", within)
	}
	return zero
}

// waitClosed waits until ch is closed, discarding what it still holds.
func waitClosed(t *testing.T, ch <-chan live.Message, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatalf("channel still open %s after its context ended", within)
		}
	}
}

func msg(org, topic string, ids ...string) live.Message {
	return live.Message{OrgID: org, Topic: topic, IDs: ids}
}

// TestLocalDeliversPerOrganizationAndTopic: a subscriber gets its organization's messages of its topics (all topics
// when it names none), and nothing of another organization.
func TestLocalDeliversPerOrganizationAndTopic(t *testing.T) {
	b := live.NewLocal()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	subs := []struct {
		name   string
		org    string
		topics []string
		want   []live.Message
	}{
		{"org1 events", "org_1", []string{live.Events}, []live.Message{msg("org_1", live.Events, "evt_a")}},
		{"org1 all topics", "org_1", nil, []live.Message{
			msg("org_1", live.Events, "evt_a"), msg("org_1", live.Campaigns, "cmp_a"), msg("org_1", live.Contents, "cnt_a"),
		}},
		{"org1 campaigns and contents", "org_1", []string{live.Campaigns, live.Contents}, []live.Message{
			msg("org_1", live.Campaigns, "cmp_a"), msg("org_1", live.Contents, "cnt_a"),
		}},
		{"org2 events", "org_2", []string{live.Events}, []live.Message{msg("org_2", live.Events, "evt_b")}},
		{"org3 (silent) all topics", "org_3", nil, nil},
	}
	chans := make([]<-chan live.Message, len(subs))
	for i, s := range subs {
		chans[i] = b.Subscribe(ctx, s.org, s.topics...)
	}
	if got := b.Subscribers(); got != len(subs) {
		t.Fatalf("Subscribers() = %d, want %d", got, len(subs))
	}

	for _, m := range []live.Message{
		msg("org_1", live.Events, "evt_a"),
		msg("org_2", live.Events, "evt_b"),
		msg("org_1", live.Campaigns, "cmp_a"),
		msg("org_1", live.Contents, "cnt_a"),
		msg("org_2", live.Campaigns, "cmp_b"),
	} {
		b.Publish(ctx, m)
	}
	for i, s := range subs {
		t.Run(s.name, func(t *testing.T) {
			got := pending(chans[i])
			if !slices.EqualFunc(got, s.want, func(a, b live.Message) bool {
				return a.OrgID == b.OrgID && a.Topic == b.Topic && slices.Equal(a.IDs, b.IDs)
			}) {
				t.Errorf("received %+v, want %+v", got, s.want)
			}
		})
	}
	if d := b.Dropped(); d != 0 {
		t.Errorf("Dropped() = %d, want 0", d)
	}
}

// TestLocalStuckSubscriberDoesNotBlockPublish: a subscriber that never reads keeps the first messages its buffer
// holds; the rest are dropped and counted, Publish never waits for it, and other subscribers still get theirs.
func TestLocalStuckSubscriberDoesNotBlockPublish(t *testing.T) {
	b := live.NewLocal()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stuck := b.Subscribe(ctx, "org_1", live.Events)

	const total = 10_000
	published := make(chan time.Duration, 1)
	go func() {
		start := time.Now()
		for i := range total {
			b.Publish(ctx, msg("org_1", live.Events, fmt.Sprintf("evt_%05d", i)))
		}
		published <- time.Since(start)
	}()
	select {
	case took := <-published:
		t.Logf("%d publishes to a stuck subscriber took %s", total, took)
	case <-time.After(10 * time.Second):
		t.Fatal("Publish blocked on a subscriber that does not read")
	}

	// A subscriber that reads is served although the stuck one is still there.
	healthy := b.Subscribe(ctx, "org_1", live.Events)
	b.Publish(ctx, msg("org_1", live.Events, "evt_after"))
	if m := receive(t, healthy, time.Second); m.IDs[0] != "evt_after" {
		t.Errorf("healthy subscriber got %v, want evt_after", m.IDs)
	}

	held := pending(stuck)
	// Its buffer kept the oldest messages in order; what did not fit was dropped, not queued elsewhere.
	if len(held) == 0 || len(held) >= total {
		t.Fatalf("stuck subscriber holds %d messages, want its buffer's worth", len(held))
	}
	for i, m := range held {
		if want := fmt.Sprintf("evt_%05d", i); m.IDs[0] != want {
			t.Fatalf("held[%d] = %v, want %s (the oldest, in order)", i, m.IDs, want)
		}
	}
	wantDropped := int64(total + 1 - len(held)) // +1: evt_after, which the stuck one's full buffer refused too
	if got := b.Dropped(); got != wantDropped {
		t.Errorf("Dropped() = %d, want %d (published %d+1, held %d)", got, wantDropped, total, len(held))
	}
	t.Logf("stuck subscriber held %d, dropped %d", len(held), b.Dropped())
}

// TestLocalClosesOnContextEnd: ending a subscription's context unregisters it and closes its channel; publishing
// afterwards reaches nobody and does not panic, and subscribing and leaving while others publish is race-free.
func TestLocalClosesOnContextEnd(t *testing.T) {
	b := live.NewLocal()
	ctx, cancel := context.WithCancel(context.Background())
	ch := b.Subscribe(ctx, "org_1")
	other, cancelOther := context.WithCancel(context.Background())
	defer cancelOther()
	kept := b.Subscribe(other, "org_1")

	b.Publish(context.Background(), msg("org_1", live.Events, "evt_1"))
	cancel()
	waitClosed(t, ch, 5*time.Second)
	if got := b.Subscribers(); got != 1 {
		t.Errorf("Subscribers() = %d after one of two left, want 1", got)
	}
	b.Publish(context.Background(), msg("org_1", live.Events, "evt_2"))
	if got := pending(kept); len(got) != 2 {
		t.Errorf("remaining subscriber got %d messages, want 2", len(got))
	}
	cancelOther()
	waitClosed(t, kept, 5*time.Second)
	if got := b.Subscribers(); got != 0 {
		t.Errorf("Subscribers() = %d after all left, want 0", got)
	}
	b.Publish(context.Background(), msg("org_1", live.Events, "evt_3")) // nobody left: nothing happens

	// Churn: subscriptions come and go while messages are published (a send on a closed channel would panic).
	stop := make(chan struct{})
	var publishers sync.WaitGroup
	for p := range 2 {
		publishers.Add(1)
		go func() {
			defer publishers.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				b.Publish(context.Background(), msg(fmt.Sprintf("org_%d", i%3), live.Events, fmt.Sprintf("evt_%d_%d", p, i)))
			}
		}()
	}
	var subscribers sync.WaitGroup
	for s := range 20 {
		subscribers.Add(1)
		go func() {
			defer subscribers.Done()
			for range 10 {
				ctx, cancel := context.WithCancel(context.Background())
				ch := b.Subscribe(ctx, fmt.Sprintf("org_%d", s%3))
				cancel()
				for range ch { // until closed
				}
			}
		}()
	}
	subscribers.Wait()
	close(stop)
	publishers.Wait()
	if got := b.Subscribers(); got != 0 {
		t.Errorf("Subscribers() = %d after churn, want 0", got)
	}
}
