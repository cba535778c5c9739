package auth

// Single sign-on: OpenID Connect's authorization code flow, with a state, a nonce and PKCE (S256), against the
// provider of OIDC_ISSUER_URL; then the user the provider vouches for, and the organizations they may join.

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/invitation"
	"github.com/marketingos/marketingos/ent/membership"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/ent/user"
	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

var (
	// ErrOIDCUnavailable means the provider could not be reached, or answered what is not OpenID Connect: nobody is
	// at fault but the network or the provider, and trying again later may work.
	ErrOIDCUnavailable = errors.New("auth: the single sign-on provider is unavailable")
	// ErrOIDCRejected means the provider's answer does not prove who is signing in: the state, the code (PKCE), the
	// ID token's signature, issuer, audience or expiry, or its nonce is wrong.
	ErrOIDCRejected = errors.New("auth: the single sign-on answer is not valid")
	// ErrNoVerifiedEmail means the ID token carries no e-mail address the provider says it has verified.
	ErrNoVerifiedEmail = errors.New("auth: the provider vouches for no verified e-mail address")
	// ErrIdentityConflict means the e-mail is an account's that is already linked to another person (another
	// subject) of the same provider.
	ErrIdentityConflict = errors.New("auth: the e-mail belongs to another single sign-on account")
)

// providerTimeout bounds every request to the provider: discovery, the token exchange and the key set.
const providerTimeout = 10 * time.Second

// OIDC speaks OpenID Connect to the configured provider. Its discovery document is fetched on first use, not at
// start-up, so that a provider that is briefly down does not keep the server from starting; a failed discovery is
// retried by the next sign-in, a successful one is kept for the life of the process (go-oidc refreshes the signing
// keys itself when a token names a key it does not know).
type OIDC struct {
	issuer, clientID, clientSecret, redirectURL string
	client                                      *http.Client

	mu       sync.Mutex
	provider *oidcProvider
	inflight *discovery
}

type oidcProvider struct {
	endpoint oauth2.Endpoint
	verifier *oidc.IDTokenVerifier
}

// discovery is a discovery in progress, which the sign-ins that arrive meanwhile wait for rather than start their
// own.
type discovery struct {
	done     chan struct{}
	provider *oidcProvider
	err      error
}

// NewOIDC returns the client of the configured provider, or nil when single sign-on is not configured. The
// provider redirects people back to PUBLIC_URL/api/auth/oidc/callback.
func NewOIDC(cfg config.Auth) *OIDC {
	if !cfg.OIDC.Configured() {
		return nil
	}
	return &OIDC{
		issuer:       cfg.OIDC.IssuerURL,
		clientID:     cfg.OIDC.ClientID,
		clientSecret: cfg.OIDC.ClientSecret,
		redirectURL:  cfg.PublicURL + "/api/auth/oidc/callback",
		client:       &http.Client{Timeout: providerTimeout},
	}
}

// Flow is what one sign-in must remember between sending the browser to the provider and the provider sending it
// back. The caller keeps it where only that browser can hand it back (an HttpOnly cookie); all three values are
// random and single-use.
type Flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
}

// NewFlow starts a sign-in: a new state, nonce and PKCE verifier.
func NewFlow() Flow {
	return Flow{State: randomString(), Nonce: randomString(), Verifier: oauth2.GenerateVerifier()}
}

// StateMatches reports whether state, from the provider's redirect back, is f's.
func (f Flow) StateMatches(state string) bool {
	return f.State != "" && subtle.ConstantTimeCompare([]byte(state), []byte(f.State)) == 1
}

// AuthCodeURL is the provider's address that the browser is sent to, asking for the openid, email and profile
// scopes, with f's state, nonce and PKCE challenge.
func (o *OIDC) AuthCodeURL(ctx context.Context, f Flow) (string, error) {
	p, err := o.discover(ctx)
	if err != nil {
		return "", err
	}
	return o.config(p).AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), nil
}

