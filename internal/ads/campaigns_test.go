package ads_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/campaignmetric"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/ads/google"
	"github.com/marketingos/marketingos/internal/ads/google/googlefake"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/viewer"
)

// lowROI records the LowROI hook's calls.
type lowROI struct {
	mu    sync.Mutex
	calls []lowROICall
}

type lowROICall struct {
	org, campaign string
	perf          ads.Performance
}

func (l *lowROI) hook(_ context.Context, org *ent.Organization, c *ent.Campaign, p ads.Performance) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, lowROICall{org: org.ID, campaign: c.ID, perf: p})
}

// forCampaign returns the calls about one campaign.
func (l *lowROI) forCampaign(id string) []lowROICall {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []lowROICall
	for _, c := range l.calls {
		if c.campaign == id {
			out = append(out, c)
		}
	}
	return out
}

// campaignsFixture is the lifecycle service on a test database with the real Google client pointed at googlefake.
type campaignsFixture struct {
	svc  *ads.Campaigns
	fake *googlefake.Server
	db   *store.DB
	hook *lowROI
}

func newCampaignsFixture(t *testing.T) *campaignsFixture {
	t.Helper()
	db, _ := dbtest.Open(t)
	fake := googlefake.New()
	t.Cleanup(fake.Close)
	// Retry waits are recorded, not slept.
	client := google.New(fake.Config(), google.WithRetry(ads.Retry{Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}))
	hook := &lowROI{}
	svc := ads.NewCampaigns(db.Client, map[string]ads.Platform{ads.Google: client}, ads.Hooks{LowROI: hook.hook},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	return &campaignsFixture{svc: svc, fake: fake, db: db, hook: hook}
}

func (f *campaignsFixture) newOrg(t *testing.T, name string) context.Context {
	t.Helper()
	created, err := account.CreateOrganization(context.Background(), f.db.Client, name, account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return viewer.ForOrganization(context.Background(), created.Organization.ID)
}

// activeCampaign creates a Google campaign, resumes it and gives it one day of metrics on the fake (amounts in
// cents; nothing when both are negative).
func (f *campaignsFixture) activeCampaign(t *testing.T, ctx context.Context, name string, costCents, valueCents int64) *ent.Campaign {
	t.Helper()
	c, err := f.svc.Create(ctx, ads.CreateInput{Platform: ads.Google, Name: name, DailyBudget: 50, Keywords: []string{"crm"}})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	if c, err = f.svc.Resume(ctx, c.ID); err != nil {
		t.Fatalf("resume %s: %v", name, err)
	}
	if costCents >= 0 {
		y, m, d := time.Now().UTC().Date()
		f.fake.SetMetrics(*c.ExternalID, googlefake.Metric{
			Date: time.Date(y, m, d-2, 0, 0, 0, 0, time.UTC), Impressions: 1000, Clicks: 100, Conversions: 1,
			CostMicros: costCents * 10_000, ConversionsValue: float64(valueCents) / 100,
		})
	}
	return c
}

func (f *campaignsFixture) sync(t *testing.T, ctx context.Context, id string) *ent.Campaign {
	t.Helper()
	c, err := f.svc.Sync(ctx, id)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return c
}

// TestLowROIOncePerDay: a campaign whose synced spend exceeds its revenue raises the low-ROI notice once per day,
// however often it is synced, concurrent syncs included; a campaign at or above break-even, or without spend, never.
func TestLowROIOncePerDay(t *testing.T) {
	t.Parallel()
	f := newCampaignsFixture(t)
	ctx := f.newOrg(t, "Acme")
	orgID := viewer.OrgID(ctx)

	loser := f.activeCampaign(t, ctx, "Loss leader", 8000, 2000) // spend 80.00, revenue 20.00: ROI -0.75
	f.sync(t, ctx, loser.ID)
	synced := f.sync(t, ctx, loser.ID)
	calls := f.hook.forCampaign(loser.ID)
	if len(calls) != 1 {
		t.Fatalf("%d low-ROI notices after two syncs on one day, want 1", len(calls))
	}
	if p := calls[0].perf; calls[0].org != orgID || p.ROI == nil || math.Abs(*p.ROI+0.75) > 1e-9 || p.Spend != 80 || p.Revenue != 20 {
		t.Errorf("notice %+v (ROI %v), want org %s, spend 80, revenue 20, ROI -0.75", calls[0], p.ROI, orgID)
	}
	if synced.Spend != 8000 || synced.Revenue != 2000 {
		t.Errorf("synced totals spend %d revenue %d, want 8000 and 2000 cents", synced.Spend, synced.Revenue)
	}
	row, err := f.db.Client.Campaign.Get(ctx, loser.ID)
	if err != nil || row.LowRoiNotifiedAt == nil {
		t.Fatalf("low_roi_notified_at = %v (%v), want set", row, err)
	}

	// The next day (the last notice dated yesterday) the still-losing campaign is reported again, once.
	if err := f.db.Client.Campaign.UpdateOneID(loser.ID).SetLowRoiNotifiedAt(time.Now().Add(-48 * time.Hour)).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	f.sync(t, ctx, loser.ID)
	f.sync(t, ctx, loser.ID)
	if n := len(f.hook.forCampaign(loser.ID)); n != 2 {
		t.Errorf("%d notices after syncing on a second day, want 2", n)
	}

	for _, tc := range []struct {
		name        string
		cost, value int64
	}{
		{"profitable", 1000, 5000},
		{"break-even", 3000, 3000},
		{"no spend yet", -1, -1},
	} {
		c := f.activeCampaign(t, ctx, tc.name, tc.cost, tc.value)
		f.sync(t, ctx, c.ID)
		f.sync(t, ctx, c.ID)
		if n := len(f.hook.forCampaign(c.ID)); n != 0 {
			t.Errorf("%s: %d low-ROI notices, want none", tc.name, n)
		}
	}

	// Eight syncs at once, as several instances of the scheduler might run them: one notice.
	racer := f.activeCampaign(t, ctx, "Concurrent loser", 9000, 100)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.svc.Sync(ctx, racer.ID)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent syncs: %v", err)
	}
	if n := len(f.hook.forCampaign(racer.ID)); n != 1 {
		t.Errorf("%d notices after 8 concurrent syncs, want 1", n)
	}
	if n, err := f.db.Client.CampaignMetric.Query().Where(campaignmetric.CampaignID(racer.ID)).Count(ctx); err != nil || n != 1 {
		t.Errorf("%d metric rows after 8 concurrent syncs of one day (%v), want 1", n, err)
	}
}

// TestSyncActive: the scheduled sync covers the ACTIVE campaigns of every organization and only those; one campaign
// the platform refuses does not stop the others.
func TestSyncActive(t *testing.T) {
	t.Parallel()
	f := newCampaignsFixture(t)
	ctxA, ctxB := f.newOrg(t, "A"), f.newOrg(t, "B")
	a := f.activeCampaign(t, ctxA, "A active", 8000, 2000)
	b := f.activeCampaign(t, ctxB, "B active", 1000, 4000)
	paused := f.activeCampaign(t, ctxA, "A paused", 500, 500)
	if _, err := f.svc.Pause(ctxA, paused.ID); err != nil {
		t.Fatal(err)
	}
	draft, err := f.svc.Create(ctxB, ads.CreateInput{Platform: ads.Google, Name: "B draft", DailyBudget: 5, Keywords: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}

	stats, err := f.svc.SyncActive(context.Background())
	if err != nil || stats != (ads.SyncStats{Campaigns: 2, Synced: 2}) {
		t.Fatalf("SyncActive = %+v, %v; want the two ACTIVE campaigns synced", stats, err)
	}
	for _, c := range []struct {
		ctx   context.Context
		id    string
		spend int64
	}{{ctxA, a.ID, 8000}, {ctxB, b.ID, 1000}, {ctxA, paused.ID, 0}, {ctxB, draft.ID, 0}} {
		got, err := f.db.Client.Campaign.Get(c.ctx, c.id)
		if err != nil || got.Spend != c.spend || (c.spend > 0) != (got.MetricsSyncedAt != nil) {
			t.Errorf("campaign %s after SyncActive: %v (%v), want spend %d", c.id, got, err, c.spend)
		}
	}
	if n := len(f.hook.forCampaign(a.ID)); n != 1 {
		t.Errorf("%d low-ROI notices for A's losing campaign, want 1", n)
	}
	if n := len(f.hook.forCampaign(b.ID)); n != 0 {
		t.Errorf("%d low-ROI notices for B's profitable campaign, want 0", n)
	}

	// The platform refuses the first read: that campaign fails, the other is still synced.
	f.fake.FailNext(googlefake.EndpointSearchStream, googlefake.Fault{Kind: googlefake.PermissionDenied})
	stats, err = f.svc.SyncActive(context.Background())
	if stats != (ads.SyncStats{Campaigns: 2, Synced: 1, Failed: 1}) || err == nil {
		t.Fatalf("SyncActive with one refusal = %+v, %v; want one synced, one failed", stats, err)
	}
	var pf *ads.PlatformFailure
	if !errors.As(err, &pf) || (pf.CampaignID != a.ID && pf.CampaignID != b.ID) || !strings.Contains(err.Error(), pf.CampaignID) {
		t.Errorf("error %v, want a PlatformFailure naming the campaign", err)
	}
}
