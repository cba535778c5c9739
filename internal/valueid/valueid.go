// Package valueid names computed values — a dashboard of a range, an attribution report, the viewer — with IDs that
// GraphQL client caches (Relay, Apollo) can key them by. Such a value is not stored: it is recomputed for each
// query and each subscription push, so its ID is derived from what it is computed from, and the same inputs give
// the same ID on every instance and after every restart. That is what lets a dashboardUpdated push update the
// record the dashboard query put in the cache.
package valueid

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"time"
)

// encoding is the lower-case Crockford alphabet of the entities' ULIDs, so a value's ID looks like theirs.
var encoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// New returns prefix_ followed by 26 characters that digest parts (a 128-bit prefix of their SHA-256): opaque and
// deterministic. The prefix names the type, as an entity ID's does; node(id:) resolves none of these (their type
// implements no Node), and answers null for them. parts must identify the value whole: the organization first,
// then every argument the value is computed from.
func New(prefix string, parts ...string) string {
	h := sha256.New()
	h.Write([]byte(prefix))
	for _, p := range parts {
		// A separator that cannot occur in the parts (IDs, RFC 3339 times, enum values) keeps ("ab","c") apart
		// from ("a","bc").
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	sum := h.Sum(nil)
	var b strings.Builder
	b.Grow(len(prefix) + 1 + 26)
	b.WriteString(prefix)
	b.WriteByte('_')
	b.WriteString(encoding.EncodeToString(sum[:16]))
	return b.String()
}

// Instant is the part of an optional range bound: its instant in RFC 3339 (UTC, so that 10:00+02:00 and 08:00Z are
// one bound), or "" when it is absent — the moving default ("the last 30 days up to now"), which keeps its ID as
// now moves on.
func Instant(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