// Identity is a person as the provider vouches for them.
type Identity struct {
	Issuer, Subject string
	// Email is normalized (NormalizeEmail) and verified by the provider.
	Email string
	// Name is the name claim when it is storable text, else "".
	Name string
}

// idClaims are the claims read from an ID token besides the registered ones.
type idClaims struct {
	Email string `json:"email"`
	// EmailVerified is a boolean, or the string "true" from providers that send it so.
	EmailVerified any    `json:"email_verified"`
	Name          string `json:"name"`
}

// Finish completes the sign-in f began, with the state and code of the provider's redirect back: the state must be
// f's, the code is exchanged with f's PKCE verifier, and the ID token must be signed by the provider, be for this
// client, be current and carry f's nonce and a verified e-mail. It returns ErrOIDCRejected, ErrNoVerifiedEmail or
// ErrOIDCUnavailable (each wrapped with the reason).
func (o *OIDC) Finish(ctx context.Context, f Flow, state, code string) (Identity, error) {
	if !f.StateMatches(state) {
		return Identity{}, fmt.Errorf("%w: the state does not match the one sent", ErrOIDCRejected)
	}
	if code == "" {
		return Identity{}, fmt.Errorf("%w: no code", ErrOIDCRejected)
	}
	p, err := o.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	ctx = oidc.ClientContext(ctx, o.client)
	tok, err := o.config(p).Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	var refused *oauth2.RetrieveError
	switch {
	case errors.As(err, &refused):
		// The provider refused the code: spent, expired, for another client, or the PKCE verifier does not match.
		return Identity{}, fmt.Errorf("%w: the token endpoint refused the code: %s", ErrOIDCRejected, refusalReason(refused))
	case err != nil:
		return Identity{}, fmt.Errorf("%w: token exchange: %w", ErrOIDCUnavailable, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, fmt.Errorf("%w: the token response has no id_token", ErrOIDCRejected)
	}
	idt, err := p.verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %w", ErrOIDCRejected, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return Identity{}, fmt.Errorf("%w: the ID token's nonce is not the one sent", ErrOIDCRejected)
	}
	if idt.Subject == "" {
		return Identity{}, fmt.Errorf("%w: the ID token has no subject", ErrOIDCRejected)
	}
	var c idClaims
	if err := idt.Claims(&c); err != nil {
		return Identity{}, fmt.Errorf("%w: claims: %w", ErrOIDCRejected, err)
	}
	if v, _ := c.EmailVerified.(bool); !v && c.EmailVerified != "true" {
		return Identity{}, fmt.Errorf("%w: email_verified is %v", ErrNoVerifiedEmail, c.EmailVerified)
	}
	email, err := NormalizeEmail(c.Email)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: the email claim %q is not an address", ErrNoVerifiedEmail, c.Email)
	}
	name := strings.TrimSpace(c.Name)
	if !validation.Text(name) || len(name) > 200 {
		name = ""
	}
	return Identity{Issuer: idt.Issuer, Subject: idt.Subject, Email: email, Name: name}, nil
}

func refusalReason(e *oauth2.RetrieveError) string {
	if e.ErrorCode != "" {
		return e.ErrorCode
	}
	if e.Response != nil {
		return e.Response.Status
	}
	return "refused"
}

func (o *OIDC) config(p *oidcProvider) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     o.clientID,
		ClientSecret: o.clientSecret,
		Endpoint:     p.endpoint,
		RedirectURL:  o.redirectURL,
		Scopes:       []string{oidc.ScopeOpenID, "email", "profile"},
	}
}

