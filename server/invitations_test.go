package server_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent/auditentry"
	"github.com/marketingos/marketingos/ent/invitation"
	"github.com/marketingos/marketingos/ent/membership"
	"github.com/marketingos/marketingos/ent/user"
	"github.com/marketingos/marketingos/internal/audit"
	"github.com/marketingos/marketingos/internal/notify/resendfake"
	"github.com/marketingos/marketingos/internal/viewer"
)

const pendingInvitationsQuery = `query { invitations(first: 20) { totalCount edges { node { id email role expiresAt } } } }`

type invitedAnswer struct {
	InviteMember struct {
		ID, Email, Role string
		ExpiresAt       time.Time
	}
}

type pendingAnswer struct {
	Invitations struct {
		TotalCount int
		Edges      []struct {
			Node struct{ ID, Email, Role string }
		}
	}
}

func pendingEmails(t *testing.T, res interface{ Decode(testing.TB, any) }) []string {
	t.Helper()
	var out pendingAnswer
	res.Decode(t, &out)
	var emails []string
	for _, e := range out.Invitations.Edges {
		emails = append(emails, e.Node.Email)
	}
	return emails
}

// TestInvitationFlow follows an invitation from the mutation to a signed-in new member over real HTTP: the e-mail
// (caught by the Resend fake) names the organization, the inviter and the role and carries the only copy of the
// token; a new account must pass the password policy; the link works once; the acceptance is in the audit log.
func TestInvitationFlow(t *testing.T) {
	env := newPeopleEnv(t)
	org := env.NewOrg(t, "Acme Shoes")
	owner := env.member(t, org, "olivia@example.com", viewer.Owner)
	ctx := viewer.SystemContext(context.Background())

	res := owner.graphQL(t, contractOp(t, "InviteMember"), map[string]any{"input": map[string]any{"email": " Nia@Example.com ", "role": "MARKETER"}})
	var invited invitedAnswer
	res.Decode(t, &invited)
	inv := invited.InviteMember
	if inv.Email != "nia@example.com" || inv.Role != "MARKETER" || !strings.HasPrefix(inv.ID, "inv_") {
		t.Fatalf("invitation = %+v", inv)
	}
	if want := env.clock.Now().Add(7 * 24 * time.Hour); inv.ExpiresAt.Sub(want).Abs() > time.Minute {
		t.Errorf("expiresAt = %s, want 7 days from now (%s)", inv.ExpiresAt, want)
	}

	mails := env.invitationsTo("nia@example.com")
	if len(mails) != 1 {
		t.Fatalf("e-mails to the invitee = %d, want 1", len(mails))
	}
	mail := mails[0]
	for _, want := range []string{"Olivia (olivia@example.com)", "Acme Shoes"} {
		if !strings.Contains(mail.Subject, want) {
			t.Errorf("subject %q lacks %q", mail.Subject, want)
		}
	}
	for _, want := range []string{"Olivia (olivia@example.com)", "Acme Shoes", "MARKETER", peoplePublicURL + "/accept-invitation?token="} {
		if !strings.Contains(mail.Text, want) || !strings.Contains(mail.HTML, want) {
			t.Errorf("e-mail lacks %q:\n%s\n%s", want, mail.Text, mail.HTML)
		}
	}
	token := env.tokenOf(t, "nia@example.com")
	if strings.Contains(string(res.Data), token) {
		t.Error("the GraphQL answer holds the token")
	}
	stored, err := env.DB.Client.Invitation.Get(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.TokenHash == token || strings.Contains(stored.TokenHash, token) || stored.InvitedByID == nil {
		t.Errorf("stored invitation = %+v: the token must be kept hashed only, and the inviter recorded", stored)
	}
	pending := owner.graphQL(t, pendingInvitationsQuery, nil)
	if got := pendingEmails(t, pending); !slices.Equal(got, []string{"nia@example.com"}) {
		t.Errorf("pending invitations = %v", got)
	}
	if strings.Contains(string(pending.Data), token) {
		t.Error("the invitations query holds the token")
	}

	nia := env.newBrowser(t)
	t.Run("the password policy applies and a refusal changes nothing", func(t *testing.T) {
		res, body := nia.post(t, "/api/auth/invitations/accept", map[string]string{"token": token, "name": "Nia", "password": "short"})
		if e := decodeRESTError(t, body); res.StatusCode != http.StatusBadRequest || e.Error.Code != "BAD_USER_INPUT" || e.Error.Field != "password" {
			t.Fatalf("weak password: %d %s", res.StatusCode, body)
		}
		if n := env.DB.Client.User.Query().Where(user.Email("nia@example.com")).CountX(ctx); n != 0 {
			t.Errorf("a refused acceptance made the account")
		}
		if got := env.DB.Client.Invitation.GetX(ctx, inv.ID); got.AcceptedAt != nil {
			t.Errorf("a refused acceptance used the invitation")
		}
	})

	res2, body := nia.post(t, "/api/auth/invitations/accept", map[string]string{"token": token, "name": "Nia Long", "password": peoplePassword})
	if res2.StatusCode != http.StatusOK {
		t.Fatalf("accept: %d %s", res2.StatusCode, body)
	}
	var signed signedInAnswer
	decodeJSONBody(t, body, &signed)
	if signed.User.Email != "nia@example.com" || signed.User.Name != "Nia Long" || len(signed.Organizations) != 1 ||
		signed.Organizations[0].ID != org.ID || signed.Organizations[0].Role != "MARKETER" || signed.Session == nil ||
		signed.Session.Method != "invitation" {
		t.Fatalf("accept answered %s", body)
	}
	if !slices.ContainsFunc(res2.Cookies(), func(c *http.Cookie) bool { return c.Name == "mos_session" && c.Value != "" && c.HttpOnly }) {
		t.Error("accepting did not sign the new member in")
	}
	var me struct {
		Viewer struct {
			User struct{ Email string }
			Role string
		}
	}
	nia.graphQL(t, `{ viewer { user { email } role } }`, nil).Decode(t, &me)
	if me.Viewer.User.Email != "nia@example.com" || me.Viewer.Role != "MARKETER" {
		t.Errorf("the new member's session acts as %+v", me.Viewer)
	}

	t.Run("the link works once", func(t *testing.T) {
		res, body := env.newBrowser(t).post(t, "/api/auth/invitations/accept", map[string]string{"token": token, "name": "Eve", "password": peoplePassword})
		if e := decodeRESTError(t, body); res.StatusCode != http.StatusGone || e.Error.Code != "INVITATION_INVALID" || !strings.Contains(e.Error.Message, "already been accepted") {
			t.Fatalf("second acceptance: %d %s", res.StatusCode, body)
		}
		if n := env.DB.Client.Membership.Query().Where(membership.OrganizationID(org.ID)).CountX(ctx); n != 2 {
			t.Errorf("members = %d after a second acceptance, want 2", n)
		}
	})

	t.Run("an unknown token", func(t *testing.T) {
		for _, tok := range []string{"", "not-a-token", strings.Repeat("x", 200)} {
			res, body := env.newBrowser(t).post(t, "/api/auth/invitations/accept", map[string]string{"token": tok, "password": peoplePassword})
			if e := decodeRESTError(t, body); res.StatusCode != http.StatusGone || e.Error.Code != "INVITATION_INVALID" {
				t.Errorf("token %.10q: %d %s", tok, res.StatusCode, body)
			}
		}
	})

	if got := pendingEmails(t, owner.graphQL(t, pendingInvitationsQuery, nil)); len(got) != 0 {
		t.Errorf("pending invitations after acceptance = %v", got)
	}
	var members struct {
		Members struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID, Role string
					User     struct{ Email, Name string }
				}
			}
		}
	}
	owner.graphQL(t, contractOp(t, "Members"), map[string]any{"first": 10}).Decode(t, &members)
	if members.Members.TotalCount != 2 || len(members.Members.Edges) != 2 ||
		members.Members.Edges[0].Node.User.Email != "olivia@example.com" || members.Members.Edges[1].Node.User.Email != "nia@example.com" ||
		members.Members.Edges[1].Node.Role != "MARKETER" {
		t.Errorf("members (oldest first) = %+v", members.Members)
	}

	entry, err := env.DB.Client.AuditEntry.Query().Where(auditentry.Action(audit.InvitationTaken)).Only(ctx)
	if err != nil {
		t.Fatalf("audit entry of the acceptance: %v", err)
	}
	if entry.OrganizationID != org.ID || entry.ObjectID == nil || *entry.ObjectID != inv.ID || entry.ActorUserID == nil ||
		*entry.ActorUserID != signed.User.ID {
		t.Errorf("audit entry = %+v", entry)
	}
}

