// Package auth signs people in: users and their passwords, sessions kept in the database, the choice of the
// organization a session acts in, and (oidc.go) single sign-on. It acts as the system — it runs before anyone is
// known — and hands the rest of the server a viewer.Viewer with the membership's role.
package auth

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/membership"
	"github.com/marketingos/marketingos/ent/session"
	"github.com/marketingos/marketingos/ent/user"
	"github.com/marketingos/marketingos/internal/config"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

var (
	// ErrInvalidCredentials is the one answer to an unknown e-mail and to a wrong password alike.
	ErrInvalidCredentials = errors.New("auth: wrong e-mail or password")
	// ErrInvalidSession means the cookie names no session, or one that was revoked or has expired.
	ErrInvalidSession = errors.New("auth: no valid session")
	// ErrNoOrganization means the person belongs to no organization yet.
	ErrNoOrganization = errors.New("auth: the person belongs to no organization")
	// ErrNotMember means the organization asked for is not one of the person's.
	ErrNotMember = errors.New("auth: not a member of that organization")
)

// touchEvery bounds how often a busy session's last use, and a membership's, is written.
const touchEvery = time.Minute

// Sign-in methods, recorded on each session.
const (
	MethodPassword   = "password"
	MethodOIDC       = "oidc"
	MethodInvitation = "invitation"
)

// Service signs people in and resolves their sessions.
type Service struct {
	client *ent.Client
	cfg    config.Auth
	now    func() time.Time
}

// New returns the service. now is the clock (time.Now when nil); tests move it to expire sessions.
func New(client *ent.Client, cfg config.Auth, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{client: client, cfg: cfg, now: now}
}

// NormalizeEmail returns the stored form of an e-mail address (trimmed, lower-cased), or a validation error for the
// field "email".
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || len(s) > 254 || !validation.Text(s) {
		return "", validation.Field("email", "must be an e-mail address such as ana@example.com")
	}
	return s, nil
}

// SignedIn is a new session: its token goes in the cookie and nowhere else.
type SignedIn struct {
	User    *ent.User
	Session *ent.Session
	Token   string
}

// SignIn checks an e-mail and password and opens a session. An unknown e-mail, a user without a password and a
// wrong password take the same time and return the same ErrInvalidCredentials.
func (s *Service) SignIn(ctx context.Context, email, password, userAgent string) (*SignedIn, error) {
	sys := viewer.SystemContext(ctx)
	normalized, emailErr := NormalizeEmail(email)
	var u *ent.User
	if emailErr == nil {
		var err error
		u, err = s.client.User.Query().Where(user.Email(normalized)).Only(sys)
		if err != nil && !ent.IsNotFound(err) {
			return nil, fmt.Errorf("auth: sign in: %w", err)
		}
	}
	hash := dummyHash()
	if u != nil && u.PasswordHash != nil {
		hash = *u.PasswordHash
	}
	ok, err := passwordMatches(hash, password)
	if err != nil {
		return nil, fmt.Errorf("auth: sign in: %w", err)
	}
	if !ok || u == nil || u.PasswordHash == nil || len(password) > maxPasswordLength {
		return nil, ErrInvalidCredentials
	}
	return s.StartSession(ctx, u.ID, MethodPassword, userAgent)
}

// StartSession opens a new session for a user who has proved who they are (a password, single sign-on, an
// invitation), with a new random token: a session id is never reused across sign-ins.
func (s *Service) StartSession(ctx context.Context, userID, method, userAgent string) (*SignedIn, error) {
	sys := viewer.SystemContext(ctx)
	now := s.now()
	token := newToken()
	var out *SignedIn
	err := store.WithTx(sys, s.client, func(tx *ent.Tx) error {
		u, err := tx.User.UpdateOneID(userID).SetLastSignInAt(now).Save(sys)
		if err != nil {
			return err
		}
		sess, err := tx.Session.Create().
			SetUserID(userID).
			SetTokenHash(hashToken(token)).
			SetCreatedAt(now).
			SetLastSeenAt(now).
			SetExpiresAt(now.Add(s.cfg.SessionMaxAge)).
			SetUserAgent(storableText(userAgent, 512)).
			SetMethod(method).
			Save(sys)
		if err != nil {
			return err
		}
		out = &SignedIn{User: u, Session: sess, Token: token}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("auth: start session: %w", err)
	}
	return out, nil
}

// Session returns the live session a cookie's token names and its user, or ErrInvalidSession. A session ends when
// revoked, SessionMaxAge after it began, or SessionIdleTimeout after its last use.
func (s *Service) Session(ctx context.Context, token string) (*ent.Session, *ent.User, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, ErrInvalidSession
	}
	sys := viewer.SystemContext(ctx)
	sess, err := s.client.Session.Query().Where(session.TokenHash(hashToken(token))).WithUser().Only(sys)
	switch {
	case ent.IsNotFound(err):
		return nil, nil, ErrInvalidSession
	case err != nil:
		return nil, nil, fmt.Errorf("auth: session: %w", err)
	}
	now := s.now()
	if sess.RevokedAt != nil || !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= s.cfg.SessionIdleTimeout {
		return nil, nil, ErrInvalidSession
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		// Best effort: a failed touch must not fail the request it belongs to.
		_ = s.client.Session.UpdateOneID(sess.ID).SetLastSeenAt(now).Exec(sys)
	}
	return sess, sess.Edges.User, nil
}

