package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/marketingos/marketingos/ent/membership"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/viewer"
)

// MemberPassword is the password of every member NewMember creates.
const MemberPassword = "correct horse battery staple"

var members atomic.Int64

// Member is a person in an organization with a role, signed in through POST /api/auth/login: Browser holds the
// session cookie, as a browser's cookie jar would.
type Member struct {
	UserID, Email string
	OrgID         string
	Role          viewer.Role
	Browser       *http.Client
	env           *Env
}

// NewMember creates a person with role in org and signs them in.
func (e *Env) NewMember(t testing.TB, org Org, role viewer.Role) *Member {
	t.Helper()
	email := strings.ToLower(string(role)) + "-" + itoa(members.Add(1)) + "@" + strings.ToLower(strings.ReplaceAll(org.Name, " ", "")) + ".example"
	u, err := auth.CreateUser(context.Background(), e.DB.Client, auth.NewUser{Email: email, Name: string(role), Password: MemberPassword})
	if err != nil {
		t.Fatalf("apitest: create user: %v", err)
	}
	if _, err := auth.AddMember(context.Background(), e.DB.Client, org.ID, u.ID, role); err != nil {
		t.Fatalf("apitest: add member: %v", err)
	}
	m := &Member{UserID: u.ID, Email: email, OrgID: org.ID, Role: role, Browser: e.NewBrowser(t), env: e}
	if res, body := e.SignIn(t, m.Browser, email, MemberPassword); res.StatusCode != http.StatusOK {
		t.Fatalf("apitest: sign in %s: %s %s", email, res.Status, body)
	}
	return m
}

// NewBrowser returns an HTTP client with a cookie jar of its own.
func (e *Env) NewBrowser(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := *e.Server.Client()
	c.Jar = jar
	return &c
}

// SignIn posts the e-mail and password to /api/auth/login from the server's own origin, as its dashboard would.
func (e *Env) SignIn(t testing.TB, browser *http.Client, email, password string) (*http.Response, []byte) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	return e.Do(t, browser, http.MethodPost, "/api/auth/login", "application/json", body, nil)
}

// Do sends a request from the server's own origin (Origin: its URL) with extra headers and returns the response
// with its body read.
func (e *Env) Do(t testing.TB, client *http.Client, method, path, contentType string, body []byte, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.Server.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Origin", e.Server.URL)
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("apitest: %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, raw
}

// GraphQL runs an operation as the member, with their session cookie, in their organization.
func (m *Member) GraphQL(t testing.TB, query string, vars map[string]any) *Response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	res, raw := m.env.Do(t, m.Browser, http.MethodPost, "/graphql", "application/json", body, http.Header{"X-Organization-Id": {m.OrgID}})
	out := &Response{Status: res.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("apitest: response is not JSON (status %d): %s", res.StatusCode, raw)
	}
	return out
}

// NewKey creates an API key with role for org and returns its secret.
func (e *Env) NewKey(t testing.TB, org Org, role viewer.Role) string {
	t.Helper()
	return e.newKey(t, org, role).Secret
}

// NewKeyID creates an API key with role for org and returns its ID.
func (e *Env) NewKeyID(t testing.TB, org Org, role viewer.Role) string {
	t.Helper()
	return e.newKey(t, org, role).Key.ID
}

func (e *Env) newKey(t testing.TB, org Org, role viewer.Role) *account.NewKey {
	t.Helper()
	ctx := viewer.NewContext(context.Background(), viewer.Viewer{OrgID: org.ID, Role: viewer.Admin})
	k, err := account.CreateKey(ctx, e.DB.Client, "key "+string(role), role)
	if err != nil {
		t.Fatalf("apitest: create key: %v", err)
	}
	return k
}

// MembershipID is the ID of the member's membership in their organization.
func (e *Env) MembershipID(m *Member) (string, error) {
	return e.DB.Client.Membership.Query().
		Where(membership.OrganizationID(m.OrgID), membership.UserID(m.UserID)).
		OnlyID(viewer.SystemContext(context.Background()))
}

// DialWS opens a graphql-transport-ws connection signed in with the member's session cookie, from the server's
// own origin, acting in their organization (organizationId in connection_init).
func (m *Member) DialWS(t testing.TB) (*WS, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return m.env.dialWS(ctx, &websocket.DialOptions{HTTPClient: m.Browser, HTTPHeader: http.Header{"Origin": {m.env.Server.URL}}},
		map[string]string{"organizationId": m.OrgID})
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
