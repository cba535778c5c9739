package attribution

import (
	"context"
	"errors"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributioncredit"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
)

// Conversion and refund event types.
const (
	PurchaseEvent = "purchase"
	RefundEvent   = "refund"
)

// MaxTouchpoints bounds the path considered for one conversion; a visitor with more touches in the window is
// credited over the most recent ones.
const MaxTouchpoints = 500

// ErrUnknownPurchase means a refund names a payment no recorded purchase came from.
var ErrUnknownPurchase = errors.New("attribution: no purchase recorded for this payment")

// Purchase is a conversion to record.
type Purchase struct {
	Org       *ent.Organization
	VisitorID string // who bought; may be a synthetic id when only the customer is known
	UserID    string // links the purchase to every visitor that user was seen as
	Value     int64  // minor units
	Currency  string
	At        time.Time
	// TouchedUntil is the latest time a touchpoint may have and still count; zero means At. A provider that stamps
	// At coarser than the touchpoints' clock sets it: Stripe's whole seconds would otherwise leave out a visit in
	// the purchase's own second.
	TouchedUntil   time.Time
	IdempotencyKey string // e.g. the Stripe checkout session; a repeated key records nothing new
	ExternalRef    string // the payment (Stripe payment intent), so that refunds find the purchase
	Metadata       map[string]any
}

// RecordPurchase stores a purchase event and its credits under every model, in the caller's transaction (client
// must be bound to it). It returns the stored event and whether it was new: a purchase whose idempotency key is
// already recorded is returned as it was, without new credits.
func RecordPurchase(ctx context.Context, client *ent.Client, p Purchase) (*ent.AttributionEvent, bool, error) {
	if p.IdempotencyKey != "" {
		existing, err := client.AttributionEvent.Query().
			Where(attributionevent.OrganizationID(p.Org.ID), attributionevent.IdempotencyKey(p.IdempotencyKey)).
			Only(ctx)
		if err == nil {
			return existing, false, nil
		}
		if !ent.IsNotFound(err) {
			return nil, false, fmt.Errorf("attribution: %w", err)
		}
	}
	create := client.AttributionEvent.Create().
		SetID(prefixed.New("evt")).
		SetOrganizationID(p.Org.ID).
		SetVisitorID(p.VisitorID).
		SetEventType(PurchaseEvent).
		SetValue(p.Value).
		SetCurrency(p.Currency).
		SetCreatedAt(p.At).
		SetNillableUserID(nonEmpty(p.UserID)).
		SetNillableIdempotencyKey(nonEmpty(p.IdempotencyKey)).
		SetNillableExternalRef(nonEmpty(p.ExternalRef))
	if p.Metadata != nil {
		create.SetMetadata(p.Metadata)
	}
	ev, err := create.Save(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("attribution: store purchase: %w", err)
	}
	until := p.At
	if p.TouchedUntil.After(until) {
		until = p.TouchedUntil
	}
	touchpoints, err := loadTouchpoints(ctx, client, p.Org, p.VisitorID, p.UserID, until)
	if err != nil {
		return nil, false, err
	}
	var builders []*ent.AttributionCreditCreate
	for _, model := range Models {
		shares := Credit(model, touchpoints, until)
		weights := make([]float64, len(shares))
		for i, s := range shares {
			weights[i] = s.Weight
		}
		for i, amount := range Allocate(p.Value, weights) {
			s := shares[i]
			builders = append(builders, client.AttributionCredit.Create().
				SetOrganizationID(p.Org.ID).
				SetConversionID(ev.ID).
				SetNillableTouchpointID(nonEmpty(s.EventID)).
				SetModel(attributioncredit.Model(model)).
				SetWeight(s.Weight).
				SetConversions(s.Weight).
				SetRevenue(amount).
				SetCurrency(p.Currency).
				SetSource(s.Source).
				SetMedium(s.Medium).
				SetCampaign(s.Campaign).
				SetConvertedAt(p.At))
		}
	}
	if err := client.AttributionCredit.CreateBulk(builders...).Exec(ctx); err != nil {
		return nil, false, fmt.Errorf("attribution: store credits: %w", err)
	}
	return ev, true, nil
}

// loadTouchpoints reads the marketing contacts of the buyer within the organization's window up to at: those of
// the visitor, and those of every visitor the user was identified as (an event carrying both ids links them).
func loadTouchpoints(ctx context.Context, client *ent.Client, org *ent.Organization, visitorID, userID string, at time.Time) ([]Touchpoint, error) {
	visitors := []string{visitorID}
	if userID != "" {
		linked, err := client.AttributionEvent.Query().
			Where(attributionevent.OrganizationID(org.ID), attributionevent.UserID(userID)).
			Unique(true).
			Select(attributionevent.FieldVisitorID).
			Strings(ctx)
		if err != nil {
			return nil, fmt.Errorf("attribution: linked visitors: %w", err)
		}
		visitors = append(visitors, linked...)
	}
	window := time.Duration(org.AttributionWindowDays) * 24 * time.Hour
	events, err := client.AttributionEvent.Query().
		Where(
			attributionevent.OrganizationID(org.ID),
			attributionevent.VisitorIDIn(visitors...),
			attributionevent.CreatedAtGTE(at.Add(-window)),
			attributionevent.CreatedAtLTE(at),
			attributionevent.SourceNotNil(),
			attributionevent.SourceNEQ(""),
			attributionevent.EventTypeNotIn(PurchaseEvent, RefundEvent),
		).
		Order(attributionevent.ByCreatedAt(sql.OrderDesc())).
		Limit(MaxTouchpoints).
		Select(attributionevent.FieldID, attributionevent.FieldCreatedAt, attributionevent.FieldSource,
			attributionevent.FieldMedium, attributionevent.FieldCampaign, attributionevent.FieldSessionID).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("attribution: touchpoints: %w", err)
	}
	out := make([]Touchpoint, len(events))
	for i, e := range events {
		out[i] = Touchpoint{EventID: e.ID, At: e.CreatedAt, Source: e.Source, Medium: e.Medium, Campaign: e.Campaign, SessionID: e.SessionID}
	}
	return out, nil
}

