// Package audit writes the audit log: who (a person or an API key) did what (an action, the object, the fields it
// set without secret values) in which organization, from where (a salted hash of the address) and in which request.
// Entries are written as the system, after the change they describe, and never rewritten.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/membership"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Actions recorded besides the GraphQL mutations, which are recorded under their own names (createProduct, …).
const (
	SignIn          = "auth.signIn"
	SignInFailed    = "auth.signInFailed"
	SignOut         = "auth.signOut"
	PasswordChanged = "auth.passwordChanged"
	SessionRevoked  = "auth.sessionRevoked"
	InvitationTaken = "auth.invitationAccepted"
	// EventsExported records a CSV export of events, with its filter: data leaving the product in bulk.
	EventsExported = "export.events"
)

// Entry is one thing that happened in an organization.
type Entry struct {
	OrgID    string
	Action   string
	ObjectID string
	// Changes are the fields set, by name; values that are secrets must be left out by the caller.
	Changes map[string]any
	// ActorUserID and ActorKeyID name who did it; when both are empty, the viewer in the context is the actor.
	ActorUserID, ActorKeyID string
}

type clientKey struct{}

// WithClient returns ctx carrying the hash of the client's address, which entries recorded with it keep.
func WithClient(ctx context.Context, addressHash string) context.Context {
	return context.WithValue(ctx, clientKey{}, addressHash)
}

// HashAddress is the form of a client address the log keeps: salted, so the log does not hold addresses.
func HashAddress(salt, address string) string {
	sum := sha256.Sum256([]byte(salt + "\x00" + address))
	return hex.EncodeToString(sum[:12])
}

// Record writes e. The request's ID and client come from ctx.
func Record(ctx context.Context, client *ent.Client, e Entry) error {
	if e.ActorUserID == "" && e.ActorKeyID == "" {
		v, _ := viewer.FromContext(ctx)
		e.ActorUserID, e.ActorKeyID = v.UserID, v.APIKeyID
	}
	create := client.AuditEntry.Create().
		SetOrganizationID(e.OrgID).
		SetAction(e.Action).
		SetNillableActorUserID(nonEmpty(e.ActorUserID)).
		SetNillableActorKeyID(nonEmpty(e.ActorKeyID)).
		SetNillableObjectID(nonEmpty(e.ObjectID)).
		SetNillableRequestID(nonEmpty(middleware.GetReqID(ctx)))
	if len(e.Changes) > 0 {
		create.SetChanges(e.Changes)
	}
	if h, _ := ctx.Value(clientKey{}).(string); h != "" {
		create.SetIPHash(h)
	}
	if err := create.Exec(viewer.SystemContext(ctx)); err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// RecordForUser records e, done by the user, in every organization they belong to: a sign-in, a password change, an
// ended session concern the person, whose organizations' administrators each see it.
func RecordForUser(ctx context.Context, client *ent.Client, userID string, e Entry) error {
	orgs, err := client.Membership.Query().Where(membership.UserID(userID)).
		Select(membership.FieldOrganizationID).Strings(viewer.SystemContext(ctx))
	if err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	e.ActorUserID = userID
	var errs []error
	for _, org := range orgs {
		e.OrgID = org
		errs = append(errs, Record(ctx, client, e))
	}
	return errors.Join(errs...)
}
