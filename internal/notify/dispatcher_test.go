package notify_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/notify"
	"github.com/marketingos/marketingos/internal/notify/resendfake"
	"github.com/marketingos/marketingos/internal/notify/slackfake"
)

var quiet = slog.New(slog.DiscardHandler)

// sleeps records the waits between retries instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.d)
}

// testSender is a Sender whose answers and speed the test controls.
type testSender struct {
	name    string
	errs    []error       // returned in order, then nil
	gate    chan struct{} // when set, Send waits for it (or for ctx)
	started chan struct{} // when set, receives one value per Send

	mu    sync.Mutex
	calls []notify.Notice
}

func (s *testSender) Name() string { return s.name }

func (s *testSender) Send(ctx context.Context, n notify.Notice) error {
	s.mu.Lock()
	s.calls = append(s.calls, n)
	var err error
	if len(s.errs) > 0 {
		err, s.errs = s.errs[0], s.errs[1:]
	}
	s.mu.Unlock()
	if s.started != nil {
		s.started <- struct{}{}
	}
	if s.gate != nil {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return &notify.SendError{Sender: s.name}
		}
	}
	return err
}

func (s *testSender) Calls() []notify.Notice {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

func closeWithin(t *testing.T, d *notify.Dispatcher, timeout time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := d.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func TestDispatcherDeliversToEverySender(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	slack := slackfake.New()
	defer slack.Close()
	email := resendfake.New(resendKey)
	defer email.Close()
	senders := notify.SendersFor(config.Slack{WebhookURL: slack.WebhookURL},
		config.Resend{APIKey: resendKey, BaseURL: email.URL, AdminEmail: "admin@example.com"}, quiet)

	d := notify.NewDispatcher(quiet, senders)
	n := lowROI
	n.ID = ""
	d.Notify(context.Background(), n)
	closeWithin(t, d, 5*time.Second)

	if len(slack.Messages()) != 1 || len(email.Emails()) != 1 {
		t.Errorf("slack messages %d, e-mails %d; want 1 each", len(slack.Messages()), len(email.Emails()))
	}
	if key := email.Emails()[0].IdempotencyKey; !strings.HasPrefix(key, "notice/ntc_") {
		t.Errorf("idempotency key = %q, want the id the dispatcher gave the notice", key)
	}
	if s := d.Stats(); s.Delivered != 2 || s.Failed != 0 || s.Dropped != 0 {
		t.Errorf("stats = %+v", s)
	}
}

func TestDispatcherRetries(t *testing.T) {
	tests := []struct {
		name          string
		faults        []slackfake.Fault
		wantSleeps    []time.Duration
		wantAttempts  int
		wantDelivered int64
	}{
		{"429 with Retry-After, then success", []slackfake.Fault{{Status: 429, RetryAfter: "7"}},
			[]time.Duration{7 * time.Second}, 2, 1},
		{"5xx twice: exponential backoff", []slackfake.Fault{{Status: 500}, {Status: 502}},
			[]time.Duration{time.Second, 2 * time.Second}, 3, 1},
		{"Retry-After beyond the cap waits the cap", []slackfake.Fault{{Status: 429, RetryAfter: "3600"}},
			[]time.Duration{30 * time.Second}, 2, 1},
		{"always 5xx: gives up after the last attempt", []slackfake.Fault{{Status: 503}, {Status: 503}, {Status: 503}, {Status: 503}},
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, 4, 0},
		{"permanent error: no retry", []slackfake.Fault{{Status: 404, Body: "no_service"}}, nil, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			fake := slackfake.New()
			defer fake.Close()
			fake.Fail(tt.faults...)
			var s sleeps
			d := notify.NewDispatcher(quiet, []notify.Sender{notify.NewSlack(config.Slack{WebhookURL: fake.WebhookURL})},
				notify.WithSleep(s.sleep), notify.WithBackoff(time.Second, 30*time.Second), notify.WithMaxAttempts(4))
			d.Notify(context.Background(), lowROI)
			closeWithin(t, d, 5*time.Second)

			if got := s.got(); !slices.Equal(got, tt.wantSleeps) {
				t.Errorf("sleeps = %v, want %v", got, tt.wantSleeps)
			}
			if got := fake.Attempts(); got != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", got, tt.wantAttempts)
			}
			st := d.Stats()
			if st.Delivered != tt.wantDelivered || st.Failed != 1-tt.wantDelivered {
				t.Errorf("stats = %+v, want delivered %d", st, tt.wantDelivered)
			}
		})
	}
}

func TestDispatcherRetriesResend(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fake := resendfake.New(resendKey)
	defer fake.Close()
	fake.Fail(resendfake.Fault{Status: 429, RetryAfter: "2"}, resendfake.Fault{Status: 500})
	var s sleeps
	d := notify.NewDispatcher(quiet, []notify.Sender{newResend(fake, resendKey)}, notify.WithSleep(s.sleep),
		notify.WithBackoff(100*time.Millisecond, 30*time.Second))
	d.Notify(context.Background(), lowROI)
	closeWithin(t, d, 5*time.Second)
	if got, want := s.got(), []time.Duration{2 * time.Second, 200 * time.Millisecond}; !slices.Equal(got, want) {
		t.Errorf("sleeps = %v, want %v", got, want)
	}
	if len(fake.Emails()) != 1 || fake.Attempts() != 3 {
		t.Errorf("e-mails %d after %d attempts, want 1 after 3", len(fake.Emails()), fake.Attempts())
	}
}