// Refund is a (partial or full) refund of a recorded purchase.
type Refund struct {
	Org         *ent.Organization
	ExternalRef string // the payment the purchase came from
	// RefundedTotal is the cumulative amount refunded on the payment so far, in minor units, as the payment
	// provider reports it; only the part not yet recorded is applied, so replays and out-of-order deliveries add
	// nothing twice.
	RefundedTotal  int64
	At             time.Time
	IdempotencyKey string
}

// RecordRefund reverses the purchase's credits in proportion to the newly refunded amount, in the caller's
// transaction. Refund credits carry the purchase's conversion time, so that reports of a period show its net
// revenue; a full refund also takes the conversions back. It returns nil when there is nothing new to refund.
func RecordRefund(ctx context.Context, client *ent.Client, r Refund) (*ent.AttributionEvent, error) {
	purchase, err := client.AttributionEvent.Query().
		Where(attributionevent.OrganizationID(r.Org.ID), attributionevent.ExternalRef(r.ExternalRef),
			attributionevent.EventType(PurchaseEvent)).
		First(ctx)
	if ent.IsNotFound(err) {
		return nil, ErrUnknownPurchase
	}
	if err != nil {
		return nil, fmt.Errorf("attribution: find purchase: %w", err)
	}
	var refunded []struct {
		Sum *int64 `json:"sum"`
	}
	err = client.AttributionEvent.Query().
		Where(attributionevent.OrganizationID(r.Org.ID), attributionevent.ExternalRef(r.ExternalRef),
			attributionevent.EventType(RefundEvent)).
		Aggregate(ent.Sum(attributionevent.FieldValue)).
		Scan(ctx, &refunded)
	if err != nil {
		return nil, fmt.Errorf("attribution: refunded so far: %w", err)
	}
	var already int64
	if len(refunded) > 0 && refunded[0].Sum != nil {
		already = *refunded[0].Sum
	}
	total := derefInt(purchase.Value)
	delta := min(r.RefundedTotal, total) - already
	if delta <= 0 {
		return nil, nil
	}
	full := already+delta >= total
	refund, err := client.AttributionEvent.Create().
		SetID(prefixed.New("evt")).
		SetOrganizationID(r.Org.ID).
		SetVisitorID(purchase.VisitorID).
		SetNillableUserID(purchase.UserID).
		SetEventType(RefundEvent).
		SetValue(delta).
		SetNillableCurrency(purchase.Currency).
		SetExternalRef(r.ExternalRef).
		SetNillableIdempotencyKey(nonEmpty(r.IdempotencyKey)).
		SetCreatedAt(r.At).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("attribution: store refund: %w", err)
	}
	credits, err := client.AttributionCredit.Query().
		Where(attributioncredit.ConversionID(purchase.ID)).
		Order(attributioncredit.ByID()).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("attribution: purchase credits: %w", err)
	}
	// What earlier partial refunds took back per credit, so that the refund completing a full refund brings every
	// credit to exactly zero rather than to within a rounding cent.
	earlier, err := client.AttributionCredit.Query().
		Where(attributioncredit.HasConversionWith(
			attributionevent.OrganizationID(r.Org.ID), attributionevent.ExternalRef(r.ExternalRef),
			attributionevent.EventType(RefundEvent), attributionevent.IDNEQ(refund.ID))).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("attribution: earlier refund credits: %w", err)
	}
	takenBack := map[creditKey]int64{}
	for _, c := range earlier {
		takenBack[keyOf(c)] += c.Revenue
	}
	byModel := map[attributioncredit.Model][]*ent.AttributionCredit{}
	for _, c := range credits {
		byModel[c.Model] = append(byModel[c.Model], c)
	}
	var builders []*ent.AttributionCreditCreate
	for _, model := range Models {
		cs := byModel[attributioncredit.Model(model)]
		weights := make([]float64, len(cs))
		for i, c := range cs {
			weights[i] = c.Weight
		}
		amounts := Allocate(-delta, weights)
		for i, c := range cs {
			conversions := 0.0
			if full {
				amounts[i] = -(c.Revenue + takenBack[keyOf(c)])
				conversions = -c.Conversions
			}
			builders = append(builders, client.AttributionCredit.Create().
				SetOrganizationID(r.Org.ID).
				SetConversionID(refund.ID).
				SetNillableTouchpointID(c.TouchpointID).
				SetModel(c.Model).
				SetWeight(c.Weight).
				SetConversions(conversions).
				SetRevenue(amounts[i]).
				SetCurrency(c.Currency).
				SetSource(c.Source).
				SetMedium(c.Medium).
				SetCampaign(c.Campaign).
				SetConvertedAt(c.ConvertedAt))
		}
	}
	if err := client.AttributionCredit.CreateBulk(builders...).Exec(ctx); err != nil {
		return nil, fmt.Errorf("attribution: store refund credits: %w", err)
	}
	return refund, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func derefInt(v *int64) int64 {
	if v == nil {
		return 0
	}
	return *v
}

// creditKey identifies a credit's position in a conversion: its model and touchpoint.
type creditKey struct {
	model      attributioncredit.Model
	touchpoint string
}

func keyOf(c *ent.AttributionCredit) creditKey {
	k := creditKey{model: c.Model}
	if c.TouchpointID != nil {
		k.touchpoint = *c.TouchpointID
	}
	return k
}
