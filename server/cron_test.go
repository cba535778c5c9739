package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/marketingos/marketingos/ent/jobrun"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/viewer"
	"github.com/marketingos/marketingos/jobs"
	"github.com/marketingos/marketingos/server"
)

const cronSecret = "cron-secret-0123456789abcdef"

// cronJob is the test's social-publish job: it counts its calls and, when gated, signals that it started and
// waits for release.
type cronJob struct {
	calls   atomic.Int32
	gated   bool
	fail    bool
	started chan struct{}
	release chan struct{}
	// ctxErr is what the job's context said when it was released: the job must not see the caller's hang-up.
	ctxErr   atomic.Value
	deadline atomic.Bool
}

func (j *cronJob) run(ctx context.Context) (map[string]any, error) {
	n := j.calls.Add(1)
	_, hasDeadline := ctx.Deadline()
	j.deadline.Store(hasDeadline)
	if j.gated {
		j.started <- struct{}{}
		<-j.release
		j.ctxErr.Store(errString(ctx.Err()))
	}
	if j.fail {
		return map[string]any{"published": 0}, errors.New("postiz: 502 bad gateway")
	}
	return map[string]any{"published": 2, "call": n}, nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

type cronEnv struct {
	url  string
	db   *store.DB
	job  *cronJob
	sync atomic.Int32 // calls of sync-ads-metrics
	// disconnected is closed when the server sees the first request's context end (its client hung up, or it
	// finished).
	disconnected chan struct{}
}

func newCronEnv(t *testing.T, secret string, job *cronJob) *cronEnv {
	t.Helper()
	db, _ := dbtest.Open(t)
	env := &cronEnv{db: db, job: job, disconnected: make(chan struct{})}
	if job.gated {
		job.started = make(chan struct{}, 1)
		job.release = make(chan struct{})
	}
	log := slog.New(slog.DiscardHandler)
	runner := jobs.NewRunner(db, log)
	runner.Register(jobs.SocialPublish, job.run)
	runner.Register(jobs.SyncAdsMetrics, func(context.Context) (map[string]any, error) {
		env.sync.Add(1)
		return nil, nil
	})
	r := chi.NewRouter()
	var once atomic.Bool
	r.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			// Ends with the request at the latest: net/http cancels the context when the handler returns.
			go func() {
				<-req.Context().Done()
				if once.CompareAndSwap(false, true) {
					close(env.disconnected)
				}
			}()
			next.ServeHTTP(w, req)
		})
	})
	server.CronRoutes(r, runner, secret, log)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	env.url = srv.URL
	return env
}

type cronAnswer struct {
	status int
	header http.Header
	body   map[string]any
}

// call sends one request. It reports problems as errors, not through t, so that goroutines may use it.
func (env *cronEnv) call(ctx context.Context, method, job, auth string) (cronAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, method, env.url+"/api/cron/"+job, nil)
	if err != nil {
		return cronAnswer{}, err
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return cronAnswer{}, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return cronAnswer{}, err
	}
	a := cronAnswer{status: res.StatusCode, header: res.Header}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		return a, fmt.Errorf("%s %s: Content-Type %q", method, job, ct)
	}
	if err := json.Unmarshal(raw, &a.body); err != nil {
		return a, fmt.Errorf("%s %s: body is not JSON: %q", method, job, raw)
	}
	return a, nil
}

func (env *cronEnv) mustCall(t *testing.T, method, job, auth string) cronAnswer {
	t.Helper()
	a, err := env.call(context.Background(), method, job, auth)
	if err != nil {
		t.Fatalf("%s %s: %v", method, job, err)
	}
	return a
}

