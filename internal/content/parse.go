package content

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"github.com/marketingos/marketingos/ent/schema/jsontype"
)

// modelDraft is the JSON object the prompt asks for.
type modelDraft struct {
	Title    string          `json:"title"`
	Hook     string          `json:"hook"`
	Kind     string          `json:"kind"`
	Variants json.RawMessage `json:"variants"`
}

type modelVariant struct {
	Platform string      `json:"platform"`
	Text     string      `json:"text"`
	Hashtags hashtagList `json:"hashtags"`
}

// hashtagList accepts the array the prompt asks for, and also the single string ("#a #b") models sometimes write.
type hashtagList []string

func (h *hashtagList) UnmarshalJSON(data []byte) error {
	var list []string
	if err := json.Unmarshal(data, &list); err == nil {
		*h = list
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	*h = strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' })
	return nil
}

// parseDraft reads the model's text into a draft with a variant for each platform, in that order.
func parseDraft(text string, platforms []string) (Draft, error) {
	raw, ok := extractJSON(text)
	if !ok {
		return Draft{}, malformed(text, "no JSON object")
	}
	var md modelDraft
	if err := json.Unmarshal(raw, &md); err != nil {
		return Draft{}, malformed(text, "invalid JSON: %v", err)
	}
	variants, err := decodeVariants(md.Variants)
	if err != nil {
		return Draft{}, malformed(text, "invalid variants: %v", err)
	}

	byPlatform := map[string]jsontype.ContentVariant{}
	for _, v := range variants {
		p := normalisePlatform(v.Platform)
		if p == "" {
			continue
		}
		if _, dup := byPlatform[p]; dup {
			continue // the first variant of a platform wins
		}
		byPlatform[p] = jsontype.ContentVariant{Platform: p, Text: strings.TrimSpace(v.Text), Hashtags: cleanHashtags(v.Hashtags)}
	}
	d := Draft{Title: strings.TrimSpace(md.Title), Hook: strings.TrimSpace(md.Hook)}
	for _, p := range platforms {
		v, ok := byPlatform[p]
		switch {
		case !ok:
			return Draft{}, malformed(text, "missing variant for %s", p)
		case v.Text == "":
			return Draft{}, malformed(text, "empty text for %s", p)
		}
		d.Variants = append(d.Variants, v)
	}
	if d.Hook == "" {
		d.Hook = firstSentence(d.Variants[0].Text)
	}
	if d.Title == "" {
		d.Title = excerpt(d.Hook, 80)
	}
	return d, nil
}

// decodeVariants accepts the array the prompt asks for and an object keyed by platform.
func decodeVariants(raw json.RawMessage) ([]modelVariant, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if raw[0] == '{' {
		var byName map[string]modelVariant
		if err := json.Unmarshal(raw, &byName); err != nil {
			return nil, err
		}
		var out []modelVariant
		for name, v := range byName {
			if v.Platform == "" {
				v.Platform = name
			}
			out = append(out, v)
		}
		return out, nil
	}
	var out []modelVariant
	err := json.Unmarshal(raw, &out)
	return out, err
}

// cleanHashtags drops the # signs, blanks and repeats, keeping the order.
func cleanHashtags(tags []string) []string {
	out := []string{}
	for _, t := range tags {
		t = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(t), "#"))
		if t != "" && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, t) }) {
			out = append(out, t)
		}
	}
	return out
}

// extractJSON finds the JSON object in a model answer: the whole text, a ```json fenced block, or the first
// balanced {...} in prose.
func extractJSON(text string) ([]byte, bool) {
	text = strings.TrimSpace(text)
	if i := strings.Index(text, "```"); i >= 0 {
		rest := text[i+3:]
		// Skip the language tag on the fence line.
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			rest = rest[nl+1:]
		}
		if j := strings.Index(rest, "```"); j >= 0 {
			rest = rest[:j]
		}
		if obj, ok := balancedObject(rest); ok {
			return obj, true
		}
	}
	return balancedObject(text)
}

// balancedObject returns the first {...} of s whose braces balance outside JSON strings.
func balancedObject(s string) ([]byte, bool) {
	start := strings.IndexByte(s, '{')
	if start < 0 {
		return nil, false
	}
	depth, inString, escaped := 0, false, false
	for i := start; i < len(s); i++ {
		c := s[i]
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return []byte(s[start : i+1]), true
			}
		}
	}
	return nil, false
}

// firstSentence returns the text up to its first sentence end or line break.
func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".!?\n"); i >= 0 {
		if s[i] == '\n' {
			return strings.TrimSpace(s[:i])
		}
		return s[:i+1]
	}
	return s
}
