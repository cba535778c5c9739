// Package payments applies payment-provider events to attribution: a Stripe checkout becomes a purchase credited
// to the touchpoints that led to it, a refund reverses those credits. Each provider event is applied exactly once.
package payments

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/stripe/stripe-go/v79/webhook"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/ent/webhookevent"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/viewer"
)

// ErrBadSignature means the request is not a genuine, fresh Stripe event: bad or missing signature, wrong secret,
// timestamp outside the tolerance, or a body that is not an event.
var ErrBadSignature = errors.New("payments: invalid Stripe signature")

// ErrNotConfigured means no signing secret is set, so no event can be verified.
var ErrNotConfigured = errors.New("payments: STRIPE_WEBHOOK_SECRET is not set")

// ErrNoOrganization means the event names no organization this server knows.
var ErrNoOrganization = errors.New("payments: cannot tell which organization the payment belongs to")

// Outcome says what an event did.
type Outcome string

const (
	Applied   Outcome = "applied"
	Duplicate Outcome = "duplicate" // already applied: a redelivery
	Ignored   Outcome = "ignored"   // a type or state that means nothing for attribution
	Pending   Outcome = "pending"   // a refund kept until its purchase is recorded
	Failed    Outcome = "failed"    // a genuine event that cannot be applied as it stands: recorded for a replay
)

// Result is what delivering an event did.
type Result struct {
	Outcome Outcome
	Reason  string // why, when it Failed
}

// Stripe verifies and applies Stripe webhook events, and keeps those it cannot apply for a replay.
type Stripe struct {
	client        *ent.Client
	secret        string
	afterPurchase attribution.AfterPurchase
	stored        func(ctx context.Context, orgID string, ids []string)
	now           func() time.Time
}

// NewStripe returns the Stripe event handler for the endpoint's signing secret (whsec_…; empty: events are
// refused with ErrNotConfigured, recorded failures can still be listed and replayed). after hears of new
// purchases; stored of every event stored (purchases and refunds), both after commit.
func NewStripe(client *ent.Client, secret string, after attribution.AfterPurchase, stored func(ctx context.Context, orgID string, ids []string)) *Stripe {
	return &Stripe{client: client, secret: secret, afterPurchase: after, stored: stored, now: time.Now}
}

// Handle verifies the signature of payload (within stripe-go's 300 s tolerance; events of any API version are
// accepted, since only a few stable fields are read) and applies the event in one transaction together with the
// record of its id, so that a redelivery, even a concurrent one, changes nothing. A genuine event that cannot be
// applied as it stands is recorded with the reason and reported as Failed, without an error: Stripe has delivered
// it, and only a replay after a fix can help. An error other than ErrBadSignature and ErrNotConfigured means
// nothing was written and Stripe should retry.
func (s *Stripe) Handle(ctx context.Context, payload []byte, signature string) (Result, error) {
	if s.secret == "" {
		return Result{}, ErrNotConfigured
	}
	if err := webhook.ValidatePayloadWithTolerance(payload, signature, s.secret, webhook.DefaultTolerance); err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	ev, err := decodeEvent(payload)
	if err != nil {
		return Result{}, err
	}
	// The signature proved the sender; the organization is read from the event.
	return s.deliver(viewer.SystemContext(ctx), ev, s.now().UTC())
}

// Failures lists, latest first, up to limit recorded failures that the viewer in ctx may see (the schema's
// tenancy decides which).
func (s *Stripe) Failures(ctx context.Context, limit int) ([]*ent.WebhookEvent, error) {
	return s.client.WebhookEvent.Query().
		Where(webhookevent.Provider("stripe"), webhookevent.FailureReasonNotNil()).
		Order(webhookevent.ByFailedAt(sql.OrderDesc()), webhookevent.ByID()).
		Limit(limit).
		All(ctx)
}

// Replay applies again the recorded failure id, which the viewer in ctx must be able to see, once its cause is
// fixed (an organization created, a bug fixed); it is applied as Stripe's delivery would be, as the system.
// Exactly once still holds: the replay claims the record in the transaction that applies the event, so concurrent
// replays and redeliveries apply it once (the others are Duplicate). A replay that fails again keeps the record
// with the new reason; one whose event now means nothing (Ignored) clears it.
func (s *Stripe) Replay(ctx context.Context, id string) (Result, error) {
	rec, err := s.client.WebhookEvent.Query().
		Where(webhookevent.ID(id), webhookevent.Provider("stripe"), webhookevent.FailureReasonNotNil()).
		Only(ctx)
	if err != nil {
		return Result{}, err
	}
	ev, err := decodeEvent(rec.Payload)
	if err != nil {
		return Result{}, fmt.Errorf("payments: recorded payload of %s: %w", rec.EventID, err)
	}
	ctx = viewer.SystemContext(ctx)
	res, err := s.deliver(ctx, ev, rec.ReceivedAt)
	if err == nil && res.Outcome == Ignored {
		err = s.client.WebhookEvent.Update().Where(webhookevent.ID(rec.ID), webhookevent.FailureReasonNotNil()).
			ClearFailureReason().ClearFailedAt().ClearPayload().Exec(ctx)
	}
	return res, err
}

