package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/campaign"
	"github.com/marketingos/marketingos/ent/product"
	"github.com/marketingos/marketingos/ent/schema/jsontype"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/content"
	"github.com/marketingos/marketingos/internal/tracking"
	"github.com/marketingos/marketingos/internal/visitors"
)

// Days of sample history.
const Days = 30

// sampleCampaigns are created in mock mode, whatever credentials the server has: sample data must never spend.
var sampleCampaigns = []ads.CreateInput{
	{Platform: ads.Google, Name: "Insights — Search — Retention", UTMCampaign: "insights-search", DailyBudget: 40,
		Keywords: []string{"product analytics", "retention analytics", "[cohort analysis tool]"}, Objective: "SALES"},
	{Platform: ads.Facebook, Name: "Insights — Retargeting", UTMCampaign: "insights-retarget", DailyBudget: 25,
		Objective: "SALES", Creatives: []jsontype.Creative{{Headline: "Know why users stay", Body: "Retention answers in minutes, without a data team.", LinkURL: "https://insights.example.com/?utm_source=facebook&utm_campaign=insights-retarget"}}},
	{Platform: ads.Google, Name: "Forms — Search — Lead capture", UTMCampaign: "forms-search", DailyBudget: 15,
		Keywords: []string{"lead capture form", "crm form builder"}, Objective: "LEADS"},
}

// channel is where sample visitors come from, with how many arrive a day.
type channel struct {
	source, medium, campaign string
	perDay                   int
	convRate                 float64 // chance that a visitor from here buys
}

var sampleChannels = []channel{
	{"google", "cpc", "insights-search", 18, 0.05},
	{"facebook", "cpc", "insights-retarget", 12, 0.03},
	{"google", "cpc", "forms-search", 8, 0.04},
	{"google", "organic", "", 14, 0.03},
	{"newsletter", "email", "november", 5, 0.06},
	{"(direct)", "(none)", "", 9, 0.02},
}

