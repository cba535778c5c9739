package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/app"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/viewer"
)

// clock is a time the tests move forward, for session expiry.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// viewerQuery is what a signed-in dashboard asks first.
const viewerQuery = `{ viewer { user { id email } role organization { id } organizations { id name } } }`

type viewerOut struct {
	Viewer struct {
		User *struct {
			ID, Email string
		}
		Role          string
		Organization  struct{ ID string }
		Organizations []struct{ ID, Name string }
	}
}

// sessionCookieOf returns the session cookie the browser holds for the server.
func sessionCookieOf(t *testing.T, env *apitest.Env, browser *http.Client) *http.Cookie {
	t.Helper()
	u, _ := url.Parse(env.Server.URL)
	for _, c := range browser.Jar.Cookies(u) {
		if c.Name == "mos_session" {
			return c
		}
	}
	return nil
}

// TestSignInSignOut over real HTTP with a cookie jar: sign-in sets an HttpOnly, SameSite=Lax cookie; the session
// runs GraphQL as the person in their organization with their role; GET /api/auth/session says who is signed in;
// sign-out ends it, and the same cookie, sent again, is refused.
func TestSignInSignOut(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	m := env.NewMember(t, org, viewer.Marketer)

	var res *http.Response
	browser := env.NewBrowser(t)
	res, body := env.SignIn(t, browser, strings.ToUpper(m.Email), apitest.MemberPassword) // e-mail is case-insensitive
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sign-in: %s %s", res.Status, body)
	}
	var signed struct {
		User          struct{ ID, Email string }
		Organizations []struct{ ID, Name, Role string }
	}
	if err := json.Unmarshal(body, &signed); err != nil {
		t.Fatal(err)
	}
	if signed.User.ID != m.UserID || len(signed.Organizations) != 1 || signed.Organizations[0].ID != org.ID || signed.Organizations[0].Role != "MARKETER" {
		t.Errorf("sign-in answered %s", body)
	}
	var raw string
	for _, h := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(h, "mos_session=") {
			raw = h
		}
	}
	if !strings.Contains(raw, "HttpOnly") || !strings.Contains(raw, "SameSite=Lax") || strings.Contains(raw, "Secure") {
		t.Errorf("session cookie %q, want HttpOnly and SameSite=Lax (and not Secure over plain HTTP)", raw)
	}
	if strings.Contains(string(body), sessionCookieOf(t, env, browser).Value) {
		t.Error("the session token appears in the answer's body")
	}

	member := &apitest.Member{UserID: m.UserID, Email: m.Email, OrgID: org.ID, Browser: browser}
	var v viewerOut
	memberGraphQL(t, env, member, viewerQuery, nil).Decode(t, &v)
	if v.Viewer.User == nil || v.Viewer.User.ID != m.UserID || v.Viewer.Role != "MARKETER" || v.Viewer.Organization.ID != org.ID {
		t.Errorf("viewer = %+v, want the person as MARKETER of %s", v.Viewer, org.ID)
	}

	res, body = env.Do(t, browser, http.MethodGet, "/api/auth/session", "", nil, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), m.UserID) {
		t.Errorf("GET /api/auth/session: %s %s", res.Status, body)
	}

	stolen := sessionCookieOf(t, env, browser)
	res, _ = env.Do(t, browser, http.MethodPost, "/api/auth/logout", "application/json", []byte(`{}`), nil)
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %s", res.Status)
	}
	if c := sessionCookieOf(t, env, browser); c != nil {
		t.Errorf("the browser still holds the session cookie after logout")
	}
	// The cookie a thief copied before the sign-out is worth nothing now.
	replay := env.NewBrowser(t)
	u, _ := url.Parse(env.Server.URL)
	replay.Jar.SetCookies(u, []*http.Cookie{stolen})
	got := memberGraphQL(t, env, &apitest.Member{OrgID: org.ID, Browser: replay}, viewerQuery, nil)
	if got.Status != http.StatusUnauthorized || wantError(t, got, "UNAUTHENTICATED").Code() == "" {
		t.Errorf("a signed-out session's cookie: status %d", got.Status)
	}
	if res, _ := env.Do(t, replay, http.MethodGet, "/api/auth/session", "", nil, nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /api/auth/session with a signed-out cookie: %s, want 401", res.Status)
	}
}

