package content_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent/schema/jsontype"
	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/content"
	"github.com/marketingos/marketingos/internal/content/postizfake"
)

const postizKey = "pstapi_test_key"

func newPostiz(t *testing.T, opts ...content.Option) (*postizfake.Server, content.Publisher) {
	t.Helper()
	fake := postizfake.New(postizKey)
	t.Cleanup(fake.Close)
	return fake, content.NewPostiz(config.Postiz{APIURL: fake.APIURL, APIKey: postizKey}, opts...)
}

func testPost(id string, platforms ...string) content.Post {
	p := content.Post{ContentID: id}
	for _, platform := range platforms {
		p.Variants = append(p.Variants, jsontype.ContentVariant{Platform: platform,
			Text: "Close the month in a day. Learn more at https://ledgerly.example", Hashtags: []string{"Finance"}})
	}
	return p
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestPostizPublish(t *testing.T) {
	fake, pub := newPostiz(t)
	post := testPost("cnt_1", content.Instagram, content.TikTok, content.Facebook, content.LinkedIn, content.X)
	got, err := pub.Publish(context.Background(), post)
	if err != nil {
		t.Fatal(err)
	}
	if got.Mock || len(got.Posts) != 5 || len(got.Skipped) != 0 {
		t.Fatalf("published = %+v", got)
	}
	if ids := strings.Split(got.ExternalID, ","); len(ids) != 5 || ids[0] != got.Posts[0].PostID {
		t.Errorf("external id = %q, want the 5 post ids in variant order", got.ExternalID)
	}
	wantIntegration := map[string]string{content.Instagram: "int_instagram", content.TikTok: "int_tiktok",
		content.Facebook: "int_facebook", content.LinkedIn: "int_linkedin", content.X: "int_x"}
	for _, p := range got.Posts {
		if p.IntegrationID != wantIntegration[p.Platform] || p.Existing {
			t.Errorf("%s went to %q (existing %v)", p.Platform, p.IntegrationID, p.Existing)
		}
	}
	stored := fake.Posts()
	if len(stored) != 5 {
		t.Fatalf("Postiz has %d posts, want 5", len(stored))
	}
	for _, s := range stored {
		if s.Content != content.Render(post.Variants[0]) || s.State != "QUEUE" {
			t.Errorf("stored post %+v", s)
		}
	}
	creates := requestsOf(fake, "POST", "/posts")
	if len(creates) != 1 {
		t.Fatalf("create requests = %d, want 1", len(creates))
	}
	if h := creates[0].Header.Get("Authorization"); h != postizKey {
		t.Errorf("Authorization = %q, want the raw key", h)
	}
	var body struct {
		Type      string `json:"type"`
		ShortLink *bool  `json:"shortLink"`
		Posts     []struct {
			Settings map[string]any `json:"settings"`
		} `json:"posts"`
	}
	if err := json.Unmarshal(creates[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Type != "now" || body.ShortLink == nil || *body.ShortLink {
		t.Errorf("type/shortLink = %q/%v", body.Type, body.ShortLink)
	}
	if got := body.Posts[4].Settings["who_can_reply_post"]; got != "everyone" {
		t.Errorf("X settings = %v", body.Posts[4].Settings)
	}
}

func TestPostizSchedule(t *testing.T) {
	fake, pub := newPostiz(t)
	at := time.Date(2030, 5, 1, 9, 30, 0, 0, time.FixedZone("CEST", 2*3600))
	post := testPost("cnt_sched", content.X)
	post.ScheduledAt = &at
	if _, err := pub.Publish(context.Background(), post); err != nil {
		t.Fatal(err)
	}
	var body struct {
		Type string `json:"type"`
		Date string `json:"date"`
	}
	_ = json.Unmarshal(requestsOf(fake, "POST", "/posts")[0].Body, &body)
	if body.Type != "schedule" || body.Date != "2030-05-01T07:30:00.000Z" {
		t.Errorf("type/date = %q/%q", body.Type, body.Date)
	}
	if got := fake.Posts()[0].PublishDate; !got.Equal(at) {
		t.Errorf("publish date = %s, want %s", got, at)
	}
	// The duplicate check looks around the scheduled date, not only around now.
	list := requestsOf(fake, "GET", "/posts")[0]
	if !strings.Contains(list.Query, "endDate=2030-05-02") {
		t.Errorf("list query = %q, want a window reaching the scheduled date", list.Query)
	}
}

func TestPostizIntegrationSelection(t *testing.T) {
	integrations := []postizfake.Integration{
		{ID: "li_person", Identifier: "linkedin"},
		{ID: "li_page", Identifier: "linkedin-page"},
		{ID: "x_off", Identifier: "x", Disabled: true},
		{ID: "x_on", Identifier: "x"},
		{ID: "ig_standalone", Identifier: "instagram-standalone"},
		{ID: "bsky", Identifier: "bluesky"},
	}
	tests := []struct {
		name        string
		opts        []content.Option
		platforms   []string
		want        map[string]string
		wantSkipped []string
		wantErr     error
	}{
		{name: "company page before profile, disabled skipped, standalone Instagram",
			platforms: []string{content.LinkedIn, content.X, content.Instagram},
			want:      map[string]string{content.LinkedIn: "li_page", content.X: "x_on", content.Instagram: "ig_standalone"}},
		{name: "pinned integration wins", opts: []content.Option{content.WithIntegration("linkedin", "li_person")},
			platforms: []string{content.LinkedIn}, want: map[string]string{content.LinkedIn: "li_person"}},
		{name: "platform without a channel is skipped", platforms: []string{content.X, content.TikTok},
			want: map[string]string{content.X: "x_on"}, wantSkipped: []string{content.TikTok}},
		{name: "no channel at all", platforms: []string{content.TikTok, content.Facebook}, wantErr: content.ErrNoIntegration},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, pub := newPostiz(t, tt.opts...)
			fake.SetIntegrations(integrations...)
			got, err := pub.Publish(context.Background(), testPost("cnt_sel", tt.platforms...))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if n := fake.Count(postizfake.RouteCreate); n != 0 {
					t.Errorf("create requests = %d, want none", n)
				}
				return
			}
			gotMap := map[string]string{}
			for _, p := range got.Posts {
				gotMap[p.Platform] = p.IntegrationID
			}
			if len(gotMap) != len(tt.want) {
				t.Errorf("posts = %v, want %v", gotMap, tt.want)
			}
			for platform, id := range tt.want {
				if gotMap[platform] != id {
					t.Errorf("%s → %q, want %q", platform, gotMap[platform], id)
				}
			}
			if !slices.Equal(got.Skipped, tt.wantSkipped) {
				t.Errorf("skipped = %q, want %q", got.Skipped, tt.wantSkipped)
			}
			for _, s := range fake.Posts() {
				if s.IntegrationID != tt.want[platformOf(s.Identifier)] {
					t.Errorf("stored post on %q", s.IntegrationID)
				}
			}
		})
	}
}

