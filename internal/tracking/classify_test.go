package tracking

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want Channel
	}{
		{"utm parameters win", Input{Source: "Google", Medium: "CPC", Campaign: "Summer", GCLID: "x", Referrer: "https://bing.com/"},
			Channel{Source: "google", Medium: "cpc", Campaign: "summer"}},
		{"utm in the page url", Input{URL: "https://acme.example/?utm_source=newsletter&utm_medium=email&utm_campaign=nov&utm_term=t&utm_content=c"},
			Channel{Source: "newsletter", Medium: "email", Campaign: "nov", Term: "t", Content: "c"}},
		{"gclid alone is google cpc", Input{GCLID: "Cj0K"}, Channel{Source: "google", Medium: "cpc"}},
		{"fbclid alone is facebook cpc", Input{FBCLID: "IwAR"}, Channel{Source: "facebook", Medium: "cpc"}},
		{"gclid in the page url", Input{URL: "https://acme.example/?gclid=abc"}, Channel{Source: "google", Medium: "cpc"}},
		{"msclkid is bing cpc", Input{MSCLKID: "m1", Referrer: "https://www.bing.com/"}, Channel{Source: "bing", Medium: "cpc"}},
		{"ttclid is tiktok cpc", Input{TTCLID: "t1"}, Channel{Source: "tiktok", Medium: "cpc"}},
		{"li_fat_id is linkedin cpc", Input{LiFatID: "l1"}, Channel{Source: "linkedin", Medium: "cpc"}},
		{"li_fat_id in the page url", Input{URL: "https://acme.example/?li_fat_id=l1"}, Channel{Source: "linkedin", Medium: "cpc"}},
		{"msclkid in the page url", Input{URL: "https://acme.example/?msclkid=m1"}, Channel{Source: "bing", Medium: "cpc"}},
		{"gclid wins over a later network's id", Input{GCLID: "g", TTCLID: "t"}, Channel{Source: "google", Medium: "cpc"}},
		{"utm source plus ttclid is cpc", Input{Source: "tiktok", TTCLID: "t"}, Channel{Source: "tiktok", Medium: "cpc"}},
		{"utm source without medium plus click id", Input{Source: "google", GCLID: "x"}, Channel{Source: "google", Medium: "cpc"}},
		{"search engine referrer", Input{Referrer: "https://www.google.de/search?q=x", URL: "https://acme.example/"}, Channel{Source: "google", Medium: "organic"}},
		{"bing", Input{Referrer: "https://www.bing.com/"}, Channel{Source: "bing", Medium: "organic"}},
		{"duckduckgo", Input{Referrer: "https://duckduckgo.com/"}, Channel{Source: "duckduckgo", Medium: "organic"}},
		{"social referrer", Input{Referrer: "https://l.facebook.com/l.php?u=x"}, Channel{Source: "facebook", Medium: "social"}},
		{"t.co is twitter", Input{Referrer: "https://t.co/abc"}, Channel{Source: "twitter", Medium: "social"}},
		{"linkedin", Input{Referrer: "https://www.linkedin.com/feed/"}, Channel{Source: "linkedin", Medium: "social"}},
		{"a lookalike of t.co is a referral", Input{Referrer: "https://bit.co/abc"}, Channel{Source: "bit.co", Medium: "referral"}},
		{"other site is a referral", Input{Referrer: "https://www.blog.example/post", URL: "https://acme.example/"}, Channel{Source: "blog.example", Medium: "referral"}},
		{"own site is internal navigation", Input{Referrer: "https://www.acme.example/a", URL: "https://acme.example/b"}, Channel{}},
		{"back from Stripe Checkout is the same visit", Input{Referrer: "https://checkout.stripe.com/c/pay/cs_test_1", URL: "https://acme.example/thanks"}, Channel{}},
		{"back from PayPal is the same visit", Input{Referrer: "https://www.paypal.com/checkoutnow", URL: "https://acme.example/thanks"}, Channel{}},
		{"nothing is direct", Input{URL: "https://acme.example/"}, Direct},
		{"unparsable referrer is direct", Input{Referrer: "::not a url"}, Direct},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.in); got != tc.want {
				t.Errorf("Classify = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestIsBot(t *testing.T) {
	tests := []struct {
		ua  string
		bot bool
	}{
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36", false},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1", false},
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", true},
		{"Mozilla/5.0 (compatible; bingbot/2.0)", true},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36", true},
		{"Pingdom.com_bot_version_1.4", true},
		{"UptimeRobot/2.0", true},
		{"curl/8.5.0", true},
		{"python-requests/2.31", true},
		{"Go-http-client/1.1", true},
		{"facebookexternalhit/1.1", true},
		{"AhrefsBot/7.0", true},
		{"Mozilla/5.0 (Linux; Android 10; CUBOT_X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Mobile Safari/537.36", false},
		{"Mozilla/5.0 (Linux; Android 10; CUBOT_X30) AppleWebKit/537.36 (compatible; Googlebot/2.1)", true},
		{"", true},
	}
	for _, tc := range tests {
		if got := IsBot(tc.ua); got != tc.bot {
			t.Errorf("IsBot(%q) = %v, want %v", tc.ua, got, tc.bot)
		}
	}
}

func TestParsePixelAndDecodeEventBounds(t *testing.T) {
	long := make([]byte, MaxFieldLen+1)
	for i := range long {
		long[i] = 'a'
	}
	pixel := []struct {
		name    string
		query   string
		wantErr bool
	}{
		{"defaults to page_view", "k=mos_pk_x", false},
		{"bad event type", "k=x&e=Not%20Valid", true},
		{"visitor id with spaces", "k=x&vid=a%20b", true},
		{"overlong source", "k=x&utm_source=" + string(long), true},
		{"broken escape", "k=%zz", true},
	}
	for _, tc := range pixel {
		in, err := ParsePixel(tc.query)
		if (err != nil) != tc.wantErr {
			t.Errorf("ParsePixel(%s): err = %v, want error %v", tc.name, err, tc.wantErr)
		}
		if err == nil && in.EventType == "" {
			t.Errorf("ParsePixel(%s): empty event type", tc.name)
		}
	}
}
