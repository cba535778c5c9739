package content

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/marketingos/marketingos/internal/config"
)

var _ Publisher = (*postiz)(nil)

// postiz publishes through the Postiz public API (reference: external-apis.md §2).
type postiz struct {
	base string // ends with /public/v1
	key  string
	http *http.Client
	o    options

	mu           sync.Mutex
	integrations []postizIntegration
	fetchedAt    time.Time
}

// NewPostiz returns a Publisher for the Postiz instance of cfg (reference: external-apis.md §2). cfg.APIURL is
// the public API's base, with or without its /public/v1 suffix (https://api.postiz.com/public/v1, or
// https://postiz.example.com/api). Each variant goes to the first enabled integration (channel) of its platform,
// or to the one pinned with WithIntegration; variants without one are skipped and listed in Published.Skipped,
// and variants Postiz refuses (e.g. Instagram and TikTok without media) are listed in Published.Rejected while
// the others go out.
// Each request is bounded by WithTimeout; errors are an [*APIError] (ErrUnauthorized, ErrRateLimited with the
// Retry-After, ErrUnavailable for 5xx, ErrTimeout, ErrRejected) or wrap ErrNoIntegration. Publish does not
// retry: the caller retries later, safely.
//
// # No duplicate posts
//
// A publish whose answer is lost (a timeout after Postiz created the posts) is retried by the caller, and the
// retry must not publish the post twice. Postiz has no idempotency key, but its create endpoint lets the client
// choose the post id: posts[].value[].id is upserted (the row is created with that id, or updated when it
// exists), and a post already PUBLISHED under that id is refused with a 400 instead of being published again.
// So every variant gets a deterministic id derived from the content id and the integration, and before
// creating anything Publish lists the posts of a date window around the post (GET /posts, which returns each
// post's id) and returns those it finds instead of creating them again; it creates only the missing ones. A
// retry that races the first attempt, or comes after the lookback window (WithLookback, default 72 h), still
// cannot make a second post: it reuses the same ids, so Postiz updates the queued row or refuses to republish
// it. The content id itself never appears in the published text.
func NewPostiz(cfg config.Postiz, opts ...Option) Publisher {
	o := buildOptions(opts)
	c := o.httpClient
	if c == nil {
		c = &http.Client{}
	}
	base := strings.TrimRight(cfg.APIURL, "/")
	if !strings.HasSuffix(base, "/public/v1") {
		base += "/public/v1"
	}
	return &postiz{base: base, key: cfg.APIKey, http: c, o: o}
}

// postizIntegration is an item of GET /integrations.
type postizIntegration struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Identifier string `json:"identifier"`
	Disabled   bool   `json:"disabled"`
}

// postizIdentifiers are the Postiz providers that publish each platform, preferred first: a company page before
// a personal LinkedIn profile.
var postizIdentifiers = map[string][]string{
	Instagram: {"instagram", "instagram-standalone"},
	TikTok:    {"tiktok"},
	Facebook:  {"facebook"},
	LinkedIn:  {"linkedin-page", "linkedin"},
	X:         {"x"},
}

// postizSettings are the provider settings Postiz validates even for text posts. Postiz sets __type itself.
func postizSettings(identifier string) map[string]any {
	switch identifier {
	case "x":
		return map[string]any{"who_can_reply_post": "everyone"}
	case "instagram", "instagram-standalone":
		return map[string]any{"post_type": "post"}
	case "tiktok":
		return map[string]any{
			"privacy_level": "PUBLIC_TO_EVERYONE", "duet": false, "stitch": false, "comment": true,
			"autoAddMusic": "no", "brand_content_toggle": false, "brand_organic_toggle": false,
			"content_posting_method": "DIRECT_POST",
		}
	}
	return map[string]any{}
}

// target is one variant and where it goes.
type target struct {
	platform    string
	integration postizIntegration
	postID      string
	content     string
}