func platformOf(identifier string) string {
	switch {
	case strings.HasPrefix(identifier, "linkedin"):
		return content.LinkedIn
	case strings.HasPrefix(identifier, "instagram"):
		return content.Instagram
	}
	return strings.ToUpper(identifier)
}

func TestPostizIntegrationCache(t *testing.T) {
	clock := &fakeClock{now: time.Now()}
	fake, pub := newPostiz(t, content.WithClock(clock.Now), content.WithIntegrationCacheTTL(time.Minute))
	for i, step := range []time.Duration{0, 30 * time.Second, 31 * time.Second} {
		clock.Add(step)
		if _, err := pub.Publish(context.Background(), testPost("cnt_cache_"+string(rune('a'+i)), content.X)); err != nil {
			t.Fatal(err)
		}
	}
	if n := fake.Count(postizfake.RouteIntegrations); n != 2 {
		t.Errorf("integration lists = %d, want 2 (cached for a minute)", n)
	}
}

func TestPostizErrors(t *testing.T) {
	tests := []struct {
		name      string
		route     string
		fault     postizfake.Fault
		key       string
		post      content.Post
		wantErr   error
		wantRetry time.Duration
		temporary bool
	}{
		{name: "429 with Retry-After", route: postizfake.RouteCreate,
			fault:   postizfake.Fault{Status: 429, RetryAfter: "30"},
			wantErr: content.ErrRateLimited, wantRetry: 30 * time.Second, temporary: true},
		{name: "5xx on create", route: postizfake.RouteCreate, fault: postizfake.Fault{Status: 502},
			wantErr: content.ErrUnavailable, temporary: true},
		{name: "5xx on the duplicate check", route: postizfake.RouteList, fault: postizfake.Fault{Status: 500},
			wantErr: content.ErrUnavailable, temporary: true},
		{name: "wrong key", key: "nope", wantErr: content.ErrUnauthorized},
		{name: "provider validation", wantErr: content.ErrRejected,
			post: content.Post{ContentID: "cnt_long", Variants: []jsontype.ContentVariant{{Platform: content.X, Text: strings.Repeat("long ", 80)}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := postizfake.New(postizKey)
			defer fake.Close()
			if tt.route != "" {
				fake.Fail(tt.route, tt.fault)
			}
			key := postizKey
			if tt.key != "" {
				key = tt.key
			}
			post := tt.post
			if post.ContentID == "" {
				post = testPost("cnt_err", content.X)
			}
			_, err := content.NewPostiz(config.Postiz{APIURL: fake.APIURL, APIKey: key}).Publish(context.Background(), post)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			var apiErr *content.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %T, want *content.APIError", err)
			}
			if apiErr.RetryAfter != tt.wantRetry || apiErr.Temporary() != tt.temporary {
				t.Errorf("retry after %s temporary %v, want %s %v", apiErr.RetryAfter, apiErr.Temporary(), tt.wantRetry, tt.temporary)
			}
			if strings.Contains(err.Error(), key) {
				t.Errorf("error %q leaks the API key", err)
			}
			if len(fake.Posts()) != 0 {
				t.Errorf("posts stored despite the error: %+v", fake.Posts())
			}
		})
	}
}

