package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/browsertest"
)

// The browser tests run the tracker script in real headless Chromium against the real server, with the landing
// pages on other sites than the tracker: host names under .test all resolve to this machine (host-resolver-rules),
// so www.acme.test, app.acmeapp.test and mos.test are three sites, as in production.

// newBrowser starts Chromium with the .test host names mapped to this machine.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.New(t, chromedp.Flag("host-resolver-rules", "MAP *.test 127.0.0.1"))
}

func step(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	browsertest.Step(t, ctx, actions...)
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return browsertest.Eval[T](t, ctx, expr)
}

// seenHit is an event request the tracker received from the browser, with the server's answer.
type seenHit struct {
	status int
	event  map[string]any
	answer string
}

// trackerSite puts a proxy in front of the server that reports each tracking event once the server has answered
// it (a 202 means committed): the tests wait for that signal, never for a fixed time.
type trackerSite struct {
	origin string // as the browser reaches it: http://mos.test:port
	hits   chan seenHit
	pixels chan seenPixel
}

// seenPixel is a pixel request the tracker answered.
type seenPixel struct {
	status           int
	dropped, referer string
}

func newTrackerSite(t *testing.T, env *apitest.Env) *trackerSite {
	t.Helper()
	target, _ := url.Parse(env.Server.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	site := &trackerSite{hits: make(chan seenHit, 100), pixels: make(chan seenPixel, 10)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/tracking/pixel.gif" {
			rec := httptest.NewRecorder()
			proxy.ServeHTTP(rec, r)
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			site.pixels <- seenPixel{status: rec.Code, dropped: rec.Header().Get("X-MarketingOS-Dropped"), referer: r.Referer()}
			return
		}
		if r.Method != http.MethodPost || r.URL.Path != "/api/tracking/event" {
			proxy.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		proxy.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		hit := seenHit{status: rec.Code, answer: rec.Body.String()}
		_ = json.Unmarshal(body, &hit.event)
		site.hits <- hit
	}))
	t.Cleanup(srv.Close)
	site.origin = "http://mos.test:" + portOf(srv.URL)
	return site
}

func portOf(rawURL string) string {
	u, _ := url.Parse(rawURL)
	return u.Port()
}

// next waits for the next event the browser sent and fails unless it is of eventType and the server stored it.
func (s *trackerSite) next(t *testing.T, eventType string) seenHit {
	t.Helper()
	return s.await(t, eventType)[eventType]
}

// await waits for one event of each of eventTypes, in any order (beacons sent together may be answered in any
// order), and fails on an event of another type or one the server did not store.
func (s *trackerSite) await(t *testing.T, eventTypes ...string) map[string]seenHit {
	t.Helper()
	got := map[string]seenHit{}
	for range eventTypes {
		select {
		case hit := <-s.hits:
			typ, _ := hit.event["eventType"].(string)
			if hit.status != http.StatusAccepted || !strings.Contains(hit.answer, `"stored":true`) {
				t.Fatalf("%s: server answered %d %s, want 202 stored", typ, hit.status, hit.answer)
			}
			if _, dup := got[typ]; dup || !slices.Contains(eventTypes, typ) {
				t.Fatalf("browser sent %s (%v), want one each of %v", typ, hit.event["url"], eventTypes)
			}
			got[typ] = hit
		case <-time.After(20 * time.Second):
			t.Fatalf("events %v did not all reach the tracker within 20s (got %d)", eventTypes, len(got))
		}
	}
	return got
}

// pageData fills the landing pages' template.
type pageData struct {
	Tracker, Key string
	Attrs        template.HTMLAttr // extra attributes of the script tag
	Head         template.HTML     // markup before the tag (the queue stub, a page's own scripts)
	Links        template.HTML
}

