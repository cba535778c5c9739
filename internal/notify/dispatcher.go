package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"sync/atomic"
	"time"
)

// Dispatcher delivers notices in the background. Notify queues a notice and returns at once; one worker
// goroutine, owned by the dispatcher, hands each notice to every sender at once and independently (a failing
// sender does not stop the others), retrying temporary failures with exponential backoff or the wait the
// provider asked for, capped; the next notice goes out when every sender is done with this one. When the queue is full the notice is dropped, counted and logged: a notice is not
// worth blocking a request for.
type Dispatcher struct {
	log     *slog.Logger
	senders []Sender
	o       dispatcherOptions

	queue chan Notice
	mu    sync.RWMutex // guards closed against Notify sending on a closed queue
	// closed is set, and queue closed, by Close.
	closed bool

	// ctx is cancelled when Close gives up, aborting sends and waits in progress.
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	dropped   atomic.Int64
	delivered atomic.Int64
	failed    atomic.Int64
}

var (
	_ Notifier = (*Dispatcher)(nil)
	_ Sender   = (*Slack)(nil)
	_ Sender   = (*Resend)(nil)
)

// Stats counts what a dispatcher did. Delivered and Failed count (notice, sender) pairs.
type Stats struct {
	Queued    int
	Dropped   int64
	Delivered int64
	Failed    int64
}

// DispatcherOption tunes a Dispatcher.
type DispatcherOption func(*dispatcherOptions)

type dispatcherOptions struct {
	queueSize   int
	maxAttempts int
	baseDelay   time.Duration
	maxDelay    time.Duration
	sleep       func(ctx context.Context, d time.Duration) error
}

// WithQueueSize sets how many notices wait for delivery before new ones are dropped (default 256).
func WithQueueSize(n int) DispatcherOption {
	return func(o *dispatcherOptions) { o.queueSize = max(n, 1) }
}

// WithMaxAttempts sets how often a sender is tried per notice, first attempt included (default 4).
func WithMaxAttempts(n int) DispatcherOption {
	return func(o *dispatcherOptions) { o.maxAttempts = max(n, 1) }
}

// WithBackoff sets the first retry delay, doubled on each retry, and the cap on any delay, including a
// provider's Retry-After (defaults 1s and 30s).
func WithBackoff(base, maxDelay time.Duration) DispatcherOption {
	return func(o *dispatcherOptions) { o.baseDelay, o.maxDelay = base, maxDelay }
}

// WithSleep replaces the wait between retries, for tests. sleep must return early, with ctx's error, when ctx
// is done.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) DispatcherOption {
	return func(o *dispatcherOptions) { o.sleep = sleep }
}

// NewDispatcher starts a dispatcher that delivers to senders. Close it to stop its goroutine.
func NewDispatcher(log *slog.Logger, senders []Sender, opts ...DispatcherOption) *Dispatcher {
	o := dispatcherOptions{queueSize: 256, maxAttempts: 4, baseDelay: time.Second, maxDelay: 30 * time.Second, sleep: sleepCtx}
	for _, opt := range opts {
		opt(&o)
	}
	if log == nil {
		log = slog.Default()
	}
	d := &Dispatcher{
		log:     log,
		senders: append([]Sender(nil), senders...),
		o:       o,
		queue:   make(chan Notice, o.queueSize),
		done:    make(chan struct{}),
	}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	go d.run()
	return d
}

// Notify queues n for delivery and returns at once. After Close, or when the queue is full, n is dropped.
func (d *Dispatcher) Notify(ctx context.Context, n Notice) {
	if n.ID == "" {
		n.ID = newNoticeID()
	}
	// The caller may reuse its map; the worker reads it later.
	n.Fields = maps.Clone(n.Fields)

	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		d.drop(ctx, n, "dispatcher closed")
		return
	}
	select {
	case d.queue <- n:
	default:
		d.drop(ctx, n, "queue full")
	}
}

func (d *Dispatcher) drop(ctx context.Context, n Notice, why string) {
	total := d.dropped.Add(1)
	d.log.WarnContext(ctx, "notify: notice dropped", "reason", why, "kind", n.Kind, "org_id", n.OrgID,
		"title", n.Title, "dropped_total", total)
}

// Close stops accepting notices and waits until the queued ones are delivered or ctx is done. In the latter
// case it aborts the deliveries in progress, drops what is left, waits for the worker to stop and returns ctx's
// error. It is safe to call more than once.
func (d *Dispatcher) Close(ctx context.Context) error {
	d.mu.Lock()
	if !d.closed {
		d.closed = true
		close(d.queue)
	}
	d.mu.Unlock()

	select {
	case <-d.done:
		d.cancel()
		return nil
	case <-ctx.Done():
		d.cancel()
		<-d.done
		return fmt.Errorf("notify: close: undelivered notices dropped: %w", ctx.Err())
	}
}

// Stats returns the dispatcher's counters.
func (d *Dispatcher) Stats() Stats {
	return Stats{Queued: len(d.queue), Dropped: d.dropped.Load(), Delivered: d.delivered.Load(), Failed: d.failed.Load()}
}

// run is the worker: it delivers notices until the queue is closed and drained.
func (d *Dispatcher) run() {
	defer close(d.done)
	for n := range d.queue {
		if d.ctx.Err() != nil {
			d.drop(context.Background(), n, "dispatcher closed before delivery")
			continue
		}
		d.deliver(n)
	}
}

// deliver hands n to every sender at once and waits for all of them.
func (d *Dispatcher) deliver(n Notice) {
	if len(d.senders) == 1 {
		d.deliverTo(d.senders[0], n)
		return
	}
	var wg sync.WaitGroup
	for _, s := range d.senders {
		wg.Go(func() { d.deliverTo(s, n) })
	}
	wg.Wait()
}

// deliverTo sends n through s, retrying temporary failures.
func (d *Dispatcher) deliverTo(s Sender, n Notice) {
	name := senderName(s)
	for attempt := 1; ; attempt++ {
		err := s.Send(d.ctx, n)
		if err == nil {
			d.delivered.Add(1)
			return
		}
		if !temporary(err) || attempt >= d.o.maxAttempts || d.ctx.Err() != nil {
			d.failed.Add(1)
			d.log.Error("notify: notice not delivered", "sender", name, "kind", n.Kind, "org_id", n.OrgID,
				"title", n.Title, "attempts", attempt, "error", err)
			return
		}
		delay := d.delay(attempt, retryAfterOf(err))
		d.log.Debug("notify: retrying", "sender", name, "kind", n.Kind, "attempt", attempt, "delay", delay, "error", err)
		if d.o.sleep(d.ctx, delay) != nil {
			d.failed.Add(1)
			d.log.Error("notify: notice not delivered: dispatcher closed", "sender", name, "kind", n.Kind,
				"org_id", n.OrgID, "title", n.Title, "attempts", attempt, "error", err)
			return
		}
	}
}

// delay is the wait before retry number attempt: what the provider asked for, else base·2^(attempt−1); capped.
func (d *Dispatcher) delay(attempt int, retryAfter time.Duration) time.Duration {
	wait := retryAfter
	if wait <= 0 {
		wait = d.o.baseDelay << min(attempt-1, 20)
	}
	return min(wait, d.o.maxDelay)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// newNoticeID returns a random id for a notice.
func newNoticeID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return "ntc_" + hex.EncodeToString(b[:])
}
