package payments

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/store"
)

// Stripe's payloads are decoded here, defensively: into the few fields this package reads, each checked, so that
// no signed JSON can panic the handler or be stored half-understood. Anything wrong with a genuine event is an
// UnprocessableError, which the event is recorded with; only the envelope's id and type must be sound, since the
// record is keyed by them.

// UnprocessableError means a genuine event can never be applied as it stands: garbled (a field missing or of the
// wrong type, an amount that is not a positive integer of minor units, a value the database refuses) or naming no
// organization. Redelivering it cannot help: it is recorded with Reason and can be replayed once the cause is
// fixed.
type UnprocessableError struct {
	Reason string
	Err    error // a sentinel it is also, such as ErrNoOrganization
}

func (e *UnprocessableError) Error() string { return "payments: event cannot be applied: " + e.Reason }
func (e *UnprocessableError) Unwrap() error { return e.Err }

func unprocessable(format string, args ...any) error {
	return &UnprocessableError{Reason: fmt.Sprintf(format, args...)}
}

// permanentFailure reports whether err is a failure no retry can fix, and why. This is the one place that
// decides: the event's own defects, values the schema or the database refuse; everything else (a database that
// does not answer, a transaction that lost a race) is worth a retry.
func permanentFailure(err error) (reason string, ok bool) {
	var unprocessableErr *UnprocessableError
	var validationErr *ent.ValidationError
	if errors.As(err, &unprocessableErr) {
		return unprocessableErr.Reason, true
	}
	if errors.As(err, &validationErr) {
		return fmt.Sprintf("%s is refused: %v", validationErr.Name, errors.Unwrap(validationErr)), true
	}
	if msg, ok := store.DataError(err); ok {
		return "the database refuses a value: " + msg, true
	}
	return "", false
}

// maxIDLength bounds the event id and type, as the record's columns do.
const maxIDLength = 255

// event is a verified Stripe event: its id and type, and the rest still raw, decoded by whoever needs it.
type event struct {
	ID      string
	Type    string
	created json.RawMessage
	data    json.RawMessage
	payload []byte // as signed, kept with a failure for its replay
}