func TestDispatcherSendersAreIndependent(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	broken := &testSender{name: "broken", errs: []error{errors.New("permanent")}}
	flaky := &testSender{name: "flaky", errs: []error{&notify.SendError{Sender: "flaky"}}} // not temporary either
	retrying := &testSender{name: "retrying", errs: []error{temporaryErr(), temporaryErr()}}
	fine := &testSender{name: "fine"}
	var s sleeps
	d := notify.NewDispatcher(quiet, []notify.Sender{broken, flaky, retrying, fine}, notify.WithSleep(s.sleep))
	d.Notify(context.Background(), lowROI)
	closeWithin(t, d, 5*time.Second)

	if len(broken.Calls()) != 1 || len(flaky.Calls()) != 1 || len(retrying.Calls()) != 3 || len(fine.Calls()) != 1 {
		t.Errorf("calls: broken %d, flaky %d, retrying %d, fine %d; want 1, 1, 3, 1",
			len(broken.Calls()), len(flaky.Calls()), len(retrying.Calls()), len(fine.Calls()))
	}
	ids := map[string]bool{}
	for _, n := range retrying.Calls() {
		ids[n.ID] = true
	}
	if len(ids) != 1 {
		t.Errorf("retries carried %d different notice ids, want the same one", len(ids))
	}
	if st := d.Stats(); st.Delivered != 2 || st.Failed != 2 {
		t.Errorf("stats = %+v, want 2 delivered, 2 failed", st)
	}
}

func temporaryErr() error {
	fake := slackfake.New()
	defer fake.Close()
	fake.Fail(slackfake.Fault{Status: 503})
	return notify.NewSlack(config.Slack{WebhookURL: fake.WebhookURL}).Send(context.Background(), lowROI)
}

func TestDispatcherNeverBlocks(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	gate := make(chan struct{})
	sender := &testSender{name: "slow", gate: gate, started: make(chan struct{}, 100)}
	d := notify.NewDispatcher(quiet, []notify.Sender{sender}, notify.WithQueueSize(2))

	d.Notify(context.Background(), lowROI)
	<-sender.started // the worker holds the first notice; the queue is empty again

	returned := make(chan struct{})
	go func() {
		defer close(returned)
		for i := range 10 {
			n := lowROI
			n.Title = fmt.Sprint("notice ", i)
			d.Notify(context.Background(), n)
		}
	}()
	select {
	case <-returned:
	case <-time.After(2 * time.Second):
		t.Fatal("Notify blocked on a full queue")
	}
	if st := d.Stats(); st.Dropped != 8 || st.Queued != 2 {
		t.Errorf("stats = %+v, want 8 dropped and 2 queued", st)
	}

	close(gate)
	closeWithin(t, d, 5*time.Second)
	if got := len(sender.Calls()); got != 3 {
		t.Errorf("delivered %d notices, want the 3 that fitted", got)
	}
	d.Notify(context.Background(), lowROI) // after Close: dropped, no panic
	if st := d.Stats(); st.Dropped != 9 || st.Delivered != 3 {
		t.Errorf("stats after close = %+v", st)
	}
}

func TestDispatcherCloseDrains(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	gate := make(chan struct{})
	sender := &testSender{name: "gated", gate: gate}
	d := notify.NewDispatcher(quiet, []notify.Sender{sender})
	for range 10 {
		d.Notify(context.Background(), lowROI)
	}
	closed := make(chan error, 1)
	go func() { closed <- d.Close(context.Background()) }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) before the queue was delivered", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(gate)
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return after the queue drained")
	}
	if got := len(sender.Calls()); got != 10 {
		t.Errorf("delivered %d notices, want 10", got)
	}
	if err := d.Close(context.Background()); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestDispatcherCloseGivesUpAtDeadline(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	stuck := &testSender{name: "stuck", gate: make(chan struct{}), started: make(chan struct{}, 10)}
	// The other sender fails temporarily and waits, with the real sleep, for an hour before its retry.
	waiting := &testSender{name: "waiting", errs: []error{temporaryErr()}}
	d := notify.NewDispatcher(quiet, []notify.Sender{stuck, waiting}, notify.WithBackoff(time.Hour, time.Hour))
	for range 3 {
		d.Notify(context.Background(), lowROI)
	}
	<-stuck.started

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := d.Close(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close = %v, want the deadline", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("Close took %s after its deadline", elapsed)
	}
	if st := d.Stats(); st.Failed != 2 || st.Dropped != 2 || st.Delivered != 0 {
		t.Errorf("stats = %+v, want 2 failed (in flight) and 2 dropped (queued)", st)
	}
}

func TestDispatcherConcurrentNotifyAndClose(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sender := &testSender{name: "fast"}
	d := notify.NewDispatcher(quiet, []notify.Sender{sender}, notify.WithQueueSize(16))
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			for range 50 {
				d.Notify(context.Background(), lowROI)
			}
		})
	}
	time.Sleep(time.Millisecond)
	closeWithin(t, d, 5*time.Second)
	wg.Wait()
	st := d.Stats()
	if st.Delivered+st.Dropped != 1000 || int64(len(sender.Calls())) != st.Delivered {
		t.Errorf("stats = %+v with %d sends; every notice must be delivered or counted as dropped", st, len(sender.Calls()))
	}
}
