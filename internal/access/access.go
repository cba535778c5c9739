// Package access is the one table of who may do what: the least role each operation needs. GraphQL consults it for
// every root field of every operation before anything runs (graph.Permissions), the tracking endpoint for events
// sent with a key, and ent for the entities only administrators may read. A rule that depends on the arguments —
// only an OWNER makes an OWNER, the last OWNER stays — is the domain's (internal/people), stated there once.
package access

import (
	"context"

	"github.com/marketingos/marketingos/internal/viewer"
)

const (
	owner    = viewer.Owner
	admin    = viewer.Admin
	marketer = viewer.Marketer
	readOnly = viewer.ReadOnly
)

// operations maps "Type.field" of every root field of the GraphQL schema to the least role that may run it. A root
// field without a row is refused to everyone; the permission matrix test fails for it.
var operations = map[string]viewer.Role{
	// Reading the organization's marketing data.
	"Query.node": readOnly, "Query.nodes": readOnly, "Query.viewer": readOnly,
	"Query.products": readOnly, "Query.campaigns": readOnly, "Query.contents": readOnly,
	"Query.attributionEvents": readOnly, "Query.jobRuns": readOnly,
	"Query.dashboard": readOnly, "Query.attributionReport": readOnly, "Query.members": readOnly,
	"Subscription.dashboardUpdated": readOnly, "Subscription.eventTracked": readOnly,
	"Subscription.campaignUpdated": readOnly, "Subscription.contentUpdated": readOnly,

	// Doing marketing.
	"Mutation.createProduct": marketer, "Mutation.updateProduct": marketer, "Mutation.deleteProduct": marketer,
	"Mutation.createCampaign": marketer, "Mutation.pauseCampaign": marketer, "Mutation.resumeCampaign": marketer,
	"Mutation.syncCampaignMetrics": marketer,
	"Mutation.generateContent":     marketer, "Mutation.publishContent": marketer, "Mutation.updateContent": marketer,
	"Mutation.rejectContent": marketer,
	"Mutation.trackEvent":    marketer,

	// Administering the organization.
	"Query.invitations": admin, "Query.apiKeys": admin, "Query.auditLog": admin, "Query.webhookFailures": admin,
	"Mutation.replayWebhook": admin, "Mutation.updateOrganization": admin,
	"Mutation.inviteMember": admin, "Mutation.revokeInvitation": admin,
	"Mutation.updateMemberRole": admin, "Mutation.removeMember": admin,
	"Mutation.createApiKey": admin, "Mutation.revokeApiKey": admin, "Mutation.rotateTrackingKey": admin,
}

// TrackEvent is the operation of an event sent to the REST endpoint with an API key: the same rule as the
// trackEvent mutation.
const TrackEvent = "Mutation.trackEvent"

// ExportEvents is the CSV export of the organization's events (GET /api/export/events.csv). A VIEWER reads events a
// page at a time in GraphQL; taking all of them, visitor ids and all, out of the product in one file is a
// MARKETER's.
const ExportEvents = "Export.events"

// routes are the REST operations outside the GraphQL schema, with the least role of each (Check reads both tables).
var routes = map[string]viewer.Role{ExportEvents: marketer}

// adminReads are the entities whose rows only an ADMIN may read, however they are reached (a connection, node(id),
// an audit entry's actor): keys, invitations and the audit log.
var adminReads = map[string]bool{"APIKey": true, "Invitation": true, "AuditEntry": true}

// Rule returns the least role of an operation ("Mutation.createProduct"), and whether it has one.
func Rule(operation string) (viewer.Role, bool) {
	r, ok := operations[operation]
	return r, ok
}

// Operations lists every GraphQL operation of the table (the REST routes' are not in the schema).
func Operations() []string {
	out := make([]string, 0, len(operations))
	for op := range operations {
		out = append(out, op)
	}
	return out
}

// Check returns nil when the viewer in ctx may run operation, viewer.ErrForbidden when its role is not enough or
// the operation has no rule, viewer.ErrNoViewer without a viewer.
func Check(ctx context.Context, operation string) error {
	min, ok := operations[operation]
	if !ok {
		min, ok = routes[operation]
	}
	if !ok {
		min = owner + "+" // no role reaches it; only the system passes
	}
	return viewer.Require(ctx, min)
}

// CheckRead returns nil when the viewer in ctx may read rows of the ent entity typ (ErrForbidden otherwise).
func CheckRead(ctx context.Context, typ string) error {
	if !adminReads[typ] {
		return nil
	}
	return viewer.Require(ctx, admin)
}
