// Package payments applies payment-provider events to attribution: a Stripe checkout becomes a purchase credited
// to the touchpoints that led to it, a refund reverses those credits. Each provider event is applied exactly once.
package payments

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v79"
	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/ent/webhookevent"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/viewer"
)

// ErrBadSignature means the request is not a genuine, fresh Stripe event: bad or missing signature, wrong secret,
// timestamp outside the tolerance, or a body that is not an event.
var ErrBadSignature = errors.New("payments: invalid Stripe signature")

// ErrNoOrganization means the event names no organization this server knows.
var ErrNoOrganization = errors.New("payments: cannot tell which organization the payment belongs to")

// Outcome says what an event did.
type Outcome string

const (
	Applied   Outcome = "applied"
	Duplicate Outcome = "duplicate" // already applied: a redelivery
	Ignored   Outcome = "ignored"   // a type or state that means nothing for attribution
)

// Stripe verifies and applies Stripe webhook events.
type Stripe struct {
	client        *ent.Client
	secret        string
	afterPurchase attribution.AfterPurchase
	stored        func(ctx context.Context, orgID string, ids []string)
	now           func() time.Time
}

// NewStripe returns the Stripe event handler for the endpoint's signing secret (whsec_…). after hears of new
// purchases; stored of every event stored (purchases and refunds), both after commit.
func NewStripe(client *ent.Client, secret string, after attribution.AfterPurchase, stored func(ctx context.Context, orgID string, ids []string)) *Stripe {
	return &Stripe{client: client, secret: secret, afterPurchase: after, stored: stored, now: time.Now}
}

// Handle verifies the signature of payload (within stripe-go's 300 s tolerance; events of any API version are
// accepted, since only a few stable fields are read) and applies the event in one transaction together with the
// record of its id, so that a redelivery, even a concurrent one, changes nothing. An error other than
// ErrBadSignature means nothing was written and Stripe should retry.
func (s *Stripe) Handle(ctx context.Context, payload []byte, signature string) (Outcome, error) {
	event, err := webhook.ConstructEventWithOptions(payload, signature, s.secret, webhook.ConstructEventOptions{
		Tolerance:                webhook.DefaultTolerance,
		IgnoreAPIVersionMismatch: true,
	})
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if event.ID == "" || event.Type == "" {
		return "", fmt.Errorf("%w: the body is not a Stripe event", ErrBadSignature)
	}
	ctx = viewer.SystemContext(ctx) // the signature proved the sender; the organization is read from the event
	switch event.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded":
		var cs stripe.CheckoutSession
		if err := json.Unmarshal(event.Data.Raw, &cs); err != nil {
			return "", fmt.Errorf("payments: decode checkout session: %w", err)
		}
		if cs.PaymentStatus != stripe.CheckoutSessionPaymentStatusPaid {
			return Ignored, nil // paid later: checkout.session.async_payment_succeeded brings it
		}
		org, err := s.organization(ctx, cs.Metadata)
		if err != nil {
			return "", err
		}
		return s.apply(ctx, event, org, func(ctx context.Context, tx *ent.Client) (*ent.AttributionEvent, error) {
			return s.purchase(ctx, tx, org, &cs, s.occurred(event))
		})
	case "charge.refunded":
		var ch stripe.Charge
		if err := json.Unmarshal(event.Data.Raw, &ch); err != nil {
			return "", fmt.Errorf("payments: decode charge: %w", err)
		}
		refs := chargeRefs(&ch)
		if len(refs) == 0 {
			return Ignored, nil
		}
		org, err := s.chargeOrganization(ctx, ch.Metadata, refs)
		if errors.Is(err, errUnknownCharge) {
			return Ignored, nil // no organization recorded a purchase this charge paid for
		}
		if err != nil {
			return "", err
		}
		return s.apply(ctx, event, org, func(ctx context.Context, tx *ent.Client) (*ent.AttributionEvent, error) {
			// The purchase is known by its payment intent, or, for a subscription's checkout (which has none), by
			// its first invoice, which the charge also names.
			for _, ref := range refs {
				refund, err := attribution.RecordRefund(ctx, tx, attribution.Refund{
					Org: org, ExternalRef: ref, RefundedTotal: ch.AmountRefunded,
					At: s.occurred(event), IdempotencyKey: "stripe:" + event.ID,
				})
				if !errors.Is(err, attribution.ErrUnknownPurchase) {
					return refund, err
				}
			}
			return nil, nil // a charge that did not come through a tracked checkout
		})
	default:
		return Ignored, nil
	}
}

// applyFunc applies an event in tx and returns the attribution event it stored, if any.
type applyFunc func(ctx context.Context, tx *ent.Client) (*ent.AttributionEvent, error)

// apply runs fn for org's event and records the event id in one transaction. The record goes first: its unique
// (provider, event_id) index makes a concurrent duplicate wait for the first delivery's transaction and then find
// the id taken.
func (s *Stripe) apply(ctx context.Context, event stripe.Event, org *ent.Organization, fn applyFunc) (Outcome, error) {
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return "", err
	}
	res, err := tx.ExecContext(ctx,
		fmt.Sprintf("INSERT INTO %s (%s, %s, %s, %s, %s, %s) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (%s, %s) DO NOTHING",
			webhookevent.Table, webhookevent.FieldID, webhookevent.FieldProvider, webhookevent.FieldEventID,
			webhookevent.FieldType, webhookevent.FieldOrganizationID, webhookevent.FieldReceivedAt,
			webhookevent.FieldProvider, webhookevent.FieldEventID),
		prefixed.New("whe"), "stripe", event.ID, string(event.Type), org.ID, s.now().UTC())
	if err != nil {
		return "", errors.Join(fmt.Errorf("payments: record event: %w", err), tx.Rollback())
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return Duplicate, errors.Join(err, tx.Rollback())
	}
	stored, err := fn(ctx, tx.Client())
	if err != nil {
		return "", errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("payments: commit: %w", err)
	}
	if stored != nil && stored.EventType == attribution.PurchaseEvent && s.afterPurchase != nil {
		s.afterPurchase(ctx, org, stored)
	}
	if stored != nil && s.stored != nil {
		s.stored(ctx, org.ID, []string{stored.ID})
	}
	return Applied, nil
}

