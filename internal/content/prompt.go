package content

import (
	"encoding/json"
	"fmt"
	"strings"
)

// systemPrompt fixes the role and the output contract; the user prompt carries the product.
const systemPrompt = `You are the social media copywriter of a SaaS company. You write honest, specific posts that ` +
	`make the reader want to try the product. You never promise guaranteed results or returns, never say ` +
	`"risk-free", "get rich" or "miracle", and never leave placeholders such as [product name], TODO or {{...}}.

Answer with one JSON object and nothing else, in exactly this shape:
{"title": "internal title, at most 80 characters",
 "hook": "the opening line that stops the scroll",
 "kind": "the kind of post you were asked for",
 "variants": [{"platform": "INSTAGRAM", "text": "the post text", "hashtags": ["tag", "another"]}]}

Write one variant per requested platform, using the platform names given. Hashtags go in "hashtags", without ` +
	`the # sign, not in "text". Every variant ends with a call to action and, when the product has a URL, the URL.`

// kindBriefs tells the model what each kind of post is.
var kindBriefs = map[string]string{
	"educational":       "teach something useful about the problem the product solves; the product comes in at the end",
	"offer":             "present the pricing or a plan plainly, with who it is for and how to start",
	"testimonial":       "tell the story of a typical customer from the target audience, without inventing names, numbers or quotes",
	"tip":               "give one practical, concrete tip the audience can apply today, then point to the product",
	"behind_the_scenes": "show how the team builds the product and why, in a personal, humble tone",
}

// userPrompt builds the request for one post from every product field, the kind, the platforms and their limits,
// and the recent posts not to repeat.
func userPrompt(p Product, kind string, platforms []string, recent []string) string {
	var b strings.Builder
	b.WriteString("Write one social media post about this product.\n\n## Product\n")
	field := func(name, value string) {
		if value = strings.TrimSpace(value); value != "" {
			fmt.Fprintf(&b, "- %s: %s\n", name, value)
		}
	}
	field("Name", p.Name)
	field("Description", p.Description)
	field("Target audience", p.TargetAudience)
	field("Unique selling point", p.USP)
	field("URL", p.URL)
	if len(p.Features) > 0 {
		b.WriteString("- Features:\n")
		for _, f := range p.Features {
			if f = strings.TrimSpace(f); f != "" {
				fmt.Fprintf(&b, "  - %s\n", f)
			}
		}
	}
	if len(p.Pricing) > 0 {
		// encoding/json sorts map keys, so the prompt is stable for the same product.
		if raw, err := json.Marshal(p.Pricing); err == nil {
			fmt.Fprintf(&b, "- Pricing: %s\n", raw)
		}
	}

	fmt.Fprintf(&b, "\n## Kind of post\n%s", kind)
	if brief, ok := kindBriefs[kind]; ok {
		fmt.Fprintf(&b, ": %s", brief)
	}
	b.WriteString(".\n\n## Platforms (write one variant for each; limits count the text plus its hashtags)\n")
	for _, p := range platforms {
		l := platformLimits[p]
		fmt.Fprintf(&b, "- %s: at most %d characters", p, l.MaxChars)
		if l.MaxHashtags > 0 {
			fmt.Fprintf(&b, ", at most %d hashtags", l.MaxHashtags)
		}
		if l.Style != "" {
			fmt.Fprintf(&b, "; %s", l.Style)
		}
		b.WriteString("\n")
	}

	if len(recent) > 0 {
		b.WriteString("\n## Recent posts (do not repeat their wording, angle or hook)\n")
		for i, r := range recent {
			if i == maxRecentInPrompt {
				break
			}
			fmt.Fprintf(&b, "%d. %s\n", i+1, strings.Join(strings.Fields(excerpt(r, 400)), " "))
		}
	}
	b.WriteString("\nAnswer with the JSON object only.")
	return b.String()
}

// maxRecentInPrompt bounds the prompt: the most recent posts matter most, and the guards check all of them.
const maxRecentInPrompt = 10