// TestInvitationExpiry: seven days after it was sent, a link accepts nothing and the invitation is no longer listed.
func TestInvitationExpiry(t *testing.T) {
	env := newPeopleEnv(t)
	org := env.NewOrg(t, "Acme")
	invite := func(email string) {
		t.Helper()
		res := env.GraphQL(t, org.APIKey, contractOp(t, "InviteMember"), map[string]any{"input": map[string]any{"email": email, "role": "VIEWER"}})
		var out invitedAnswer
		res.Decode(t, &out)
	}
	invite("late@example.com")
	if mail := env.invitationsTo("late@example.com"); len(mail) != 1 || !strings.Contains(mail[0].Text, "An administrator of Acme") {
		t.Fatalf("an API key's invitation e-mail = %+v", mail)
	}
	token := env.tokenOf(t, "late@example.com")

	env.clock.Advance(7*24*time.Hour + time.Second)
	if got := pendingEmails(t, env.GraphQL(t, org.APIKey, pendingInvitationsQuery, nil)); len(got) != 0 {
		t.Errorf("pending invitations after expiry = %v", got)
	}
	res, body := env.newBrowser(t).post(t, "/api/auth/invitations/accept", map[string]string{"token": token, "name": "Late", "password": peoplePassword})
	if e := decodeRESTError(t, body); res.StatusCode != http.StatusGone || e.Error.Code != "INVITATION_INVALID" || !strings.Contains(e.Error.Message, "expired") {
		t.Fatalf("expired invitation: %d %s", res.StatusCode, body)
	}
	if n := env.DB.Client.User.Query().Where(user.Email("late@example.com")).CountX(viewer.SystemContext(context.Background())); n != 0 {
		t.Error("an expired invitation made an account")
	}

	// Inviting again sends a new link that works.
	invite("late@example.com")
	fresh := env.tokenOf(t, "late@example.com")
	if fresh == token {
		t.Fatal("a new invitation reused the token")
	}
	if res, body := env.newBrowser(t).post(t, "/api/auth/invitations/accept", map[string]string{"token": fresh, "name": "Late", "password": peoplePassword}); res.StatusCode != http.StatusOK {
		t.Fatalf("accept the new invitation: %d %s", res.StatusCode, body)
	}
}

