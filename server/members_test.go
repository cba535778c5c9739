package server_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/marketingos/marketingos/ent/membership"
	"github.com/marketingos/marketingos/ent/user"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// membershipOf returns the membership ID and role of the person at email in org.
func (e *peopleEnv) membershipOf(t *testing.T, orgID, email string) (string, viewer.Role) {
	t.Helper()
	m, err := e.DB.Client.Membership.Query().
		Where(membership.OrganizationID(orgID), membership.HasUserWith(user.Email(email))).
		Only(viewer.SystemContext(context.Background()))
	if err != nil {
		t.Fatalf("membership of %s: %v", email, err)
	}
	return m.ID, m.Role
}

// TestMemberRules: owners manage owners, the last OWNER stays, and a refusal changes nothing. The steps build on
// each other: the table is the story of one organization.
func TestMemberRules(t *testing.T) {
	env := newPeopleEnv(t)
	org := env.NewOrg(t, "Acme")
	as := map[string]*browser{
		"olga": env.member(t, org, "olga@example.com", viewer.Owner),
		"adam": env.member(t, org, "adam@example.com", viewer.Admin),
		"mia":  env.member(t, org, "mia@example.com", viewer.Marketer),
		"vic":  env.member(t, org, "vic@example.com", viewer.ReadOnly),
	}
	update, remove := contractOp(t, "UpdateMemberRole"), contractOp(t, "RemoveMember")
	for _, tc := range []struct {
		name     string
		caller   string
		op       string // "role" or "remove"
		target   string
		role     string
		code     string
		reason   string // part of the refusal's message
		wantRole viewer.Role
	}{
		{name: "an ADMIN may not make an OWNER", caller: "adam", op: "role", target: "mia", role: "OWNER", code: "FORBIDDEN", reason: "only an OWNER", wantRole: viewer.Marketer},
		{name: "an ADMIN may not demote an OWNER", caller: "adam", op: "role", target: "olga", role: "ADMIN", code: "FORBIDDEN", reason: "only an OWNER", wantRole: viewer.Owner},
		{name: "an ADMIN may not remove an OWNER", caller: "adam", op: "remove", target: "olga", code: "FORBIDDEN", reason: "only an OWNER", wantRole: viewer.Owner},
		{name: "an ADMIN may not promote themselves to OWNER", caller: "adam", op: "role", target: "adam", role: "OWNER", code: "FORBIDDEN", wantRole: viewer.Admin},
		{name: "a MARKETER may not change roles", caller: "mia", op: "role", target: "vic", role: "MARKETER", code: "FORBIDDEN", wantRole: viewer.ReadOnly},
		{name: "a VIEWER may not change roles", caller: "vic", op: "role", target: "vic", role: "ADMIN", code: "FORBIDDEN", wantRole: viewer.ReadOnly},
		{name: "a MARKETER may not remove", caller: "mia", op: "remove", target: "vic", code: "FORBIDDEN", wantRole: viewer.ReadOnly},
		{name: "a VIEWER may not remove", caller: "vic", op: "remove", target: "mia", code: "FORBIDDEN", wantRole: viewer.Marketer},
		{name: "the last OWNER may not demote themselves", caller: "olga", op: "role", target: "olga", role: "ADMIN", code: "FORBIDDEN", reason: "last OWNER", wantRole: viewer.Owner},
		{name: "the last OWNER may not remove themselves", caller: "olga", op: "remove", target: "olga", code: "FORBIDDEN", reason: "last OWNER", wantRole: viewer.Owner},
		{name: "an ADMIN changes a MARKETER's role", caller: "adam", op: "role", target: "mia", role: "VIEWER", wantRole: viewer.ReadOnly},
		{name: "the same role again changes nothing", caller: "adam", op: "role", target: "mia", role: "VIEWER", wantRole: viewer.ReadOnly},
		{name: "an OWNER makes an OWNER", caller: "olga", op: "role", target: "adam", role: "OWNER", wantRole: viewer.Owner},
		{name: "with two owners, one may step down", caller: "olga", op: "role", target: "olga", role: "ADMIN", wantRole: viewer.Admin},
		{name: "the new last OWNER may not step down", caller: "adam", op: "role", target: "adam", role: "MARKETER", code: "FORBIDDEN", reason: "last OWNER", wantRole: viewer.Owner},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, _ := env.membershipOf(t, org.ID, tc.target+"@example.com")
			var res *apitest.Response
			if tc.op == "role" {
				res = as[tc.caller].graphQL(t, update, map[string]any{"id": id, "role": tc.role})
			} else {
				res = as[tc.caller].graphQL(t, remove, map[string]any{"id": id})
			}
			if tc.code == "" {
				var out struct{ UpdateMemberRole struct{ ID, Role string } }
				res.Decode(t, &out)
				if out.UpdateMemberRole.ID != id || out.UpdateMemberRole.Role != tc.role {
					t.Errorf("updateMemberRole = %+v", out.UpdateMemberRole)
				}
			} else {
				if codes := res.Codes(); !slices.Equal(codes, []string{tc.code}) {
					t.Fatalf("codes = %v, want %s (%+v)", codes, tc.code, res.Errors)
				}
				if !strings.Contains(res.Errors[0].Message, tc.reason) {
					t.Errorf("message %q does not say %q", res.Errors[0].Message, tc.reason)
				}
			}
			if _, role := env.membershipOf(t, org.ID, tc.target+"@example.com"); role != tc.wantRole {
				t.Errorf("%s is %s, want %s", tc.target, role, tc.wantRole)
			}
		})
	}

	t.Run("a removed member can do nothing in the organization from the next request on", func(t *testing.T) {
		id, _ := env.membershipOf(t, org.ID, "mia@example.com")
		before := as["mia"].graphQL(t, `{ viewer { role } }`, nil)
		before.Decode(t, &struct{}{})
		var out struct{ RemoveMember string }
		as["olga"].graphQL(t, remove, map[string]any{"id": id}).Decode(t, &out)
		if out.RemoveMember != id {
			t.Errorf("removeMember = %q, want %q", out.RemoveMember, id)
		}
		after := as["mia"].graphQL(t, `{ viewer { role } }`, nil)
		if after.Status != http.StatusForbidden || !slices.Equal(after.Codes(), []string{"FORBIDDEN"}) {
			t.Errorf("the removed member's next request: %d %v", after.Status, after.Codes())
		}
		ctx := viewer.SystemContext(context.Background())
		if n := env.DB.Client.User.Query().Where(user.Email("mia@example.com")).CountX(ctx); n != 1 {
			t.Error("removing a member deleted their account")
		}
	})

	t.Run("MARKETER and VIEWER may list members", func(t *testing.T) {
		var out struct{ Members struct{ TotalCount int } }
		as["vic"].graphQL(t, contractOp(t, "Members"), map[string]any{"first": 10}).Decode(t, &out)
		if out.Members.TotalCount != 3 {
			t.Errorf("members = %d, want 3", out.Members.TotalCount)
		}
	})
}