func (p *postiz) Publish(ctx context.Context, post Post) (Published, error) {
	if len(post.Variants) == 0 {
		return Published{}, fmt.Errorf("content: post %q has no variants: %w", post.ContentID, ErrNoVariants)
	}
	integrations, err := p.listIntegrations(ctx)
	if err != nil {
		return Published{}, err
	}

	var out Published
	var targets []target
	for _, v := range post.Variants {
		platform := normalisePlatform(v.Platform)
		in, ok := p.pick(platform, integrations)
		if !ok || strings.TrimSpace(v.Text) == "" {
			out.Skipped = append(out.Skipped, platformLabel(v))
			continue
		}
		targets = append(targets, target{
			platform:    platform,
			integration: in,
			postID:      postID(post.ContentID, in.ID),
			content:     Render(v),
		})
	}
	if len(targets) == 0 {
		return Published{}, fmt.Errorf("content: post %q for %s: %w", post.ContentID, strings.Join(out.Skipped, ", "), ErrNoIntegration)
	}

	existing, err := p.findExisting(ctx, post, targets)
	if err != nil {
		return Published{}, err
	}
	var missing []target
	for _, t := range targets {
		if !existing[t.postID] {
			missing = append(missing, t)
		}
	}
	created, rejected := map[string]bool{}, map[string]string{}
	if len(missing) > 0 {
		if created, rejected, err = p.create(ctx, post, missing); err != nil {
			return Published{}, err
		}
	}

	ids := make([]string, 0, len(targets))
	for _, t := range targets {
		if reason, ok := rejected[t.platform]; ok && !existing[t.postID] {
			if out.Rejected == nil {
				out.Rejected = map[string]string{}
			}
			out.Rejected[t.platform] = reason
			continue
		}
		ids = append(ids, t.postID)
		out.Posts = append(out.Posts, PublishedVariant{
			Platform:      t.platform,
			IntegrationID: t.integration.ID,
			PostID:        t.postID,
			Existing:      existing[t.postID] || !created[t.postID],
		})
	}
	out.ExternalID = strings.Join(ids, ",")
	if len(out.Skipped) > 0 {
		p.o.log.WarnContext(ctx, "content: no Postiz integration for some platforms; variants skipped",
			"content_id", post.ContentID, "skipped", out.Skipped)
	}
	if len(out.Rejected) > 0 {
		p.o.log.WarnContext(ctx, "content: Postiz refused some variants", "content_id", post.ContentID,
			"rejected", out.Rejected)
	}
	return out, nil
}

// postID is the Postiz post id of a content's variant on an integration: stable across attempts, unique per
// content and channel, and shaped like Postiz's own ids (25 characters).
func postID(contentID, integrationID string) string {
	sum := sha256.Sum256([]byte("marketingos/postiz/v1\x00" + contentID + "\x00" + integrationID))
	return "mos" + hex.EncodeToString(sum[:])[:22]
}

// pick chooses the integration for a platform: the pinned one, else the first enabled one of the preferred
// provider.
func (p *postiz) pick(platform string, integrations []postizIntegration) (postizIntegration, bool) {
	if id, ok := p.o.integrationID[platform]; ok && id != "" {
		for _, in := range integrations {
			if in.ID == id {
				return in, true
			}
		}
		return postizIntegration{ID: id, Identifier: postizIdentifiers[platform][0]}, true
	}
	for _, identifier := range postizIdentifiers[platform] {
		for _, in := range integrations {
			if in.Identifier == identifier && !in.Disabled {
				return in, true
			}
		}
	}
	return postizIntegration{}, false
}

