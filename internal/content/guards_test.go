package content

import (
	"slices"
	"strings"
	"testing"

	"github.com/marketingos/marketingos/ent/schema/jsontype"
)

func variant(platform, text string, hashtags ...string) jsontype.ContentVariant {
	return jsontype.ContentVariant{Platform: platform, Text: text, Hashtags: hashtags}
}

// cleanDraft passes every rule.
func cleanDraft() Draft {
	return Draft{
		Title:     "Close the month in a day",
		Hook:      "Month-end close does not have to take a week.",
		Kind:      "tip",
		Platforms: []string{X, LinkedIn},
		Variants: []jsontype.ContentVariant{
			variant(X, "Month-end close does not have to take a week. Reconcile daily. Learn more at https://ledgerly.example", "Finance"),
			variant(LinkedIn, "Reconciling every day turns month-end into a formality. Try Ledgerly free for 14 days.", "Accounting", "SaaS"),
		},
	}
}

func with(mutate func(*Draft)) Draft {
	d := cleanDraft()
	mutate(&d)
	return d
}

func TestRules(t *testing.T) {
	tests := []struct {
		name   string
		check  func(Draft, []string) []string
		draft  Draft
		recent []string
		want   []string // exact issues; nil means none
	}{
		{"missing platform: none", checkMissingPlatforms, cleanDraft(), nil, nil},
		{"missing platform: TikTok asked, not written", checkMissingPlatforms,
			with(func(d *Draft) { d.Platforms = append(d.Platforms, TikTok) }), nil, []string{"missing_platform: TIKTOK"}},

		{"empty: none", checkEmptyVariants, cleanDraft(), nil, nil},
		{"empty: blank text", checkEmptyVariants, with(func(d *Draft) { d.Variants[1].Text = "  \n" }), nil, []string{"empty_variant: LINKEDIN"}},
		{"empty: no variants at all", checkEmptyVariants, with(func(d *Draft) { d.Variants = nil }), nil, []string{"empty_variant: no variants"}},

		{"length: X at 280 with hashtags", checkLengths,
			with(func(d *Draft) { d.Variants[0] = variant(X, strings.Repeat("a", 280-len("\n\n#Tag")), "Tag") }), nil, nil},
		{"length: X over 280 because of hashtags", checkLengths,
			with(func(d *Draft) { d.Variants[0] = variant(X, strings.Repeat("a", 270), "Finance", "SaaS") }), nil,
			[]string{"x_too_long: 286 > 280"}},
		{"length: X counts characters, not bytes", checkLengths,
			with(func(d *Draft) { d.Variants[0] = variant(X, strings.Repeat("é", 280)) }), nil, nil},
		{"length: LinkedIn over 3000", checkLengths,
			with(func(d *Draft) { d.Variants[1] = variant(LinkedIn, strings.Repeat("b", 3001)) }), nil, []string{"linkedin_too_long: 3001 > 3000"}},
		{"length: Instagram over 2200", checkLengths,
			with(func(d *Draft) { d.Variants = append(d.Variants, variant(Instagram, strings.Repeat("c", 2201))) }), nil,
			[]string{"instagram_too_long: 2201 > 2200"}},
		{"length: TikTok over 2200", checkLengths,
			with(func(d *Draft) { d.Variants = append(d.Variants, variant(TikTok, strings.Repeat("d", 2300))) }), nil,
			[]string{"tiktok_too_long: 2300 > 2200"}},
		{"length: Facebook takes long posts", checkLengths,
			with(func(d *Draft) { d.Variants = append(d.Variants, variant(Facebook, strings.Repeat("e ", 5000))) }), nil, nil},

		{"hashtags: 30 on Instagram", checkHashtagCounts,
			with(func(d *Draft) { d.Variants = append(d.Variants, variant(Instagram, "Link in bio.", tags(30)...)) }), nil, nil},
		{"hashtags: 31 on Instagram, counting those in the text", checkHashtagCounts,
			with(func(d *Draft) {
				d.Variants = append(d.Variants, variant(Instagram, "Link in bio #inline.", tags(30)...))
			}), nil, []string{"instagram_too_many_hashtags: 31 > 30"}},
		{"hashtags: a URL fragment is not a hashtag", checkHashtagCounts,
			with(func(d *Draft) {
				d.Variants = append(d.Variants, variant(Instagram, "See https://a.example/#pricing now.", tags(30)...))
			}), nil, nil},

		{"CTA: URL or phrase present", checkCallToAction, cleanDraft(), nil, nil},
		{"CTA: Spanish phrase", checkCallToAction,
			with(func(d *Draft) { d.Variants[0].Text = "Cierra el mes en un día. Únete hoy." }), nil, nil},
		{"CTA: bare domain counts as a link", checkCallToAction,
			with(func(d *Draft) { d.Variants[0].Text = "Close the month in a day with ledgerly.io" }), nil, nil},
		{"CTA: neither", checkCallToAction,
			with(func(d *Draft) { d.Variants[1].Text = "Month-end close is a chore for most accountants." }), nil,
			[]string{"missing_cta: LINKEDIN"}},
		{"CTA: 'try' inside a word does not count", checkCallToAction,
			with(func(d *Draft) { d.Variants[1].Text = "The accounting industry is changing." }), nil, []string{"missing_cta: LINKEDIN"}},

		{"banned: none", checkBannedClaims, cleanDraft(), nil, nil},
		{"banned: risk-free and guaranteed results, any case", checkBannedClaims,
			with(func(d *Draft) { d.Variants[0].Text = "RISK-FREE trial with Guaranteed Results. Sign up." }), nil,
			[]string{`banned_claim: X: "guaranteed results"`, `banned_claim: X: "risk-free"`}},
		{"banned: 100% guaranteed in the title", checkBannedClaims,
			with(func(d *Draft) { d.Title = "100% guaranteed savings" }), nil, []string{`banned_claim: title: "100% guaranteed"`}},
		{"banned: get rich and miracle in the hook", checkBannedClaims,
			with(func(d *Draft) { d.Hook = "Get rich with this miracle tool" }), nil,
			[]string{`banned_claim: hook: "get rich"`, `banned_claim: hook: "miracle"`}},
		{"banned: guaranteed returns in a hashtag-free sentence", checkBannedClaims,
			with(func(d *Draft) { d.Variants[1].Text = "Returns are guaranteed. Learn more." }), nil,
			[]string{`banned_claim: LINKEDIN: "returns are guaranteed"`}},
		{"banned: a money-back guarantee is not a banned claim", checkBannedClaims,
			with(func(d *Draft) { d.Variants[1].Text = "30-day money-back guarantee. Try it." }), nil, nil},

		{"duplicate: no recent posts", checkNearDuplicates, cleanDraft(), nil, nil},
		{"duplicate: unrelated recent posts", checkNearDuplicates, cleanDraft(),
			[]string{"Our team grew to ten people this year and we moved offices."}, nil},
		{"duplicate: same text with other hashtags and link", checkNearDuplicates, cleanDraft(),
			[]string{"Something else entirely.", "Month-end close does not have to take a week. Reconcile daily. Learn more at https://other.example #Books"},
			[]string{"near_duplicate: X: 1.00 similar to recent post 2"}},
		{"duplicate: one word changed", checkNearDuplicates, cleanDraft(),
			[]string{"Reconciling every day turns month-end into a formality. Try Ledgerly free for 30 days."},
			[]string{"near_duplicate: LINKEDIN: 0.71 similar to recent post 1"}},

		{"truncated: none", checkTruncated, cleanDraft(), nil, nil},
		{"truncated: ellipsis", checkTruncated, with(func(d *Draft) { d.Variants[0].Text = "Close the month in a day…" }), nil,
			[]string{`truncated: X: ends with "…"`}},
		{"truncated: three dots", checkTruncated, with(func(d *Draft) { d.Variants[0].Text = "Close the month in a day..." }), nil,
			[]string{`truncated: X: ends with "..."`}},
		{"truncated: dangling word", checkTruncated, with(func(d *Draft) { d.Variants[1].Text = "Reconcile daily and close the month with the" }), nil,
			[]string{`truncated: LINKEDIN: ends with dangling "the"`}},
		{"truncated: open parenthesis", checkTruncated, with(func(d *Draft) { d.Variants[1].Text = "Try Ledgerly (free for 14 days. Sign up." }), nil,
			[]string{`truncated: LINKEDIN: unclosed "("`}},
		{"truncated: odd quotes", checkTruncated, with(func(d *Draft) { d.Variants[1].Text = `As one user put it: "Month-end is now a formality. Try it.` }), nil,
			[]string{`truncated: LINKEDIN: unbalanced '"'`}},
		{"truncated: an emoticon is not an open bracket", checkTruncated, with(func(d *Draft) { d.Variants[1].Text = "Month-end, done :( no more. Try it :)" }), nil, nil},
		{"truncated: ends with a comma", checkTruncated, with(func(d *Draft) { d.Variants[1].Text = "Reconcile daily," }), nil,
			[]string{`truncated: LINKEDIN: ends with ","`}},

		{"placeholder: none", checkPlaceholders, cleanDraft(), nil, nil},
		{"placeholder: lorem ipsum", checkPlaceholders, with(func(d *Draft) { d.Variants[0].Text = "Lorem ipsum dolor sit amet." }), nil,
			[]string{`placeholder: X: "Lorem ipsum"`}},
		{"placeholder: [product name]", checkPlaceholders, with(func(d *Draft) { d.Variants[1].Text = "Try [Product Name] today." }), nil,
			[]string{`placeholder: LINKEDIN: "[Product Name]"`}},
		{"placeholder: TODO in the title", checkPlaceholders, with(func(d *Draft) { d.Title = "TODO title" }), nil,
			[]string{`placeholder: title: "TODO"`}},
		{"placeholder: template braces", checkPlaceholders, with(func(d *Draft) { d.Hook = "Hi {{ first_name }}" }), nil,
			[]string{`placeholder: hook: "{{ first_name }}"`}},
		{"placeholder: Spanish 'todos' is not TODO", checkPlaceholders, with(func(d *Draft) { d.Variants[1].Text = "Para todos los contables. Únete." }), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.check(tt.draft, tt.recent)
			if !slices.Equal(got, tt.want) {
				t.Errorf("issues = %q, want %q", got, tt.want)
			}
		})
	}
}