// TestPostizNoDuplicateAfterTimeout is the retry the scheduler makes after a publish timed out: Postiz had
// created the posts, the answer was lost.
func TestPostizNoDuplicateAfterTimeout(t *testing.T) {
	fake, pub := newPostiz(t, content.WithTimeout(300*time.Millisecond))
	fake.Fail(postizfake.RouteCreate, postizfake.Fault{HangAfterCreate: true})
	post := testPost("cnt_timeout", content.X, content.LinkedIn)

	_, err := pub.Publish(context.Background(), post)
	if !errors.Is(err, content.ErrTimeout) {
		t.Fatalf("first attempt: err = %v, want ErrTimeout", err)
	}
	if n := len(fake.Posts()); n != 2 {
		t.Fatalf("after the lost answer Postiz has %d posts, want 2", n)
	}

	got, err := pub.Publish(context.Background(), post)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if n := len(fake.Posts()); n != 2 {
		t.Errorf("after the retry Postiz has %d posts, want still 2", n)
	}
	if n := fake.Count(postizfake.RouteCreate); n != 1 {
		t.Errorf("create requests = %d, want 1: the retry must find the posts, not create them", n)
	}
	for _, p := range got.Posts {
		if !p.Existing {
			t.Errorf("%s: Existing = false", p.Platform)
		}
	}
	var ids []string
	for _, s := range fake.Posts() {
		ids = append(ids, s.ID)
		if s.Writes != 1 {
			t.Errorf("post %s written %d times", s.ID, s.Writes)
		}
	}
	if got.ExternalID != strings.Join(ids, ",") {
		t.Errorf("external id = %q, want the ids of the posts of the first attempt %q", got.ExternalID, ids)
	}
}

// TestPostizPartialRetry: a retry creates only the variants the first attempt did not.
func TestPostizPartialRetry(t *testing.T) {
	fake, pub := newPostiz(t)
	if _, err := pub.Publish(context.Background(), testPost("cnt_partial", content.X)); err != nil {
		t.Fatal(err)
	}
	got, err := pub.Publish(context.Background(), testPost("cnt_partial", content.X, content.LinkedIn))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Posts()); n != 2 {
		t.Errorf("Postiz has %d posts, want 2", n)
	}
	if !got.Posts[0].Existing || got.Posts[1].Existing {
		t.Errorf("existing = %v, %v; want X existing, LinkedIn new", got.Posts[0].Existing, got.Posts[1].Existing)
	}
	var body struct {
		Posts []json.RawMessage `json:"posts"`
	}
	creates := requestsOf(fake, "POST", "/posts")
	_ = json.Unmarshal(creates[len(creates)-1].Body, &body)
	if len(body.Posts) != 1 {
		t.Errorf("second create sent %d posts, want only the missing one", len(body.Posts))
	}
}

