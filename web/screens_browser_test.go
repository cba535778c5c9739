package web_test

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/marketingos/marketingos/internal/browsertest"
)

// axeSource is axe-core, from the app's own npm packages (web/node_modules, which npm ci installs).
func axeSource(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("node_modules/axe-core/axe.min.js")
	if err != nil {
		browsertest.Unavailable(t, "axe-core is not installed (cd web && npm ci): %v", err)
	}
	return string(src)
}

// axeViolations runs axe-core on the page and lists its serious and critical violations (WCAG 2.1 A and AA,
// and best practices).
func (p *page) axeViolations(t *testing.T, axe string) []string {
	t.Helper()
	if p.eval(t, `typeof window.axe`) != "object" {
		p.eval(t, axe+";'loaded'")
	}
	raw := p.text(t, `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
		.then(r => JSON.stringify(r.violations
			.filter(v => v.impact === 'serious' || v.impact === 'critical')
			.map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))`)
	var out []string
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("axe: %v (%s)", err, raw)
	}
	return out
}

// TestScreensAccessibleAtBothWidths: every screen, at 1280 and at 390 px wide, has no serious or critical axe-core
// violation and no console error; each is saved as a screenshot (SCREENSHOT_DIR).
func TestScreensAccessibleAtBothWidths(t *testing.T) {
	d := newDashboard(t)
	axe := axeSource(t)
	var campaigns struct {
		Campaigns struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	d.graphQL(t, `{ campaigns(first: 1) { edges { node { id } } } }`, nil, &campaigns)
	if len(campaigns.Campaigns.Edges) == 0 {
		t.Fatal("the demo data has no campaign")
	}
	screens := []struct{ name, path, heading string }{
		{"overview", "/", "Overview"},
		{"attribution", "/attribution", "Attribution"},
		{"campaigns", "/campaigns", "Campaigns"},
		{"campaign", "/campaigns/" + campaigns.Campaigns.Edges[0].Node.ID, ""},
		{"content", "/content", "Content"},
		{"events", "/events", "Events"},
		{"settings", "/settings", "Settings"},
	}
	p := d.newPage(t)
	for _, width := range []int64{1280, 390} {
		p.step(t, chromedp.EmulateViewport(width, 900))
		p.step(t, chromedp.Navigate(d.origin+"/"))
		p.eval(t, `fetch('/api/auth/logout', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'}).then(() => 'out')`)
		p.step(t, chromedp.Navigate(d.origin+"/"))
		p.waitFor(t, `document.querySelector('input[name=email]')`, browsertest.Timeout)
		if v := p.axeViolations(t, axe); len(v) > 0 {
			t.Errorf("sign-in at %d px: %v", width, v)
		}
		p.screenshot(t, fmt.Sprintf("sign-in-%d", width))
		p.signIn(t, d.demo.UserEmail, d.demo.UserPassword)
		if width == 1280 {
			p.keyboardNavigation(t)
		}
		for _, s := range screens {
			if s.heading == "" {
				p.step(t, chromedp.Navigate(d.origin+s.path))
				p.waitFor(t, `document.querySelector('main h1') && !document.querySelector('main .loading')`, browsertest.Timeout)
			} else {
				p.open(t, s.path, s.heading)
			}
			if v := p.axeViolations(t, axe); len(v) > 0 {
				t.Errorf("%s at %d px: %v", s.name, width, v)
			}
			if overflow := p.eval(t, `document.documentElement.scrollWidth > window.innerWidth`); overflow == true {
				t.Errorf("%s at %d px scrolls sideways: the page is wider than the screen", s.name, width)
			}
			p.screenshot(t, fmt.Sprintf("%s-%d", s.name, width))
		}
	}
}

// keyboardNavigation: from the top of the overview, the first Tab reaches the skip link, and the navigation's
// links are reached and followed with the keyboard alone.
func (p *page) keyboardNavigation(t *testing.T) {
	t.Helper()
	p.step(t, chromedp.KeyEvent("\t"))
	if got := p.text(t, `document.activeElement.textContent`); got != "Skip to content" {
		t.Errorf("the first Tab reaches %q, want the skip link", got)
	}
	for i := 0; i < 20 && p.text(t, `document.activeElement.textContent`) != "Campaigns"; i++ {
		p.step(t, chromedp.KeyEvent("\t"))
	}
	p.step(t, chromedp.KeyEvent("\r"))
	p.waitHeading(t, "Campaigns")
}