func (env *cronEnv) runCount(t *testing.T) int {
	t.Helper()
	n, err := env.db.Client.JobRun.Query().Count(viewer.SystemContext(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func wantCronError(t *testing.T, a cronAnswer, status int, code string) {
	t.Helper()
	e, _ := a.body["error"].(map[string]any)
	if a.status != status || e == nil || e["code"] != code || e["message"] == "" {
		t.Errorf("answer %d %v, want %d with error code %s", a.status, a.body, status, code)
	}
}

func TestCronRejectsBadCredentials(t *testing.T) {
	env := newCronEnv(t, cronSecret, &cronJob{})
	tests := []struct {
		name string
		auth string
	}{
		{"missing header", ""},
		{"wrong secret", "Bearer not-the-secret-at-all-000000"},
		{"secret with a suffix", "Bearer " + cronSecret + "x"},
		{"prefix of the secret", "Bearer " + cronSecret[:len(cronSecret)-1]},
		{"wrong scheme", "Basic " + cronSecret},
		{"no scheme", cronSecret},
		{"scheme without token", "Bearer"},
		{"empty token", "Bearer "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				for _, job := range []string{jobs.SocialPublish, jobs.SyncAdsMetrics} {
					a := env.mustCall(t, method, job, tt.auth)
					wantCronError(t, a, http.StatusUnauthorized, "UNAUTHENTICATED")
					if !strings.HasPrefix(a.header.Get("WWW-Authenticate"), "Bearer") {
						t.Errorf("WWW-Authenticate = %q", a.header.Get("WWW-Authenticate"))
					}
				}
			}
		})
	}
	if n, m := env.job.calls.Load(), env.sync.Load(); n != 0 || m != 0 {
		t.Errorf("jobs ran %d and %d times without credentials", n, m)
	}
	if n := env.runCount(t); n != 0 {
		t.Errorf("%d runs recorded without credentials", n)
	}
}

func TestCronNotConfigured(t *testing.T) {
	env := newCronEnv(t, "", &cronJob{})
	for _, auth := range []string{"", "Bearer ", "Bearer anything"} {
		a := env.mustCall(t, http.MethodPost, jobs.SocialPublish, auth)
		wantCronError(t, a, http.StatusServiceUnavailable, "NOT_CONFIGURED")
	}
	if n := env.job.calls.Load(); n != 0 {
		t.Errorf("job ran %d times with no secret configured", n)
	}
	if n := env.runCount(t); n != 0 {
		t.Errorf("%d runs recorded with no secret configured", n)
	}
}

func TestCronRunsTheJob(t *testing.T) {
	env := newCronEnv(t, cronSecret, &cronJob{})
	for i, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			before := time.Now().Add(-time.Second) // the database's clock may round
			// The scheme is case-insensitive (RFC 9110 §11.1).
			auth := map[string]string{http.MethodGet: "Bearer ", http.MethodPost: "bearer "}[method] + cronSecret
			a := env.mustCall(t, method, jobs.SocialPublish, auth)
			if a.status != http.StatusOK {
				t.Fatalf("status %d: %v", a.status, a.body)
			}
			b := a.body
			if b["job"] != jobs.SocialPublish || b["status"] != "SUCCEEDED" || b["error"] != nil {
				t.Errorf("summary = %v", b)
			}
			if id, _ := b["runId"].(string); !strings.HasPrefix(id, "job_") {
				t.Errorf("runId = %v", b["runId"])
			}
			started, err1 := time.Parse(time.RFC3339Nano, str(b["startedAt"]))
			finished, err2 := time.Parse(time.RFC3339Nano, str(b["finishedAt"]))
			if err1 != nil || err2 != nil || started.Before(before) || finished.Before(started) {
				t.Errorf("startedAt %v finishedAt %v (%v, %v)", b["startedAt"], b["finishedAt"], err1, err2)
			}
			if stats, _ := b["stats"].(map[string]any); stats["published"] != float64(2) || stats["call"] != float64(i+1) {
				t.Errorf("stats = %v", b["stats"])
			}
			run, err := env.db.Client.JobRun.Get(viewer.SystemContext(context.Background()), str(b["runId"]))
			if err != nil {
				t.Fatal(err)
			}
			if run.Trigger != jobrun.TriggerMANUAL || run.Slot != nil || run.Status != jobrun.StatusSUCCEEDED {
				t.Errorf("stored run: trigger %s slot %v status %s", run.Trigger, run.Slot, run.Status)
			}
		})
	}
	a := env.mustCall(t, http.MethodPost, jobs.SyncAdsMetrics, "Bearer "+cronSecret)
	if a.status != http.StatusOK || a.body["job"] != jobs.SyncAdsMetrics || env.sync.Load() != 1 {
		t.Errorf("sync-ads-metrics: %d %v, ran %d times", a.status, a.body, env.sync.Load())
	}
	if !env.job.deadline.Load() {
		t.Error("the run's context has no deadline: a hung job would hold its lock forever")
	}
}

