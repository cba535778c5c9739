// Package people manages who belongs to an organization: invitations (e-mailed, single-use, expiring, revocable),
// their acceptance, members' roles and their removal. The rules that depend on the arguments live here, once:
//
//   - only an OWNER invites an OWNER, makes or unmakes one, or removes one;
//   - the last OWNER of an organization can be neither demoted nor removed.
//
// Which role may call each operation at all is internal/access's table, checked before any operation runs.
// Everything here runs as the viewer in the context, so ent's tenancy confines it to the viewer's organization;
// Accept alone runs as the system, since nobody is known until the token says who was invited where.
package people

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/membership"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/internal/notify"
	"github.com/marketingos/marketingos/internal/viewer"
)

// InvitationTTL is how long an invitation's link works.
const InvitationTTL = 7 * 24 * time.Hour

// AcceptPath is the dashboard page an invitation links to, with ?token=…; the page posts the token to
// POST /api/auth/invitations/accept.
const AcceptPath = "/accept-invitation"

// RefusedError is an operation the rules of this package forbid. It matches viewer.ErrForbidden; Reason says
// which rule, for the person who asked.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string        { return "people: " + e.Reason }
func (e *RefusedError) Is(target error) bool { return target == viewer.ErrForbidden }

var (
	// ErrOwnersOnly: only an OWNER invites, makes, unmakes or removes an OWNER.
	ErrOwnersOnly = &RefusedError{Reason: "only an OWNER may invite, make, unmake or remove an OWNER"}
	// ErrLastOwner: the organization's last OWNER keeps the role and the membership.
	ErrLastOwner = &RefusedError{Reason: "the last OWNER cannot be removed or demoted; make another member an OWNER first"}
)

// ErrNotSent means the invitation e-mail could not be sent; the invitation was not kept. It wraps the
// notify.SendError, which says whether retrying may help.
var ErrNotSent = errors.New("people: the invitation e-mail could not be sent")

// Options are what a Service needs.
type Options struct {
	Client *ent.Client
	// Dialect is the database's (entgo.io/ent/dialect): on PostgreSQL, changes to an organization's members lock
	// its row, so that two concurrent demotions cannot leave it without an OWNER; SQLite serialises writers anyway.
	Dialect string
	// Mailer sends the invitations.
	Mailer notify.Mailer
	// PublicURL is the base of the links in invitations (config.Auth.PublicURL).
	PublicURL string
	// Now is the clock invitations expire by (time.Now when nil).
	Now func() time.Time
	Log *slog.Logger
}

// Service manages members and invitations.
type Service struct {
	client    *ent.Client
	postgres  bool
	mailer    notify.Mailer
	publicURL string
	now       func() time.Time
	log       *slog.Logger
}

// New returns the service.
func New(o Options) *Service {
	s := &Service{client: o.Client, postgres: o.Dialect == dialect.Postgres, mailer: o.Mailer, publicURL: o.PublicURL,
		now: o.Now, log: o.Log}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// isOwner reports whether the viewer in ctx acts as an OWNER (the system does).
func isOwner(ctx context.Context) bool {
	v, _ := viewer.FromContext(ctx)
	return v.System || v.Role == viewer.Owner
}

// inOrganization runs fn in a transaction that first locks the viewer's organization row (PostgreSQL), so that
// changes to its members run one after the other and the rules above hold under concurrency.
func (s *Service) inOrganization(ctx context.Context, fn func(tx *ent.Tx) error) error {
	orgID := viewer.OrgID(ctx)
	if orgID == "" {
		return viewer.ErrNoViewer
	}
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("people: begin: %w", err)
	}
	q := tx.Organization.Query().Where(organization.ID(orgID))
	if s.postgres {
		q = q.ForUpdate()
	}
	if _, err := q.Only(ctx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

// keepsAnOwner returns ErrLastOwner when the organization has no OWNER but the one about to go.
func keepsAnOwner(ctx context.Context, tx *ent.Tx) error {
	n, err := tx.Membership.Query().Where(membership.RoleEQ(viewer.Owner)).Count(ctx)
	switch {
	case err != nil:
		return fmt.Errorf("people: count owners: %w", err)
	case n <= 1:
		return ErrLastOwner
	}
	return nil
}
