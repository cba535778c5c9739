package content

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/marketingos/marketingos/ent/schema/jsontype"
)

// Verdict is what the guards think of a draft: a score from 0 (unusable) to 100 (nothing found) and the issues
// found, each a stable code followed by its detail, e.g. "x_too_long: 312 > 280". The organization's auto-publish
// threshold (default 60) is compared with Score.
type Verdict struct {
	Score  int
	Issues []string
}

// Issue codes. Length issues are per platform: "<platform>_too_long" and "<platform>_too_many_hashtags", with
// the platform in lower case (x_too_long, instagram_too_many_hashtags).
const (
	IssueMissingPlatform = "missing_platform"
	IssueEmptyVariant    = "empty_variant"
	IssueMissingCTA      = "missing_cta"
	IssueBannedClaim     = "banned_claim"
	IssueNearDuplicate   = "near_duplicate"
	IssueTruncated       = "truncated"
	IssuePlaceholder     = "placeholder"
	issueTooLong         = "_too_long"
	issueTooManyHashtags = "_too_many_hashtags"
)

// IssueCode returns the code of an issue string: the part before the first colon.
func IssueCode(issue string) string {
	code, _, _ := strings.Cut(issue, ":")
	return code
}

// platformLimit is what a platform accepts. MaxChars counts the rendered text (text plus hashtags, see [Render])
// in characters (runes).
type platformLimit struct {
	MaxChars    int
	MaxHashtags int // 0: no limit
	Style       string
}

// platformLimits are the platforms' published caption limits.
var platformLimits = map[string]platformLimit{
	Instagram: {MaxChars: 2200, MaxHashtags: 30, Style: "visual and warm, emojis welcome, the link goes in the bio"},
	// TikTok allows 2,200 characters in a video caption (more for photo posts); keep to the stricter one.
	TikTok:   {MaxChars: 2200, Style: "a short, casual caption for a video"},
	Facebook: {MaxChars: 63206, Style: "conversational; a few short paragraphs at most"},
	LinkedIn: {MaxChars: 3000, Style: "professional and concrete, 3 to 5 hashtags"},
	// X counts 280 characters including the hashtags as written. Its weighting of links (23 each) and of
	// emoji (2 each) is not modelled: a plain character count is close enough for a guard.
	X: {MaxChars: 280, Style: "one short post, at most 2 hashtags"},
}

// rule is one guard: a check and its price. Every issue found costs Penalty points, up to Cap for the rule, so
// that one rule cannot hide the others and a single serious issue (a banned claim, a placeholder, a variant too
// long to publish) is enough to fall below the default auto-publish threshold of 60.
type rule struct {
	check   func(d Draft, recent []string) []string
	penalty int
	cap     int
}

var rules = []rule{
	{checkMissingPlatforms, 20, 40},
	{checkEmptyVariants, 50, 100},
	{checkLengths, 45, 100},
	{checkHashtagCounts, 20, 40},
	{checkCallToAction, 10, 30},
	{checkBannedClaims, 50, 100},
	{checkNearDuplicates, 45, 45},
	{checkTruncated, 30, 60},
	{checkPlaceholders, 50, 100},
}

// Check scores a draft against every guard rule. recent holds the texts of recent posts of the same organization.
func Check(d Draft, recent []string) Verdict {
	v := Verdict{Score: 100, Issues: []string{}}
	for _, r := range rules {
		issues := r.check(d, recent)
		v.Issues = append(v.Issues, issues...)
		v.Score -= min(r.cap, r.penalty*len(issues))
	}
	v.Score = max(0, v.Score)
	return v
}

// checkMissingPlatforms (20 points each, at most 40) reports each requested platform without a variant.
func checkMissingPlatforms(d Draft, _ []string) []string {
	var issues []string
	for _, p := range d.Platforms {
		p = normalisePlatform(p)
		if p != "" && !slices.ContainsFunc(d.Variants, func(v jsontype.ContentVariant) bool { return normalisePlatform(v.Platform) == p }) {
			issues = append(issues, IssueMissingPlatform+": "+p)
		}
	}
	return issues
}

