package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/browsertest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// TestOrganizationSwitcher: a person in two organizations switches between them; the screens and the live
// updates are the chosen organization's (X-Organization-Id on HTTP, organizationId in connection_init).
func TestOrganizationSwitcher(t *testing.T) {
	d := newDashboard(t)
	second := d.env.NewOrg(t, "Second Shop")
	owner, err := auth.UserByEmail(context.Background(), d.env.DB.Client, d.demo.UserEmail)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth.AddMember(context.Background(), d.env.DB.Client, second.ID, owner.ID, viewer.Marketer); err != nil {
		t.Fatal(err)
	}
	p := d.newPage(t)
	p.signIn(t, d.demo.UserEmail, d.demo.UserPassword)
	demoVisitors := p.number(t, kpiValue("visitors"))

	p.step(t, chromedp.SetValue(`.org-switcher select`, second.ID))
	live := `document.querySelector('[data-testid=live-indicator]')?.dataset.state === 'live'`
	p.waitFor(t, fmt.Sprintf(`document.querySelector('.org-switcher select')?.value === %q && document.querySelector('.role-badge')?.textContent === 'marketer' && Number(document.querySelector(%q)?.dataset.value) === 0 && %s`,
		second.ID, kpiValue("visitors"), live), browsertest.Timeout)

	// A hit on the second organization's landing page moves its overview; the demo's does not reach it.
	d.pixelHit(t, fmt.Sprintf("vis_demo_%d", time.Now().UnixNano()))
	q := url.Values{"k": {second.TrackingKey}, "vid": {"vis_second"}, "url": {"https://second.test/"}}
	req, _ := http.NewRequest(http.MethodGet, d.env.Server.URL+"/api/tracking/pixel.gif?"+q.Encode(), nil)
	req.Header.Set("User-Agent", browsertest.DesktopUA)
	res, err := d.env.Server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	p.waitFor(t, fmt.Sprintf(`Number(document.querySelector(%q)?.dataset.value) === 1`, kpiValue("visitors")), 5*time.Second)

	// The choice is kept across a reload, and switching back shows the demo's figures again.
	p.step(t, chromedp.Reload())
	p.waitFor(t, fmt.Sprintf(`document.querySelector('.org-switcher select')?.value === %q`, second.ID), browsertest.Timeout)
	p.step(t, chromedp.SetValue(`.org-switcher select`, d.demo.Organization.ID))
	p.waitFor(t, fmt.Sprintf(`document.querySelector('.role-badge')?.textContent === 'owner' && Number(document.querySelector(%q)?.dataset.value) === %v`,
		kpiValue("visitors"), demoVisitors+1), browsertest.Timeout)
}
