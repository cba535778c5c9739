package validation

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// Origin validates an origin pattern, as ALLOWED_ORIGINS and the tracking origins of an organization take it: "*",
// or scheme://host[:port] with at most one "*" in the host. Browsers send the Origin
// header as scheme://host[:port] exactly, so anything more, such as a
// trailing slash, would silently never match. MatchOrigin is how such a pattern is matched.
func Origin(o string) error {
	if o == "*" {
		return nil
	}
	u, err := url.Parse(o)
	if err != nil || u.Opaque != "" || u.Host == "" {
		return fmt.Errorf("%q is not an origin (use scheme://host[:port], e.g. https://app.example.com)", o)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q: the scheme of an origin must be http or https", o)
	}
	if u.User != nil {
		return fmt.Errorf("%q: an origin has no user name or password", o)
	}
	if u.Path == "/" && u.RawQuery == "" && u.Fragment == "" {
		return fmt.Errorf("%q: remove the trailing slash, browsers send the origin without it", o)
	}
	if u.Path != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return fmt.Errorf("%q: an origin has no path, query or fragment (use scheme://host[:port])", o)
	}
	if port := u.Port(); port != "" {
		if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
			return fmt.Errorf("%q: port %s is out of range", o, port)
		}
	}
	host := u.Hostname()
	if strings.Contains(host, ":") {
		if _, err := netip.ParseAddr(host); err != nil {
			return fmt.Errorf("%q: invalid IPv6 address: %w", o, err)
		}
		return nil
	}
	if host == "" || strings.Count(host, "*") > 1 {
		return fmt.Errorf("%q: the host must be a name with at most one * wildcard, e.g. https://*.example.com", o)
	}
	for _, r := range host {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_*", r)) {
			return fmt.Errorf("%q: invalid character %q in host (write internationalised names in punycode)", o, r)
		}
	}
	return nil
}

// MatchOrigin reports whether a browser's Origin header matches pattern, a pattern Origin accepts other than "*"
// (which the caller decides on: it allows any origin). Scheme, host and port all count, case aside: an origin
// that differs from the pattern only in its scheme (https://app.example.com against http://app.example.com) or port
// does not match. The one "*" of a pattern stands for one or more DNS labels, so https://*.example.com matches
// https://eu.app.example.com but neither https://example.com nor https://evil.com:443.example.com. This is the one
// rule of CORS, of the session cookie's cross-site checks and of WebSocket upgrades.
func MatchOrigin(pattern, origin string) bool {
	if strings.EqualFold(pattern, origin) {
		return true
	}
	before, after, ok := strings.Cut(pattern, "*")
	if !ok {
		return false
	}
	lower := strings.ToLower(origin)
	return len(origin) > len(before)+len(after) &&
		strings.HasPrefix(lower, strings.ToLower(before)) &&
		strings.HasSuffix(lower, strings.ToLower(after)) &&
		!strings.ContainsAny(origin[len(before):len(origin)-len(after)], "/:@")
}