// TestPostizNoRepublishOutsideLookback: the retry comes so late that the duplicate check does not see the post
// any more; the stable post id still stops Postiz from publishing it again.
func TestPostizNoRepublishOutsideLookback(t *testing.T) {
	clock := &fakeClock{now: time.Now()}
	fake, pub := newPostiz(t, content.WithClock(clock.Now), content.WithLookback(time.Hour))
	post := testPost("cnt_late", content.X, content.LinkedIn)
	first, err := pub.Publish(context.Background(), post)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range fake.Posts() {
		fake.MarkPublished(p.ID)
	}
	clock.Add(30 * 24 * time.Hour)

	again, err := pub.Publish(context.Background(), post)
	if err != nil {
		t.Fatalf("late retry: %v", err)
	}
	if again.ExternalID != first.ExternalID {
		t.Errorf("external id = %q, want %q", again.ExternalID, first.ExternalID)
	}
	for _, p := range fake.Posts() {
		if p.State != "PUBLISHED" || p.Writes != 1 {
			t.Errorf("post %s state %s written %d times; it must not be queued again", p.ID, p.State, p.Writes)
		}
	}
	if n := len(fake.Posts()); n != 2 {
		t.Errorf("Postiz has %d posts, want 2", n)
	}
}

// TestPostizRefusedVariant: Postiz refuses a whole request for one bad variant; the others still go out.
func TestPostizRefusedVariant(t *testing.T) {
	fake, pub := newPostiz(t)
	post := testPost("cnt_refused", content.X, content.LinkedIn)
	post.Variants[0].Text = strings.Repeat("long ", 80)
	got, err := pub.Publish(context.Background(), post)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Posts) != 1 || got.Posts[0].Platform != content.LinkedIn || got.ExternalID != got.Posts[0].PostID {
		t.Errorf("published = %+v, want only the LinkedIn post", got)
	}
	if reason := got.Rejected[content.X]; !strings.Contains(reason, "too long") {
		t.Errorf("rejected = %v, want X refused as too long", got.Rejected)
	}
	if stored := fake.Posts(); len(stored) != 1 || stored[0].IntegrationID != "int_linkedin" {
		t.Errorf("stored = %+v, want the LinkedIn post only", stored)
	}
}

func TestPostizBaseURL(t *testing.T) {
	fake := postizfake.New(postizKey)
	defer fake.Close()
	for _, base := range []string{fake.URL, fake.URL + "/", fake.APIURL, fake.APIURL + "/"} {
		pub := content.NewPostiz(config.Postiz{APIURL: base, APIKey: postizKey})
		if _, err := pub.Publish(context.Background(), testPost("cnt_base", content.X)); err != nil {
			t.Errorf("base %q: %v", base, err)
		}
	}
}

func TestLogPublisher(t *testing.T) {
	var logs bytes.Buffer
	pub := content.NewPublisher(config.Postiz{}, slog.New(slog.NewTextHandler(&logs, nil)))
	got, err := pub.Publish(context.Background(), testPost("cnt_9", content.X))
	if err != nil {
		t.Fatal(err)
	}
	if got.ExternalID != "log_cnt_9" || !got.Mock {
		t.Errorf("published = %+v", got)
	}
	if !strings.Contains(logs.String(), "cnt_9") || !strings.Contains(logs.String(), "mock") {
		t.Errorf("log = %q", logs.String())
	}
	if _, ok := content.NewPublisher(config.Postiz{APIURL: "http://postiz.invalid", APIKey: "k"}, nil).(interface {
		Publish(context.Context, content.Post) (content.Published, error)
	}); !ok {
		t.Error("NewPublisher with a configured Postiz is not a Publisher")
	}
}

func requestsOf(fake *postizfake.Server, method, path string) []postizfake.Request {
	var out []postizfake.Request
	for _, r := range fake.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}
