package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// load is the same traffic for every server: conns workers, each with its own keep-alive connection and its own
// pre-built request, looping request after request until the phase ends.
type load struct {
	Conns    int
	Warmup   time.Duration
	Duration time.Duration
	Requests int // per measured phase; 0 leaves only Duration to end it
	// NewEvery makes one request in NewEvery a first visit (the visitor's first hit of the day is what costs the
	// visitors rollup a write); 0 makes every request a returning visitor's.
	NewEvery int
}

// browserUserAgent is what a visitor's browser sends; the real server drops bots, so the load must not look like one.
const browserUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

// droppedHeader is set by the real server on a 200 that stored nothing, with the reason.
const droppedHeader = "X-MarketingOS-Dropped"

// maxErrorsPerWorker ends a worker whose connection keeps failing, so that a dead server ends the phase early
// instead of spinning.
const maxErrorsPerWorker = 100

// conn is one worker's client: a transport that keeps exactly one connection alive, and requests reused for every
// hit (the load generator shares the CPUs with the server, so it allocates as little as net/http lets it): a
// returning visitor's, and every newEvery-th request a first visit's.
type conn struct {
	tr       *http.Transport
	req      *http.Request
	first    *http.Request
	newEvery int
	sent     int
}

// visitURLs are a worker's two requests: a returning visitor's, and a first visit's.
type visitURLs struct{ returning, first string }

func newConns(ctx context.Context, n, newEvery int, urlFor func(worker int) visitURLs) ([]*conn, error) {
	get := func(url string) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("User-Agent", browserUserAgent)
		req.Header.Set("Accept", "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8")
		req.Header.Set("Accept-Language", "en-US,en;q=0.9")
		return req, nil
	}
	conns := make([]*conn, n)
	for i := range conns {
		urls := urlFor(i)
		req, err := get(urls.returning)
		if err != nil {
			return nil, err
		}
		first, err := get(urls.first)
		if err != nil {
			return nil, err
		}
		conns[i] = &conn{
			first:    first,
			newEvery: newEvery,
			tr: &http.Transport{
				Proxy:                 nil, // loopback only, whatever the environment says
				DialContext:           (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
				MaxIdleConnsPerHost:   1,
				DisableCompression:    true,
				ResponseHeaderTimeout: 30 * time.Second,
			},
			req: req,
		}
	}
	return conns, nil
}

func closeConns(conns []*conn) {
	for _, c := range conns {
		c.tr.CloseIdleConnections()
	}
}

// phase is what one phase of load got back.
type phase struct {
	Elapsed    time.Duration
	Status     map[int]int    // answers by status code
	Dropped    map[string]int // 2xx answers that stored nothing, by X-MarketingOS-Dropped
	Errors     int            // requests without an answer
	FirstError error
	Latency    []time.Duration // of every answer, sorted
	CPU        cpuUsage
}

// Answers is the number of requests that got an HTTP answer.
func (p phase) Answers() int { return len(p.Latency) }

// RPS is answers per second.
func (p phase) RPS() float64 { return float64(p.Answers()) / p.Elapsed.Seconds() }

// StoredAnswers is the number of 2xx answers that did not say they dropped the hit: what must be in the database.
func (p phase) StoredAnswers() int {
	n := 0
	for code, c := range p.Status {
		if code >= 200 && code < 300 {
			n += c
		}
	}
	for _, c := range p.Dropped {
		n -= c
	}
	return n
}

// Percentile returns the q-quantile (0..1) of the latencies.
func (p phase) Percentile(q float64) time.Duration {
	if len(p.Latency) == 0 {
		return 0
	}
	i := int(q*float64(len(p.Latency))+0.5) - 1
	return p.Latency[min(max(i, 0), len(p.Latency)-1)]
}

type workerStats struct {
	latency  []time.Duration
	status   map[int]int
	dropped  map[string]int
	errors   int
	firstErr error
}

// runPhase sends requests on every connection until d has passed, limit requests were issued (when > 0), or ctx ends.
func runPhase(ctx context.Context, conns []*conn, d time.Duration, limit int) phase {
	var issued atomic.Int64
	stats := make([]workerStats, len(conns))
	cpu0 := readCPU()
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() { stats[i] = c.loop(ctx, deadline, int64(limit), &issued) })
	}
	wg.Wait()
	p := phase{Elapsed: time.Since(start), Status: map[int]int{}, Dropped: map[string]int{}}
	p.CPU = readCPU().since(cpu0, p.Elapsed)
	for _, s := range stats {
		p.add(s.latency, s.status, s.dropped, s.errors, s.firstErr)
	}
	slices.Sort(p.Latency)
	return p
}

func (c *conn) loop(ctx context.Context, deadline time.Time, limit int64, issued *atomic.Int64) workerStats {
	s := workerStats{latency: make([]time.Duration, 0, 4096), status: map[int]int{}, dropped: map[string]int{}}
	for ctx.Err() == nil {
		start := time.Now()
		if !start.Before(deadline) || (limit > 0 && issued.Add(1) > limit) {
			break
		}
		req := c.req
		if c.sent++; c.newEvery > 0 && c.sent%c.newEvery == 0 {
			req = c.first
		}
		res, err := c.tr.RoundTrip(req)
		if err != nil {
			s.errors++
			if s.firstErr == nil {
				s.firstErr = err
			}
			if s.errors >= maxErrorsPerWorker {
				break
			}
			continue
		}
		_, _ = io.Copy(io.Discard, res.Body)
		_ = res.Body.Close()
		s.latency = append(s.latency, time.Since(start))
		s.status[res.StatusCode]++
		if reason := res.Header.Get(droppedHeader); reason != "" && res.StatusCode/100 == 2 {
			s.dropped[reason]++
		}
	}
	return s
}

// statusSummary renders status counts as "200×1234 503×5".
func statusSummary(status map[int]int) string {
	out := ""
	for _, code := range slices.Sorted(maps.Keys(status)) {
		if out != "" {
			out += " "
		}
		out += fmt.Sprintf("%d×%d", code, status[code])
	}
	if out == "" {
		return "none"
	}
	return out
}

// merge is the phases as one: their answers, errors and time added up, latencies sorted together, CPU usage
// weighted by time.
func merge(phases ...phase) phase {
	out := phase{Status: map[int]int{}, Dropped: map[string]int{}}
	var cpuTime time.Duration
	for _, p := range phases {
		out.Elapsed += p.Elapsed
		out.add(p.Latency, p.Status, p.Dropped, p.Errors, p.FirstError)
		if p.CPU.OK {
			w := float64(p.Elapsed)
			out.CPU.OK = true
			out.CPU.ProcessCores += p.CPU.ProcessCores * w
			out.CPU.MachineBusy += p.CPU.MachineBusy * w
			cpuTime += p.Elapsed
		}
	}
	if cpuTime > 0 {
		out.CPU.ProcessCores /= float64(cpuTime)
		out.CPU.MachineBusy /= float64(cpuTime)
	}
	slices.Sort(out.Latency)
	return out
}

// add counts answers (a worker's, or a phase's) in p; the caller sorts the latencies.
func (p *phase) add(latency []time.Duration, status map[int]int, dropped map[string]int, errors int, firstErr error) {
	p.Latency = append(p.Latency, latency...)
	for code, n := range status {
		p.Status[code] += n
	}
	for reason, n := range dropped {
		p.Dropped[reason] += n
	}
	p.Errors += errors
	if p.FirstError == nil {
		p.FirstError = firstErr
	}
}
