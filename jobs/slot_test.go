package jobs

import (
	"testing"
	"time"
)

func TestSchedulerSlot(t *testing.T) {
	t.Parallel()
	kolkata := time.FixedZone("IST", 5*3600+1800)
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name     string
		t        time.Time
		interval time.Duration
		want     time.Time
	}{
		{"6h mid-slot", at("2025-03-10T13:47:12Z"), 6 * time.Hour, at("2025-03-10T12:00:00Z")},
		{"6h on the slot", at("2025-03-10T18:00:00Z"), 6 * time.Hour, at("2025-03-10T18:00:00Z")},
		{"6h just before midnight", at("2025-03-10T23:59:59.999Z"), 6 * time.Hour, at("2025-03-10T18:00:00Z")},
		{"6h from another zone", at("2025-03-10T13:47:12Z").In(kolkata), 6 * time.Hour, at("2025-03-10T12:00:00Z")},
		{"1s", at("2025-03-10T13:47:12.731Z"), time.Second, at("2025-03-10T13:47:12Z")},
		// 7h does not divide a day: slots are counted from the Unix epoch, not from midnight.
		{"7h from the epoch", at("1970-01-01T15:00:00Z"), 7 * time.Hour, at("1970-01-01T14:00:00Z")},
		{"before the epoch", at("1969-12-31T23:00:00Z"), 6 * time.Hour, at("1969-12-31T18:00:00Z")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Slot(tt.t, tt.interval)
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("Slot(%v, %v) = %v, want %v UTC", tt.t, tt.interval, got, tt.want)
			}
			if next := NextSlot(tt.t, tt.interval); !next.Equal(tt.want.Add(tt.interval)) {
				t.Errorf("NextSlot = %v, want %v", next, tt.want.Add(tt.interval))
			}
		})
	}
}

func TestSchedulerFireSlot(t *testing.T) {
	t.Parallel()
	slot := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		fire     time.Time
		interval time.Duration
		want     time.Time
	}{
		{"on time", slot, 6 * time.Hour, slot},
		{"late", slot.Add(5 * time.Minute), 6 * time.Hour, slot},
		{"very late", slot.Add(5*time.Hour + 58*time.Minute), 6 * time.Hour, slot},
		{"a hair early", slot.Add(-time.Millisecond), 6 * time.Hour, slot},
		{"a second early", slot.Add(-time.Second), 6 * time.Hour, slot},
		{"short interval, late", slot.Add(800 * time.Millisecond), time.Second, slot},
		{"short interval, early", slot.Add(-50 * time.Millisecond), time.Second, slot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fireSlot(tt.fire, tt.interval); !got.Equal(tt.want) {
				t.Errorf("fireSlot(%v, %v) = %v, want %v", tt.fire, tt.interval, got, tt.want)
			}
		})
	}
}
