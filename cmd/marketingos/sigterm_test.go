//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Load and deadlines of the SIGTERM test.
const (
	sigtermWorkers    = 16
	sigtermAfter      = 300 // 2xx answers before the signal
	sigtermBrowserUA  = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	sigtermStartLimit = time.Minute // build aside: migrate and listen
	sigtermLoadLimit  = time.Minute // to reach sigtermAfter answers
	sigtermExitLimit  = time.Minute // from the signal to the exit of the process
)

// TestServeSIGTERMCommitsEveryAnsweredHit runs the real binary under load — pixel hits from browsers, and events
// sent with an API key, which authenticate against the database — sends it SIGTERM, and checks the promise of
// graceful shutdown: every request that reached a handler is answered 2xx (requests after the signal find the
// listener closed), the process exits 0, and every answered hit is in the database — no more, no less.
func TestServeSIGTERMCommitsEveryAnsweredHit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it under load")
	}
	bin := sigtermBuild(t)
	src := dbtest.NewSource(t)
	dbURL := src.DSN
	if src.Driver == store.SQLite {
		dbURL = "sqlite:" + src.DSN
	}
	port := sigtermFreePort(t)
	env := []string{
		"DATABASE_URL=" + dbURL, "PORT=" + strconv.Itoa(port), "ENV=production",
		"TRACKING_RATE_PER_IP=0", "TRACKING_RATE_PER_KEY=0", "SCHEDULER_ENABLED=false",
		"PATH=" + os.Getenv("PATH"),
	}

	// An organization, created by the binary itself.
	orgCmd := exec.Command(bin, "org", "create", "--name", "Shutdown", "--json")
	orgCmd.Env = env
	out, err := orgCmd.Output()
	if err != nil {
		t.Fatalf("marketingos org create: %v\n%s", err, stderrOf(err))
	}
	var org struct{ ID, TrackingKey, APIKey string }
	if err := json.Unmarshal(out, &org); err != nil || org.TrackingKey == "" || org.APIKey == "" {
		t.Fatalf("org create --json printed %q: %v", out, err)
	}

	// The server.
	var logs sigtermLog
	serve := exec.Command(bin, "serve")
	serve.Env = env
	serve.Stdout, serve.Stderr = &logs, &logs
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	var waitErr error
	exited := make(chan struct{}) // closed once the process has exited and waitErr is set
	go func() { waitErr = serve.Wait(); close(exited) }()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			_ = serve.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("server output (last 8 KiB):\n%s", logs.Tail(8<<10))
		}
	})
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := sigtermWaitHealthy(base, exited); err != nil {
		t.Fatal(err)
	}

	// The load: workers loop until the server stops answering.
	var (
		stored, dropped, unavailable, other atomic.Int64
		reached                             = make(chan struct{})
		reachOnce                           sync.Once
		signalled                           atomic.Bool
		workers                             sync.WaitGroup
		lastErr                             = make([]error, sigtermWorkers)
	)
	loadCtx, stopLoad := context.WithTimeout(context.Background(), sigtermLoadLimit+sigtermExitLimit)
	defer func() { stopLoad(); workers.Wait() }() // no worker outlives the test, however it ends
	for w := range sigtermWorkers {
		workers.Go(func() {
			client := &http.Client{Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 1, DisableCompression: true}}
			defer client.CloseIdleConnections()
			vid := fmt.Sprintf("sigterm-%02d", w)
			for loadCtx.Err() == nil {
				req, err := sigtermRequest(loadCtx, base, org.TrackingKey, org.APIKey, vid, w%2 == 1)
				if err != nil {
					lastErr[w] = err
					return
				}
				res, err := client.Do(req)
				if err != nil {
					lastErr[w] = err
					if !signalled.Load() {
						t.Errorf("worker %d: pixel failed before SIGTERM: %v", w, err)
					}
					return // the server has stopped answering
				}
				_, _ = io.Copy(io.Discard, res.Body)
				_ = res.Body.Close()
				switch {
				case res.StatusCode/100 == 2 && res.Header.Get("X-MarketingOS-Dropped") == "":
					if stored.Add(1) == sigtermAfter {
						reachOnce.Do(func() { close(reached) })
					}
				case res.StatusCode/100 == 2:
					dropped.Add(1)
				case res.StatusCode == http.StatusServiceUnavailable:
					unavailable.Add(1)
				default:
					other.Add(1)
				}
			}
		})
	}

	select {
	case <-reached:
	case <-time.After(sigtermLoadLimit):
		t.Fatalf("only %d stored answers after %s (dropped %d, 503 %d, other %d)", stored.Load(), sigtermLoadLimit,
			dropped.Load(), unavailable.Load(), other.Load())
	}
	signalled.Store(true)
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(sigtermExitLimit):
		t.Fatalf("the server did not exit within %s of SIGTERM", sigtermExitLimit)
	}
	workers.Wait() // every worker ends on its first connection error, which follows the exit at the latest
	if waitErr != nil {
		t.Fatalf("the server exited with %v after SIGTERM, want exit code 0", waitErr)
	}
	t.Logf("answers: %d stored, %d dropped, %d 503, %d other; first worker's last error: %v",
		stored.Load(), dropped.Load(), unavailable.Load(), other.Load(), lastErr[0])
	if unavailable.Load() > 0 || other.Load() > 0 || dropped.Load() > 0 {
		t.Errorf("%d answers 503, %d with another status and %d dropped hits, want none: every request that reached a handler is served",
			unavailable.Load(), other.Load(), dropped.Load())
	}

	// Count what the server committed, from a connection of our own.
	ctx := viewer.SystemContext(context.Background())
	db, err := store.Open(ctx, src.Driver, src.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, err := db.Client.AttributionEvent.Query().Where(attributionevent.OrganizationID(org.ID)).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := int(stored.Load()); n != want || n == 0 {
		t.Errorf("%d events in the database, want %d: the number of 2xx answers without X-MarketingOS-Dropped", n, want)
	}
}

