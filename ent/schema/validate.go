package schema

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/marketingos/marketingos/internal/validation"
)

// Validators shared by several entities. Their messages reach API clients (as BAD_USER_INPUT with the field name),
// so they say what is expected, not what went wrong inside.

func httpURL(s string) error {
	if len(s) > 2048 {
		return errors.New("must be at most 2048 characters")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("must be an absolute http(s) URL")
	}
	return nil
}

func currencyCode(s string) error {
	if len(s) != 3 || strings.ToUpper(s) != s || strings.IndexFunc(s, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return errors.New("must be a three-letter ISO 4217 code such as USD")
	}
	return nil
}

func timezone(s string) error {
	if _, err := time.LoadLocation(s); err != nil || s == "" || s == "Local" {
		return errors.New("must be an IANA time zone such as Europe/Madrid")
	}
	return nil
}

func stringsBounded(maxItems, maxLen int) func([]string) error {
	return func(items []string) error {
		if len(items) > maxItems {
			return errors.New("has too many items")
		}
		for _, s := range items {
			if strings.TrimSpace(s) == "" || len(s) > maxLen {
				return errors.New("items must be non-empty and short")
			}
		}
		return nil
	}
}

// trackingOrigins validates the origins allowed to send an organization's tracking events: each an exact origin
// (https://www.example.com) or a bare host (www.example.com), as tracking.Service matches them.
func trackingOrigins(items []string) error {
	if len(items) > 100 {
		return errors.New("has too many items (at most 100)")
	}
	for _, s := range items {
		if strings.Contains(s, "*") {
			return fmt.Errorf("%q: list each origin; wildcards are not matched", s)
		}
		if strings.Contains(s, "://") {
			if err := validation.Origin(s); err != nil {
				return err
			}
			continue
		}
		if err := validation.Origin("https://" + s); err != nil || s == "" {
			return fmt.Errorf("%q is neither an origin (https://www.example.com) nor a host (www.example.com)", s)
		}
	}
	return nil
}

// domainName validates a DNS domain such as example.com: lower-case letters, digits and hyphens in dot-separated
// labels, with at least one dot.
func domainName(s string) error {
	labels := strings.Split(s, ".")
	if len(s) > 253 || len(labels) < 2 {
		return errors.New("must be a domain such as example.com")
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' ||
			strings.IndexFunc(l, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') }) >= 0 {
			return errors.New("must be a lower-case domain such as example.com")
		}
	}
	return nil
}