// TestMembersOfAnotherOrganization: another organization's membership and invitation IDs are not found, and stay
// as they were.
func TestMembersOfAnotherOrganization(t *testing.T) {
	env := newPeopleEnv(t)
	mine := env.NewOrg(t, "Mine")
	theirs := env.NewOrg(t, "Theirs")
	me := env.member(t, mine, "me@example.com", viewer.Owner)
	them := env.member(t, theirs, "them@example.com", viewer.Owner)
	env.member(t, theirs, "their-marketer@example.com", viewer.Marketer)

	var invited invitedAnswer
	them.graphQL(t, contractOp(t, "InviteMember"), map[string]any{"input": map[string]any{"email": "new@example.com", "role": "VIEWER"}}).Decode(t, &invited)
	ownerID, _ := env.membershipOf(t, theirs.ID, "them@example.com")
	marketerID, _ := env.membershipOf(t, theirs.ID, "their-marketer@example.com")

	for _, tc := range []struct {
		op   string
		vars map[string]any
	}{
		{"UpdateMemberRole", map[string]any{"id": marketerID, "role": "ADMIN"}},
		{"UpdateMemberRole", map[string]any{"id": ownerID, "role": "VIEWER"}},
		{"RemoveMember", map[string]any{"id": marketerID}},
		{"RemoveMember", map[string]any{"id": ownerID}},
		{"RevokeInvitation", map[string]any{"id": invited.InviteMember.ID}},
	} {
		res := me.graphQL(t, contractOp(t, tc.op), tc.vars)
		if codes := res.Codes(); !slices.Equal(codes, []string{"NOT_FOUND"}) {
			t.Errorf("%s %v: codes = %v, want NOT_FOUND", tc.op, tc.vars, codes)
		}
		// An API key of my organization does no better.
		if codes := env.GraphQL(t, mine.APIKey, contractOp(t, tc.op), tc.vars).Codes(); !slices.Equal(codes, []string{"NOT_FOUND"}) {
			t.Errorf("%s with a key: codes = %v, want NOT_FOUND", tc.op, codes)
		}
	}
	if _, role := env.membershipOf(t, theirs.ID, "their-marketer@example.com"); role != viewer.Marketer {
		t.Errorf("their marketer became %s", role)
	}
	if _, role := env.membershipOf(t, theirs.ID, "them@example.com"); role != viewer.Owner {
		t.Errorf("their owner became %s", role)
	}
	if got := pendingEmails(t, them.graphQL(t, pendingInvitationsQuery, nil)); !slices.Equal(got, []string{"new@example.com"}) {
		t.Errorf("their pending invitations = %v", got)
	}
	var members struct{ Members struct{ TotalCount int } }
	me.graphQL(t, contractOp(t, "Members"), nil).Decode(t, &members)
	if members.Members.TotalCount != 1 {
		t.Errorf("my organization lists %d members, want 1", members.Members.TotalCount)
	}
	if got := pendingEmails(t, me.graphQL(t, pendingInvitationsQuery, nil)); len(got) != 0 {
		t.Errorf("my pending invitations = %v", got)
	}
}