// memberGraphQL is Member.GraphQL for a browser built by hand.
func memberGraphQL(t *testing.T, env *apitest.Env, m *apitest.Member, query string, vars map[string]any) *apitest.Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	h := http.Header{}
	if m.OrgID != "" {
		h.Set("X-Organization-Id", m.OrgID)
	}
	res, raw := env.Do(t, m.Browser, http.MethodPost, "/graphql", "application/json", body, h)
	out := &apitest.Response{Status: res.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("response is not JSON (status %d): %s", res.StatusCode, raw)
	}
	return out
}

// TestSessionExpiry: a session ends after SESSION_IDLE_TIMEOUT without use, and after SESSION_MAX_AGE however
// busy it is.
func TestSessionExpiry(t *testing.T) {
	var clk clock
	env := apitest.New(t, apitest.WithApp(app.Options{Clock: clk.now}))
	org := env.NewOrg(t, "Acme")
	alive := func(m *apitest.Member) bool {
		res, _ := env.Do(t, m.Browser, http.MethodGet, "/api/auth/session", "", nil, nil)
		return res.StatusCode == http.StatusOK
	}

	idle := env.NewMember(t, org, viewer.ReadOnly)
	busy := env.NewMember(t, org, viewer.ReadOnly)
	clk.advance(6 * 24 * time.Hour)
	if !alive(busy) {
		t.Fatal("a session used within its idle timeout ended")
	}
	clk.advance(24*time.Hour + time.Minute) // idle has been unused for 7 days and a minute; busy for a day
	if alive(idle) {
		t.Error("a session unused for longer than SESSION_IDLE_TIMEOUT (7 days) still works")
	}
	for range 3 { // busy keeps being used: 7 + 3×6 = 25 days old
		if !alive(busy) {
			t.Fatal("a busy session ended before its absolute expiry")
		}
		clk.advance(6 * 24 * time.Hour)
	}
	if !alive(busy) { // 25 days
		t.Fatal("a busy session ended before 30 days")
	}
	clk.advance(5*24*time.Hour + time.Minute) // 30 days and a minute
	if alive(busy) {
		t.Error("a session older than SESSION_MAX_AGE (30 days) still works")
	}
}

// TestPasswordChangeEndsOtherSessions: changing the password keeps the session that did it and ends the others;
// the old password no longer signs in.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	laptop := env.NewMember(t, org, viewer.Admin)
	phone := &apitest.Member{OrgID: org.ID, Browser: env.NewBrowser(t)}
	if res, body := env.SignIn(t, phone.Browser, laptop.Email, apitest.MemberPassword); res.StatusCode != http.StatusOK {
		t.Fatalf("second sign-in: %s %s", res.Status, body)
	}
	if a, b := sessionCookieOf(t, env, laptop.Browser), sessionCookieOf(t, env, phone.Browser); a.Value == b.Value {
		t.Fatal("two sign-ins got the same session id")
	}

	res, body := env.Do(t, laptop.Browser, http.MethodPost, "/api/auth/password", "application/json",
		[]byte(`{"currentPassword":"wrong password here","newPassword":"a much better passphrase"}`), nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "currentPassword") {
		t.Errorf("a wrong current password: %s %s, want 400 on currentPassword", res.Status, body)
	}
	res, body = env.Do(t, laptop.Browser, http.MethodPost, "/api/auth/password", "application/json",
		[]byte(`{"currentPassword":"`+apitest.MemberPassword+`","newPassword":"password1234"}`), nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "common") {
		t.Errorf("a common new password: %s %s, want 400 naming it common", res.Status, body)
	}
	res, body = env.Do(t, laptop.Browser, http.MethodPost, "/api/auth/password", "application/json",
		[]byte(`{"currentPassword":"`+apitest.MemberPassword+`","newPassword":"a much better passphrase"}`), nil)
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("change password: %s %s", res.Status, body)
	}

	if got := memberGraphQL(t, env, laptop, viewerQuery, nil); len(got.Errors) > 0 {
		t.Errorf("the session that changed the password was ended: %v", got.Codes())
	}
	if got := memberGraphQL(t, env, phone, viewerQuery, nil); got.Status != http.StatusUnauthorized {
		t.Errorf("another session survived the password change: status %d", got.Status)
	}
	if res, _ := env.SignIn(t, env.NewBrowser(t), laptop.Email, apitest.MemberPassword); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the old password still signs in: %s", res.Status)
	}
	if res, _ := env.SignIn(t, env.NewBrowser(t), laptop.Email, "a much better passphrase"); res.StatusCode != http.StatusOK {
		t.Errorf("the new password does not sign in: %s", res.Status)
	}
}