var landingPage = template.Must(template.New("page").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Acme</title>{{.Head}}
<script defer src="{{.Tracker}}/s.js" data-key="{{.Key}}" data-allow-automation {{.Attrs}}></script>
</head><body><h1>Acme</h1>{{.Links}}</body></html>`))

// landingSites serves the pages of www.acme.test and app.acmeapp.test; page renders one by host and path.
func landingSites(t *testing.T, page func(host, path string) (pageData, http.Header)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := strings.Cut(r.Host, ":")
		if strings.HasSuffix(r.URL.Path, ".js") { // a page's own script, for the strict-CSP page
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, pageScripts[r.URL.Path])
			return
		}
		data, header := page(host, r.URL.Path)
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := landingPage.Execute(w, data); err != nil {
			t.Errorf("render page: %v", err)
		}
	}))
	t.Cleanup(srv.Close)
	return portOf(srv.URL)
}

// pageScripts are same-origin scripts of the landing pages.
var pageScripts = map[string]string{
	// The queue stub as the README gives it, a call made before the tracker loaded, and a watch on CSP violations.
	"/stub.js": `window.mos=window.mos||function(){(mos.q=mos.q||[]).push(arguments)};
mos('queued_early', {metadata: {plan: 'pro'}});
window.violations = [];
document.addEventListener('securitypolicyviolation', function (e) { violations.push(e.violatedDirective + ' ' + e.blockedURI); });`,
}

// buyer is a visitor's journey: arrive from a Google campaign, load a second page, navigate in the single-page
// app, sign up, then pay through Stripe Checkout with client_reference_id = mos.visitorId().
type journey struct {
	env     *apitest.Env
	org     apitest.Org
	tracker *trackerSite
	sites   string // port of the landing sites
}

func newJourney(t *testing.T) *journey {
	env := apitest.New(t, apitest.WithEnv("STRIPE_WEBHOOK_SECRET", stripeSecret))
	return &journey{env: env, org: env.NewOrg(t, "Acme"), tracker: newTrackerSite(t, env)}
}

func (j *journey) url(host, path string) string { return "http://" + host + ":" + j.sites + path }

// pay sends the Stripe event of a paid Checkout session whose client_reference_id is visitorID.
func (j *journey) pay(t *testing.T, visitorID string) {
	t.Helper()
	paidAt := time.Now().Add(2 * time.Second)
	payload := stripeEvent("evt_browser_purchase", "checkout.session.completed", paidAt, map[string]any{
		"id": "cs_test_browser", "object": "checkout.session", "amount_total": 49900, "amount_subtotal": 49900,
		"currency": "usd", "payment_status": "paid", "status": "complete", "mode": "payment",
		"payment_intent": "pi_browser", "customer": "cus_browser", "client_reference_id": visitorID,
		"created": paidAt.Unix(), "metadata": map[string]string{"tracking_key": j.org.TrackingKey},
	})
	if status := postStripe(t, j.env, payload, sign(payload, stripeSecret, time.Now())); status != http.StatusOK {
		t.Fatalf("stripe purchase: status %d", status)
	}
}

// wantOneVisitOfTheCampaign checks the whole journey: every event one visitor and one session, the purchase
// linked to that visitor, and google/cpc/summer credited with all of it under every model.
func (j *journey) wantOneVisitOfTheCampaign(t *testing.T, visitorID string) {
	t.Helper()
	visitors, sessions := map[string]bool{}, map[string]bool{}
	purchases := 0
	for _, e := range eventsOf(t, j.env, j.org.ID) {
		visitors[e.VisitorID] = true
		if e.EventType == "purchase" {
			purchases++
			continue
		}
		sessions[e.SessionID] = true
	}
	if len(visitors) != 1 || !visitors[visitorID] || len(sessions) != 1 || sessions[""] || purchases != 1 {
		t.Fatalf("visitors %v sessions %v purchases %d: want one visitor %s, one session, one purchase", visitors, sessions, purchases, visitorID)
	}
	for _, model := range []string{"FIRST_TOUCH", "LAST_TOUCH", "LINEAR", "TIME_DECAY", "POSITION_BASED"} {
		for groupBy, want := range map[string]string{"SOURCE": "google", "MEDIUM": "cpc", "CAMPAIGN": "summer"} {
			rep := attributionReport(t, j.env, j.org.APIKey, model, groupBy)
			if got := rep.revenueBy(); len(got) != 1 || !near(got[want], 499) || !near(rep.TotalConversions, 1) {
				t.Errorf("%s by %s: %v (%v conversions), want all 499 to %s", model, groupBy, got, rep.TotalConversions, want)
			}
		}
	}
}

const campaignQuery = "?utm_source=google&utm_medium=cpc&utm_campaign=summer"

// TestTrackerAttributesAcrossSites is the product's core number in a real browser: a visit from a Google ad, a
// second page, a single-page-app navigation, a signup and a Stripe purchase are one visitor and one session,
// credited to the campaign — with third-party cookies allowed, blocked, with no cookies at all for the landing
// site (localStorage), and across two domains.
func TestTrackerAttributesAcrossSites(t *testing.T) {
	variants := []struct {
		name        string
		blockThird  bool   // the browser blocks third-party cookies
		noCookies   bool   // the landing site cannot keep cookies: the script falls back to localStorage
		signupHost  string // where the visitor signs up: the landing site, or the app on another domain
		wantStorage string // where the ids are kept: cookie or localStorage
	}{
		{name: "one site", signupHost: "www.acme.test", wantStorage: "cookie"},
		{name: "third-party cookies blocked", blockThird: true, signupHost: "www.acme.test", wantStorage: "cookie"},
		{name: "no cookies for the landing site", noCookies: true, signupHost: "www.acme.test", wantStorage: "localStorage"},
		{name: "landing site and app on two domains", signupHost: "app.acmeapp.test", wantStorage: "cookie"},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			j := newJourney(t)
			j.sites = landingSites(t, func(host, path string) (pageData, http.Header) {
				d := pageData{Tracker: j.tracker.origin, Key: j.org.TrackingKey,
					Attrs: `data-domains="app.acmeapp.test"`,
					Links: template.HTML(fmt.Sprintf(`<a id="pricing" href="/pricing">Pricing</a> <a id="app" href="%s">Start free</a>`, j.url("app.acmeapp.test", "/signup")))}
				if v.noCookies {
					d.Head = `<script>Object.defineProperty(document, 'cookie', {get: function () { return ''; }, set: function () {}});</script>`
				}
				return d, nil
			})
			ctx := newBrowser(t)
			if v.blockThird {
				if _, err := chromedp.Call(ctx, network.SetCookieControls, network.SetCookieControlsParams{EnableThirdPartyCookieRestriction: true}); err != nil {
					t.Fatalf("block third-party cookies: %v", err)
				}
			}

			step(t, ctx, chromedp.Navigate(j.url("www.acme.test", "/"+campaignQuery)))
			first := j.tracker.next(t, "page_view")
			if first.event["source"] != "google" || first.event["campaign"] != "summer" || !strings.HasSuffix(first.event["url"].(string), campaignQuery) {
				t.Fatalf("first page view %v: want the landing URL and its campaign", first.event)
			}
			step(t, ctx, chromedp.Click(chromedp.CSS("#pricing")))
			second := j.tracker.next(t, "page_view")
			if !strings.HasSuffix(second.event["url"].(string), "/pricing") || second.event["referrer"] != j.url("www.acme.test", "/"+campaignQuery) {
				t.Fatalf("second page view %v: want /pricing, referred by the landing page", second.event)
			}
			if got := eval[string](t, ctx, `document.cookie.indexOf('_mos=') >= 0 ? 'cookie' : localStorage.getItem('_mos') ? 'localStorage' : 'none'`); got != v.wantStorage {
				t.Errorf("ids kept in %s, want %s", got, v.wantStorage)
			}
			if v.wantStorage == "cookie" {
				// On the registrable domain, so that every subdomain of the site shares the visitor; nothing for
				// the tracker's own site, which is a third party here.
				jar, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{j.url("shop.acme.test", "/"), j.tracker.origin}})
				if err != nil {
					t.Fatal(err)
				}
				if len(jar.Cookies) != 1 || jar.Cookies[0].Name != "_mos" || jar.Cookies[0].Domain != ".acme.test" {
					t.Errorf("cookies seen by shop.acme.test and the tracker: %+v, want _mos on .acme.test only", jar.Cookies)
				}
			}
			eval[any](t, ctx, `history.pushState({}, '', '/pricing/enterprise')`)
			spa := j.tracker.next(t, "page_view")
			if !strings.HasSuffix(spa.event["url"].(string), "/pricing/enterprise") || !strings.HasSuffix(spa.event["referrer"].(string), "/pricing") {
				t.Fatalf("single-page-app view %v: want /pricing/enterprise referred by /pricing", spa.event)
			}
			if v.signupHost != "www.acme.test" {
				step(t, ctx, chromedp.Click(chromedp.CSS("#app")))
				arrival := j.tracker.next(t, "page_view")
				if u := arrival.event["url"].(string); !strings.Contains(u, "app.acmeapp.test") || strings.Contains(u, "_mos") {
					t.Fatalf("page view on the app %v: want its URL without the _mos parameter", arrival.event)
				}
				if got := eval[string](t, ctx, `location.search`); got != "" {
					t.Errorf("the app's address bar still has %q", got)
				}
			}
			visitorID := eval[string](t, ctx, `mos.visitorId()`)
			eval[any](t, ctx, `mos('signup', {userId: 'user_42'})`)
			signup := j.tracker.next(t, "signup")
			if signup.event["userId"] != "user_42" || signup.event["visitorId"] != visitorID {
				t.Fatalf("signup %v: want user_42 as visitor %s", signup.event, visitorID)
			}
			j.pay(t, visitorID)
			j.wantOneVisitOfTheCampaign(t, visitorID)
		})
	}
}

// TestTrackerNeverBreaksThePage: calls queued before the script loaded are sent; under a strict Content-Security-
// Policy the script loads and sends without a violation; and nothing the page does to it (a storage that throws,
// an event it cannot serialise) makes an error reach window.onerror.
func TestTrackerNeverBreaksThePage(t *testing.T) {
	j := newJourney(t)
	j.sites = landingSites(t, func(host, path string) (pageData, http.Header) {
		d := pageData{Tracker: j.tracker.origin, Key: j.org.TrackingKey, Head: `<script src="/stub.js"></script>`}
		csp := fmt.Sprintf("default-src 'none'; script-src 'self' %[1]s; connect-src %[1]s; img-src 'none'; style-src 'none'", j.tracker.origin)
		return d, http.Header{"Content-Security-Policy": {csp}}
	})
	ctx := newBrowser(t)
	step(t, ctx, chromedp.Navigate(j.url("www.acme.test", "/")))
	queued := j.tracker.await(t, "page_view", "queued_early")["queued_early"]
	if meta, _ := queued.event["metadata"].(map[string]any); meta["plan"] != "pro" {
		t.Errorf("queued call sent %v, want its metadata", queued.event)
	}
	if got := eval[[]string](t, ctx, `violations`); len(got) != 0 {
		t.Errorf("Content-Security-Policy violations: %v", got)
	}

	// The page turns hostile: storage throws, an event cannot be serialised, identify gets an object whose
	// conversion throws. The page's error handlers must hear nothing, and the tracker must go on working.
	errors := eval[int](t, ctx, `(function () {
		var errors = 0;
		window.onerror = function () { errors++; };
		window.addEventListener('unhandledrejection', function () { errors++; });
		Object.defineProperty(window, 'localStorage', {get: function () { throw new Error('denied'); }});
		var loop = {}; loop.self = loop;
		mos('broken', {metadata: loop});
		mos.identify({toString: function () { throw new Error('no'); }});
		mos('after_the_storm', {value: 12.5, currency: 'EUR'});
		return errors;
	})()`)
	if errors != 0 {
		t.Errorf("%d errors reached the page", errors)
	}
	after := j.tracker.next(t, "after_the_storm")
	if after.event["value"] != 12.5 || after.event["currency"] != "EUR" {
		t.Errorf("event after the errors %v, want value 12.5 EUR", after.event)
	}
}

// TestTrackerPageAPI: the attributes and calls a page uses — data-mos-event, outbound links and downloads with
// data-outbound, hash routing with data-hash, back and forward, identify — and the session rules: a visit from
// another campaign, or after 30 idle minutes, is a new session of the same visitor.
func TestTrackerPageAPI(t *testing.T) {
	j := newJourney(t)
	j.sites = landingSites(t, func(host, path string) (pageData, http.Header) {
		return pageData{Tracker: j.tracker.origin, Key: j.org.TrackingKey, Attrs: "data-outbound data-hash",
			Head: `<script>document.addEventListener('click', function (e) { if (e.target.closest('.stay')) e.preventDefault(); });</script>`,
			Links: `<button id="cta" data-mos-event="cta_click"><span id="inner">Try it</span></button>
<a id="out" class="stay" href="http://partner.test/offer">Partner</a>
<a id="pdf" class="stay" href="/files/guide.pdf">Guide</a>
<a id="local" class="stay" href="/about">About</a>`}, nil
	})
	ctx := newBrowser(t)
	step(t, ctx, chromedp.Navigate(j.url("www.acme.test", "/"+campaignQuery)))
	landing := j.tracker.next(t, "page_view")

	step(t, ctx, chromedp.Click(chromedp.CSS("#inner"))) // a click inside the tagged element counts
	j.tracker.next(t, "cta_click")
	step(t, ctx, chromedp.Click(chromedp.CSS("#out")))
	if out := j.tracker.next(t, "outbound_link"); out.event["metadata"].(map[string]any)["url"] != "http://partner.test/offer" {
		t.Errorf("outbound click %v, want the link's URL", out.event)
	}
	step(t, ctx, chromedp.Click(chromedp.CSS("#pdf")))
	if dl := j.tracker.next(t, "file_download"); !strings.HasSuffix(dl.event["metadata"].(map[string]any)["url"].(string), "/files/guide.pdf") {
		t.Errorf("download %v, want the file's URL", dl.event)
	}
	step(t, ctx, chromedp.Click(chromedp.CSS("#local"))) // neither outbound nor a download: nothing is sent

	eval[any](t, ctx, `location.hash = '#/settings'`)
	if view := j.tracker.next(t, "page_view"); !strings.HasSuffix(view.event["url"].(string), "#/settings") {
		t.Errorf("hash route view %v, want #/settings", view.event)
	}
	eval[any](t, ctx, `history.back()`) // fires popstate and hashchange: one page view
	if view := j.tracker.next(t, "page_view"); strings.Contains(view.event["url"].(string), "#") {
		t.Errorf("view after back %v, want the landing URL", view.event)
	}
	eval[any](t, ctx, `mos.identify('user_9')`)
	j.tracker.next(t, "identify")
	eval[any](t, ctx, `mos('marker')`) // also shows that nothing else was sent in between
	marker := j.tracker.next(t, "marker")
	if marker.event["userId"] != "user_9" || marker.event["sessionId"] != landing.event["sessionId"] || marker.event["source"] != "google" {
		t.Errorf("event after identify %v: want user_9, the landing session and its campaign", marker.event)
	}

	// Another campaign's ad: same visitor, new session, new campaign.
	step(t, ctx, chromedp.Navigate(j.url("www.acme.test", "/?utm_source=facebook&utm_medium=paid_social&utm_campaign=retarget")))
	again := j.tracker.next(t, "page_view")
	if again.event["visitorId"] != landing.event["visitorId"] || again.event["sessionId"] == landing.event["sessionId"] || again.event["source"] != "facebook" {
		t.Errorf("visit from another campaign %v: want the same visitor in a new session", again.event)
	}
	// Thirty idle minutes later (the stored time of the last hit moved back): a new session, and its campaign
	// is not carried over.
	eval[any](t, ctx, `(function () {
		var s = JSON.parse(decodeURIComponent(document.cookie.match(/_mos=([^;]*)/)[1]));
		s.t -= 31 * 60 * 1000;
		document.cookie = '_mos=' + encodeURIComponent(JSON.stringify(s)) + ';path=/;domain=acme.test;max-age=3600';
		mos('later');
	})()`)
	later := j.tracker.next(t, "later")
	if later.event["visitorId"] != landing.event["visitorId"] || later.event["sessionId"] == again.event["sessionId"] || later.event["source"] != nil {
		t.Errorf("event after 31 idle minutes %v: want the same visitor, a new session, no campaign", later.event)
	}
}

// TestTrackerCookieless: data-cookieless keeps nothing on the device; the server derives the visitor.
func TestTrackerCookieless(t *testing.T) {
	j := newJourney(t)
	j.sites = landingSites(t, func(host, path string) (pageData, http.Header) {
		return pageData{Tracker: j.tracker.origin, Key: j.org.TrackingKey, Attrs: "data-cookieless"}, nil
	})
	ctx := newBrowser(t)
	step(t, ctx, chromedp.Navigate(j.url("www.acme.test", "/"+campaignQuery)))
	view := j.tracker.next(t, "page_view")
	eval[any](t, ctx, `mos('signup')`)
	signup := j.tracker.next(t, "signup")
	for _, hit := range []seenHit{view, signup} {
		if hit.event["cookieless"] != true || hit.event["visitorId"] != nil || hit.event["sessionId"] != nil {
			t.Errorf("cookieless hit %v: want cookieless and no ids", hit.event)
		}
	}
	if got := eval[string](t, ctx, `document.cookie + '|' + localStorage.length + '|' + mos.visitorId()`); got != "|0|" {
		t.Errorf("cookie|localStorage keys|visitorId = %q, want nothing kept", got)
	}
	events := eventsOf(t, j.env, j.org.ID)
	if len(events) != 2 || events[0].VisitorID != events[1].VisitorID || !strings.HasPrefix(events[0].VisitorID, "d") || events[0].Source != "google" {
		t.Errorf("stored %d events, want 2 of one derived visitor from google", len(events))
	}
}

// TestReadmeSnippetWorksAsPasted serves the README's install snippet as a page, changing only the tracker's address
// and key (and allowing the automated browser): the queued signup and the page view arrive.
func TestReadmeSnippetWorksAsPasted(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "### The page's API")
	_, block, _ := strings.Cut(section, "```html\n")
	snippet, _, ok := strings.Cut(block, "```")
	if !ok || !strings.Contains(snippet, "mos('signup'") {
		t.Fatalf("no html snippet with a signup under \"The page's API\" in the README")
	}
	j := newJourney(t)
	snippet = strings.NewReplacer("https://marketing.example.com", j.tracker.origin,
		`data-key="mos_pk_…"`, fmt.Sprintf(`data-key=%q data-allow-automation`, j.org.TrackingKey)).Replace(snippet)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><html><head><title>Pricing</title>%s</head><body></body></html>", snippet)
	}))
	t.Cleanup(srv.Close)
	ctx := newBrowser(t)
	step(t, ctx, chromedp.Navigate("http://www.acme.test:"+portOf(srv.URL)+"/pricing"+campaignQuery))
	hits := j.tracker.await(t, "page_view", "signup")
	if s := hits["signup"].event; s["userId"] != "user_42" || s["visitorId"] != hits["page_view"].event["visitorId"] || s["campaign"] != "summer" {
		t.Errorf("signup %v: want user_42, the page view's visitor and the campaign", s)
	}
}