// seedCampaigns creates the sample campaigns (mock), launches them, and syncs their metrics once the sample
// purchases are credited, so that their ROAS reads from attribution.
func seedCampaigns(ctx context.Context, client *ent.Client) ([]*ent.Campaign, error) {
	campaigns := ads.NewCampaigns(client, nil, ads.Hooks{}, slog.New(slog.DiscardHandler))
	insights, err := client.Product.Query().Where(product.Name("Acme Insights")).Only(ctx)
	if err != nil {
		return nil, err
	}
	var out []*ent.Campaign
	for _, in := range sampleCampaigns {
		existing, err := client.Campaign.Query().Where(campaign.UtmCampaign(in.UTMCampaign)).Only(ctx)
		if err == nil {
			out = append(out, existing)
			continue
		}
		if !ent.IsNotFound(err) {
			return nil, err
		}
		in.ProductID = &insights.ID
		c, err := campaigns.Create(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("demo: campaign %q: %w", in.Name, err)
		}
		if c, err = campaigns.Resume(ctx, c.ID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func syncCampaigns(ctx context.Context, client *ent.Client, list []*ent.Campaign) error {
	campaigns := ads.NewCampaigns(client, nil, ads.Hooks{}, slog.New(slog.DiscardHandler))
	var errs []error
	for _, c := range list {
		if _, err := campaigns.Sync(ctx, c.ID); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// seedTraffic writes Days of visits, signups and purchases, unless the organization has events already. The
// random source is seeded, so every demo database tells the same story.
func seedTraffic(ctx context.Context, client *ent.Client, org *ent.Organization, now time.Time) error {
	if n, err := client.AttributionEvent.Query().Where(attributionevent.OrganizationID(org.ID)).Count(ctx); err != nil || n > 0 {
		return err
	}
	rng := rand.New(rand.NewPCG(42, uint64(len(org.Name))))
	type purchase struct {
		visitor, user string
		at            time.Time
		value         int64
	}
	var (
		events    []tracking.Event
		purchases []purchase
	)
	start := now.Add(-Days * 24 * time.Hour)
	for day := 0; day < Days; day++ {
		for _, ch := range sampleChannels {
			for v := 0; v < ch.perDay+rng.IntN(ch.perDay/2+1); v++ {
				visitor := fmt.Sprintf("demo-v-%d-%s-%d", day, ch.source, v)
				at := start.Add(time.Duration(day)*24*time.Hour + time.Duration(rng.IntN(20*3600))*time.Second)
				session := visitor + "-s1"
				events = append(events, sampleEvent(org.ID, visitor, session, tracking.PageView, at, ch))
				// Some come back through the retargeting campaign before deciding.
				if ch.campaign == "insights-search" && rng.Float64() < 0.3 {
					back := sampleChannels[1]
					at = at.Add(time.Duration(1+rng.IntN(48)) * time.Hour)
					events = append(events, sampleEvent(org.ID, visitor, visitor+"-s2", tracking.PageView, at, back))
				}
				if rng.Float64() < ch.convRate*3 {
					user := "demo-user-" + visitor
					signup := sampleEvent(org.ID, visitor, session, tracking.Signup, at.Add(5*time.Minute), channel{})
					signup.UserID = user
					events = append(events, signup)
					if rng.Float64() < 1.0/3 {
						value := int64(4900)
						if rng.IntN(4) == 0 {
							value = 19900
						}
						purchases = append(purchases, purchase{visitor, user, at.Add(time.Duration(10+rng.IntN(600)) * time.Minute), value})
					}
				}
			}
		}
	}
	// The last days' visitors come back (retargeting, up to two days later) and sign up after now: those visits have
	// not happened yet, and a dashboard or export would show them in the future. They are dropped after the draws,
	// so the story up to now stays the same; their purchases are skipped below for the same reason.
	events = slices.DeleteFunc(events, func(e tracking.Event) bool { return e.CreatedAt.After(now) })
	tx, err := client.Tx(ctx)
	if err != nil {
		return err
	}
	builders := make([]*ent.AttributionEventCreate, len(events))
	for i, e := range events {
		builders[i] = tracking.CreateBuilder(tx.Client(), e)
	}
	// Each bulk insert is recorded in the visitors rollup with one Record call.
	bulk := visitors.Batched(ctx)
	for start := 0; start < len(builders); start += 400 { // SQLite bounds the variables of one statement
		if err := tx.AttributionEvent.CreateBulk(builders[start:min(start+400, len(builders))]...).Exec(bulk); err != nil {
			return errors.Join(err, tx.Rollback())
		}
	}
	for i, p := range purchases {
		if p.at.After(now) {
			continue
		}
		_, _, err := attribution.RecordPurchase(ctx, tx.Client(), attribution.Purchase{
			Org: org, VisitorID: p.visitor, UserID: p.user, Value: p.value, Currency: org.Currency, At: p.at,
			IdempotencyKey: fmt.Sprintf("demo-order-%d", i),
		})
		if err != nil {
			return errors.Join(err, tx.Rollback())
		}
	}
	return tx.Commit()
}

func sampleEvent(orgID, visitor, session, typ string, at time.Time, ch channel) tracking.Event {
	return tracking.Event{
		ID: prefixed.New("evt"), OrgID: orgID, VisitorID: visitor, SessionID: session, EventType: typ,
		Channel:   tracking.Channel{Source: ch.source, Medium: ch.medium, Campaign: ch.campaign},
		URL:       "https://insights.example.com/",
		CreatedAt: at.UTC(),
	}
}

// seedContent writes a few posts with the template generator (never Claude, never Postiz: sample data costs
// nothing and publishes nothing), unless the organization has posts already.
func seedContent(ctx context.Context, client *ent.Client) error {
	if n, err := client.Content.Query().Count(ctx); err != nil || n > 0 {
		return err
	}
	quiet := slog.New(slog.DiscardHandler)
	engine := content.NewEngine(client, "", content.NewTemplate(), content.NewLogPublisher(quiet), content.EngineHooks{}, quiet)
	products, err := client.Product.Query().Where(product.MarketingEnabled(true)).All(ctx)
	if err != nil {
		return err
	}
	for _, p := range products {
		for _, kind := range []string{"educational", "offer"} {
			if _, err := engine.Generate(ctx, content.GenerateInput{ProductID: p.ID, Kind: kind}); err != nil {
				return fmt.Errorf("demo: post for %q: %w", p.Name, err)
			}
		}
	}
	return nil
}
