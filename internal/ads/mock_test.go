package ads_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/ads"
)

func TestMockCampaigns(t *testing.T) {
	tests := []struct {
		platform, prefix string
	}{
		{ads.Google, "google_mock_"},
		{ads.Facebook, "fb_mock_"},
	}
	for _, tt := range tests {
		t.Run(tt.platform, func(t *testing.T) {
			m := ads.NewMock(tt.platform)
			if m.Name() != tt.platform || !m.Mock() {
				t.Errorf("Name, Mock = %s, %v", m.Name(), m.Mock())
			}
			seen := map[string]bool{}
			for range 50 {
				c, err := m.CreateCampaign(t.Context(), ads.CampaignSpec{Name: "n", Currency: "USD", DailyBudget: 100})
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(c.ExternalID, tt.prefix) || len(c.ExternalID) <= len(tt.prefix) || seen[c.ExternalID] {
					t.Fatalf("id %q: want a fresh %s<n>", c.ExternalID, tt.prefix)
				}
				seen[c.ExternalID] = true
				if err := m.PauseCampaign(t.Context(), c.ExternalID); err != nil {
					t.Error(err)
				}
				if err := m.ResumeCampaign(t.Context(), c.ExternalID); err != nil {
					t.Error(err)
				}
			}
			if _, err := m.CreateCampaign(t.Context(), ads.CampaignSpec{Name: "n", Currency: "USD"}); !errors.Is(err, ads.ErrInvalidInput) {
				t.Errorf("no budget: %v", err)
			}
			if err := m.PauseCampaign(t.Context(), "12345"); !errors.Is(err, ads.ErrInvalidInput) {
				t.Errorf("foreign id: %v", err)
			}
		})
	}
}

func TestMockMetricsAreDeterministic(t *testing.T) {
	from := time.Date(2026, 3, 1, 15, 0, 0, 0, time.FixedZone("PST", -8*3600))
	to := time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC)
	a, err := ads.NewMock(ads.Google).DailyMetrics(t.Context(), "google_mock_42", from, to)
	if err != nil {
		t.Fatal(err)
	}
	// A second instance (another server, or after a restart) gives the same rows.
	b, err := ads.NewMock(ads.Google).DailyMetrics(t.Context(), "google_mock_42", from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 30 {
		t.Fatalf("rows = %d, want 30 (inclusive range)", len(a))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("row %d differs: %+v vs %+v", i, a[i], b[i])
		}
		m := a[i]
		want := time.Date(2026, 3, 1+i, 0, 0, 0, 0, time.UTC)
		if !m.Date.Equal(want) || m.Date.Location() != time.UTC {
			t.Errorf("row %d date = %v, want %v", i, m.Date, want)
		}
		if m.Impressions < 500 || m.Impressions > 5000 {
			t.Errorf("impressions %d out of range", m.Impressions)
		}
		ctr := float64(m.Clicks) / float64(m.Impressions)
		if ctr < 0.009 || ctr > 0.051 {
			t.Errorf("CTR %.3f out of range", ctr)
		}
		if m.Clicks > 0 && (m.Cost < 20*m.Clicks || m.Cost > 200*m.Clicks) {
			t.Errorf("CPC %d/%d out of range", m.Cost, m.Clicks)
		}
		if m.Conversions > float64(m.Clicks) || m.ConversionValue < 0 || (m.Conversions == 0) != (m.ConversionValue == 0) {
			t.Errorf("conversions %v worth %d for %d clicks", m.Conversions, m.ConversionValue, m.Clicks)
		}
	}
	// A sub-range gives the same numbers for the same days.
	c, _ := ads.NewMock(ads.Google).DailyMetrics(t.Context(), "google_mock_42", to, to)
	if len(c) != 1 || c[0] != a[29] {
		t.Errorf("single day = %+v, want %+v", c, a[29])
	}
	// Another campaign gets other numbers.
	d, _ := ads.NewMock(ads.Google).DailyMetrics(t.Context(), "google_mock_43", from, to)
	same := 0
	for i := range d {
		if d[i] == a[i] {
			same++
		}
	}
	if same == len(d) {
		t.Error("two campaigns got identical metrics")
	}
}

func TestMockMetricsStopToday(t *testing.T) {
	today := ads.Day(time.Now().UTC())
	rows, err := ads.NewMock(ads.Facebook).DailyMetrics(t.Context(), "fb_mock_1", today.AddDate(0, 0, -2), today.AddDate(0, 0, 5))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || !rows[2].Date.Equal(today) {
		t.Errorf("rows = %+v, want the 3 days up to today", rows)
	}
	if _, err := ads.NewMock(ads.Facebook).DailyMetrics(t.Context(), "fb_mock_1", today, today.AddDate(0, 0, -1)); !errors.Is(err, ads.ErrInvalidInput) {
		t.Errorf("reversed range: %v", err)
	}
}

func TestNewMockPanicsOnUnknownPlatform(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	ads.NewMock("TIKTOK")
}

func TestMockSpendsWithinTheDailyBudget(t *testing.T) {
	created, err := ads.NewMock(ads.Google).CreateCampaign(t.Context(), ads.CampaignSpec{
		Name: "Budgeted", DailyBudget: 2500, Currency: "USD", Keywords: []string{"x"},
	})
	if err != nil {
		t.Fatal(err)
	}
	to := ads.Day(time.Now())
	rows, err := ads.NewMock(ads.Google).DailyMetrics(t.Context(), created.ExternalID, to.AddDate(0, 0, -29), to)
	if err != nil {
		t.Fatal(err)
	}
	capped := 0
	for _, m := range rows {
		if m.Cost > 2500 {
			t.Errorf("%s: spent %d minor units, over the daily budget of 2500", m.Date.Format(time.DateOnly), m.Cost)
		}
		if m.Cost > 0 && m.Clicks == 0 {
			t.Errorf("%s: cost without clicks", m.Date.Format(time.DateOnly))
		}
		if m.Cost >= 1500 {
			capped++
		}
	}
	if capped == 0 {
		t.Error("no day spent most of its budget: the cap looks wrong, not just effective")
	}
}