// TestTrackerWithoutStorage: a page that can keep neither cookies nor localStorage still sends one visitor and one
// session for as long as it lives.
func TestTrackerWithoutStorage(t *testing.T) {
	j := newJourney(t)
	j.sites = landingSites(t, func(host, path string) (pageData, http.Header) {
		return pageData{Tracker: j.tracker.origin, Key: j.org.TrackingKey, Head: `<script>
Object.defineProperty(document, 'cookie', {get: function () { return ''; }, set: function () {}});
Object.defineProperty(window, 'localStorage', {get: function () { throw new Error('denied'); }});
</script>`}, nil
	})
	ctx := newBrowser(t)
	step(t, ctx, chromedp.Navigate(j.url("www.acme.test", "/"+campaignQuery)))
	view := j.tracker.next(t, "page_view")
	eval[any](t, ctx, `history.pushState({}, '', '/next'); mos('signup')`)
	hits := j.tracker.await(t, "page_view", "signup")
	for _, hit := range hits {
		if hit.event["visitorId"] != view.event["visitorId"] || hit.event["sessionId"] != view.event["sessionId"] || hit.event["campaign"] != "summer" {
			t.Errorf("%v after the first view %v: want its visitor, session and campaign", hit.event, view.event)
		}
	}
}

// TestBarePixelAttributedByItsPage: the README's no-JS pixel, pasted on a campaign's landing page in a real browser,
// is attributed by the page it sits on (the browser's Referer), with no parameters of its own.
func TestBarePixelAttributedByItsPage(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "### Without JavaScript: the pixel")
	_, block, _ := strings.Cut(section, "```html\n")
	img, _, ok := strings.Cut(block, "```")
	if !ok || !strings.Contains(img, "<img") {
		t.Fatal("no pixel snippet under \"Without JavaScript\" in the README")
	}
	j := newJourney(t)
	img = strings.NewReplacer("https://marketing.example.com", j.tracker.origin, "mos_pk_…", j.org.TrackingKey).Replace(img)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><html><head><title>Summer sale</title></head><body>%s</body></html>", img)
	}))
	t.Cleanup(srv.Close)
	ctx := newBrowser(t)
	page := "http://www.acme.test:" + portOf(srv.URL) + "/sale" + campaignQuery
	step(t, ctx, chromedp.Navigate(page))
	select {
	case p := <-j.tracker.pixels:
		if p.status != http.StatusOK || p.dropped != "" || p.referer != page {
			t.Fatalf("pixel: status %d dropped %q Referer %q, want stored with the page as Referer", p.status, p.dropped, p.referer)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the pixel was not requested within 20s")
	}
	events := eventsOf(t, j.env, j.org.ID)
	if len(events) != 1 || events[0].URL != page || events[0].Source != "google" || events[0].Campaign != "summer" {
		t.Fatalf("stored %+v, want one page view of %s from google/summer", events, page)
	}
}
