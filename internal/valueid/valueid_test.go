package valueid

import (
	"regexp"
	"testing"
	"time"
)

func TestNew(t *testing.T) {
	id := New("dsh", "org_1", "", "")
	if !regexp.MustCompile(`^dsh_[0-9a-hjkmnp-tv-z]{26}$`).MatchString(id) {
		t.Fatalf("New = %q, want dsh_ and 26 characters of the ULID alphabet", id)
	}
	if again := New("dsh", "org_1", "", ""); again != id {
		t.Errorf("New is not deterministic: %q then %q", id, again)
	}
	for _, tc := range []struct {
		name   string
		prefix string
		parts  []string
	}{
		{"another organization", "dsh", []string{"org_2", "", ""}},
		{"another prefix", "atr", []string{"org_1", "", ""}},
		{"parts moved across the separator", "dsh", []string{"org_1", "x", ""}},
		{"the same text split otherwise", "dsh", []string{"org_", "1", ""}},
		{"fewer parts", "dsh", []string{"org_1", ""}},
	} {
		if got := New(tc.prefix, tc.parts...); got == id {
			t.Errorf("%s: %q, the same ID as the original", tc.name, got)
		}
	}
}

func TestInstant(t *testing.T) {
	if got := Instant(nil); got != "" {
		t.Errorf("Instant(nil) = %q, want \"\"", got)
	}
	madrid := time.Date(2025, 3, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	utc := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	if Instant(&madrid) != Instant(&utc) {
		t.Errorf("one instant in two zones: %q and %q", Instant(&madrid), Instant(&utc))
	}
	later := utc.Add(time.Millisecond)
	if Instant(&later) == Instant(&utc) {
		t.Errorf("instants a millisecond apart share %q", Instant(&utc))
	}
}