// discover returns the provider, fetching its discovery document when no earlier call has. Concurrent callers share
// one fetch, which is bounded by providerTimeout and not cut short when the request that started it ends.
func (o *OIDC) discover(ctx context.Context) (*oidcProvider, error) {
	o.mu.Lock()
	if p := o.provider; p != nil {
		o.mu.Unlock()
		return p, nil
	}
	d := o.inflight
	first := d == nil
	if first {
		d = &discovery{done: make(chan struct{})}
		o.inflight = d
	}
	o.mu.Unlock()

	if first {
		d.provider, d.err = o.fetch(context.WithoutCancel(ctx))
		o.mu.Lock()
		o.inflight = nil
		if d.err == nil {
			o.provider = d.provider
		}
		o.mu.Unlock()
		close(d.done)
	}
	select {
	case <-d.done:
		return d.provider, d.err
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %w", ErrOIDCUnavailable, ctx.Err())
	}
}

func (o *OIDC) fetch(ctx context.Context) (*oidcProvider, error) {
	ctx, cancel := context.WithTimeout(ctx, providerTimeout)
	defer cancel()
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, o.client), o.issuer)
	if err != nil {
		return nil, fmt.Errorf("%w: discovery of %s: %w", ErrOIDCUnavailable, o.issuer, err)
	}
	var meta struct {
		AuthMethods []string `json:"token_endpoint_auth_methods_supported"`
	}
	if err := p.Claims(&meta); err != nil {
		return nil, fmt.Errorf("%w: discovery of %s: %w", ErrOIDCUnavailable, o.issuer, err)
	}
	endpoint := p.Endpoint()
	endpoint.AuthStyle = authStyle(meta.AuthMethods)
	return &oidcProvider{endpoint: endpoint, verifier: p.Verifier(&oidc.Config{ClientID: o.clientID})}, nil
}

// authStyle is how the client authenticates to the token endpoint: HTTP Basic (client_secret_basic, the default
// when the provider lists no methods), or in the form (client_secret_post) when that is all it takes. Stating it
// spares oauth2's probing, which sends a refused code a second time.
func authStyle(methods []string) oauth2.AuthStyle {
	if len(methods) == 0 || slices.Contains(methods, "client_secret_basic") || !slices.Contains(methods, "client_secret_post") {
		return oauth2.AuthStyleInHeader
	}
	return oauth2.AuthStyleInParams
}

func randomString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// OIDCSignIn is a single sign-on that opened a session, and what it changed.
type OIDCSignIn struct {
	*SignedIn
	// Created: the user was new. Linked: an existing user (found by e-mail) got this provider's identity.
	Created, Linked bool
	// Accepted are the invitations accepted by this sign-in.
	Accepted []*ent.Invitation
	// Joined are the organizations joined by this sign-in through their SSO domain, as MARKETER.
	Joined []string
}

// SignInOIDC opens a session for the person a provider vouches for. The user is the one with the identity (issuer
// and subject); else the one with the e-mail, which gets the identity (ErrIdentityConflict when that user already
// has another subject of the same issuer); else a new user without a password. The person then accepts every
// pending invitation to their e-mail (the invited role, or their current one when it is higher) and joins, as
// MARKETER, every organization whose SSO domain is their e-mail's domain and which they are not in. Someone who
// then belongs to no organization gets ErrNoOrganization, and nothing is written.
func (s *Service) SignInOIDC(ctx context.Context, id Identity, userAgent string) (*OIDCSignIn, error) {
	sys := viewer.SystemContext(ctx)
	var out *OIDCSignIn
	var u *ent.User
	var err error
	// A second attempt runs when the first lost a race with another sign-in of the same person (a second tab, a
	// double click on the provider's page): the other created the user or a membership first.
	for range 2 {
		out = &OIDCSignIn{}
		err = store.WithTx(sys, s.client, func(tx *ent.Tx) (err error) {
			u, err = s.joinOIDC(sys, tx, id, out)
			return err
		})
		if !ent.IsConstraintError(err) {
			break
		}
	}
	switch {
	case errors.Is(err, ErrNoOrganization), errors.Is(err, ErrIdentityConflict):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("auth: single sign-on: %w", err)
	}
	if out.SignedIn, err = s.StartSession(ctx, u.ID, MethodOIDC, userAgent); err != nil {
		return nil, err
	}
	return out, nil
}

