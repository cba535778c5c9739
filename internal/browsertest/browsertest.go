// Package browsertest starts Debian's headless Chromium for tests that drive a real browser through chromedp:
// the tracker script's tests (server) and the dashboard's (web).
package browsertest

import (
	"cmp"
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// DesktopUA replaces HeadlessChrome's user agent, which the server drops as a bot.
const DesktopUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"

// Timeout bounds each Step and Eval.
const Timeout = 20 * time.Second

// Path is the browser the tests drive: Debian's chromium package, or CHROMIUM. Without it the test is skipped,
// unless BROWSER_TESTS=required (CI) makes that a failure.
func Path(t testing.TB) string {
	t.Helper()
	path := cmp.Or(os.Getenv("CHROMIUM"), "/usr/bin/chromium")
	if _, err := os.Stat(path); err != nil {
		Unavailable(t, "no browser at %s (apt-get install -y chromium, or set CHROMIUM)", path)
	}
	return path
}

// Unavailable skips the test for want of something a browser test needs, or fails it under BROWSER_TESTS=required.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("BROWSER_TESTS") == "required" {
		t.Fatalf("BROWSER_TESTS=required, but "+format, args...)
	}
	t.Skipf(format, args...)
}

// New starts a fresh headless Chromium (its own profile) for the test, with extra options, and returns a context
// for its first tab. The browser ends with the test.
func New(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Path(t)),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserAgent(DesktopUA),
		chromedp.UserDataDir(t.TempDir()),
	)
	opts = append(opts, extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser, on a context without a deadline
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Step runs browser actions within Timeout.
func Step(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// Eval evaluates a JavaScript expression in the current page (awaiting it when it is a promise).
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %.200s: %v", expr, err)
	}
	return v
}