// deliver applies ev, received at received (its first delivery's time, for a replay), or records why it cannot
// be.
func (s *Stripe) deliver(ctx context.Context, ev event, received time.Time) (Result, error) {
	done, err := s.applyEvent(ctx, ev, received)
	reason, permanent := permanentFailure(err)
	if !permanent {
		return Result{Outcome: cmp.Or(done.outcome, Applied)}, err
	}
	if err := s.recordFailure(ctx, ev, received, reason, done.org); err != nil {
		return Result{}, err
	}
	return Result{Outcome: Failed, Reason: reason}, nil
}

// applyEvent applies ev according to its type. What it returns names the event's organization once known, even
// with an error, so that a failure is recorded where its organization's administrators see it.
func (s *Stripe) applyEvent(ctx context.Context, ev event, received time.Time) (applied, error) {
	at, err := ev.occurred(received)
	if err != nil {
		return applied{}, err
	}
	switch ev.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded":
		var cs checkoutSession
		if err := ev.object("checkout session", &cs); err != nil {
			return applied{}, err
		}
		if !cs.paid() {
			return applied{outcome: Ignored}, nil // paid later: checkout.session.async_payment_succeeded brings it
		}
		if err := storable(nil, cs.Metadata); err != nil {
			return applied{}, err // before the metadata's tracking key reaches a query
		}
		org, err := organizationOf(ctx, s.client, cs.Metadata)
		if err != nil {
			return applied{}, err
		}
		if err := cs.check(); err != nil {
			return applied{org: org}, err
		}
		return s.apply(ctx, ev, received, func(ctx context.Context, tx *ent.Client) (applied, error) {
			stored, err := s.purchase(ctx, tx, org, &cs, at, received)
			return applied{org: org, stored: stored}, err
		})
	case "charge.refunded":
		var ch charge
		if err := ev.object("charge", &ch); err != nil {
			return applied{}, err
		}
		refs := ch.refs()
		if len(refs) == 0 {
			return applied{outcome: Ignored}, nil
		}
		if err := ch.check(); err != nil {
			return applied{}, err
		}
		return s.apply(ctx, ev, received, func(ctx context.Context, tx *ent.Client) (applied, error) {
			return s.refund(ctx, tx, ev, at, &ch, refs)
		})
	default:
		return applied{outcome: Ignored}, nil
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

// apply runs fn and claims the event's record in one transaction. The claim goes first: its unique (provider,
// event_id) index makes a concurrent duplicate wait for the first delivery's transaction and then find the id
// taken. A record of a failure is claimed as well (cleared, to be applied now): that is how a replay, or Stripe
// sending the event again, applies it.
func (s *Stripe) apply(ctx context.Context, ev event, received time.Time, fn applyFunc) (applied, error) {
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return applied{}, err
	}
	res, err := tx.ExecContext(ctx,
		fmt.Sprintf("INSERT INTO %[1]s (%[2]s, %[3]s, %[4]s, %[5]s, %[6]s) VALUES ($1, $2, $3, $4, $5) "+
			"ON CONFLICT (%[3]s, %[4]s) DO UPDATE SET %[7]s = NULL, %[8]s = NULL, %[9]s = NULL WHERE %[1]s.%[7]s IS NOT NULL",
			webhookevent.Table, webhookevent.FieldID, webhookevent.FieldProvider, webhookevent.FieldEventID,
			webhookevent.FieldType, webhookevent.FieldReceivedAt,
			webhookevent.FieldFailureReason, webhookevent.FieldFailedAt, webhookevent.FieldPayload),
		prefixed.New("whe"), "stripe", ev.ID, ev.Type, received)
	if err != nil {
		return applied{}, errors.Join(fmt.Errorf("payments: record event: %w", err), tx.Rollback())
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return applied{outcome: Duplicate}, errors.Join(err, tx.Rollback())
	}
	done, err := fn(ctx, tx.Client())
	if err == nil && done.org != nil {
		err = tx.WebhookEvent.Update().Where(webhookevent.Provider("stripe"), webhookevent.EventID(ev.ID)).
			SetOrganizationID(done.org.ID).Exec(ctx)
	}
	if err != nil {
		return done, errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return applied{}, fmt.Errorf("payments: commit: %w", err)
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
	return done, nil
}

// recordFailure keeps ev, with the reason it cannot be applied and its payload, for a replay: a first failure is
// inserted, a repeated one updates the record; a record of an event already applied is left alone.
func (s *Stripe) recordFailure(ctx context.Context, ev event, received time.Time, reason string, org *ent.Organization) error {
	var orgID *string
	if org != nil {
		orgID = &org.ID
	}
	if len(reason) > maxReason {
		reason = reason[:maxReason]
	}
	_, err := s.client.ExecContext(ctx,
		fmt.Sprintf("INSERT INTO %[1]s (%[2]s, %[3]s, %[4]s, %[5]s, %[6]s, %[7]s, %[8]s, %[9]s, %[10]s) "+
			"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (%[3]s, %[4]s) DO UPDATE SET "+
			"%[8]s = excluded.%[8]s, %[9]s = excluded.%[9]s, %[10]s = excluded.%[10]s, "+
			"%[7]s = COALESCE(excluded.%[7]s, %[1]s.%[7]s) WHERE %[1]s.%[8]s IS NOT NULL",
			webhookevent.Table, webhookevent.FieldID, webhookevent.FieldProvider, webhookevent.FieldEventID,
			webhookevent.FieldType, webhookevent.FieldReceivedAt, webhookevent.FieldOrganizationID,
			webhookevent.FieldFailureReason, webhookevent.FieldFailedAt, webhookevent.FieldPayload),
		prefixed.New("whe"), "stripe", ev.ID, ev.Type, received, orgID, reason, s.now().UTC(), ev.payload)
	if err != nil {
		return fmt.Errorf("payments: record the failure of %s: %w", ev.ID, err)
	}
	return nil
}

// maxReason bounds a recorded reason, as its column does.
const maxReason = 1000

// refund applies a refunded charge to the purchase it paid for, known by its payment intent or, for a
// subscription's checkout (which has none), by its first invoice, which the charge also names. A refund whose
// purchase is not recorded yet waits for it: Stripe does not deliver events in order.
func (s *Stripe) refund(ctx context.Context, tx *ent.Client, ev event, at time.Time, ch *charge, refs []string) (applied, error) {
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
				Org: org, ExternalRef: ref, RefundedTotal: *ch.AmountRefunded,
				At: at, IdempotencyKey: "stripe:" + ev.ID,
			})
			if !errors.Is(err, attribution.ErrUnknownPurchase) {
				return applied{org: org, stored: nonNil(refund)}, err
			}
		}
	}
	upd := tx.WebhookEvent.Update().Where(webhookevent.Provider("stripe"), webhookevent.EventID(ev.ID)).
		SetPendingRefundedTotal(*ch.AmountRefunded).SetPendingAt(at)
	if ch.PaymentIntent.ID != "" {
		upd.SetPendingPaymentIntent(ch.PaymentIntent.ID)
	}
	if ch.Invoice.ID != "" {
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
func (s *Stripe) purchase(ctx context.Context, tx *ent.Client, org *ent.Organization, cs *checkoutSession, at, received time.Time) ([]*ent.AttributionEvent, error) {
	visitor := cmp.Or(cs.ClientReferenceID, cs.Metadata["visitor_id"])
	user := cs.Metadata["user_id"]
	if visitor == "" {
		// Nobody was tracked: the purchase still counts, credited to (direct) unless the user links it.
		visitor = "stripe:" + cmp.Or(cs.Customer.ID, cs.ID)
	}
	// What a refund's charge will name: the payment intent of a one-off payment; a subscription's checkout has
	// none, but its first invoice, which the charge of that invoice names.
	ref := cs.ID
	switch {
	case cs.PaymentIntent.ID != "":
		ref = cs.PaymentIntent.ID
	case cs.Invoice.ID != "":
		ref = cs.Invoice.ID
	}
	if err := lockPayments(ctx, tx, []string{ref}); err != nil {
		return nil, err
	}
	ev, created, err := attribution.RecordPurchase(ctx, tx, attribution.Purchase{
		Org: org, VisitorID: visitor, UserID: user, Value: *cs.AmountTotal,
		Currency: strings.ToUpper(cs.Currency), At: at, TouchedUntil: touchedUntil(at, received),
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
		org, err := client.Organization.Query().Where(account.ByTrackingKey(key, time.Now())).Only(ctx)
		if ent.IsNotFound(err) {
			return nil, &UnprocessableError{Reason: "metadata.tracking_key names no organization", Err: ErrNoOrganization}
		}
		return org, err
	}
	orgs, err := client.Organization.Query().Limit(2).All(ctx)
	if err != nil {
		return nil, err
	}
	if len(orgs) != 1 {
		return nil, &UnprocessableError{
			Reason: "no metadata.tracking_key, and there is not exactly one organization", Err: ErrNoOrganization,
		}
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
		return nil, &UnprocessableError{
			Reason: "purchases of several organizations share the charge's payment", Err: ErrNoOrganization,
		}
	}
	org, err := organizationOf(ctx, tx, metadata)
	if errors.Is(err, ErrNoOrganization) {
		return nil, errUnknownCharge
	}
	return org, err
}