// sigtermRequest is one hit of visitor vid: a browser's pixel, or (withKey) an event sent by a backend with the API
// key, whose handler authenticates the key in the database before it stores the event.
func sigtermRequest(ctx context.Context, base, trackingKey, apiKey, vid string, withKey bool) (*http.Request, error) {
	if !withKey {
		q := url.Values{
			"k": {trackingKey}, "vid": {vid}, "utm_source": {"newsletter"},
			"utm_medium": {"email"}, "url": {"https://landing.example/pricing"},
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/tracking/pixel.gif?"+q.Encode(), nil)
		if err == nil {
			req.Header.Set("User-Agent", sigtermBrowserUA)
		}
		return req, err
	}
	body := fmt.Sprintf(`{"eventType":"signup","visitorId":%q,"userId":"user-%s"}`, vid, vid)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/tracking/event", strings.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+apiKey)
	}
	return req, err
}

// sigtermBuild compiles the binary from the module root (with the race detector when the test has it).
func sigtermBuild(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build the binary: %v", err)
	}
	gomod, err := exec.Command(goBin, "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	bin := filepath.Join(t.TempDir(), "marketingos")
	args := []string{"build", "-o", bin}
	if sigtermRace() {
		args = append(args, "-race")
	}
	build := exec.Command(goBin, append(args, "./cmd/marketingos")...)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return bin
}

// sigtermRace reports whether this test binary was built with -race.
func sigtermRace() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// sigtermFreePort returns a loopback port that was free a moment ago.
func sigtermFreePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// sigtermWaitHealthy polls /healthz until it answers 200, the process exits, or sigtermStartLimit passes.
func sigtermWaitHealthy(base string, exited <-chan struct{}) error {
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(sigtermStartLimit)
	for {
		select {
		case <-exited:
			return errors.New("the server exited before it was healthy")
		case <-deadline:
			return fmt.Errorf("the server was not healthy within %s", sigtermStartLimit)
		case <-tick.C:
		}
		res, err := client.Get(base + "/healthz")
		if err != nil {
			continue
		}
		_, _ = io.Copy(io.Discard, res.Body)
		_ = res.Body.Close()
		if res.StatusCode == http.StatusOK {
			return nil
		}
	}
}

func stderrOf(err error) []byte {
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.Stderr
	}
	return nil
}

// sigtermLog collects the server's output; the process writes it from the goroutines of os/exec.
type sigtermLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *sigtermLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// Tail returns the last n bytes written.
func (l *sigtermLog) Tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buf.Bytes()
	return string(b[max(0, len(b)-n):])
}