// decodeEvent reads the envelope of a verified payload. A body without a usable id and type is not an event
// (Stripe never sends one, and there is no key to record it under): ErrBadSignature.
func decodeEvent(payload []byte) (event, error) {
	var env struct {
		ID      json.RawMessage `json:"id"`
		Type    json.RawMessage `json:"type"`
		Created json.RawMessage `json:"created"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(payload, &env); err != nil {
		return event{}, fmt.Errorf("%w: the body is not a JSON object", ErrBadSignature)
	}
	id, idErr := text("id", env.ID, maxIDLength)
	typ, typeErr := text("type", env.Type, maxIDLength)
	if idErr != nil || typeErr != nil || id == "" || typ == "" {
		return event{}, fmt.Errorf("%w: the body is not a Stripe event (no usable id and type)", ErrBadSignature)
	}
	return event{ID: id, Type: typ, created: env.Created, data: env.Data, payload: payload}, nil
}

// occurred is when the event happened at Stripe (the payment, not the checkout's start, nor a late redelivery),
// in whole seconds; received when the event carries no time.
func (e event) occurred(received time.Time) (time.Time, error) {
	if isNull(e.created) {
		return received, nil
	}
	var secs int64
	if err := json.Unmarshal(e.created, &secs); err != nil || secs < 0 {
		return time.Time{}, unprocessable("created is not a Unix time in seconds")
	}
	if secs == 0 {
		return received, nil
	}
	return time.Unix(secs, 0).UTC(), nil
}

// object decodes data.object into v, which names what it should be in the reason of a failure.
func (e event) object(what string, v any) error {
	var data struct {
		Object json.RawMessage `json:"object"`
	}
	if isNull(e.data) || json.Unmarshal(e.data, &data) != nil {
		return unprocessable("the event has no data object")
	}
	if isNull(data.Object) || !bytes.HasPrefix(bytes.TrimSpace(data.Object), []byte("{")) {
		return unprocessable("data.object is not a %s", what)
	}
	if err := json.Unmarshal(data.Object, v); err != nil {
		return unprocessable("data.object is not a %s: %s", what, jsonProblem(err))
	}
	return nil
}

// checkoutSession is what is read of a Checkout Session.
type checkoutSession struct {
	ID                string            `json:"id"`
	PaymentStatus     string            `json:"payment_status"`
	AmountTotal       *int64            `json:"amount_total"`
	Currency          string            `json:"currency"`
	ClientReferenceID string            `json:"client_reference_id"`
	Metadata          map[string]string `json:"metadata"`
	PaymentIntent     ref               `json:"payment_intent"`
	Invoice           ref               `json:"invoice"`
	Customer          ref               `json:"customer"`
}

// paid means the money was collected: paid later, checkout.session.async_payment_succeeded brings it.
func (cs *checkoutSession) paid() bool { return cs.PaymentStatus == "paid" }

// check refuses a paid session this package cannot record: an amount that is not a positive integer of minor
// units (a purchase never lowers revenue; a refund is the only negative), or text the database cannot store.
func (cs *checkoutSession) check() error {
	switch {
	case cs.ID == "":
		return unprocessable("the checkout session has no id")
	case cs.AmountTotal == nil:
		return unprocessable("amount_total is missing")
	case *cs.AmountTotal <= 0:
		return unprocessable("amount_total %d is not a positive amount of minor units", *cs.AmountTotal)
	}
	return storable(map[string]string{
		"id": cs.ID, "currency": cs.Currency, "client_reference_id": cs.ClientReferenceID,
		"payment_intent": cs.PaymentIntent.ID, "invoice": cs.Invoice.ID, "customer": cs.Customer.ID,
	}, cs.Metadata)
}

// charge is what is read of a refunded Charge.
type charge struct {
	AmountRefunded *int64            `json:"amount_refunded"`
	Metadata       map[string]string `json:"metadata"`
	PaymentIntent  ref               `json:"payment_intent"`
	Invoice        ref               `json:"invoice"`
}

// check refuses a refund this package cannot apply: the total refunded must be a positive amount of minor units.
func (ch *charge) check() error {
	switch {
	case ch.AmountRefunded == nil:
		return unprocessable("amount_refunded is missing")
	case *ch.AmountRefunded <= 0:
		return unprocessable("amount_refunded %d is not a positive amount of minor units", *ch.AmountRefunded)
	}
	return storable(map[string]string{"payment_intent": ch.PaymentIntent.ID, "invoice": ch.Invoice.ID}, ch.Metadata)
}

// refs are the references a charge's purchase may be stored under: its payment intent, then its invoice.
func (ch *charge) refs() []string {
	var refs []string
	for _, r := range []ref{ch.PaymentIntent, ch.Invoice} {
		if r.ID != "" {
			refs = append(refs, r.ID)
		}
	}
	return refs
}

// ref is an expandable Stripe reference: an id, an expanded object carrying its id, or null.
type ref struct{ ID string }

var errBadRef = errors.New("is neither an id nor an object with one")

func (r *ref) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		*r = ref{}
		return nil
	}
	if err := json.Unmarshal(b, &r.ID); err == nil {
		return nil
	}
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return errBadRef
	}
	r.ID = obj.ID
	return nil
}

// storable refuses text the database would refuse (PostgreSQL stores no NUL character), naming the field.
func storable(fields, metadata map[string]string) error {
	for name, v := range fields {
		if strings.ContainsRune(v, 0) {
			return unprocessable("%s contains a NUL character", name)
		}
	}
	for k, v := range metadata {
		if strings.ContainsRune(k, 0) || strings.ContainsRune(v, 0) {
			return unprocessable("metadata contains a NUL character")
		}
	}
	return nil
}

// text decodes a JSON string of at most max bytes, without NUL characters.
func text(name string, raw json.RawMessage, max int) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%s is not a string", name)
	}
	if len(s) > max || strings.ContainsRune(s, 0) {
		return "", fmt.Errorf("%s is not a usable identifier", name)
	}
	return s, nil
}

func isNull(raw json.RawMessage) bool {
	trimmed := bytes.TrimSpace(raw)
	return len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null"))
}

// jsonProblem says which field of the object has the wrong type, without Go's type names.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return fmt.Sprintf("%s is not %s", typeErr.Field, jsonKind(typeErr.Type.Kind()))
	}
	if errors.Is(err, errBadRef) {
		return "payment_intent, invoice or customer " + errBadRef.Error()
	}
	return "it does not decode"
}

func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Int64:
		return "an integer"
	case reflect.String:
		return "a string"
	case reflect.Map:
		return "an object of strings"
	}
	return "of the expected type"
}
