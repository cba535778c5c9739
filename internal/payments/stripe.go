// Package payments applies payment-provider events to attribution: a Stripe checkout becomes a purchase credited
// to the touchpoints that led to it, a refund reverses those credits. Each provider event is applied exactly once.
package payments

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
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
	Pending   Outcome = "pending"   // a refund kept until its purchase is recorded
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
	received := s.now().UTC()
	switch event.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded":
		var cs stripe.CheckoutSession
		if err := json.Unmarshal(event.Data.Raw, &cs); err != nil {
			return "", fmt.Errorf("payments: decode checkout session: %w", err)
		}
		if cs.PaymentStatus != stripe.CheckoutSessionPaymentStatusPaid {
			return Ignored, nil // paid later: checkout.session.async_payment_succeeded brings it
		}
		org, err := organizationOf(ctx, s.client, cs.Metadata)
		if err != nil {
			return "", err
		}
		return s.apply(ctx, event, func(ctx context.Context, tx *ent.Client) (applied, error) {
			stored, err := s.purchase(ctx, tx, org, &cs, s.occurred(event), received)
			return applied{org: org, stored: stored}, err
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
		return s.apply(ctx, event, func(ctx context.Context, tx *ent.Client) (applied, error) {
			return s.refund(ctx, tx, event, &ch, refs)
		})
	default:
		return Ignored, nil
	}
}

// applied is what applying an event did.
type applied struct {
	outcome Outcome                 // Applied when empty
	org     *ent.Organization       // the event's organization, once known
	stored  []*ent.AttributionEvent // the attribution events stored (a purchase, then the refunds that waited for it)
}

// applyFunc applies an event in tx.
type applyFunc func(ctx context.Context, tx *ent.Client) (applied, error)

// apply runs fn and records the event id in one transaction. The record goes first: its unique (provider,
// event_id) index makes a concurrent duplicate wait for the first delivery's transaction and then find the id
// taken.
func (s *Stripe) apply(ctx context.Context, event stripe.Event, fn applyFunc) (Outcome, error) {
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return "", err
	}
	res, err := tx.ExecContext(ctx,
		fmt.Sprintf("INSERT INTO %s (%s, %s, %s, %s, %s) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (%s, %s) DO NOTHING",
			webhookevent.Table, webhookevent.FieldID, webhookevent.FieldProvider, webhookevent.FieldEventID,
			webhookevent.FieldType, webhookevent.FieldReceivedAt, webhookevent.FieldProvider, webhookevent.FieldEventID),
		prefixed.New("whe"), "stripe", event.ID, string(event.Type), s.now().UTC())
	if err != nil {
		return "", errors.Join(fmt.Errorf("payments: record event: %w", err), tx.Rollback())
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return Duplicate, errors.Join(err, tx.Rollback())
	}
	done, err := fn(ctx, tx.Client())
	if err == nil && done.org != nil {
		err = tx.WebhookEvent.Update().Where(webhookevent.Provider("stripe"), webhookevent.EventID(event.ID)).
			SetOrganizationID(done.org.ID).Exec(ctx)
	}
	if err != nil {
		return "", errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("payments: commit: %w", err)
	}
	ids := make([]string, len(done.stored))
	for i, e := range done.stored {
		ids[i] = e.ID
		if e.EventType == attribution.PurchaseEvent && s.afterPurchase != nil {
			s.afterPurchase(ctx, done.org, e)
		}
	}
	if len(ids) > 0 && s.stored != nil {
		s.stored(ctx, done.org.ID, ids)
	}
	return cmp.Or(done.outcome, Applied), nil
}

