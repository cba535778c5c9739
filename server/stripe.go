package server

import (
	"errors"
	"io"
	"net/http"

	"github.com/marketingos/marketingos/internal/payments"
)

// maxStripeBody bounds a webhook body; Stripe's events are far smaller.
const maxStripeBody = 512 << 10

// stripeWebhook verifies and applies a Stripe event. 400 for anything that is not a genuine fresh event (nothing
// stored); 200 once applied, for a redelivery, for an event type that does not matter, and for a genuine event
// that can never be applied as it stands (recorded with the reason for an administrator to replay: Stripe retries
// anything else than a 2xx for three days, then disables the endpoint); 5xx when applying failed for a reason a
// retry can fix (the database), so that Stripe retries (nothing was half-written: the event and its effects commit
// together).
func stripeWebhook(d Deps) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxStripeBody))
		if err != nil {
			writeError(w, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "webhook body too large")
			return
		}
		res, err := d.Stripe.Handle(r.Context(), payload, r.Header.Get("Stripe-Signature"))
		switch {
		case errors.Is(err, payments.ErrNotConfigured):
			writeError(w, http.StatusServiceUnavailable, "NOT_CONFIGURED", "STRIPE_WEBHOOK_SECRET is not set")
		case errors.Is(err, payments.ErrBadSignature):
			writeError(w, http.StatusBadRequest, "BAD_SIGNATURE", "signature verification failed")
		case err != nil:
			d.Log.ErrorContext(r.Context(), "stripe event not applied; Stripe will retry", "error", err)
			writeError(w, http.StatusInternalServerError, "INTERNAL", "event not applied; retry later")
		case res.Outcome == payments.Failed:
			d.Log.WarnContext(r.Context(), "stripe event cannot be applied; recorded for replay", "reason", res.Reason)
			writeJSON(w, http.StatusOK, map[string]string{"outcome": string(res.Outcome), "reason": res.Reason})
		default:
			writeJSON(w, http.StatusOK, map[string]string{"outcome": string(res.Outcome)})
		}
	}
}