// joinOIDC finds, links or creates the user of id and gives them their memberships, recording in out what it did.
func (s *Service) joinOIDC(ctx context.Context, tx *ent.Tx, id Identity, out *OIDCSignIn) (*ent.User, error) {
	now := s.now()
	u, err := tx.User.Query().Where(user.OidcIssuer(id.Issuer), user.OidcSubject(id.Subject)).Only(ctx)
	if ent.IsNotFound(err) {
		u, err = tx.User.Query().Where(user.Email(id.Email)).Only(ctx)
		switch {
		case ent.IsNotFound(err):
			u, err = tx.User.Create().SetEmail(id.Email).SetName(id.Name).
				SetOidcIssuer(id.Issuer).SetOidcSubject(id.Subject).Save(ctx)
			out.Created = true
		case err == nil && u.OidcIssuer != nil && *u.OidcIssuer == id.Issuer:
			// The provider has given the address to someone else (or two of its accounts claim it): linking would
			// hand the first person's account to the second.
			return nil, ErrIdentityConflict
		case err == nil:
			// No identity yet, or one of a provider no longer configured.
			u, err = tx.User.UpdateOne(u).SetOidcIssuer(id.Issuer).SetOidcSubject(id.Subject).Save(ctx)
			out.Linked = true
		}
	}
	if err != nil {
		return nil, err
	}
	if u.Name == "" && id.Name != "" {
		if u, err = tx.User.UpdateOne(u).SetName(id.Name).Save(ctx); err != nil {
			return nil, err
		}
	}

	invitations, err := tx.Invitation.Query().
		Where(invitation.EmailEqualFold(id.Email), invitation.AcceptedAtIsNil(), invitation.RevokedAtIsNil(),
			invitation.ExpiresAtGT(now)).
		Order(ent.Asc(invitation.FieldCreatedAt), ent.Asc(invitation.FieldID)).
		All(ctx)
	if err != nil {
		return nil, err
	}
	for _, inv := range invitations {
		// Only the update that finds it still pending accepts it: the invitation link may be used at the same time.
		n, err := tx.Invitation.Update().
			Where(invitation.ID(inv.ID), invitation.AcceptedAtIsNil(), invitation.RevokedAtIsNil()).
			SetAcceptedAt(now).
			Save(ctx)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			continue
		}
		if _, err := join(ctx, tx, inv.OrganizationID, u.ID, inv.Role, true); err != nil {
			return nil, err
		}
		out.Accepted = append(out.Accepted, inv)
	}

	domain := id.Email[strings.LastIndexByte(id.Email, '@')+1:]
	orgs, err := tx.Organization.Query().Where(organization.SSODomainEqualFold(domain)).IDs(ctx)
	if err != nil {
		return nil, err
	}
	for _, orgID := range orgs {
		joined, err := join(ctx, tx, orgID, u.ID, viewer.Marketer, false)
		if err != nil {
			return nil, err
		}
		if joined {
			out.Joined = append(out.Joined, orgID)
		}
	}

	n, err := tx.Membership.Query().Where(membership.UserID(u.ID)).Count(ctx)
	switch {
	case err != nil:
		return nil, err
	case n == 0:
		return nil, ErrNoOrganization
	}
	return u, nil
}

// join makes the user a member of the organization with role, reporting whether they were not one before. A member
// keeps their role, or with raise gets role when it is higher: an invitation never demotes anyone.
func join(ctx context.Context, tx *ent.Tx, orgID, userID string, role viewer.Role, raise bool) (bool, error) {
	m, err := tx.Membership.Query().Where(membership.OrganizationID(orgID), membership.UserID(userID)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		return true, tx.Membership.Create().SetOrganizationID(orgID).SetUserID(userID).SetRole(role).Exec(ctx)
	case err != nil:
		return false, err
	case raise && !m.Role.AtLeast(role):
		return false, tx.Membership.UpdateOne(m).SetRole(role).Exec(ctx)
	}
	return false, nil
}