// refund applies a refunded charge to the purchase it paid for, known by its payment intent or, for a
// subscription's checkout (which has none), by its first invoice, which the charge also names. A refund whose
// purchase is not recorded yet waits for it: Stripe does not deliver events in order.
func (s *Stripe) refund(ctx context.Context, tx *ent.Client, event stripe.Event, ch *stripe.Charge, refs []string) (applied, error) {
	if err := lockPayments(ctx, tx, refs); err != nil {
		return applied{}, err
	}
	org, err := chargeOrganization(ctx, tx, ch.Metadata, refs)
	if err != nil && !errors.Is(err, errUnknownCharge) {
		return applied{}, err
	}
	if org != nil {
		for _, ref := range refs {
			refund, err := attribution.RecordRefund(ctx, tx, attribution.Refund{
				Org: org, ExternalRef: ref, RefundedTotal: ch.AmountRefunded,
				At: s.occurred(event), IdempotencyKey: "stripe:" + event.ID,
			})
			if !errors.Is(err, attribution.ErrUnknownPurchase) {
				return applied{org: org, stored: nonNil(refund)}, err
			}
		}
	}
	upd := tx.WebhookEvent.Update().Where(webhookevent.Provider("stripe"), webhookevent.EventID(event.ID)).
		SetPendingRefundedTotal(ch.AmountRefunded).SetPendingAt(s.occurred(event))
	if ch.PaymentIntent != nil && ch.PaymentIntent.ID != "" {
		upd.SetPendingPaymentIntent(ch.PaymentIntent.ID)
	}
	if ch.Invoice != nil && ch.Invoice.ID != "" {
		upd.SetPendingInvoice(ch.Invoice.ID)
	}
	if err := upd.Exec(ctx); err != nil {
		return applied{}, fmt.Errorf("payments: keep the refund until its purchase: %w", err)
	}
	return applied{outcome: Pending, org: org}, nil
}

// applyWaitingRefunds applies, in tx, the refunds that arrived before the purchase just recorded under ref, clears
// them, and returns the refund events stored. A refund kept for another organization (its charge named one) is
// left alone.
func applyWaitingRefunds(ctx context.Context, tx *ent.Client, org *ent.Organization, ref string) ([]*ent.AttributionEvent, error) {
	waiting, err := tx.WebhookEvent.Query().
		Where(webhookevent.Provider("stripe"),
			webhookevent.Or(webhookevent.PendingPaymentIntent(ref), webhookevent.PendingInvoice(ref)),
			webhookevent.Or(webhookevent.OrganizationIDIsNil(), webhookevent.OrganizationID(org.ID))).
		Order(webhookevent.ByPendingAt()).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("payments: refunds waiting for %s: %w", ref, err)
	}
	var stored []*ent.AttributionEvent
	for _, w := range waiting {
		refund, err := attribution.RecordRefund(ctx, tx, attribution.Refund{
			Org: org, ExternalRef: ref, RefundedTotal: *w.PendingRefundedTotal,
			At: *w.PendingAt, IdempotencyKey: "stripe:" + w.EventID,
		})
		if err != nil {
			return nil, err
		}
		stored = append(stored, nonNil(refund)...)
		err = tx.WebhookEvent.UpdateOne(w).SetOrganizationID(org.ID).
			ClearPendingPaymentIntent().ClearPendingInvoice().ClearPendingRefundedTotal().ClearPendingAt().
			Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("payments: clear waiting refund %s: %w", w.EventID, err)
		}
	}
	return stored, nil
}

// nonNil is e as a list: empty when e is nil (nothing was stored).
func nonNil(e *ent.AttributionEvent) []*ent.AttributionEvent {
	if e == nil {
		return nil
	}
	return []*ent.AttributionEvent{e}
}

// lockPayments serialises, on PostgreSQL, the transactions that record a purchase or a refund of the same
// payments (transaction-scoped advisory locks, in one order), so that a refund and its purchase arriving at once
// cannot both miss each other. SQLite runs one writing transaction at a time already.
func lockPayments(ctx context.Context, tx *ent.Client, refs []string) error {
	if tx.Dialect() != dialect.Postgres {
		return nil
	}
	for _, ref := range slices.Sorted(slices.Values(refs)) {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", "stripe/"+ref); err != nil {
			return fmt.Errorf("payments: lock %s: %w", ref, err)
		}
	}
	return nil
}