// TestSignInRefusals: an unknown e-mail and a wrong password get byte-identical answers (no account enumeration);
// the 11th attempt on one account within a minute is 429 with Retry-After, even with the right password.
func TestSignInRefusals(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	m := env.NewMember(t, org, viewer.ReadOnly)

	answer := func(email, password string) (int, string, time.Duration) {
		start := time.Now()
		res, body := env.SignIn(t, env.NewBrowser(t), email, password)
		took := time.Since(start)
		h := res.Header.Clone()
		h.Del("Date")
		var b bytes.Buffer
		_ = h.Write(&b)
		return res.StatusCode, b.String() + "\n" + string(body), took
	}
	st1, unknown, tookUnknown := answer("nobody@example.com", "some password")
	st2, wrong, tookWrong := answer(m.Email, "some password")
	if st1 != http.StatusUnauthorized || unknown != wrong {
		t.Errorf("unknown e-mail and wrong password differ:\n%d %s\n---\n%d %s", st1, unknown, st2, wrong)
	}
	t.Logf("unknown e-mail answered in %s, wrong password in %s", tookUnknown, tookWrong)
	for _, bad := range []string{`{"email":"a@b.c"`, `{"email":"a@b.c","password":"x","extra":1}`} {
		if res, _ := env.Do(t, env.NewBrowser(t), http.MethodPost, "/api/auth/login", "application/json", []byte(bad), nil); res.StatusCode != http.StatusBadRequest {
			t.Errorf("body %s: %s, want 400", bad, res.Status)
		}
	}

	// The member's own sign-in and the wrong password above were two attempts on the account; eight more make
	// ten within the minute, and the eleventh is refused however right its password is.
	for i := range 8 {
		if st, _, _ := answer(m.Email, "wrong password"); st != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+2, st)
		}
	}
	res, body := env.SignIn(t, env.NewBrowser(t), m.Email, apitest.MemberPassword)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "RATE_LIMITED") {
		t.Errorf("11th attempt within a minute: %s (Retry-After %q) %s, want 429", res.Status, res.Header.Get("Retry-After"), body)
	}
	// Another account is not held up by it.
	other := env.NewMember(t, org, viewer.ReadOnly)
	if res, _ := env.SignIn(t, env.NewBrowser(t), other.Email, apitest.MemberPassword); res.StatusCode != http.StatusOK {
		t.Errorf("another account's sign-in: %s", res.Status)
	}
}

// TestSessionOrganizations: a person in two organizations picks one with X-Organization-Id, gets the most recently
// used one without it, and is refused an organization they do not belong to.
func TestSessionOrganizations(t *testing.T) {
	env := apitest.New(t)
	a, b, c := env.NewOrg(t, "Alpha"), env.NewOrg(t, "Beta"), env.NewOrg(t, "Gamma")
	m := env.NewMember(t, a, viewer.Admin)
	if _, err := auth.AddMember(context.Background(), env.DB.Client, b.ID, m.UserID, viewer.ReadOnly); err != nil {
		t.Fatal(err)
	}
	as := func(orgID string) *apitest.Member { return &apitest.Member{OrgID: orgID, Browser: m.Browser} }

	var v viewerOut
	memberGraphQL(t, env, as(b.ID), viewerQuery, nil).Decode(t, &v)
	if v.Viewer.Organization.ID != b.ID || v.Viewer.Role != "VIEWER" || len(v.Viewer.Organizations) != 2 {
		t.Errorf("in Beta: %+v, want Beta as VIEWER with two organizations", v.Viewer)
	}
	memberGraphQL(t, env, as(""), viewerQuery, nil).Decode(t, &v)
	if v.Viewer.Organization.ID != b.ID {
		t.Errorf("without X-Organization-Id: %s, want the one used last (Beta)", v.Viewer.Organization.ID)
	}
	got := memberGraphQL(t, env, as(c.ID), viewerQuery, nil)
	if got.Status != http.StatusForbidden {
		t.Errorf("an organization the person is not in: status %d, want 403", got.Status)
	}
	wantError(t, got, "FORBIDDEN")
	// A VIEWER in Beta may not do there what they may as ADMIN in Alpha.
	got = memberGraphQL(t, env, as(b.ID), contractOp(t, "CreateProduct"), map[string]any{"input": map[string]any{"name": "No"}})
	wantError(t, got, "FORBIDDEN")
	memberGraphQL(t, env, as(a.ID), contractOp(t, "CreateProduct"), map[string]any{"input": map[string]any{"name": "Yes"}}).Decode(t, &struct{}{})
}
