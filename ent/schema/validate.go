package schema

import (
	"errors"
	"net/url"
	"strings"
	"time"
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
