package tracking

import (
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Channel is where a visit came from.
type Channel struct {
	Source, Medium, Campaign, Term, Content string
}

// Direct is the channel of a visit with no campaign parameters and no outside referrer.
var Direct = Channel{Source: "(direct)", Medium: "(none)"}

// clickIDs are the ad networks' click ids, in order of precedence, with the source a click of theirs is: an ad
// click is paid (cpc) traffic from that network even when the campaign's links carry no UTM parameters.
var clickIDs = [...]struct {
	param, source string
	of            func(*Input) *string
}{
	{"gclid", "google", func(in *Input) *string { return &in.GCLID }},
	{"fbclid", "facebook", func(in *Input) *string { return &in.FBCLID }},
	{"msclkid", "bing", func(in *Input) *string { return &in.MSCLKID }},
	{"ttclid", "tiktok", func(in *Input) *string { return &in.TTCLID }},
	{"li_fat_id", "linkedin", func(in *Input) *string { return &in.LiFatID }},
}

// Classify decides a browser hit's channel, in order of trust: explicit UTM parameters (in the hit or in the page
// URL), then ad click ids (gclid → google/cpc, fbclid → facebook/cpc, msclkid → bing/cpc, ttclid → tiktok/cpc,
// li_fat_id → linkedin/cpc), then the referrer (search engine → organic, social network → social, another site →
// referral). A hit whose referrer is the page's own site is internal navigation and gets no channel (it is not a
// touchpoint); a hit with nothing at all is direct.
func Classify(in Input) Channel {
	ch := Channel{Source: in.Source, Medium: in.Medium, Campaign: in.Campaign, Term: in.Term, Content: in.Content}
	page, _ := url.Parse(in.URL)
	if ch.Source == "" && page != nil {
		q := page.Query()
		ch = Channel{Source: q.Get("utm_source"), Medium: q.Get("utm_medium"), Campaign: q.Get("utm_campaign"),
			Term: q.Get("utm_term"), Content: q.Get("utm_content")}
		for _, c := range clickIDs {
			if id := c.of(&in); *id == "" {
				*id = q.Get(c.param)
			}
		}
	}
	clicked := ""
	for _, c := range clickIDs {
		if *c.of(&in) != "" {
			clicked = c.source
			break
		}
	}
	switch {
	case ch.Source != "":
		if ch.Medium == "" && clicked != "" {
			ch.Medium = "cpc"
		}
	case clicked != "":
		ch.Source, ch.Medium = clicked, "cpc"
	default:
		ref, _ := url.Parse(in.Referrer)
		if ref == nil || ref.Host == "" {
			return Direct
		}
		refHost := hostname(ref)
		if page != nil && page.Host != "" && refHost == hostname(page) || isPaymentPage(refHost) {
			return Channel{} // internal navigation, or back from paying: the visit goes on
		}
		ch.Source, ch.Medium = classifyReferrer(refHost)
	}
	// Values read from the page URL or the referrer were not bounded by Input.check: bound them here, as valid
	// text, so that one odd hit can never fail the batch it is committed with.
	ch.Source = clean(strings.ToLower(strings.TrimSpace(ch.Source)))
	ch.Medium = clean(strings.ToLower(strings.TrimSpace(ch.Medium)))
	ch.Campaign = clean(strings.ToLower(strings.TrimSpace(ch.Campaign)))
	ch.Term, ch.Content = clean(ch.Term), clean(ch.Content)
	return ch
}

// clean makes s valid text (UTF-8, no NUL) of at most MaxFieldLen bytes, cutting at a character boundary.
func clean(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
	if len(s) <= MaxFieldLen {
		return s
	}
	cut := MaxFieldLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func hostname(u *url.URL) string {
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// Referrer hosts by channel. Matching is on the registrable part so that google.de and l.facebook.com match.
var (
	searchEngines = []struct{ match, name string }{
		{"google.", "google"}, {"bing.com", "bing"}, {"duckduckgo.com", "duckduckgo"}, {"search.yahoo.", "yahoo"},
		{"yahoo.", "yahoo"}, {"baidu.com", "baidu"}, {"yandex.", "yandex"}, {"ecosia.org", "ecosia"},
		{"search.brave.com", "brave"}, {"startpage.com", "startpage"}, {"kagi.com", "kagi"},
	}
	socialNetworks = []struct{ match, name string }{
		{"facebook.com", "facebook"}, {"fb.com", "facebook"}, {"instagram.com", "instagram"}, {"t.co", "twitter"},
		{"twitter.com", "twitter"}, {"x.com", "twitter"}, {"linkedin.com", "linkedin"}, {"lnkd.in", "linkedin"},
		{"reddit.com", "reddit"}, {"youtube.com", "youtube"}, {"tiktok.com", "tiktok"}, {"pinterest.", "pinterest"},
		{"news.ycombinator.com", "hackernews"}, {"threads.net", "threads"}, {"mastodon.social", "mastodon"},
	}
)

// paymentPages are the hosted checkouts that send a paying visitor back to the site: a return from one is the
// same visit, not a referral from the payment provider.
var paymentPages = []string{"checkout.stripe.com", "billing.stripe.com", "pay.stripe.com", "paypal.com", "checkout.paddle.com", "lemonsqueezy.com"}

func isPaymentPage(host string) bool {
	return slices.ContainsFunc(paymentPages, func(p string) bool { return matchHost(host, p) })
}

func classifyReferrer(host string) (source, medium string) {
	for _, s := range socialNetworks {
		if matchHost(host, s.match) {
			return s.name, "social"
		}
	}
	for _, s := range searchEngines {
		if matchHost(host, s.match) {
			return s.name, "organic"
		}
	}
	return host, "referral"
}

// matchHost matches "google." against google.com and news.google.de, and "t.co" against t.co only (not bit.co).
func matchHost(host, pattern string) bool {
	if strings.HasSuffix(pattern, ".") {
		return strings.HasPrefix(host, pattern) || strings.Contains(host, "."+pattern)
	}
	return host == pattern || strings.HasSuffix(host, "."+pattern)
}

// botMarkers are lower-case fragments of the user agents of crawlers, headless browsers, monitoring and HTTP
// libraries. Their hits are dropped and counted: they would inflate visitors and dilute conversion rates. Substring
// tests, not a regular expression: this runs on every hit, and a case-insensitive regexp cost a third of the
// pixel's CPU.
var botMarkers = []string{
	"bot", "crawl", "spider", "slurp", "headless", "phantomjs", "puppeteer", "playwright", "selenium",
	"lighthouse", "pagespeed", "pingdom", "uptime", "statuscake", "site24x7", "newrelicpinger", "datadog", "monitor",
	"curl/", "wget/", "python-requests", "python-urllib", "aiohttp", "go-http-client", "java/", "okhttp", "libwww",
	"httpclient", "axios/", "node-fetch", "scrapy", "facebookexternalhit", "embedly", "preview", "ahrefs", "semrush",
	"mj12", "bytespider",
}

// humanMarkers are browsers' user-agent fragments that contain a bot marker: Cubot phones name themselves in
// their user agent ("CUBOT_X30"), and "bot" alone would drop every visit from one.
var humanMarkers = []string{"cubot"}

// IsBot reports whether a user agent belongs to an automated client. An empty user agent counts as a bot: every
// browser sends one.
func IsBot(userAgent string) bool {
	ua := strings.ToLower(strings.TrimSpace(userAgent))
	if ua == "" {
		return true
	}
	for _, h := range humanMarkers {
		if strings.Contains(ua, h) {
			ua = strings.ReplaceAll(ua, h, "")
		}
	}
	for _, m := range botMarkers {
		if strings.Contains(ua, m) {
			return true
		}
	}
	return false
}
