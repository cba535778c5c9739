package graph

import (
	"context"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/graph/model"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/tracking"
	"github.com/marketingos/marketingos/internal/viewer"
)

func (r *Resolver) organization(ctx context.Context) (*ent.Organization, error) {
	return r.client.Organization.Get(ctx, viewer.OrgID(ctx))
}

func (r *Resolver) trackEvent(ctx context.Context, in model.TrackEventInput) (*ent.AttributionEvent, error) {
	org, err := r.organization(ctx)
	if err != nil {
		return nil, err
	}
	res, err := r.tracking.Track(ctx, org, tracking.Hit{Input: tracking.Input{
		EventType: in.EventType, VisitorID: deref(in.VisitorID), UserID: deref(in.UserID), Value: in.Value,
		Currency: deref(in.Currency), Source: deref(in.Source), Medium: deref(in.Medium), Campaign: deref(in.Campaign),
		URL: deref(in.URL), Metadata: in.Metadata, IdempotencyKey: deref(in.IdempotencyKey),
	}})
	if err != nil {
		return nil, err
	}
	return r.client.AttributionEvent.Get(ctx, res.Event.ID)
}

func (r *Resolver) attributionReport(ctx context.Context, m model.AttributionModel, from, to *time.Time, groupBy *model.AttributionDimension) (*model.AttributionReport, error) {
	var dim attribution.Dimension
	if groupBy != nil {
		dim = attribution.Dimension(*groupBy)
	}
	rep, err := attribution.ReportForRange(ctx, r.client, viewer.OrgID(ctx), attribution.Model(m), dim, from, to)
	if err != nil {
		return nil, err
	}
	rows := make([]*attribution.Row, len(rep.Rows))
	for i := range rep.Rows {
		rows[i] = &rep.Rows[i]
	}
	return &model.AttributionReport{
		ID: rep.ID, Model: m, Currency: rep.Currency, From: rep.From, To: rep.To, Rows: rows,
		TotalRevenue: rep.TotalRevenue, TotalConversions: rep.TotalConversions,
	}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