// TestInvitationRevocation: a revoked link accepts nothing; inviting an address again revokes its open invitation;
// an accepted invitation cannot be revoked.
func TestInvitationRevocation(t *testing.T) {
	env := newPeopleEnv(t)
	org := env.NewOrg(t, "Acme")
	admin := env.member(t, org, "ada@example.com", viewer.Admin)
	invite := func(email, role string) string {
		t.Helper()
		var out invitedAnswer
		admin.graphQL(t, contractOp(t, "InviteMember"), map[string]any{"input": map[string]any{"email": email, "role": role}}).Decode(t, &out)
		return out.InviteMember.ID
	}
	accept := func(token string) (*http.Response, []byte) {
		return env.newBrowser(t).post(t, "/api/auth/invitations/accept", map[string]string{"token": token, "name": "Bo", "password": peoplePassword})
	}

	id := invite("bo@example.com", "VIEWER")
	token := env.tokenOf(t, "bo@example.com")
	var revoked struct{ RevokeInvitation string }
	admin.graphQL(t, contractOp(t, "RevokeInvitation"), map[string]any{"id": id}).Decode(t, &revoked)
	if revoked.RevokeInvitation != id {
		t.Errorf("revokeInvitation = %q, want %q", revoked.RevokeInvitation, id)
	}
	res, body := accept(token)
	if e := decodeRESTError(t, body); res.StatusCode != http.StatusGone || !strings.Contains(e.Error.Message, "withdrawn") {
		t.Fatalf("revoked invitation: %d %s", res.StatusCode, body)
	}
	// Revoking again is not an error.
	admin.graphQL(t, contractOp(t, "RevokeInvitation"), map[string]any{"id": id}).Decode(t, &revoked)

	first := invite("cy@example.com", "VIEWER")
	firstToken := env.tokenOf(t, "cy@example.com")
	second := invite("cy@example.com", "MARKETER")
	secondToken := env.tokenOf(t, "cy@example.com")
	if got := pendingEmails(t, admin.graphQL(t, pendingInvitationsQuery, nil)); !slices.Equal(got, []string{"cy@example.com"}) {
		t.Errorf("pending after re-inviting = %v, want the new invitation only", got)
	}
	if res, body := accept(firstToken); res.StatusCode != http.StatusGone {
		t.Errorf("the replaced invitation %s: %d %s", first, res.StatusCode, body)
	}
	if res, body := accept(secondToken); res.StatusCode != http.StatusOK {
		t.Fatalf("the new invitation: %d %s", res.StatusCode, body)
	}
	res2 := admin.graphQL(t, contractOp(t, "RevokeInvitation"), map[string]any{"id": second})
	if codes := res2.Codes(); !slices.Equal(codes, []string{"BAD_USER_INPUT"}) || res2.Errors[0].Extensions["field"] != "id" {
		t.Errorf("revoking an accepted invitation: %+v", res2.Errors)
	}
}

