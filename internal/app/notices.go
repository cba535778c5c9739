package app

import (
	"context"
	"fmt"
	"strconv"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/money"
	"github.com/marketingos/marketingos/internal/notify"
)

// notices turns domain events into notices for the admin (Slack, e-mail, or the log).
type notices struct{ n notify.Notifier }

func (n notices) HighValuePurchase(ctx context.Context, org *ent.Organization, ev *ent.AttributionEvent) {
	currency := org.Currency
	if ev.Currency != nil {
		currency = *ev.Currency
	}
	amount := fmt.Sprintf("%.2f %s", money.Major(*ev.Value, currency), currency)
	n.n.Notify(ctx, notify.Notice{
		Kind: notify.HighValueConversion, OrgID: org.ID,
		Title: "High-value purchase: " + amount,
		Text:  fmt.Sprintf("%s received a purchase of %s.", org.Name, amount),
		Fields: map[string]string{"Organization": org.Name, "Amount": amount, "Visitor": ev.VisitorID,
			"User": deref(ev.UserID), "Event": ev.ID},
	})
}

func (n notices) LowROI(ctx context.Context, org *ent.Organization, c *ent.Campaign, p ads.Performance) {
	roi := "n/a"
	if p.ROI != nil {
		roi = strconv.FormatFloat(*p.ROI*100, 'f', 1, 64) + "%"
	}
	n.n.Notify(ctx, notify.Notice{
		Kind: notify.LowROI, OrgID: org.ID,
		Title: "Campaign below break-even: " + c.Name,
		Text:  fmt.Sprintf("%s spent %.2f %s and brought %.2f back.", c.Name, p.Spend, c.Currency, p.Revenue),
		Fields: map[string]string{"Campaign": c.Name, "Platform": string(c.Platform), "ROI": roi,
			"Spend": fmt.Sprintf("%.2f %s", p.Spend, c.Currency), "Revenue": fmt.Sprintf("%.2f %s", p.Revenue, c.Currency)},
	})
}

func (n notices) ContentPublished(ctx context.Context, org *ent.Organization, c *ent.Content) {
	n.n.Notify(ctx, notify.Notice{
		Kind: notify.ContentPublished, OrgID: org.ID,
		Title: "Post published: " + c.Title,
		Text:  c.Hook,
		Fields: map[string]string{"Organization": org.Name, "Status": string(c.Status), "Guards score": score(c.GuardsScore),
			"Post": deref(c.ExternalPostID)},
	})
}

func (n notices) JobFailed(ctx context.Context, run *ent.JobRun) {
	n.n.Notify(ctx, notify.Notice{
		Kind: notify.JobFailed, OrgID: deref(run.OrganizationID),
		Title:  "Job failed: " + run.Job,
		Text:   deref(run.Error),
		Fields: map[string]string{"Job": run.Job, "Run": run.ID, "Started": run.StartedAt.UTC().Format("2006-01-02 15:04 MST")},
	})
}

func score(s *int) string {
	if s == nil {
		return "—"
	}
	return strconv.Itoa(*s)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