// checkEmptyVariants (50 points each) reports a draft without variants and each variant without text.
func checkEmptyVariants(d Draft, _ []string) []string {
	if len(d.Variants) == 0 {
		return []string{IssueEmptyVariant + ": no variants"}
	}
	var issues []string
	for _, v := range d.Variants {
		if strings.TrimSpace(v.Text) == "" {
			issues = append(issues, IssueEmptyVariant+": "+platformLabel(v))
		}
	}
	return issues
}

// checkLengths (45 points each) reports each variant longer than its platform accepts, counting the text with its
// hashtags as they will be written: "x_too_long: 312 > 280". A platform would refuse such a post.
func checkLengths(d Draft, _ []string) []string {
	var issues []string
	for _, v := range d.Variants {
		limit, ok := platformLimits[normalisePlatform(v.Platform)]
		if !ok {
			continue
		}
		if n := utf8.RuneCountInString(Render(v)); n > limit.MaxChars {
			issues = append(issues, fmt.Sprintf("%s%s: %d > %d", strings.ToLower(platformLabel(v)), issueTooLong, n, limit.MaxChars))
		}
	}
	return issues
}

var hashtagPattern = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_&/])#[\p{L}\p{N}_]+`)

// checkHashtagCounts (20 points each) reports each variant with more hashtags than its platform allows
// (Instagram: 30), counting those in the text and those appended: "instagram_too_many_hashtags: 31 > 30".
func checkHashtagCounts(d Draft, _ []string) []string {
	var issues []string
	for _, v := range d.Variants {
		limit := platformLimits[normalisePlatform(v.Platform)]
		if limit.MaxHashtags == 0 {
			continue
		}
		if n := len(hashtagPattern.FindAllString(Render(v), -1)); n > limit.MaxHashtags {
			issues = append(issues, fmt.Sprintf("%s%s: %d > %d", strings.ToLower(platformLabel(v)), issueTooManyHashtags, n, limit.MaxHashtags))
		}
	}
	return issues
}

var (
	urlPattern = regexp.MustCompile(`(?i)\bhttps?://\S+|\bwww\.\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|io|app|co|dev|ai|net|org|so|es|mx|me|tech|cloud|link|ly)\b(?:/\S*)?`)
	// ctaPattern holds the calls to action of English and Spanish posts. Go's \b only knows ASCII letters, so the
	// boundaries are spelled out for words like "únete".
	ctaPattern = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(?:` + strings.Join([]string{
		`learn more`, `find out`, `read more`, `see how`, `sign up`, `signup`, `get started`, `start`, `try`,
		`book`, `schedule a`, `request a demo`, `demo`, `download`, `join`, `subscribe`, `register`, `shop`,
		`buy`, `order`, `visit`, `click`, `tap`, `check (?:it )?out`, `discover`, `explore`, `link in (?:our )?bio`,
		`dm us`, `message us`, `contact us`, `get yours`, `claim`, `grab`, `free trial`, `comment`,
		`prueba`, `pruébalo`, `regístrate`, `descubre`, `descarga`, `únete`, `visita`, `compra`, `reserva`,
		`más información`, `enlace en (?:la )?bio`, `empieza`, `comienza`, `escríbenos`,
	}, "|") + `)(?:$|[^\p{L}\p{N}])`)
)

// checkCallToAction (10 points each, at most 30) reports each variant with neither a link nor a call to action
// ("learn more", "sign up", "try", "link in bio", …).
func checkCallToAction(d Draft, _ []string) []string {
	var issues []string
	for _, v := range d.Variants {
		text := Render(v)
		if strings.TrimSpace(v.Text) == "" || urlPattern.MatchString(text) || ctaPattern.MatchString(text) {
			continue
		}
		issues = append(issues, IssueMissingCTA+": "+platformLabel(v))
	}
	return issues
}

// bannedClaims are promises that advertising rules (and trust) forbid, in English and Spanish.
var bannedClaims = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\bguarantee[ds]?\s+(?:returns?|results?|income|profits?|success|roi|growth)\b`),
	regexp.MustCompile(`(?i)\b(?:returns?|results?|income|profits?|success)\s+(?:are\s+|is\s+)?guaranteed\b`),
	regexp.MustCompile(`(?i)\b100\s*%\s*guaranteed?\b`),
	regexp.MustCompile(`(?i)\brisk[\s-]*free\b`),
	regexp.MustCompile(`(?i)\bno[\s-]+risk\b`),
	regexp.MustCompile(`(?i)\bget[\s-]+rich\b`),
	regexp.MustCompile(`(?i)\bmiracle\w*`),
	regexp.MustCompile(`(?i)\bdouble\s+your\s+(?:money|income|revenue|sales)\b`),
	regexp.MustCompile(`(?i)\bsin\s+riesgos?\b`),
	regexp.MustCompile(`(?i)\bresultados\s+garantizados\b`),
	regexp.MustCompile(`(?i)\bhazte\s+rico\b`),
	regexp.MustCompile(`(?i)\bmilagro(?:s|so|sa)?\b`),
}