// TestInvitationEmailFailure: when the e-mail cannot be sent, nothing is kept and the earlier invitation stands.
func TestInvitationEmailFailure(t *testing.T) {
	env := newPeopleEnv(t)
	org := env.NewOrg(t, "Acme")
	admin := env.member(t, org, "ada@example.com", viewer.Admin)
	op := contractOp(t, "InviteMember")
	vars := map[string]any{"input": map[string]any{"email": "dee@example.com", "role": "VIEWER"}}
	admin.graphQL(t, op, vars).Decode(t, &invitedAnswer{})

	env.mail.Fail(resendfake.Fault{Status: 500})
	res := admin.graphQL(t, op, vars)
	if codes := res.Codes(); !slices.Equal(codes, []string{"PROVIDER_ERROR"}) {
		t.Fatalf("invite while Resend fails: %+v", res.Errors)
	}
	ctx := viewer.SystemContext(context.Background())
	if n := env.DB.Client.Invitation.Query().Where(invitation.Email("dee@example.com")).CountX(ctx); n != 1 {
		t.Errorf("invitations = %d, want the first one only", n)
	}
	if got := pendingEmails(t, admin.graphQL(t, pendingInvitationsQuery, nil)); !slices.Equal(got, []string{"dee@example.com"}) {
		t.Errorf("pending = %v: the earlier invitation must stand", got)
	}
}

// TestInvitationExistingUser: an invitation for the address of an existing account adds the membership to that
// account, signed in as itself, keeping its session; anyone else is asked to sign in, and nothing changes.
func TestInvitationExistingUser(t *testing.T) {
	env := newPeopleEnv(t)
	home := env.NewOrg(t, "Home Co")
	other := env.NewOrg(t, "Other Co")
	xena := env.member(t, home, "xena@example.com", viewer.Marketer)
	yuri := env.member(t, home, "yuri@example.com", viewer.Marketer)
	owner := env.member(t, other, "oren@example.com", viewer.Owner)

	owner.graphQL(t, contractOp(t, "InviteMember"), map[string]any{"input": map[string]any{"email": "xena@example.com", "role": "ADMIN"}}).Decode(t, &invitedAnswer{})
	token := env.tokenOf(t, "xena@example.com")
	ctx := viewer.SystemContext(context.Background())
	members := func() int {
		return env.DB.Client.Membership.Query().Where(membership.OrganizationID(other.ID)).CountX(ctx)
	}

	for name, b := range map[string]*browser{"not signed in": env.newBrowser(t), "signed in as someone else": yuri} {
		res, body := b.post(t, "/api/auth/invitations/accept", map[string]string{"token": token, "name": "Mallory", "password": peoplePassword})
		if e := decodeRESTError(t, body); res.StatusCode != http.StatusUnauthorized || e.Error.Code != "SIGN_IN_REQUIRED" {
			t.Errorf("%s: %d %s", name, res.StatusCode, body)
		}
	}
	if n := members(); n != 1 {
		t.Fatalf("members of Other Co = %d after refused acceptances, want 1", n)
	}

	res, body := xena.post(t, "/api/auth/invitations/accept", map[string]string{"token": token})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("accept as the invited account: %d %s", res.StatusCode, body)
	}
	if slices.ContainsFunc(res.Cookies(), func(c *http.Cookie) bool { return c.Name == "mos_session" }) {
		t.Error("the signed-in person got a new session cookie")
	}
	var signed signedInAnswer
	decodeJSONBody(t, body, &signed)
	var names []string
	for _, o := range signed.Organizations {
		names = append(names, o.Name+":"+o.Role)
	}
	if signed.User.Email != "xena@example.com" || !slices.Equal(names, []string{"Home Co:MARKETER", "Other Co:ADMIN"}) {
		t.Errorf("accept answered %s", body)
	}
	xena.orgID = other.ID
	var me struct{ Viewer struct{ Role string } }
	xena.graphQL(t, `{ viewer { role } }`, nil).Decode(t, &me)
	if me.Viewer.Role != "ADMIN" {
		t.Errorf("in Other Co the person acts as %q, want ADMIN", me.Viewer.Role)
	}
	if n := members(); n != 2 {
		t.Errorf("members of Other Co = %d, want 2", n)
	}
}

