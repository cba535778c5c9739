package web_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// wsProxy stands between the browser and the server: it counts the WebSocket upgrades the app attempts and can
// drop every open WebSocket at once, as a restarting server or a lost network would.
type wsProxy struct {
	url      string
	upgrades atomic.Int32
	mu       sync.Mutex
	sockets  []net.Conn
}

func newWSProxy(t *testing.T, target string) *wsProxy {
	t.Helper()
	u, _ := url.Parse(target)
	rp := httputil.NewSingleHostReverseProxy(u)
	p := &wsProxy{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			p.upgrades.Add(1)
		}
		rp.ServeHTTP(w, r)
	}))
	// The reverse proxy hijacks the browser's connection for a WebSocket; those are the ones to drop.
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateHijacked {
			p.mu.Lock()
			p.sockets = append(p.sockets, c)
			p.mu.Unlock()
		}
	}
	srv.Start()
	t.Cleanup(func() { p.drop(); srv.Close() })
	p.url = srv.URL
	return p
}

func (p *wsProxy) drop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.sockets {
		_ = c.Close()
	}
	p.sockets = nil
}

// TestLiveConnection: a dropped WebSocket reconnects by itself and the indicator says so meanwhile; once the
// session is revoked elsewhere, the next drop takes the app to sign-in after exactly one connection attempt,
// with no reconnection loop.
func TestLiveConnection(t *testing.T) {
	d := newDashboard(t)
	proxy := newWSProxy(t, d.env.Server.URL)
	d.origin = proxy.url
	p := d.newPage(t)
	p.signIn(t, d.demo.UserEmail, d.demo.UserPassword)
	live := `document.querySelector('[data-testid=live-indicator]')?.dataset.state === 'live'`
	p.waitFor(t, live, 10*time.Second)
	p.eval(t, `window.__states = [];
		new MutationObserver(() => __states.push(document.querySelector('[data-testid=live-indicator]').dataset.state))
			.observe(document.querySelector('.topbar'), {subtree: true, attributes: true, attributeFilter: ['data-state']})`)

	// A drop: reconnecting, then live again, and the numbers still move.
	before := proxy.upgrades.Load()
	proxy.drop()
	p.waitFor(t, `__states.includes('reconnecting') && `+live, 15*time.Second)
	if got := proxy.upgrades.Load() - before; got != 1 {
		t.Errorf("%d connection attempts to come back, want 1", got)
	}
	visitors := p.number(t, kpiValue("visitors"))
	d.pixelHit(t, fmt.Sprintf("vis_reconnected_%d", time.Now().UnixNano()))
	p.waitFor(t, fmt.Sprintf(`Number(document.querySelector(%q)?.dataset.value) === %v`, kpiValue("visitors"), visitors+1), 5*time.Second)

	// Signed out elsewhere: the same person, in another browser, ends this browser's session.
	other := d.env.NewBrowser(t)
	if res, body := d.env.SignIn(t, other, d.demo.UserEmail, d.demo.UserPassword); res.StatusCode != http.StatusOK {
		t.Fatalf("second sign-in: %s %s", res.Status, body)
	}
	_, raw := d.env.Do(t, other, http.MethodGet, "/api/auth/sessions", "", nil, nil)
	var list struct {
		Sessions []struct {
			ID      string
			Current bool
		}
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatalf("sessions: %v (%s)", err, raw)
	}
	ended := 0
	for _, s := range list.Sessions {
		if !s.Current {
			if res, body := d.env.Do(t, other, http.MethodDelete, "/api/auth/sessions/"+s.ID, "", nil, nil); res.StatusCode >= 300 {
				t.Fatalf("end session: %s %s", res.Status, body)
			}
			ended++
		}
	}
	if ended != 1 {
		t.Fatalf("ended %d sessions, want the browser's one (%s)", ended, raw)
	}

	before = proxy.upgrades.Load()
	proxy.drop()
	p.waitFor(t, `document.querySelector('input[name=email]') && document.body.textContent.includes('Your session has ended')`, 15*time.Second)
	if got := proxy.upgrades.Load() - before; got != 1 {
		t.Errorf("%d connection attempts before sign-in, want 1", got)
	}
	// Nothing to wait for proves that nothing happens: give a reconnection loop twice its first back-off (1–1.3 s,
	// then 2–2.6 s) to show itself.
	p.step(t, chromedp.Sleep(5*time.Second))
	if got := proxy.upgrades.Load() - before; got != 1 {
		t.Errorf("%d connection attempts after the session ended, want 1: the app reconnects in a loop", got)
	}
}
