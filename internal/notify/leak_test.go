package notify_test

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// verifyNone fails the test when goroutines started since ignoreCurrent are still running: the same check as
// goleak.VerifyNone(t, goleak.IgnoreCurrent()). go.uber.org/goleak is only an indirect dependency of this
// module (go.sum, not go.mod), so it cannot be imported here without a go.mod change; once it is required,
// these two helpers can become goleak calls.
func verifyNone(t *testing.T, before map[string]bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		var leaked []string
		self := currentID()
		for id, stack := range goroutines() {
			if !before[id] && id != self {
				leaked = append(leaked, stack)
			}
		}
		if len(leaked) == 0 {
			return
		}
		if time.Now().After(deadline) {
			slices.Sort(leaked)
			t.Errorf("%d goroutines leaked:\n\n%s", len(leaked), strings.Join(leaked, "\n\n"))
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ignoreCurrent returns the goroutines running now, which verifyNone ignores.
func ignoreCurrent() map[string]bool {
	ids := map[string]bool{}
	for id := range goroutines() {
		ids[id] = true
	}
	return ids
}

// goroutines returns the stack of every goroutine by id.
func goroutines() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]string{}
	for _, stack := range strings.Split(string(buf), "\n\n") {
		if id := goroutineID(stack); id != "" {
			out[id] = stack
		}
	}
	return out
}

func currentID() string {
	buf := make([]byte, 256)
	return goroutineID(string(buf[:runtime.Stack(buf, false)]))
}

// goroutineID reads N from a stack's "goroutine N [state]:" header.
func goroutineID(stack string) string {
	rest, ok := strings.CutPrefix(stack, "goroutine ")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, " ")
	return id
}