// checkBannedClaims (50 points each, one issue per claim and place) reports guaranteed results or returns,
// "risk-free", "100% guaranteed", "get rich", miracles and the like, in any case, in the title, the hook or a
// variant: `banned_claim: X: "risk-free"`.
func checkBannedClaims(d Draft, _ []string) []string {
	var issues []string
	for _, part := range draftParts(d) {
		var found []string
		for _, re := range bannedClaims {
			for _, m := range re.FindAllString(part.text, -1) {
				m = strings.ToLower(strings.Join(strings.Fields(m), " "))
				if !slices.Contains(found, m) {
					found = append(found, m)
				}
			}
		}
		for _, m := range found {
			issues = append(issues, fmt.Sprintf("%s: %s: %q", IssueBannedClaim, part.label, m))
		}
	}
	return issues
}

// NearDuplicateThreshold is the Jaccard similarity of word trigrams at which a variant counts as a repeat of a
// recent post.
const NearDuplicateThreshold = 0.6

// checkNearDuplicates (45 points, once) reports each variant whose word trigrams overlap a recent post's by
// [NearDuplicateThreshold] or more (Jaccard similarity; hashtags and links ignored):
// "near_duplicate: X: 0.82 similar to recent post 2".
func checkNearDuplicates(d Draft, recent []string) []string {
	if len(recent) == 0 {
		return nil
	}
	recentShingles := make([]map[string]bool, len(recent))
	for i, r := range recent {
		recentShingles[i] = shingles(r)
	}
	var issues []string
	for _, v := range d.Variants {
		s := shingles(v.Text)
		if len(s) == 0 {
			continue
		}
		best, bestAt := 0.0, -1
		for i, r := range recentShingles {
			if sim := jaccard(s, r); sim > best {
				best, bestAt = sim, i
			}
		}
		if best >= NearDuplicateThreshold {
			issues = append(issues, fmt.Sprintf("%s: %s: %.2f similar to recent post %d", IssueNearDuplicate, platformLabel(v), best, bestAt+1))
		}
	}
	return issues
}