// listIntegrations returns the connected channels, cached for WithIntegrationCacheTTL: they change when someone
// connects an account, not between two posts.
func (p *postiz) listIntegrations(ctx context.Context) ([]postizIntegration, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.integrations != nil && p.o.now().Sub(p.fetchedAt) < p.o.cacheTTL {
		return p.integrations, nil
	}
	var list []postizIntegration
	if err := p.do(ctx, http.MethodGet, "/integrations", nil, &list); err != nil {
		return nil, err
	}
	if list == nil {
		list = []postizIntegration{}
	}
	p.integrations, p.fetchedAt = list, p.o.now()
	return list, nil
}

// postizListedPost is the part of a GET /posts item that matters here.
type postizListedPost struct {
	ID          string `json:"id"`
	State       string `json:"state"`
	Integration struct {
		ID string `json:"id"`
	} `json:"integration"`
}

// findExisting returns the post ids of targets that Postiz already has, from the posts of the window around the
// post's date.
func (p *postiz) findExisting(ctx context.Context, post Post, targets []target) (map[string]bool, error) {
	now := p.o.now().UTC()
	from, to := now, now
	if post.ScheduledAt != nil {
		at := post.ScheduledAt.UTC()
		from, to = minTime(from, at), maxTime(to, at)
	}
	q := url.Values{}
	q.Set("startDate", postizTime(from.Add(-p.o.lookback)))
	q.Set("endDate", postizTime(to.Add(24*time.Hour)))
	var page struct {
		Posts []postizListedPost `json:"posts"`
	}
	if err := p.do(ctx, http.MethodGet, "/posts?"+q.Encode(), nil, &page); err != nil {
		return nil, err
	}
	wanted := map[string]bool{}
	for _, t := range targets {
		wanted[t.postID] = true
	}
	found := map[string]bool{}
	for _, lp := range page.Posts {
		if wanted[lp.ID] {
			found[lp.ID] = true
		}
	}
	return found, nil
}

type postizCreate struct {
	Type      string          `json:"type"`
	Date      string          `json:"date"`
	ShortLink bool            `json:"shortLink"`
	Tags      []postizTag     `json:"tags"`
	Posts     []postizNewPost `json:"posts"`
}

type postizTag struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

type postizNewPost struct {
	Integration struct {
		ID string `json:"id"`
	} `json:"integration"`
	Value    []postizValue  `json:"value"`
	Settings map[string]any `json:"settings"`
}

type postizValue struct {
	ID      string        `json:"id"`
	Content string        `json:"content"`
	Image   []postizImage `json:"image"`
}

type postizImage struct {
	ID   string `json:"id"`
	Path string `json:"path"`
}

type postizCreated struct {
	PostID      string `json:"postId"`
	Integration string `json:"integration"`
}

// create creates the targets' posts in one request, and returns the post ids Postiz reported as created and
// the platforms it refused, with its reason. Postiz refuses a whole request for one bad post (a provider's
// validation, or a post already published outside the lookback window), so after a 400 the targets are created
// one by one: an already-published post counts as existing, a refused one is reported, and the others still go
// out. When every target is refused, the error is returned.
func (p *postiz) create(ctx context.Context, post Post, targets []target) (map[string]bool, map[string]string, error) {
	created, firstErr := p.createBatch(ctx, post, targets)
	if firstErr == nil || !errors.Is(firstErr, ErrRejected) {
		return created, nil, firstErr
	}
	created, rejected := map[string]bool{}, map[string]string{}
	for _, t := range targets {
		var one map[string]bool
		err := firstErr // a lone target's answer is already known
		if len(targets) > 1 {
			one, err = p.createBatch(ctx, post, []target{t})
		}
		switch {
		case err == nil:
			for id := range one {
				created[id] = true
			}
		case isAlreadyPublished(err):
			p.o.log.InfoContext(ctx, "content: Postiz post already published; not publishing again",
				"content_id", post.ContentID, "post_id", t.postID)
		case errors.Is(err, ErrRejected):
			rejected[t.platform] = rejectionReason(err)
		default:
			return nil, nil, err
		}
	}
	if len(rejected) == len(targets) {
		return nil, nil, firstErr
	}
	return created, rejected, nil
}