func str(v any) string { s, _ := v.(string); return s }

// TestCronFailedJob: a job that fails is still a request that succeeded in running it (see CronRoutes).
func TestCronFailedJob(t *testing.T) {
	env := newCronEnv(t, cronSecret, &cronJob{fail: true})
	a := env.mustCall(t, http.MethodPost, jobs.SocialPublish, "Bearer "+cronSecret)
	if a.status != http.StatusOK || a.body["status"] != "FAILED" || a.body["error"] != "postiz: 502 bad gateway" {
		t.Errorf("failed run answered %d %v", a.status, a.body)
	}
	if a.body["finishedAt"] == nil {
		t.Error("failed run has no finishedAt")
	}
}

func TestCronConflictWhileRunning(t *testing.T) {
	env := newCronEnv(t, cronSecret, &cronJob{gated: true})
	first := make(chan cronAnswer, 1)
	go func() {
		a, err := env.call(context.Background(), http.MethodPost, jobs.SocialPublish, "Bearer "+cronSecret)
		if err != nil {
			t.Errorf("first call: %v", err)
		}
		first <- a
	}()
	<-env.job.started

	wantCronError(t, env.mustCall(t, http.MethodGet, jobs.SocialPublish, "Bearer "+cronSecret), http.StatusConflict, "CONFLICT")
	// Another job is not held up by this one.
	if a := env.mustCall(t, http.MethodGet, jobs.SyncAdsMetrics, "Bearer "+cronSecret); a.status != http.StatusOK {
		t.Errorf("other job while one runs: %d %v", a.status, a.body)
	}

	close(env.job.release)
	if a := <-first; a.status != http.StatusOK || a.body["status"] != "SUCCEEDED" {
		t.Errorf("first call answered %d %v", a.status, a.body)
	}
	if n := env.job.calls.Load(); n != 1 {
		t.Errorf("job ran %d times, want 1", n)
	}
}

// TestCronSurvivesClientHangUp: a caller that gives up does not abort the job halfway.
func TestCronSurvivesClientHangUp(t *testing.T) {
	env := newCronEnv(t, cronSecret, &cronJob{gated: true})
	ctx, hangUp := context.WithCancel(context.Background())
	answered := make(chan error, 1)
	go func() {
		_, err := env.call(ctx, http.MethodPost, jobs.SocialPublish, "Bearer "+cronSecret)
		answered <- err
	}()
	<-env.job.started
	hangUp()
	if err := <-answered; !errors.Is(err, context.Canceled) {
		t.Fatalf("client call = %v, want context.Canceled", err)
	}
	<-env.disconnected // the server has seen the hang-up while the job still runs
	close(env.job.release)

	// The run completes and is recorded; poll the record since nobody is left to receive the answer.
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		runs, err := env.db.Client.JobRun.Query().All(viewer.SystemContext(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) == 1 && runs[0].Status != jobrun.StatusRUNNING {
			if runs[0].Status != jobrun.StatusSUCCEEDED {
				t.Errorf("run after hang-up: %s %v", runs[0].Status, runs[0].Error)
			}
			break
		}
		select {
		case <-deadline:
			t.Fatalf("run not finished after the client hung up: %v", runs)
		case <-tick.C:
		}
	}
	if got := env.job.ctxErr.Load(); got != "" {
		t.Errorf("the job's context was cancelled by the hang-up: %v", got)
	}
}
