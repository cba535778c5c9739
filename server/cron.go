package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/jobs"
)

// cronRunTimeout bounds a run started over HTTP. It is generous because a sync may page through many campaigns;
// it exists so that a hung provider cannot hold the job's lock forever.
const cronRunTimeout = 15 * time.Minute

// cronJobs are the jobs an external cron may trigger, each at /api/cron/<name>.
var cronJobs = []string{jobs.SocialPublish, jobs.SyncAdsMetrics}

// CronRoutes mounts GET and POST /api/cron/<job> for an external cron (or an operator) to run a job now, as a manual
// run. Callers authenticate with `Authorization: Bearer <secret>`; with an empty secret the routes answer 503.
//
// Answers: 200 with the run's summary when the job ran — also when the job itself failed (status FAILED, with its
// error): the request did what it asked, running the job; the failure is recorded and reported through the
// Runner's failure hook, once, and a 5xx would only make cron services retry a job that is failing for a reason a
// retry rarely fixes. 5xx is kept for "could not run or record it", where a retry is the right reaction.
// 409 when the job is already running, 401 for a missing or wrong secret.
func CronRoutes(r chi.Router, runner *jobs.Runner, secret string, log *slog.Logger) {
	h := &cronHandler{runner: runner, log: log, configured: secret != ""}
	// Compare digests: equal length whatever the secret's, so the comparison's time reveals nothing about it.
	h.digest = sha256.Sum256([]byte(secret))
	for _, job := range cronJobs {
		run := h.run(job)
		r.Get("/api/cron/"+job, run)
		r.Post("/api/cron/"+job, run)
	}
}

type cronHandler struct {
	runner     *jobs.Runner
	log        *slog.Logger
	configured bool
	digest     [sha256.Size]byte
}

// cronRun is the JSON summary of a run.
type cronRun struct {
	Job        string         `json:"job"`
	RunID      string         `json:"runId"`
	Status     string         `json:"status"`
	StartedAt  time.Time      `json:"startedAt"`
	FinishedAt *time.Time     `json:"finishedAt"`
	Stats      map[string]any `json:"stats"`
	Error      *string        `json:"error"`
}

func (h *cronHandler) run(job string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !h.configured {
			writeError(w, http.StatusServiceUnavailable, "NOT_CONFIGURED", "the cron endpoint is disabled: CRON_SECRET is not set")
			return
		}
		if !h.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="cron"`)
			writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "missing or invalid cron secret")
			return
		}
		// Detached from the request: a caller that hangs up (many cron services give up after 30 s or so) must not
		// abort a job halfway through its writes.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), cronRunTimeout)
		defer cancel()
		run, err := h.runner.Run(ctx, job, jobs.TriggerManual, nil)
		switch {
		case errors.Is(err, jobs.ErrBusy):
			writeError(w, http.StatusConflict, "CONFLICT", "the job is already running")
			return
		case errors.Is(err, jobs.ErrUnknownJob):
			// A wiring mistake in this binary, not the caller's.
			h.log.Error("cron: job not registered", "job", job)
			writeError(w, http.StatusInternalServerError, "INTERNAL", "the job is not available")
			return
		case err != nil:
			h.log.Error("cron: run", "job", job, "err", err)
			writeError(w, http.StatusInternalServerError, "INTERNAL", "the job could not be run or recorded")
			return
		}
		writeJSON(w, http.StatusOK, summarize(run))
	}
}

// authorized reports whether r carries the secret, in time independent of how much of it matches.
func (h *cronHandler) authorized(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return false
	}
	got := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(got[:], h.digest[:]) == 1
}

func summarize(run *ent.JobRun) cronRun {
	return cronRun{
		Job:        run.Job,
		RunID:      run.ID,
		Status:     string(run.Status),
		StartedAt:  run.StartedAt,
		FinishedAt: run.FinishedAt,
		Stats:      run.Stats,
		Error:      run.Error,
	}
}