// SignOut revokes the session of token; signing out twice, or with no session, is not an error.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	err := s.client.Session.Update().
		Where(session.TokenHash(hashToken(token)), session.RevokedAtIsNil()).
		SetRevokedAt(s.now()).
		Exec(viewer.SystemContext(ctx))
	if err != nil {
		return fmt.Errorf("auth: sign out: %w", err)
	}
	return nil
}

// Sessions lists the user's live sessions, newest first.
func (s *Service) Sessions(ctx context.Context, userID string) ([]*ent.Session, error) {
	now := s.now()
	all, err := s.client.Session.Query().
		Where(session.UserID(userID), session.RevokedAtIsNil(), session.ExpiresAtGT(now),
			session.LastSeenAtGT(now.Add(-s.cfg.SessionIdleTimeout))).
		Order(ent.Desc(session.FieldCreatedAt)).
		All(viewer.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("auth: sessions: %w", err)
	}
	return all, nil
}

// RevokeSession ends one of the user's sessions; another user's session id is not found.
func (s *Service) RevokeSession(ctx context.Context, userID, sessionID string) error {
	n, err := s.client.Session.Update().
		Where(session.ID(sessionID), session.UserID(userID), session.RevokedAtIsNil()).
		SetRevokedAt(s.now()).
		Save(viewer.SystemContext(ctx))
	switch {
	case err != nil:
		return fmt.Errorf("auth: revoke session: %w", err)
	case n == 0:
		return ErrInvalidSession
	}
	return nil
}

// Memberships returns the user's memberships with their organizations, in the order people expect to see them:
// by organization name.
func (s *Service) Memberships(ctx context.Context, userID string) ([]*ent.Membership, error) {
	ms, err := s.client.Membership.Query().Where(membership.UserID(userID)).WithOrganization().All(viewer.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("auth: memberships: %w", err)
	}
	slices.SortFunc(ms, func(a, b *ent.Membership) int {
		return cmp.Or(cmp.Compare(a.Edges.Organization.Name, b.Edges.Organization.Name), cmp.Compare(a.ID, b.ID))
	})
	return ms, nil
}

// Viewer is who a session acts as: the user, in orgID when given (ErrNotMember unless they belong to it), else in
// the organization they used most recently (ErrNoOrganization when they have none), with that membership's role.
func (s *Service) Viewer(ctx context.Context, sess *ent.Session, orgID string) (viewer.Viewer, error) {
	ms, err := s.client.Membership.Query().Where(membership.UserID(sess.UserID)).All(viewer.SystemContext(ctx))
	if err != nil {
		return viewer.Viewer{}, fmt.Errorf("auth: viewer: %w", err)
	}
	var m *ent.Membership
	if orgID != "" {
		if i := slices.IndexFunc(ms, func(m *ent.Membership) bool { return m.OrganizationID == orgID }); i >= 0 {
			m = ms[i]
		}
		if m == nil {
			return viewer.Viewer{}, ErrNotMember
		}
	} else if m = mostRecent(ms); m == nil {
		return viewer.Viewer{}, ErrNoOrganization
	}
	now := s.now()
	if m.LastUsedAt == nil || now.Sub(*m.LastUsedAt) > touchEvery {
		_ = s.client.Membership.UpdateOneID(m.ID).SetLastUsedAt(now).Exec(viewer.SystemContext(ctx))
	}
	return viewer.Viewer{OrgID: m.OrganizationID, UserID: sess.UserID, SessionID: sess.ID, Role: m.Role}, nil
}

// mostRecent is the membership used last; never-used ones count as older than any used one, the oldest first.
func mostRecent(ms []*ent.Membership) *ent.Membership {
	var best *ent.Membership
	for _, m := range ms {
		switch {
		case best == nil:
			best = m
		case m.LastUsedAt != nil && (best.LastUsedAt == nil || m.LastUsedAt.After(*best.LastUsedAt)):
			best = m
		case m.LastUsedAt == nil && best.LastUsedAt == nil && m.CreatedAt.Before(best.CreatedAt):
			best = m
		}
	}
	return best
}

// storableText makes what a client sent (a user agent) valid text without NUL of at most n bytes.
func storableText(s string, n int) string {
	return validation.Truncate(strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), ""), n)
}