// TestLastOwnerUnderConcurrency: two owners demoting each other, or removing each other, at the same moment leave
// the organization one OWNER, never none.
func TestLastOwnerUnderConcurrency(t *testing.T) {
	env := newPeopleEnv(t)
	for round, op := range []string{"UpdateMemberRole", "RemoveMember"} {
		org := env.NewOrg(t, op)
		prefix := strings.ToLower(op)
		a := env.member(t, org, prefix+"-a@example.com", viewer.Owner)
		b := env.member(t, org, prefix+"-b@example.com", viewer.Owner)
		idA, _ := env.membershipOf(t, org.ID, prefix+"-a@example.com")
		idB, _ := env.membershipOf(t, org.ID, prefix+"-b@example.com")
		var wg sync.WaitGroup
		codes := make([][]string, 2)
		for i, step := range []struct {
			who    *browser
			target string
		}{{a, idB}, {b, idA}} {
			wg.Go(func() {
				vars := map[string]any{"id": step.target}
				if op == "UpdateMemberRole" {
					vars["role"] = "ADMIN"
				}
				codes[i] = step.who.graphQL(t, contractOp(t, op), vars).Codes()
			})
		}
		wg.Wait()
		owners := env.DB.Client.Membership.Query().
			Where(membership.OrganizationID(org.ID), membership.RoleEQ(viewer.Owner)).
			CountX(viewer.SystemContext(context.Background()))
		if owners != 1 {
			t.Errorf("round %d (%s): owners = %d after concurrent changes (codes %v), want 1", round, op, owners, codes)
		}
	}
}
