package web_test

import (
	"encoding/csv"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/marketingos/marketingos/internal/browsertest"
)

// TestMarketerAndViewerJourney: a campaign created through the form (first refused on its budget, the error on
// that field), launched, paused and resumed; a READY post published; a member invited as VIEWER who joins through
// the e-mailed link and then sees no buttons to create or change anything, while a forced mutation is FORBIDDEN.
func TestMarketerAndViewerJourney(t *testing.T) {
	d := newDashboard(t)
	p := d.newPage(t)
	p.step(t, chromedp.EmulateViewport(1280, 900))
	p.signIn(t, d.demo.UserEmail, d.demo.UserPassword)

	// The campaign: a refused budget first.
	p.open(t, "/campaigns", "Campaigns")
	p.step(t, chromedp.Click(`//button[text()="New campaign"]`))
	p.waitFor(t, `document.querySelector('#campaign-name')`, browsertest.Timeout)
	name := fmt.Sprintf("Browser spring %d", time.Now().UnixNano()%1e6)
	p.step(t,
		chromedp.SendKeys(`#campaign-name`, name),
		chromedp.SendKeys(`#campaign-dailyBudget`, "-5"),
		chromedp.SendKeys(`#campaign-keywords`, "marketing analytics\nattribution software"),
		chromedp.Click(`//button[text()="Create campaign"]`),
	)
	p.waitFor(t, `document.querySelector('#campaign-dailyBudget-error')?.textContent.length > 0 && document.querySelector('#campaign-dailyBudget').getAttribute('aria-invalid') === 'true'`, browsertest.Timeout)
	t.Logf("budget refused: %s", p.text(t, `document.querySelector('#campaign-dailyBudget-error').textContent`))
	if n := p.eval(t, `document.querySelectorAll('.field-error:not(:empty)').length`); n != float64(1) {
		t.Errorf("%v fields show an error, want the budget's alone", n)
	}
	p.step(t,
		chromedp.SetValue(`#campaign-dailyBudget`, "25"),
		chromedp.Click(`//button[text()="Create campaign"]`),
	)
	row := fmt.Sprintf(`document.querySelector('tr[data-name=%q]')`, name)
	status := func(want string) {
		t.Helper()
		p.waitFor(t, fmt.Sprintf(`%s?.querySelector('[data-testid=status]')?.textContent === %q`, row, want), browsertest.Timeout)
		var got struct {
			Campaigns struct {
				Edges []struct{ Node struct{ Name, Status string } }
			}
		}
		d.graphQL(t, `query($n: String) { campaigns(first: 1, where: {name: $n}) { edges { node { name status } } } }`, map[string]any{"n": name}, &got)
		if len(got.Campaigns.Edges) != 1 || got.Campaigns.Edges[0].Node.Status != want {
			t.Fatalf("the server has %+v, the screen says %s", got.Campaigns.Edges, want)
		}
	}
	status("DRAFT")
	for _, s := range []struct{ button, want string }{{"Launch", "ACTIVE"}, {"Pause", "PAUSED"}, {"Resume", "ACTIVE"}} {
		p.step(t, chromedp.Click(fmt.Sprintf(`//button[@aria-label=%q]`, s.button+" "+name)))
		status(s.want)
	}

	// A READY post, published.
	var ready struct {
		Contents struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	d.graphQL(t, `{ contents(first: 1, where: {status: READY}) { edges { node { id } } } }`, nil, &ready)
	p.open(t, "/content", "Content")
	if len(ready.Contents.Edges) == 0 { // the demo's posts may all have been published automatically
		p.step(t, chromedp.Click(`//button[text()="Generate"]`))
		p.waitFor(t, `document.querySelector('article[data-content]')`, browsertest.Timeout)
	}
	postID := p.text(t, `document.querySelector('article[data-content]').dataset.content`)
	p.step(t, chromedp.Click(fmt.Sprintf(`article[data-content=%q] button.primary`, postID)))
	p.waitFor(t, fmt.Sprintf(`!document.querySelector('article[data-content=%q]')`, postID), browsertest.Timeout)
	var published struct{ Node struct{ Status string } }
	d.graphQL(t, `query($id: ID!) { node(id: $id) { ... on Content { status } } }`, map[string]any{"id": postID}, &published)
	if published.Node.Status != "PUBLISHED" {
		t.Errorf("post %s is %s after Publish, want PUBLISHED", postID, published.Node.Status)
	}

	// Settings: a refused value on its field; an API key whose secret is shown once, and works.
	p.open(t, "/settings", "Settings")
	p.step(t,
		chromedp.SetValue(`#org-attributionWindowDays`, "0"),
		chromedp.Click(`//button[text()="Save settings"]`),
	)
	p.waitFor(t, `document.querySelector('#org-attributionWindowDays-error')?.textContent.length > 0 && document.querySelector('#org-attributionWindowDays').getAttribute('aria-invalid') === 'true'`, browsertest.Timeout)
	p.step(t,
		chromedp.SetValue(`#org-attributionWindowDays`, "14"),
		chromedp.Click(`//button[text()="Save settings"]`),
	)
	p.waitFor(t, `[...document.querySelectorAll('[role=status]')].some(s => s.textContent === 'Saved.')`, browsertest.Timeout)
	p.step(t,
		chromedp.SendKeys(`#key-name`, "reporting"),
		chromedp.SetValue(`#key-role`, "VIEWER"),
		chromedp.Click(`//button[text()="Create key"]`),
	)
	p.waitFor(t, `document.querySelector('[data-testid=api-key-secret]')?.textContent.startsWith('mos_sk_') && [...document.querySelectorAll('button')].some(b => b.textContent === 'Copy secret')`, browsertest.Timeout)
	secret := p.text(t, `document.querySelector('[data-testid=api-key-secret]').textContent`)
	var keyViewer struct {
		Viewer struct {
			Role         string
			Organization struct{ AttributionWindowDays int }
		}
	}
	d.env.GraphQL(t, secret, `{ viewer { role organization { attributionWindowDays } } }`, nil).Decode(t, &keyViewer)
	if keyViewer.Viewer.Role != "VIEWER" || keyViewer.Viewer.Organization.AttributionWindowDays != 14 {
		t.Errorf("the new key sees %+v, want a VIEWER of an organization with a 14-day window", keyViewer.Viewer)
	}

	// A VIEWER, invited and joining through the link.
	viewerEmail := fmt.Sprintf("viewer-%d@example.com", time.Now().UnixNano()%1e6)
	p.step(t,
		chromedp.SendKeys(`#invite-email`, viewerEmail),
		chromedp.SetValue(`#invite-role`, "VIEWER"),
		chromedp.Click(`//button[text()="Invite"]`),
	)
	p.waitFor(t, fmt.Sprintf(`document.querySelector('tr[data-invitation=%q]')`, viewerEmail), browsertest.Timeout)
	token := d.invitationToken(t, viewerEmail)
	p.step(t, chromedp.Click(`//button[text()="Sign out"]`))
	p.waitFor(t, `document.querySelector('input[name=email]')`, browsertest.Timeout)

	p.step(t, chromedp.Navigate(d.origin+"/accept-invitation?token="+url.QueryEscape(token)))
	p.waitFor(t, `document.querySelector('input[name=password]')`, browsertest.Timeout)
	if loc := p.text(t, `location.search`); loc != "" {
		t.Errorf("the token stayed in the address bar: %s", loc)
	}
	p.step(t,
		chromedp.SendKeys(`input[name=name]`, "Vera Viewer"),
		chromedp.SendKeys(`input[name=password]`, "tangerine-Velvet-4211"),
		chromedp.Click(`form button[type=submit]`),
	)
	p.waitHeading(t, "Overview")
	if role := p.text(t, `document.querySelector('.role-badge').textContent`); role != "viewer" {
		t.Fatalf("signed in as %q, want viewer", role)
	}
	for _, s := range []struct{ path, heading string }{{"/campaigns", "Campaigns"}, {"/content", "Content"}, {"/settings", "Settings"}, {"/campaigns/" + d.campaignID(t, name), name}} {
		p.open(t, s.path, s.heading)
		// A viewer's buttons only navigate, filter, copy, sign out or retry: none creates or changes anything.
		buttons := p.text(t, `[...document.querySelectorAll('main button, main input[type=submit]')].map(b => b.textContent.trim()).filter(t => !/^(7 days|30 days|90 days|Custom|Filter|Clear|Copy snippet|Try again)$/.test(t)).join('|')`)
		if buttons != "" {
			t.Errorf("a viewer sees the buttons %q on %s", buttons, s.path)
		}
		if n := p.eval(t, `document.querySelectorAll('main select:not(:disabled):not([aria-label=Range])').length`); s.path == "/settings" && n != float64(0) {
			t.Errorf("a viewer can change %v selections on settings", n)
		}
	}
	answer := p.text(t, fmt.Sprintf(`fetch('/graphql', {method: 'POST', credentials: 'include',
		headers: {'Content-Type': 'application/json', 'X-Organization-Id': %q},
		body: JSON.stringify({query: 'mutation($in: CreateCampaignInput!) { createCampaign(input: $in) { id } }',
			variables: {in: {platform: 'GOOGLE', name: 'Forced', dailyBudget: 10, keywords: ['x']}}})}).then(r => r.text())`, d.demo.Organization.ID))
	if !strings.Contains(answer, `"FORBIDDEN"`) {
		t.Errorf("a viewer's forced createCampaign answered %s, want FORBIDDEN", answer)
	}
}

var invitationLink = regexp.MustCompile(regexp.QuoteMeta(publicURL+"/accept-invitation?token=") + `([A-Za-z0-9_%-]+)`)

// invitationToken reads the token of the last invitation e-mailed to address (through the Resend fake).
func (d *dashboard) invitationToken(t *testing.T, address string) string {
	t.Helper()
	var token string
	for _, m := range d.mail.Emails() {
		if len(m.To) == 1 && m.To[0] == address {
			if found := invitationLink.FindStringSubmatch(m.Text); found != nil {
				token, _ = url.QueryUnescape(found[1])
			}
		}
	}
	if token == "" {
		t.Fatalf("no invitation e-mail to %s", address)
	}
	return token
}

func (d *dashboard) campaignID(t *testing.T, name string) string {
	t.Helper()
	var got struct {
		Campaigns struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	d.graphQL(t, `query($n: String) { campaigns(first: 1, where: {name: $n}) { edges { node { id } } } }`, map[string]any{"n": name}, &got)
	if len(got.Campaigns.Edges) == 0 {
		t.Fatalf("no campaign %q", name)
	}
	return got.Campaigns.Edges[0].Node.ID
}

// TestAttributionEqualsReports: for each model, every channel on the attribution screen shows the revenue and
// conversions of attributionReport, and the downloaded CSV holds the same rows.
func TestAttributionEqualsReports(t *testing.T) {
	d := newDashboard(t)
	p := d.newPage(t)
	p.step(t, chromedp.EmulateViewport(1280, 900))
	p.signIn(t, d.demo.UserEmail, d.demo.UserPassword)
	p.open(t, "/attribution", "Attribution")
	p.waitFor(t, `document.querySelector('[data-testid=attribution] tbody tr')`, browsertest.Timeout)
	from := p.text(t, `document.querySelector('[data-testid=attribution]').dataset.from`)
	if got := p.number(t, `[data-testid=lookback]`); got != float64(30) && got <= 0 {
		t.Errorf("lookback window shown %v", got)
	}

	type row struct{ conversions, revenue float64 }
	want := map[string]map[string]row{} // model → channel → figures
	for _, model := range []string{"FIRST_TOUCH", "LAST_TOUCH", "LINEAR", "TIME_DECAY", "POSITION_BASED"} {
		var got struct {
			AttributionReport struct {
				Rows []struct {
					Source               *string
					Conversions, Revenue float64
				}
			}
		}
		d.graphQL(t, `query($m: AttributionModel!, $from: Time) { attributionReport(model: $m, from: $from, groupBy: SOURCE) { rows { source conversions revenue } } }`,
			map[string]any{"m": model, "from": from}, &got)
		want[model] = map[string]row{}
		for _, r := range got.AttributionReport.Rows {
			ch := "(none)"
			if r.Source != nil {
				ch = *r.Source
			}
			want[model][ch] = row{r.Conversions, r.Revenue}
		}
		if len(want[model]) == 0 {
			t.Fatalf("%s: the demo data credits nothing", model)
		}
		for ch, w := range want[model] {
			cell := func(field string) float64 {
				return p.number(t, fmt.Sprintf(`tr[data-channel=%q] td[data-model=%q][data-field=%q]`, ch, model, field))
			}
			if g := cell("revenue"); !near(g, w.revenue) {
				t.Errorf("%s %s revenue on screen %v, report %v", model, ch, g, w.revenue)
			}
			if g := cell("conversions"); !near(g, w.conversions) {
				t.Errorf("%s %s conversions on screen %v, report %v", model, ch, g, w.conversions)
			}
		}
	}

	// The CSV, downloaded as a person would.
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(p.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir,
	}); err != nil {
		t.Fatalf("allow downloads: %v", err)
	}
	p.step(t, chromedp.Click(`//button[text()="Download CSV"]`))
	var file []byte
	deadline := time.Now().Add(browsertest.Timeout)
	for file == nil && time.Now().Before(deadline) { // the browser writes the file under its GUID once complete
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".crdownload") {
				file, _ = os.ReadFile(filepath.Join(dir, e.Name()))
			}
		}
		if file == nil {
			time.Sleep(50 * time.Millisecond) // the download has no DOM signal to wait for
		}
	}
	if file == nil {
		t.Fatal("the CSV was not downloaded")
	}
	records, err := csv.NewReader(strings.NewReader(string(file))).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	if strings.Join(records[0], ",") != "source,model,conversions,revenue,spend,roas,roi" {
		t.Errorf("CSV header %v", records[0])
	}
	seen := 0
	for _, r := range records[1:] {
		conv, _ := strconv.ParseFloat(r[2], 64)
		rev, _ := strconv.ParseFloat(r[3], 64)
		w, ok := want[r[1]][r[0]]
		switch {
		case ok:
			seen++
			if !near(conv, w.conversions) || !near(rev, w.revenue) {
				t.Errorf("CSV %v, report %+v", r, w)
			}
		case conv != 0 || rev != 0:
			t.Errorf("CSV row %v is in no report", r)
		}
	}
	total := 0
	for _, rows := range want {
		total += len(rows)
	}
	if seen != total {
		t.Errorf("the CSV holds %d of the reports' %d rows", seen, total)
	}
}
