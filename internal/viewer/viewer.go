// Package viewer carries who is asking through a context: a person signed in to an organization, an API key of one,
// or the system itself (jobs, webhooks, the CLI), with the role they act in. Tenancy rules in ent read it; nothing
// else decides visibility. Package access decides, from the role, what a viewer may do.
package viewer

import (
	"context"
	"errors"
)

// Viewer is the identity behind a request.
type Viewer struct {
	// OrgID is the organization whose rows the viewer may see. Empty for the system viewer.
	OrgID string
	// APIKeyID is the key that authenticated the request, when there was one.
	APIKeyID string
	// UserID is the person signed in, when a session authenticated the request; SessionID is that session.
	UserID    string
	SessionID string
	// Role is what the key or the person's membership may do in OrgID.
	Role Role
	// System marks trusted in-process callers that act across organizations.
	System bool
}

type ctxKey struct{}

// NewContext returns ctx carrying v.
func NewContext(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, ctxKey{}, v)
}

// FromContext returns the viewer in ctx, if any.
func FromContext(ctx context.Context) (Viewer, bool) {
	v, ok := ctx.Value(ctxKey{}).(Viewer)
	return v, ok
}

// ForOrganization returns ctx acting as the given organization: every ent query and mutation made with it is confined
// to that organization's rows.
func ForOrganization(ctx context.Context, orgID string) context.Context {
	return NewContext(ctx, Viewer{OrgID: orgID})
}

// SystemContext returns ctx acting as the system, which sees every organization. Use it only where no tenant is
// asking: scheduled jobs, verified webhooks, authentication look-ups and the CLI. Grep for it when auditing.
func SystemContext(ctx context.Context) context.Context {
	return NewContext(ctx, Viewer{System: true})
}

// OrgID returns the organization of the tenant viewer in ctx, or "" for the system or no viewer.
func OrgID(ctx context.Context) string {
	v, _ := FromContext(ctx)
	return v.OrgID
}

// ErrNoViewer means data was reached without saying who is asking; every such access is refused.
var ErrNoViewer = errors.New("viewer: no viewer in context")

// ErrForbidden means the viewer may not perform the operation at all (not merely: the row is not theirs).
var ErrForbidden = errors.New("viewer: operation not permitted")

// FromContextKey returns a stable key for the viewer in ctx (its API key, else its person, else its organization),
// for per-caller limits.
func FromContextKey(ctx context.Context) string {
	v, _ := FromContext(ctx)
	switch {
	case v.APIKeyID != "":
		return v.APIKeyID
	case v.UserID != "":
		return v.UserID
	}
	return v.OrgID
}

// Require returns nil when the viewer in ctx acts in its organization with at least role min (the system always
// does), ErrForbidden otherwise, and ErrNoViewer without a viewer. A tenant context made in-process for an
// organization, with no role, may do nothing that needs one.
func Require(ctx context.Context, min Role) error {
	v, ok := FromContext(ctx)
	switch {
	case !ok:
		return ErrNoViewer
	case v.System || (v.OrgID != "" && v.Role.AtLeast(min)):
		return nil
	}
	return ErrForbidden
}
