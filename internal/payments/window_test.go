package payments

import (
	"testing"
	"time"
)

// TestTouchedUntil: a payment stamped with a whole second may have happened at any moment of it, but not after the
// event reached the server.
func TestTouchedUntil(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 7, 0, time.UTC)
	endOfSecond := time.Date(2026, 3, 1, 12, 0, 7, 999999000, time.UTC)
	for _, tc := range []struct {
		name     string
		received time.Time
		want     time.Time
	}{
		{"received later", at.Add(3 * time.Second), endOfSecond},
		{"received within the second", at.Add(400 * time.Millisecond), at.Add(400 * time.Millisecond)},
		{"received at the very end of the second", endOfSecond, endOfSecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := touchedUntil(at, tc.received); !got.Equal(tc.want) {
				t.Errorf("touchedUntil(%s, %s) = %s, want %s", at.Format(time.StampMicro),
					tc.received.Format(time.StampMicro), got.Format(time.StampMicro), tc.want.Format(time.StampMicro))
			}
		})
	}
}
