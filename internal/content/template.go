package content

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/marketingos/marketingos/ent/schema/jsontype"
)

// TemplateModel labels drafts written by the template generator, so nobody mistakes them for Claude's.
const TemplateModel = "template-v1"

// templateGenerator writes posts from fixed sentences filled with the product's fields.
type templateGenerator struct{}

// NewTemplate returns a Generator that needs no provider: the same request always gives the same draft, built
// from the product's fields, within each platform's limits. It is what runs when no Anthropic key is configured;
// its drafts say so (Generator "template", Model "template-v1").
func NewTemplate() Generator { return templateGenerator{} }

// templateHooks holds two openings per kind; the second is used on every other turn of the rotation, so that
// the same kind does not open the same way twice in a row.
var templateHooks = map[string][2]string{
	"educational":       {"Here is one thing %[2]s should know.", "A quick lesson for %[2]s."},
	"offer":             {"Ready to try %[1]s?", "%[1]s has a plan for %[2]s."},
	"testimonial":       {"What %[2]s tell us after switching to %[1]s.", "Why %[2]s stay with %[1]s."},
	"tip":               {"A practical tip for %[2]s.", "One small change for %[2]s this week."},
	"behind_the_scenes": {"Behind the scenes at %[1]s.", "How we build %[1]s, and why."},
}

var kindTitles = map[string]string{
	"educational":       "Educational",
	"offer":             "Offer",
	"testimonial":       "Customer story",
	"tip":               "Tip",
	"behind_the_scenes": "Behind the scenes",
}

var kindHashtags = map[string]string{
	"educational":       "Learning",
	"offer":             "Offer",
	"testimonial":       "CustomerStories",
	"tip":               "ProTip",
	"behind_the_scenes": "BehindTheScenes",
}

// templateHashtagCount is how many hashtags each platform gets.
var templateHashtagCount = map[string]int{Instagram: 5, TikTok: 3, Facebook: 2, LinkedIn: 3, X: 2}

// Generate writes the draft; it never fails.
func (templateGenerator) Generate(_ context.Context, req Request) (Draft, error) {
	p := req.Product
	kind := requestKind(req)
	platforms := requestPlatforms(req)
	name := strings.TrimSpace(p.Name)
	if name == "" {
		name = "our product"
	}
	audience := strings.TrimSpace(p.TargetAudience)
	if audience == "" {
		audience = "teams"
	}

	turn := len(req.Recent) / len(Kinds) % 2
	hooks, ok := templateHooks[kind]
	if !ok {
		hooks = templateHooks["educational"]
	}
	hook := fmt.Sprintf(hooks[turn], name, audience)

	title := name + " — " + kindTitles[kind]
	if _, ok := kindTitles[kind]; !ok {
		title = name + " — " + strings.ReplaceAll(kind, "_", " ")
	}

	d := Draft{
		Title:     title,
		Hook:      hook,
		Kind:      kind,
		Platforms: platforms,
		Generator: GeneratorTemplate,
		Model:     TemplateModel,
	}
	feature := ""
	if len(p.Features) > 0 {
		feature = strings.TrimSpace(p.Features[len(req.Recent)%len(p.Features)])
	}
	for _, platform := range platforms {
		d.Variants = append(d.Variants, templateVariant(platform, kind, name, hook, feature, p))
	}
	return d, nil
}

// templateVariant composes one platform's post from whole sentences, adding each optional sentence only while
// the post stays within the platform's limit, so that nothing is ever cut mid-sentence.
func templateVariant(platform, kind, name, hook, feature string, p Product) jsontype.ContentVariant {
	v := jsontype.ContentVariant{Platform: platform, Hashtags: templateHashtags(platform, kind, name)}
	limit := platformLimits[platform].MaxChars
	url := strings.TrimSpace(p.URL)

	cta := fmt.Sprintf("Try %s today.", name)
	if url != "" {
		cta = fmt.Sprintf("Learn more about %s at %s", name, url)
	}
	if platform == Instagram || platform == TikTok {
		// Links in captions are not clickable there; the profile link is.
		cta = fmt.Sprintf("Try %s: link in bio.", name)
	}

	var body []string
	switch platform {
	case X:
		body = []string{sentence(p.USP), featureLine(feature)}
	case TikTok:
		body = []string{sentence(p.USP)}
	default:
		body = []string{sentence(p.Description), sentence(p.USP), featureLine(feature)}
		if platform == LinkedIn || platform == Instagram {
			body = append(body, featureList(p.Features, 3))
		}
	}
	if kind == "offer" {
		body = append([]string{pricingLine(p.Pricing)}, body...)
	}

	sep := "\n\n"
	if platform == X || platform == TikTok {
		sep = " "
	}
	parts := []string{hook}
	fits := func(extra string) bool {
		candidate := v
		candidate.Text = strings.Join(append(slices.Clone(parts), extra, cta), sep)
		return utf8.RuneCountInString(Render(candidate)) <= limit
	}
	for _, b := range body {
		if b != "" && !slices.Contains(parts, b) && fits(b) {
			parts = append(parts, b)
		}
	}
	v.Text = strings.Join(append(parts, cta), sep)
	return v
}

// templateHashtags returns the product's name as a hashtag, then the kind's, then general ones.
func templateHashtags(platform, kind, name string) []string {
	var tags []string
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		for i, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				if i == 0 {
					r = unicode.ToUpper(r)
				}
				b.WriteRune(r)
			}
		}
	}
	if b.Len() > 0 && name != "our product" {
		tags = append(tags, b.String())
	}
	if t, ok := kindHashtags[kind]; ok {
		tags = append(tags, t)
	}
	tags = append(tags, "SaaS", "Productivity", "Startup")
	return tags[:min(len(tags), templateHashtagCount[platform])]
}

// sentence trims s and ends it with a full stop unless it already ends a sentence.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if r, _ := utf8.DecodeLastRuneInString(s); !strings.ContainsRune(".!?", r) {
		s += "."
	}
	return s
}

func featureLine(feature string) string {
	if feature == "" {
		return ""
	}
	return sentence("Spotlight: " + feature)
}

// featureList returns up to n features as a bulleted list.
func featureList(features []string, n int) string {
	var lines []string
	for _, f := range features {
		if f = strings.TrimSpace(f); f != "" && len(lines) < n {
			lines = append(lines, "✓ "+f)
		}
	}
	return strings.Join(lines, "\n")
}

// pricingLine states the pricing plainly: "Pricing: monthly 29 USD · yearly 290 USD."
func pricingLine(pricing map[string]any) string {
	if len(pricing) == 0 {
		return ""
	}
	currency, _ := pricing["currency"].(string)
	var keys []string
	for k := range pricing {
		if k != "currency" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var items []string
	for _, k := range keys {
		var value string
		switch x := pricing[k].(type) {
		case string:
			value = x
		case float64, int, int64, json.Number:
			value = fmt.Sprint(x)
			if currency != "" {
				value += " " + currency
			}
		default:
			raw, err := json.Marshal(x)
			if err != nil {
				continue
			}
			value = string(raw)
		}
		items = append(items, strings.ReplaceAll(k, "_", " ")+" "+value)
	}
	if len(items) == 0 {
		return ""
	}
	return "Pricing: " + strings.Join(items, " · ") + "."
}
