package server

import (
	"errors"
	"net/http"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/audit"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/people"
	"github.com/marketingos/marketingos/internal/validation"
)

// acceptInvitation is POST /api/auth/invitations/accept {"token","name","password"}: the dashboard's
// /accept-invitation page posts the token of its link here.
//
//   - The invited address has no account: name and password make one (the password policy applies: 400
//     BAD_USER_INPUT with "field"), and the answer signs the new person in, as login does: 200 {"user",
//     "organizations","session"} and the session cookie.
//   - It has one: the request must be signed in as it, and the membership is added to that session's person (200,
//     the same body, the same session); name and password are ignored. Otherwise 401 SIGN_IN_REQUIRED: sign in
//     (or sign out of another account), then post again.
//   - An unknown, used, revoked or expired token: 410 INVITATION_INVALID, the message saying which.
//
// A refused acceptance changes nothing. A success is recorded as auth.invitationAccepted in the organization.
func (h *authHandlers) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Token    string `json:"token"`
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	if h.perAddress.OnLimit(w, r, "ip:"+h.client.of(r)) {
		return
	}
	var signedIn *ent.User
	sess, u, err := h.deps.Auth.Session(r.Context(), sessionToken(r))
	switch {
	case err == nil:
		signedIn = u
	case !errors.Is(err, auth.ErrInvalidSession):
		h.unavailable(w, r, err)
		return
	}
	ctx := h.auditContext(r)
	acc, err := h.deps.People.Accept(ctx, people.Acceptance{Token: in.Token, Name: in.Name, Password: in.Password, SignedIn: signedIn})
	var (
		invalid *people.InvalidInvitationError
		input   *validation.Error
	)
	switch {
	case errors.As(err, &invalid):
		writeError(w, http.StatusGone, "INVITATION_INVALID", invalid.Message)
		return
	case errors.Is(err, people.ErrSignInRequired):
		writeError(w, http.StatusUnauthorized, "SIGN_IN_REQUIRED",
			"this invitation is for an existing account: sign in to it, then open the link again")
		return
	case errors.As(err, &input):
		writeJSON(w, http.StatusBadRequest, errorBody{Error: errorDetail{Code: "BAD_USER_INPUT", Message: input.Error(), Field: input.Field}})
		return
	case err != nil:
		h.unavailable(w, r, err)
		return
	}
	h.record(ctx, audit.Entry{OrgID: acc.Invitation.OrganizationID, Action: audit.InvitationTaken, ActorUserID: acc.User.ID,
		ObjectID: acc.Invitation.ID, Changes: map[string]any{
			"membershipId": acc.Membership.ID, "role": string(acc.Membership.Role), "newAccount": acc.NewUser,
		}})
	if !acc.NewUser {
		// The person was signed in as the invited account: the session goes on, now with one more organization.
		body, err := h.signedInBody(ctx, acc.User, sess)
		if err != nil {
			h.unavailable(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, body)
		return
	}
	signed, err := h.deps.Auth.StartSession(ctx, acc.User.ID, auth.MethodInvitation, r.UserAgent())
	if err != nil {
		// The account and the membership exist: the person can sign in with the password they chose.
		h.unavailable(w, r, err)
		return
	}
	h.signedIn(w, r, signed, audit.SignIn)
}