func rejectionReason(err error) string {
	var e *APIError
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

func (p *postiz) createBatch(ctx context.Context, post Post, targets []target) (map[string]bool, error) {
	body := postizCreate{Type: "now", Date: postizTime(p.o.now()), Tags: []postizTag{}}
	if post.ScheduledAt != nil {
		body.Type, body.Date = "schedule", postizTime(*post.ScheduledAt)
	}
	for _, t := range targets {
		np := postizNewPost{
			Value:    []postizValue{{ID: t.postID, Content: t.content, Image: []postizImage{}}},
			Settings: postizSettings(t.integration.Identifier),
		}
		np.Integration.ID = t.integration.ID
		body.Posts = append(body.Posts, np)
	}
	var res []postizCreated
	if err := p.do(ctx, http.MethodPost, "/posts", body, &res); err != nil {
		return nil, err
	}
	created := map[string]bool{}
	for _, r := range res {
		created[r.PostID] = true
	}
	return created, nil
}

func isAlreadyPublished(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.StatusCode == http.StatusBadRequest &&
		strings.Contains(strings.ToLower(e.Message), "already published")
}

// do sends one request with the raw API key and decodes a 2xx JSON answer into out.
func (p *postiz) do(ctx context.Context, method, path string, in, out any) error {
	if p.o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.o.timeout)
		defer cancel()
	}
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("content: encode Postiz request: %w", err)
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, body)
	if err != nil {
		return fmt.Errorf("content: Postiz request: %w", err)
	}
	// Postiz wants the key itself, without "Bearer".
	req.Header.Set("Authorization", p.key)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := p.http.Do(req)
	if err != nil {
		return p.transportError(ctx, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return p.transportError(ctx, err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return postizError(res, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return &APIError{Provider: "postiz", StatusCode: res.StatusCode, kind: ErrUnavailable,
				Message: "unexpected response: " + excerpt(string(raw), 120), err: err}
		}
	}
	return nil
}

// transportError classifies a request that got no answer. The request URL is left out: it names the instance,
// and a URL with credentials in it must not reach the logs.
func (p *postiz) transportError(ctx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return &APIError{Provider: "postiz", kind: ErrTimeout, err: err}
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return &APIError{Provider: "postiz", kind: ErrUnavailable, err: err}
}

// postizError reads Postiz's error bodies: {"msg"} from the auth middleware and HttpExceptions, NestJS's
// {"statusCode","message","error"} (message may be a list), and {"provider","name","message"} for content
// validation.
func postizError(res *http.Response, raw []byte) error {
	var body struct {
		Msg      string          `json:"msg"`
		Message  json.RawMessage `json:"message"`
		Error    string          `json:"error"`
		Provider string          `json:"provider"`
	}
	e := &APIError{Provider: "postiz", StatusCode: res.StatusCode}
	if json.Unmarshal(raw, &body) == nil {
		e.Message = body.Msg
		var s string
		var list []string
		switch {
		case json.Unmarshal(body.Message, &s) == nil && s != "":
			e.Message = s
		case json.Unmarshal(body.Message, &list) == nil && len(list) > 0:
			e.Message = strings.Join(list, "; ")
		}
		if body.Provider != "" {
			e.Message = body.Provider + ": " + e.Message
		}
		e.Code = body.Error
	} else {
		e.Message = excerpt(string(raw), 200)
	}
	switch {
	case res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden:
		e.kind = ErrUnauthorized
	case res.StatusCode == http.StatusTooManyRequests:
		e.kind = ErrRateLimited
		e.RetryAfter, _ = retryAfter(res.Header)
	case res.StatusCode >= 500:
		e.kind = ErrUnavailable
	default:
		e.kind = ErrRejected
	}
	return e
}

// postizTime formats a time as Postiz's ISO dates: UTC with milliseconds.
func postizTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