// shingles returns the word trigrams of a text (its words, when it has fewer than three), lower-cased, without
// links, hashtags and mentions, which posts about one product share anyway.
func shingles(text string) map[string]bool {
	text = urlPattern.ReplaceAllString(text, " ")
	var words []string
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if strings.HasPrefix(w, "#") || strings.HasPrefix(w, "@") {
			continue
		}
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
		if w != "" {
			words = append(words, w)
		}
	}
	out := map[string]bool{}
	if len(words) < 3 {
		for _, w := range words {
			out[w] = true
		}
		return out
	}
	for i := 0; i+3 <= len(words); i++ {
		out[strings.Join(words[i:i+3], " ")] = true
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// danglingWords end a sentence only when the text was cut off.
var danglingWords = []string{
	"a", "an", "and", "or", "but", "the", "to", "of", "with", "for", "your", "our", "in", "on", "at", "by",
	"y", "o", "de", "la", "el", "los", "las", "con", "para", "tu", "su", "en", "un", "una",
}

// emoticons are removed before counting brackets, so that ":)" does not look like an unclosed one.
var emoticons = regexp.MustCompile(`[:;=][-']?[()\[\]]`)

// checkTruncated (30 points each, at most 60) reports each variant that looks cut off: it ends with "…" or
// "...", with a comma, colon or dash, with a dangling word ("and", "the", …), or leaves a bracket or quote
// open: `truncated: X: ends with "…"`.
func checkTruncated(d Draft, _ []string) []string {
	var issues []string
	for _, v := range d.Variants {
		if reason := truncation(v.Text); reason != "" {
			issues = append(issues, fmt.Sprintf("%s: %s: %s", IssueTruncated, platformLabel(v), reason))
		}
	}
	return issues
}

// truncation says why text looks cut off, or "".
func truncation(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return "" // checkEmptyVariants reports it
	}
	for _, end := range []string{"…", "...", ",", ":", ";", "-", "–", "—", "(", "[", "{"} {
		if strings.HasSuffix(text, end) {
			return fmt.Sprintf("ends with %q", end)
		}
	}
	words := strings.Fields(text)
	if last := strings.ToLower(words[len(words)-1]); len(words) > 1 && slices.Contains(danglingWords, last) {
		return fmt.Sprintf("ends with dangling %q", last)
	}
	plain := emoticons.ReplaceAllString(text, " ")
	for _, pair := range [][2]string{{"(", ")"}, {"[", "]"}, {"{", "}"}, {"“", "”"}, {"«", "»"}} {
		if strings.Count(plain, pair[0]) > strings.Count(plain, pair[1]) {
			return fmt.Sprintf("unclosed %q", pair[0])
		}
	}
	if strings.Count(plain, `"`)%2 == 1 {
		return `unbalanced '"'`
	}
	return ""
}

// placeholders are template leftovers a model or a person forgot to fill in.
var placeholders = []*regexp.Regexp{
	regexp.MustCompile(`(?i)lorem ipsum`),
	regexp.MustCompile(`\{\{[^{}]*\}\}`),
	regexp.MustCompile(`(?i)\[(?:insert|your|product|company|brand|name|link|url|cta|audience|feature|price|date|placeholder)[^\]]{0,40}\]`),
	regexp.MustCompile(`(?i)<(?:insert|your|product|link|url)[^>]{0,40}>`),
	regexp.MustCompile(`\b(?:TODO|TBD|FIXME)\b`),
	regexp.MustCompile(`(?i)\bplaceholder\b`),
}

// checkPlaceholders (50 points each) reports template leftovers in the title, the hook or a variant: "lorem
// ipsum", "[product name]", "TODO", "{{…}}": `placeholder: LINKEDIN: "[product name]"`.
func checkPlaceholders(d Draft, _ []string) []string {
	var issues []string
	for _, part := range draftParts(d) {
		for _, re := range placeholders {
			if m := re.FindString(part.text); m != "" {
				issues = append(issues, fmt.Sprintf("%s: %s: %q", IssuePlaceholder, part.label, m))
				break // one per place is enough to reject it
			}
		}
	}
	return issues
}

type draftPart struct{ label, text string }

// draftParts lists the texts a reader sees: the title, the hook and each rendered variant.
func draftParts(d Draft) []draftPart {
	parts := []draftPart{{"title", d.Title}, {"hook", d.Hook}}
	for _, v := range d.Variants {
		parts = append(parts, draftPart{platformLabel(v), Render(v)})
	}
	return parts
}

// platformLabel names a variant's platform in issues.
func platformLabel(v jsontype.ContentVariant) string {
	if p := normalisePlatform(v.Platform); p != "" {
		return p
	}
	if p := strings.TrimSpace(v.Platform); p != "" {
		return strings.ToUpper(p)
	}
	return "UNKNOWN"
}