func tags(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "tag" + strings.Repeat("x", i+1)
	}
	return out
}

func TestCheckScore(t *testing.T) {
	tests := []struct {
		name      string
		draft     Draft
		recent    []string
		wantScore int
		wantCodes []string
	}{
		{"clean", cleanDraft(), nil, 100, nil},
		{"missing CTA costs 10", with(func(d *Draft) { d.Variants[1].Text = "Month-end close is a chore." }), nil, 90, []string{IssueMissingCTA}},
		{"missing CTA is capped at 30", with(func(d *Draft) {
			for _, p := range []string{Instagram, TikTok, Facebook} {
				d.Variants = append(d.Variants, variant(p, "Month-end close is a chore."))
			}
			d.Variants[0].Text, d.Variants[1].Text = "Month-end close is a chore.", "Month-end close is a chore."
		}), nil, 70, []string{IssueMissingCTA, IssueMissingCTA, IssueMissingCTA, IssueMissingCTA, IssueMissingCTA}},
		{"one banned claim falls below the auto-publish threshold", with(func(d *Draft) { d.Hook = "A risk-free close" }), nil, 50,
			[]string{IssueBannedClaim}},
		{"a variant too long to publish falls below the threshold", with(func(d *Draft) { d.Variants[0].Text = strings.Repeat("word ", 60) + "Sign up." }), nil, 55,
			[]string{"x_too_long"}},
		{"a repeat of a recent post falls below the threshold", cleanDraft(), []string{cleanDraft().Variants[1].Text}, 55,
			[]string{IssueNearDuplicate}},
		{"everything wrong floors at 0", with(func(d *Draft) {
			d.Platforms = []string{X, LinkedIn, TikTok, Facebook}
			d.Title = "TODO"
			d.Variants = []jsontype.ContentVariant{
				variant(X, strings.Repeat("get rich ", 40)+"…"),
				variant(LinkedIn, ""),
			}
		}), nil, 0, []string{IssueMissingPlatform, IssueMissingPlatform, IssueEmptyVariant, "x_too_long", IssueMissingCTA,
			IssueBannedClaim, IssueTruncated, IssuePlaceholder}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Check(tt.draft, tt.recent)
			if v.Score != tt.wantScore {
				t.Errorf("score = %d, want %d (issues %q)", v.Score, tt.wantScore, v.Issues)
			}
			if v.Score < 0 || v.Score > 100 {
				t.Errorf("score %d out of 0–100", v.Score)
			}
			if v.Issues == nil {
				t.Error("issues is nil; want an empty list when clean")
			}
			var codes []string
			for _, issue := range v.Issues {
				codes = append(codes, IssueCode(issue))
			}
			if !slices.Equal(codes, tt.wantCodes) {
				t.Errorf("codes = %q, want %q", codes, tt.wantCodes)
			}
		})
	}
}

func TestRender(t *testing.T) {
	tests := []struct {
		v    jsontype.ContentVariant
		want string
	}{
		{variant(X, "Hello"), "Hello"},
		{variant(X, "Hello", "a", "#b"), "Hello\n\n#a #b"},
		{variant(X, "Hello #a", "a", "ab"), "Hello #a\n\n#ab"},
		{variant(X, "Hello #ab", "a"), "Hello #ab\n\n#a"},
		{variant(X, " Hi ", " ", "#", "x", "x"), "Hi\n\n#x"},
		{variant(X, "", "x"), "#x"},
	}
	for _, tt := range tests {
		if got := Render(tt.v); got != tt.want {
			t.Errorf("Render(%q, %q) = %q, want %q", tt.v.Text, tt.v.Hashtags, got, tt.want)
		}
	}
}
