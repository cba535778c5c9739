// Package content writes, checks and publishes the social posts that market an organization's products.
//
// A [Generator] drafts a post with one variant per platform: [NewAnthropic] asks Claude, [NewTemplate] fills
// deterministic templates when no API key is configured. [Check] scores a draft 0–100 against the guard rules
// (length limits, banned claims, duplicates of recent posts, missing call to action, …). A [Publisher] hands the
// variants to Postiz ([NewPostiz]), or only logs them when Postiz is not configured ([NewLogPublisher]).
//
// The package knows nothing about the database, GraphQL or the scheduler: callers pass plain values in and store
// what comes out.
package content

import (
	"context"
	"slices"
	"strings"

	"github.com/marketingos/marketingos/ent/schema/jsontype"
	"github.com/marketingos/marketingos/internal/config"
)

// Platforms, spelled as the Content.platform enum spells them.
const (
	Instagram = "INSTAGRAM"
	TikTok    = "TIKTOK"
	Facebook  = "FACEBOOK"
	LinkedIn  = "LINKEDIN"
	X         = "X"
)

// Platforms lists every platform a draft can target, in the order variants are written.
var Platforms = []string{Instagram, TikTok, Facebook, LinkedIn, X}

// Kinds of post, in rotation order; see [NextKind].
var Kinds = []string{"educational", "offer", "testimonial", "tip", "behind_the_scenes"}

// Generator names, as stored in Content.generator.
const (
	GeneratorAnthropic = "anthropic"
	GeneratorTemplate  = "template"
)

// Product is what a post markets: the fields of the Product entity that the copy is written from.
type Product struct {
	Name           string
	Description    string
	TargetAudience string
	USP            string
	URL            string
	Features       []string
	Pricing        map[string]any
}

// Request asks for one post about a product.
type Request struct {
	Product Product
	// Kind is educational, offer, testimonial, tip, behind_the_scenes, …; when empty the generator picks one of
	// [Kinds], rotating with the number of recent posts.
	Kind string
	// Platforms are the platforms to write a variant for (INSTAGRAM, TIKTOK, FACEBOOK, LINKEDIN, X); empty means
	// all of [Platforms].
	Platforms []string
	// Recent holds the texts of recent posts, so that the new one does not repeat them.
	Recent []string
}

// Draft is a generated post: a title and hook plus one variant per platform.
type Draft struct {
	Title    string
	Hook     string
	Kind     string
	Variants []jsontype.ContentVariant
	// Platforms are the platforms that were asked for, so that [Check] can tell a missing variant.
	Platforms []string
	// Generator is "anthropic" or "template"; Model is the Claude model, or "template-v1".
	Generator string
	Model     string
}

// Generator drafts posts.
type Generator interface {
	Generate(ctx context.Context, req Request) (Draft, error)
}

// NewGenerator returns the Claude generator when an API key is configured and the template generator otherwise,
// so that content keeps flowing, clearly labelled, on a machine without credentials.
func NewGenerator(cfg config.Anthropic, opts ...Option) Generator {
	if cfg.Configured() {
		return NewAnthropic(cfg, opts...)
	}
	return NewTemplate()
}

// NextKind returns the kind of the next post: the kind of [Kinds] used least recently in previousKinds (oldest
// first, most recent last), a never-used kind first, ties broken by the order of [Kinds]. Unknown kinds are
// ignored.
func NextKind(previousKinds []string) string {
	best, bestAt := Kinds[0], len(previousKinds)+1
	for _, k := range Kinds {
		at := -1
		for i, p := range previousKinds {
			if strings.EqualFold(strings.TrimSpace(p), k) {
				at = i
			}
		}
		if at < bestAt {
			best, bestAt = k, at
		}
	}
	return best
}

// requestKind is the kind a generator writes: the requested one, or a rotation over the recent posts.
func requestKind(req Request) string {
	if k := strings.TrimSpace(req.Kind); k != "" {
		return strings.ToLower(k)
	}
	return Kinds[len(req.Recent)%len(Kinds)]
}

// requestPlatforms normalises the requested platforms: upper case, known, deduplicated, all when none.
func requestPlatforms(req Request) []string {
	var out []string
	for _, p := range req.Platforms {
		p = normalisePlatform(p)
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return slices.Clone(Platforms)
	}
	return out
}

// normalisePlatform maps a platform name as a model or a user may write it to the enum spelling, or "".
func normalisePlatform(p string) string {
	p = strings.ToUpper(strings.TrimSpace(p))
	switch p {
	case "TWITTER", "X/TWITTER", "X (TWITTER)":
		return X
	case "IG":
		return Instagram
	case "FB":
		return Facebook
	}
	if slices.Contains(Platforms, p) {
		return p
	}
	return ""
}

// Render returns the text a platform shows for v: its text followed by the hashtags it does not already contain.
// Guards measure this text, and publishers send it.
func Render(v jsontype.ContentVariant) string {
	text := strings.TrimSpace(v.Text)
	lower := strings.ToLower(text)
	var tags []string
	for _, h := range v.Hashtags {
		h = "#" + strings.TrimLeft(strings.TrimSpace(h), "#")
		if h == "#" || containsHashtag(lower, strings.ToLower(h)) || slices.Contains(tags, h) {
			continue
		}
		tags = append(tags, h)
	}
	if len(tags) == 0 {
		return text
	}
	if text == "" {
		return strings.Join(tags, " ")
	}
	return text + "\n\n" + strings.Join(tags, " ")
}

// containsHashtag reports whether text has tag as a whole hashtag (not as the prefix of a longer one).
func containsHashtag(text, tag string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], tag)
		if i < 0 {
			return false
		}
		end := from + i + len(tag)
		if end == len(text) || !isTagRune(rune(text[end])) {
			return true
		}
		from = end
	}
}

func isTagRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80
}
