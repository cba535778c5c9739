package people

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/invitation"
	"github.com/marketingos/marketingos/ent/membership"
	"github.com/marketingos/marketingos/ent/predicate"
	"github.com/marketingos/marketingos/ent/user"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/notify"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Pending is the predicate of the invitations that can still be accepted: neither accepted, revoked nor expired.
func (s *Service) Pending() predicate.Invitation {
	return invitation.And(invitation.AcceptedAtIsNil(), invitation.RevokedAtIsNil(), invitation.ExpiresAtGT(s.now()))
}

// Invite asks the person at email to join the viewer's organization with role: it e-mails them a link with a
// single-use token, valid for InvitationTTL, and keeps only the token's hash. Inviting an OWNER takes an OWNER
// (ErrOwnersOnly); an address that is already a member's is refused for the field "email". An earlier invitation
// of the same address still open is revoked: the new link replaces it. When the e-mail cannot be sent the
// invitation is not kept, the earlier one stands, and the error wraps ErrNotSent.
func (s *Service) Invite(ctx context.Context, email string, role viewer.Role) (*ent.Invitation, error) {
	email, err := auth.NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	if !role.Valid() {
		return nil, validation.Field("role", "must be one of OWNER, ADMIN, MARKETER, VIEWER")
	}
	if role == viewer.Owner && !isOwner(ctx) {
		return nil, ErrOwnersOnly
	}
	v, _ := viewer.FromContext(ctx)
	if v.OrgID == "" {
		return nil, viewer.ErrNoViewer
	}
	org, err := s.client.Organization.Get(ctx, v.OrgID)
	if err != nil {
		return nil, fmt.Errorf("people: invite: %w", err)
	}
	member, err := s.client.Membership.Query().Where(membership.HasUserWith(user.Email(email))).Exist(ctx)
	switch {
	case err != nil:
		return nil, fmt.Errorf("people: invite: %w", err)
	case member:
		return nil, validation.Field("email", "is already a member of %s", org.Name)
	}
	inviter, err := s.inviterName(ctx, v)
	if err != nil {
		return nil, err
	}

	// The e-mail goes out first and the invitation is written after: a failed send then leaves nothing behind,
	// without holding a transaction open while the provider answers.
	now := s.now()
	token := auth.NewToken()
	id := invitation.DefaultID()
	expires := now.Add(InvitationTTL)
	if err := s.mailer.SendEmail(ctx, invitationEmail(id, email, org.Name, inviter, role, s.link(token), expires, token)); err != nil {
		s.log.WarnContext(ctx, "invitation e-mail not sent", "invitation_id", id, "error", err)
		return nil, fmt.Errorf("%w: %w", ErrNotSent, err)
	}
	var out *ent.Invitation
	err = s.inOrganization(ctx, func(tx *ent.Tx) error {
		err := tx.Invitation.Update().
			Where(invitation.Email(email), invitation.AcceptedAtIsNil(), invitation.RevokedAtIsNil()).
			SetRevokedAt(now).
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("people: revoke earlier invitations: %w", err)
		}
		create := tx.Invitation.Create().
			SetID(id).
			SetEmail(email).
			SetRole(role).
			SetTokenHash(auth.HashToken(token)).
			SetExpiresAt(expires)
		if v.UserID != "" {
			create.SetInvitedByID(v.UserID)
		}
		if out, err = create.Save(ctx); err != nil {
			return fmt.Errorf("people: invite: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RevokeInvitation withdraws an invitation of the viewer's organization: its link stops working. Revoking a revoked
// or expired invitation is not an error; an accepted one is refused for the field "id" (remove the member instead).
// Another organization's invitation is not found.
func (s *Service) RevokeInvitation(ctx context.Context, id string) error {
	inv, err := s.client.Invitation.Get(ctx, id)
	if err != nil {
		return err
	}
	if inv.AcceptedAt == nil && inv.RevokedAt == nil {
		n, err := s.client.Invitation.Update().
			Where(invitation.ID(id), invitation.AcceptedAtIsNil(), invitation.RevokedAtIsNil()).
			SetRevokedAt(s.now()).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("people: revoke invitation: %w", err)
		}
		if n == 1 {
			return nil
		}
		// Accepted or revoked meanwhile: answer as if it had been so already.
		if inv, err = s.client.Invitation.Get(ctx, id); err != nil {
			return err
		}
	}
	if inv.AcceptedAt != nil {
		return validation.Field("id", "names an invitation that was accepted; remove the member instead")
	}
	return nil
}

// link is the address an invitation e-mail points at.
func (s *Service) link(token string) string {
	return s.publicURL + AcceptPath + "?token=" + url.QueryEscape(token)
}

// inviterName is how the invitation names who sent it: the person, or the organization for an API key.
func (s *Service) inviterName(ctx context.Context, v viewer.Viewer) (string, error) {
	if v.UserID == "" {
		return "", nil
	}
	u, err := s.client.User.Get(ctx, v.UserID)
	if err != nil {
		return "", fmt.Errorf("people: inviter: %w", err)
	}
	if u.Name == "" {
		return u.Email, nil
	}
	return u.Name + " (" + u.Email + ")", nil
}

// roleWords says in the e-mail what each role may do.
var roleWords = map[viewer.Role]string{
	viewer.Owner:    "an owner: everything, including managing owners",
	viewer.Admin:    "an administrator: members, invitations, API keys, settings, and all the marketing",
	viewer.Marketer: "a marketer: products, campaigns, content and events",
	viewer.ReadOnly: "a viewer: read only",
}

// invitationEmail is the e-mail of an invitation: who invites whom to which organization, as what, the link and
// when it expires. The token is the e-mail's only secret.
func invitationEmail(id, to, orgName, inviter string, role viewer.Role, link string, expires time.Time, token string) notify.Email {
	orgName = oneLine(orgName)
	who := oneLine(inviter)
	if who == "" {
		who = "An administrator of " + orgName
	}
	subject := fmt.Sprintf("%s invited you to join %s on MarketingOS", who, orgName)
	if inviter == "" {
		subject = fmt.Sprintf("You are invited to join %s on MarketingOS", orgName)
	}
	when := expires.UTC().Format("2 January 2006, 15:04 MST")
	intro := fmt.Sprintf("%s invited you to join %s on MarketingOS as %s (%s).", who, orgName, role, roleWords[role])
	outro := fmt.Sprintf("The link works once and expires on %s. If you already have a MarketingOS account with this "+
		"address, sign in to it first; otherwise you will choose your name and a password.", when)
	ignore := "If you did not expect this invitation, you can ignore this e-mail."

	text := intro + "\n\nAccept the invitation:\n" + link + "\n\n" + outro + "\n\n" + ignore + "\n"
	esc := html.EscapeString
	body := "<p>" + esc(intro) + "</p>\n" +
		`<p><a href="` + esc(link) + `">Accept the invitation</a></p>` + "\n" +
		"<p>" + esc(outro) + "</p>\n<p><small>" + esc(ignore) + "</small></p>\n"
	return notify.Email{To: to, Subject: subject, Text: text, HTML: body, Tag: "invitation", ID: id, Secrets: []string{token}}
}

// oneLine folds whitespace, line breaks included, so that a name cannot start a new line of a subject.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Errors of Accept.
var (
	// ErrInvalidInvitation is matched by every InvalidInvitationError.
	ErrInvalidInvitation = errors.New("people: the invitation cannot be accepted")

	ErrInvitationUnknown  = &InvalidInvitationError{Message: "this invitation link is not valid; ask for a new invitation"}
	ErrInvitationAccepted = &InvalidInvitationError{Message: "this invitation has already been accepted; sign in instead"}
	ErrInvitationRevoked  = &InvalidInvitationError{Message: "this invitation was withdrawn; ask for a new one"}
	ErrInvitationExpired  = &InvalidInvitationError{Message: "this invitation has expired; ask for a new one"}

	// ErrSignInRequired means the invitation is for the e-mail of an existing account, and the request is not
	// signed in as that account: the person signs in, then accepts.
	ErrSignInRequired = errors.New("people: the invitation is for an existing account: sign in to it, then accept")
)

// InvalidInvitationError is a token that accepts nothing: unknown, used, revoked or expired. Message is for the
// person holding the link.
type InvalidInvitationError struct{ Message string }

func (e *InvalidInvitationError) Error() string        { return "people: " + e.Message }
func (e *InvalidInvitationError) Is(target error) bool { return target == ErrInvalidInvitation }

// Acceptance is a person taking up an invitation.
type Acceptance struct {
	// Token is the link's.
	Token string
	// Name and Password make the account when the invited address has none (the password policy applies).
	Name, Password string
	// SignedIn is the user of the request's live session, nil when it has none.
	SignedIn *ent.User
}

// Accepted is a membership made from an invitation.
type Accepted struct {
	Invitation *ent.Invitation
	Membership *ent.Membership
	User       *ent.User
	// NewUser is true when the account was made by the acceptance.
	NewUser bool
}

// Accept takes up the invitation of a.Token, once: it makes the account when the invited address has none, or
// — for the account that has it, signed in as itself (else ErrSignInRequired) — adds the membership. A person
// who is already a member keeps the role they have. An unknown, used, revoked or expired token is an
// InvalidInvitationError, and a refused acceptance changes nothing.
func (s *Service) Accept(ctx context.Context, a Acceptance) (*Accepted, error) {
	sys := viewer.SystemContext(ctx)
	inv, err := s.openInvitation(sys, a.Token)
	if err != nil {
		return nil, err
	}
	existing, err := s.client.User.Query().Where(user.Email(inv.Email)).Only(sys)
	switch {
	case ent.IsNotFound(err):
		existing = nil
		if err := newUserInput(a); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("people: accept: %w", err)
	case a.SignedIn == nil || a.SignedIn.ID != existing.ID:
		return nil, ErrSignInRequired
	}

	out := &Accepted{User: existing, NewUser: existing == nil}
	err = store.WithTx(sys, s.client, func(tx *ent.Tx) error {
		now := s.now()
		// The single use: only one acceptance finds the invitation still open.
		n, err := tx.Invitation.Update().
			Where(invitation.ID(inv.ID), invitation.AcceptedAtIsNil(), invitation.RevokedAtIsNil(), invitation.ExpiresAtGT(now)).
			SetAcceptedAt(now).
			Save(sys)
		switch {
		case err != nil:
			return fmt.Errorf("people: accept: %w", err)
		case n == 0:
			return errTaken
		}
		if out.User == nil {
			if out.User, err = auth.CreateUser(sys, tx.Client(), auth.NewUser{Email: inv.Email, Name: a.Name, Password: a.Password}); err != nil {
				return err
			}
		}
		out.Membership, err = tx.Membership.Query().
			Where(membership.OrganizationID(inv.OrganizationID), membership.UserID(out.User.ID)).
			Only(sys)
		if ent.IsNotFound(err) {
			out.Membership, err = tx.Membership.Create().
				SetOrganizationID(inv.OrganizationID).
				SetUserID(out.User.ID).
				SetRole(inv.Role).
				Save(sys)
		}
		if err != nil {
			return fmt.Errorf("people: accept: membership: %w", err)
		}
		out.Invitation, err = tx.Invitation.Get(sys, inv.ID)
		return err
	})
	switch {
	case errors.Is(err, errTaken):
		// Accepted, revoked or expired since it was read: say which.
		if _, why := s.openInvitation(sys, a.Token); why != nil {
			return nil, why
		}
		return nil, ErrInvitationAccepted
	case err != nil:
		return nil, err
	}
	return out, nil
}

// errTaken: the invitation stopped being open between reading it and taking it up.
var errTaken = errors.New("people: the invitation was taken meanwhile")

// openInvitation finds the invitation of token, or says why it accepts nothing.
func (s *Service) openInvitation(sys context.Context, token string) (*ent.Invitation, error) {
	if token == "" || len(token) > 100 {
		return nil, ErrInvitationUnknown
	}
	inv, err := s.client.Invitation.Query().Where(invitation.TokenHash(auth.HashToken(token))).Only(sys)
	switch {
	case ent.IsNotFound(err):
		return nil, ErrInvitationUnknown
	case err != nil:
		return nil, fmt.Errorf("people: accept: %w", err)
	case inv.AcceptedAt != nil:
		return nil, ErrInvitationAccepted
	case inv.RevokedAt != nil:
		return nil, ErrInvitationRevoked
	case !s.now().Before(inv.ExpiresAt):
		return nil, ErrInvitationExpired
	}
	return inv, nil
}

// newUserInput checks, before anything is written, what the account of a new person needs.
func newUserInput(a Acceptance) error {
	if !validation.Text(a.Name) || len(a.Name) > 200 {
		return validation.Field("name", "must be text of at most 200 bytes")
	}
	return auth.CheckPasswordPolicy(a.Password)
}