// TestInviteRules: who may invite whom, and what is refused as bad input. A refusal sends no e-mail.
func TestInviteRules(t *testing.T) {
	env := newPeopleEnv(t)
	org := env.NewOrg(t, "Acme")
	people := map[viewer.Role]*browser{
		viewer.Owner:    env.member(t, org, "owner@example.com", viewer.Owner),
		viewer.Admin:    env.member(t, org, "admin@example.com", viewer.Admin),
		viewer.Marketer: env.member(t, org, "marketer@example.com", viewer.Marketer),
		viewer.ReadOnly: env.member(t, org, "viewer@example.com", viewer.ReadOnly),
	}
	for _, tc := range []struct {
		name   string
		as     viewer.Role
		email  string
		role   string
		code   string
		field  string
		sendTo string
	}{
		{name: "an OWNER invites an OWNER", as: viewer.Owner, email: "co-owner@example.com", role: "OWNER", sendTo: "co-owner@example.com"},
		{name: "an ADMIN invites an ADMIN", as: viewer.Admin, email: "admin2@example.com", role: "ADMIN", sendTo: "admin2@example.com"},
		{name: "an ADMIN may not invite an OWNER", as: viewer.Admin, email: "boss@example.com", role: "OWNER", code: "FORBIDDEN"},
		{name: "a MARKETER may not invite", as: viewer.Marketer, email: "m@example.com", role: "VIEWER", code: "FORBIDDEN"},
		{name: "a VIEWER may not invite", as: viewer.ReadOnly, email: "v@example.com", role: "VIEWER", code: "FORBIDDEN"},
		{name: "a member's address", as: viewer.Admin, email: "Marketer@Example.com", role: "VIEWER", code: "BAD_USER_INPUT", field: "email"},
		{name: "not an address", as: viewer.Admin, email: "marketer at example", role: "VIEWER", code: "BAD_USER_INPUT", field: "email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(env.mail.Emails())
			res := people[tc.as].graphQL(t, contractOp(t, "InviteMember"), map[string]any{"input": map[string]any{"email": tc.email, "role": tc.role}})
			sent := env.mail.Emails()[before:]
			if tc.code == "" {
				res.Decode(t, &invitedAnswer{})
				if len(sent) != 1 || sent[0].To[0] != tc.sendTo {
					t.Errorf("e-mails sent = %+v, want one to %s", sent, tc.sendTo)
				}
				return
			}
			if codes := res.Codes(); !slices.Equal(codes, []string{tc.code}) {
				t.Fatalf("codes = %v, want %s (%+v)", codes, tc.code, res.Errors)
			}
			if tc.field != "" && res.Errors[0].Extensions["field"] != tc.field {
				t.Errorf("field = %v, want %s", res.Errors[0].Extensions["field"], tc.field)
			}
			if len(sent) != 0 {
				t.Errorf("a refused invitation sent %d e-mails", len(sent))
			}
		})
	}
	// Neither MARKETER nor VIEWER may list or revoke invitations.
	for _, role := range []viewer.Role{viewer.Marketer, viewer.ReadOnly} {
		for _, op := range []struct {
			query string
			vars  map[string]any
		}{
			{pendingInvitationsQuery, nil},
			{contractOp(t, "RevokeInvitation"), map[string]any{"id": "inv_01"}},
		} {
			if codes := people[role].graphQL(t, op.query, op.vars).Codes(); !slices.Equal(codes, []string{"FORBIDDEN"}) {
				t.Errorf("%s: %.30s: codes = %v, want FORBIDDEN", role, op.query, codes)
			}
		}
	}
}
