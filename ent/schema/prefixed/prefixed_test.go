package prefixed

import (
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
)

// TestNew: an ID is the prefix, the separator and a lower-case ULID of now; IDs made one after the other sort in
// that order.
func TestNew(t *testing.T) {
	before := time.Now().Truncate(time.Millisecond)
	prev := ""
	for i := range 1000 {
		id := New("evt")
		rest, ok := strings.CutPrefix(id, "evt"+Separator)
		if !ok || Prefix(id) != "evt" || rest != strings.ToLower(rest) {
			t.Fatalf("New(evt) = %q, want evt_ and a lower-case ULID", id)
		}
		u, err := ulid.ParseStrict(rest)
		if err != nil {
			t.Fatalf("New(evt) = %q: %v", id, err)
		}
		if at := ulid.Time(u.Time()); at.Before(before) || at.After(time.Now()) {
			t.Fatalf("New(evt) = %q carries %v, want a time of the call", id, at)
		}
		if id <= prev {
			t.Fatalf("ID %d %q does not sort after %q", i, id, prev)
		}
		prev = id
	}
}