// occurred is when the event happened at Stripe (the payment, not the checkout's start, nor a late redelivery).
func (s *Stripe) occurred(event stripe.Event) time.Time {
	if event.Created == 0 {
		return s.now().UTC()
	}
	return time.Unix(event.Created, 0).UTC()
}

// touchedUntil is the latest touchpoint that may have led to a payment Stripe stamped at (whole seconds): the end
// of that second, since the payment may have happened at any moment of it, or the time the event was received
// when that is earlier (a visit after the event reached us came after the payment).
func touchedUntil(at, received time.Time) time.Time {
	end := at.Add(time.Second - time.Microsecond) // the last instant of the second that PostgreSQL can store
	if received.Before(end) {
		return received
	}
	return end
}

// purchase records a paid checkout session, then the refunds that arrived before it; it returns what it stored.
func (s *Stripe) purchase(ctx context.Context, tx *ent.Client, org *ent.Organization, cs *stripe.CheckoutSession, at, received time.Time) ([]*ent.AttributionEvent, error) {
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
	if err := lockPayments(ctx, tx, []string{ref}); err != nil {
		return nil, err
	}
	ev, created, err := attribution.RecordPurchase(ctx, tx, attribution.Purchase{
		Org: org, VisitorID: visitor, UserID: user, Value: cs.AmountTotal,
		Currency: strings.ToUpper(string(cs.Currency)), At: at, TouchedUntil: touchedUntil(at, received),
		IdempotencyKey: "stripe:" + cs.ID, ExternalRef: ref,
		Metadata: map[string]any{"stripe_checkout_session": cs.ID},
	})
	if err != nil || !created {
		// A session already recorded (its completed event, then async_payment_succeeded) changes nothing, so
		// nobody hears of it again: no second high-value notice, no live update.
		return nil, err
	}
	refunds, err := applyWaitingRefunds(ctx, tx, org, ref)
	return append([]*ent.AttributionEvent{ev}, refunds...), err
}

// organizationOf finds, through client, the organization of metadata.tracking_key, or the only organization when
// there is one. Inside a transaction, pass its client: a second connection per webhook could exhaust the pool.
func organizationOf(ctx context.Context, client *ent.Client, metadata map[string]string) (*ent.Organization, error) {
	if key := metadata["tracking_key"]; key != "" {
		org, err := client.Organization.Query().Where(organization.TrackingKey(key)).Only(ctx)
		if ent.IsNotFound(err) {
			return nil, fmt.Errorf("%w: unknown tracking_key in metadata", ErrNoOrganization)
		}
		return org, err
	}
	orgs, err := client.Organization.Query().Limit(2).All(ctx)
	if err != nil {
		return nil, err
	}
	if len(orgs) != 1 {
		return nil, fmt.Errorf("%w: set metadata.tracking_key on the checkout session", ErrNoOrganization)
	}
	return orgs[0], nil
}

// errUnknownCharge means no organization recorded a purchase under a refunded charge's references (yet).
var errUnknownCharge = errors.New("payments: no purchase recorded for this charge")

// chargeOrganization finds the organization of a refunded charge: the one its metadata.tracking_key names, else
// the one that recorded the purchase the charge paid for (Stripe copies a checkout session's metadata to neither
// its payment intent nor its charges, so with several organizations the purchase is what tells), else the only
// organization.
func chargeOrganization(ctx context.Context, tx *ent.Client, metadata map[string]string, refs []string) (*ent.Organization, error) {
	if metadata["tracking_key"] != "" {
		return organizationOf(ctx, tx, metadata)
	}
	orgs, err := tx.AttributionEvent.Query().
		Where(attributionevent.EventType(attribution.PurchaseEvent), attributionevent.ExternalRefIn(refs...)).
		Unique(true).Select(attributionevent.FieldOrganizationID).Strings(ctx)
	switch {
	case err != nil:
		return nil, err
	case len(orgs) == 1:
		return tx.Organization.Get(ctx, orgs[0])
	case len(orgs) > 1:
		return nil, fmt.Errorf("%w: purchases of several organizations share the charge's payment", ErrNoOrganization)
	}
	org, err := organizationOf(ctx, tx, metadata)
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