// occurred is when the event happened at Stripe (the payment, not the checkout's start, nor a late redelivery).
func (s *Stripe) occurred(event stripe.Event) time.Time {
	if event.Created == 0 {
		return s.now().UTC()
	}
	return time.Unix(event.Created, 0).UTC()
}

func (s *Stripe) purchase(ctx context.Context, tx *ent.Client, org *ent.Organization, cs *stripe.CheckoutSession, at time.Time) (*ent.AttributionEvent, error) {
	visitor := cmp.Or(cs.ClientReferenceID, cs.Metadata["visitor_id"])
	user := cs.Metadata["user_id"]
	if visitor == "" {
		// Nobody was tracked: the purchase still counts, credited to (direct) unless the user links it.
		visitor = "stripe:" + cmp.Or(customerID(cs), cs.ID)
	}
	// What a refund's charge will name: the payment intent of a one-off payment; a subscription's checkout has
	// none, but its first invoice, which the charge of that invoice names.
	ref := cs.ID
	switch {
	case cs.PaymentIntent != nil && cs.PaymentIntent.ID != "":
		ref = cs.PaymentIntent.ID
	case cs.Invoice != nil && cs.Invoice.ID != "":
		ref = cs.Invoice.ID
	}
	ev, created, err := attribution.RecordPurchase(ctx, tx, attribution.Purchase{
		Org: org, VisitorID: visitor, UserID: user, Value: cs.AmountTotal,
		Currency: strings.ToUpper(string(cs.Currency)), At: at,
		IdempotencyKey: "stripe:" + cs.ID, ExternalRef: ref,
		Metadata: map[string]any{"stripe_checkout_session": cs.ID},
	})
	if err != nil || !created {
		// A session already recorded (its completed event, then async_payment_succeeded) changes nothing, so
		// nobody hears of it again: no second high-value notice, no live update.
		return nil, err
	}
	return ev, nil
}

// organization finds the organization from metadata.tracking_key, or the only organization when there is one.
func (s *Stripe) organization(ctx context.Context, metadata map[string]string) (*ent.Organization, error) {
	if key := metadata["tracking_key"]; key != "" {
		org, err := s.client.Organization.Query().Where(organization.TrackingKey(key)).Only(ctx)
		if ent.IsNotFound(err) {
			return nil, fmt.Errorf("%w: unknown tracking_key in metadata", ErrNoOrganization)
		}
		return org, err
	}
	orgs, err := s.client.Organization.Query().Limit(2).All(ctx)
	if err != nil {
		return nil, err
	}
	if len(orgs) != 1 {
		return nil, fmt.Errorf("%w: set metadata.tracking_key on the checkout session", ErrNoOrganization)
	}
	return orgs[0], nil
}

// errUnknownCharge means no organization recorded a purchase under a refunded charge's references.
var errUnknownCharge = errors.New("payments: no purchase recorded for this charge")

// chargeOrganization finds the organization of a refunded charge: the one its metadata.tracking_key names, else
// the one that recorded the purchase the charge paid for (Stripe copies a checkout session's metadata to neither
// its payment intent nor its charges, so with several organizations the purchase is what tells), else the only
// organization.
func (s *Stripe) chargeOrganization(ctx context.Context, metadata map[string]string, refs []string) (*ent.Organization, error) {
	if metadata["tracking_key"] != "" {
		return s.organization(ctx, metadata)
	}
	orgs, err := s.client.AttributionEvent.Query().
		Where(attributionevent.EventType(attribution.PurchaseEvent), attributionevent.ExternalRefIn(refs...)).
		Unique(true).Select(attributionevent.FieldOrganizationID).Strings(ctx)
	switch {
	case err != nil:
		return nil, err
	case len(orgs) == 1:
		return s.client.Organization.Get(ctx, orgs[0])
	case len(orgs) > 1:
		return nil, fmt.Errorf("%w: purchases of several organizations share the charge's payment", ErrNoOrganization)
	}
	org, err := s.organization(ctx, metadata)
	if errors.Is(err, ErrNoOrganization) {
		return nil, errUnknownCharge
	}
	return org, err
}

func customerID(cs *stripe.CheckoutSession) string {
	if cs.Customer != nil {
		return cs.Customer.ID
	}
	return ""
}

// chargeRefs are the references a charge's purchase may be stored under: its payment intent, then its invoice.
func chargeRefs(ch *stripe.Charge) []string {
	var refs []string
	if ch.PaymentIntent != nil && ch.PaymentIntent.ID != "" {
		refs = append(refs, ch.PaymentIntent.ID)
	}
	if ch.Invoice != nil && ch.Invoice.ID != "" {
		refs = append(refs, ch.Invoice.ID)
	}
	return refs
}
