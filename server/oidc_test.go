package server_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/auditentry"
	"github.com/marketingos/marketingos/ent/invitation"
	"github.com/marketingos/marketingos/ent/membership"
	"github.com/marketingos/marketingos/ent/user"
	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/viewer"
)

// The server under test is reached at publicURL, its PUBLIC_URL, through a browser whose transport dials the test
// server for that host: the redirect URI the server registers is then the one the browser follows back.
const (
	publicHost       = "mos.test"
	publicURL        = "http://" + publicHost
	oidcClientID     = "marketingos-test"
	oidcClientSecret = "test-client-secret"
	oidcKeyID        = "test-key-1"
)

// fakeIssuer is an OpenID Connect provider over real HTTP: discovery, a JWKS, /authorize that signs in whoever the
// test says and redirects back with a code, and /token that checks the client, the redirect URI and the PKCE
// verifier against the challenge before it returns an RS256-signed ID token.
type fakeIssuer struct {
	t   testing.TB
	srv *httptest.Server
	key *rsa.PrivateKey

	mu sync.Mutex
	// person is who signs in at /authorize next.
	person fakePerson
	// down makes discovery answer 503.
	down   bool
	grants map[string]fakeGrant
	// refusals are the reasons /token refused a code, in order.
	refusals []string
}

// fakePerson is a provider account. EmailVerified is the claim's value (nil leaves it out); Nonce, when set,
// replaces the nonce the server asked for.
type fakePerson struct {
	Subject, Email, Name string
	EmailVerified        any
	Nonce                string
}

type fakeGrant struct {
	person                        fakePerson
	nonce, challenge, redirectURI string
}

var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func newFakeIssuer(t testing.TB) *fakeIssuer {
	f := &fakeIssuer{t: t, key: testKey(), grants: map[string]fakeGrant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", f.discovery)
	mux.HandleFunc("GET /jwks", f.jwks)
	mux.HandleFunc("GET /authorize", f.authorize)
	mux.HandleFunc("POST /token", f.token)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIssuer) signInAs(p fakePerson) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.person = p
}

func (f *fakeIssuer) setDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

func (f *fakeIssuer) refused() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.refusals)
}

func (f *fakeIssuer) discovery(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	down := f.down
	f.mu.Unlock()
	if down {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	u := f.srv.URL
	writeTestJSON(w, http.StatusOK, map[string]any{
		"issuer":                                u,
		"authorization_endpoint":                u + "/authorize",
		"token_endpoint":                        u + "/token",
		"jwks_uri":                              u + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}

func (f *fakeIssuer) jwks(w http.ResponseWriter, _ *http.Request) {
	writeTestJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &f.key.PublicKey, KeyID: oidcKeyID, Algorithm: string(jose.RS256), Use: "sig"},
	}})
}

func (f *fakeIssuer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	problems := []string{}
	check := func(ok bool, what string) {
		if !ok {
			problems = append(problems, what)
		}
	}
	check(q.Get("response_type") == "code", "response_type=code")
	check(q.Get("client_id") == oidcClientID, "client_id")
	check(q.Get("redirect_uri") == publicURL+"/api/auth/oidc/callback", "redirect_uri")
	check(slices.Contains(strings.Fields(q.Get("scope")), "openid"), "scope openid")
	check(slices.Contains(strings.Fields(q.Get("scope")), "email"), "scope email")
	check(q.Get("state") != "", "state")
	check(q.Get("nonce") != "", "nonce")
	check(q.Get("code_challenge_method") == "S256", "code_challenge_method=S256")
	check(len(q.Get("code_challenge")) == 43, "code_challenge")
	if len(problems) > 0 {
		f.t.Errorf("fake issuer: /authorize without %v: %s", problems, r.URL.RawQuery)
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	code := hex.EncodeToString(randomBytes(16))
	f.mu.Lock()
	f.grants[code] = fakeGrant{person: f.person, nonce: q.Get("nonce"), challenge: q.Get("code_challenge"),
		redirectURI: q.Get("redirect_uri")}
	f.mu.Unlock()
	back := q.Get("redirect_uri") + "?" + url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	http.Redirect(w, r, back, http.StatusFound)
}

func (f *fakeIssuer) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	f.mu.Lock()
	g, known := f.grants[r.PostForm.Get("code")]
	delete(f.grants, r.PostForm.Get("code")) // codes are single-use
	f.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	refuse := func(status int, code, reason string) {
		f.mu.Lock()
		f.refusals = append(f.refusals, reason)
		f.mu.Unlock()
		writeTestJSON(w, status, map[string]string{"error": code, "error_description": reason})
	}
	switch {
	case id != oidcClientID || secret != oidcClientSecret:
		refuse(http.StatusUnauthorized, "invalid_client", "client")
	case r.PostForm.Get("grant_type") != "authorization_code" || !known:
		refuse(http.StatusBadRequest, "invalid_grant", "code")
	case r.PostForm.Get("redirect_uri") != g.redirectURI:
		refuse(http.StatusBadRequest, "invalid_grant", "redirect_uri")
	case subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(g.challenge)) != 1:
		refuse(http.StatusBadRequest, "invalid_grant", "pkce")
	default:
		writeTestJSON(w, http.StatusOK, map[string]any{
			"access_token": hex.EncodeToString(randomBytes(16)), "token_type": "Bearer", "expires_in": 3600,
			"id_token": f.idToken(g),
		})
	}
}

func (f *fakeIssuer) idToken(g fakeGrant) string {
	now := time.Now()
	nonce := g.nonce
	if g.person.Nonce != "" {
		nonce = g.person.Nonce
	}
	claims := map[string]any{
		"iss": f.srv.URL, "sub": g.person.Subject, "aud": oidcClientID,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "nonce": nonce,
		"email": g.person.Email, "name": g.person.Name,
	}
	if g.person.EmailVerified != nil {
		claims["email_verified"] = g.person.EmailVerified
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		panic(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: f.key, KeyID: oidcKeyID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		panic(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		panic(err)
	}
	raw, err := jws.CompactSerialize()
	if err != nil {
		panic(err)
	}
	return raw
}

func writeTestJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// newSSOEnv starts the server with single sign-on against f, at publicURL.
func newSSOEnv(t *testing.T, f *fakeIssuer) *apitest.Env {
	t.Helper()
	return apitest.New(t,
		apitest.WithEnv("PUBLIC_URL", publicURL),
		apitest.WithEnv("OIDC_ISSUER_URL", f.srv.URL),
		apitest.WithEnv("OIDC_CLIENT_ID", oidcClientID),
		apitest.WithEnv("OIDC_CLIENT_SECRET", oidcClientSecret),
	)
}

// ssoBrowser is an HTTP client with a cookie jar that reaches the server at publicURL and the provider where it is.
// It follows redirects until the next one would leave the single sign-on routes of the server (the landing page),
// or until stop says so.
type ssoBrowser struct {
	t      *testing.T
	jar    *cookiejar.Jar
	client *http.Client
	stop   func(*http.Request) bool
}

func newSSOBrowser(t *testing.T, env *apitest.Env) *ssoBrowser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	serverAddr := env.Server.Listener.Addr().String()
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == publicHost+":80" {
			addr = serverAddr
		}
		return dialer.DialContext(ctx, network, addr)
	}}
	t.Cleanup(transport.CloseIdleConnections)
	b := &ssoBrowser{t: t, jar: jar}
	b.client = &http.Client{Jar: jar, Transport: transport, Timeout: 30 * time.Second,
		CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			if req.URL.Host == publicHost && !strings.HasPrefix(req.URL.Path, "/api/auth/oidc/") {
				return http.ErrUseLastResponse
			}
			if b.stop != nil && b.stop(req) {
				return http.ErrUseLastResponse
			}
			return nil
		}}
	return b
}

// get requests a URL of the server (a path) or of anywhere (an absolute URL) and returns the response after the
// redirects it followed, with its body read.
func (b *ssoBrowser) get(target string) (*http.Response, []byte) {
	b.t.Helper()
	if strings.HasPrefix(target, "/") {
		target = publicURL + target
	}
	res, err := b.client.Get(target)
	if err != nil {
		b.t.Fatalf("GET %s: %v", target, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return res, body
}

// signIn goes through single sign-on and returns where the server finally sends the browser.
func (b *ssoBrowser) signIn(ret string) string {
	b.t.Helper()
	path := "/api/auth/oidc/login"
	if ret != "" {
		path += "?" + url.Values{"return": {ret}}.Encode()
	}
	res, body := b.get(path)
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("single sign-on ended with %d at %s, not a redirect to the landing page: %s", res.StatusCode, res.Request.URL, body)
	}
	return res.Header.Get("Location")
}

// sessionCookie is the browser's session token, or "".
func (b *ssoBrowser) sessionCookie() string {
	u, _ := url.Parse(publicURL + "/")
	for _, c := range b.jar.Cookies(u) {
		if c.Name == "mos_session" {
			return c.Value
		}
	}
	return ""
}

type sessionAnswer struct {
	User struct {
		ID, Email, Name string
	} `json:"user"`
	Organizations []struct {
		ID, Name, Role string
	} `json:"organizations"`
	Session struct {
		Method string `json:"method"`
	} `json:"session"`
}

// session is GET /api/auth/session with the browser's cookies.
func (b *ssoBrowser) session() sessionAnswer {
	b.t.Helper()
	res, body := b.get("/api/auth/session")
	if res.StatusCode != http.StatusOK {
		b.t.Fatalf("GET /api/auth/session: %d %s", res.StatusCode, body)
	}
	var s sessionAnswer
	if err := json.Unmarshal(body, &s); err != nil {
		b.t.Fatal(err)
	}
	return s
}

func invite(t *testing.T, env *apitest.Env, orgID, email string, role viewer.Role, edit func(*ent.InvitationCreate)) *ent.Invitation {
	t.Helper()
	c := env.DB.Client.Invitation.Create().SetOrganizationID(orgID).SetEmail(email).SetRole(role).
		SetTokenHash(hex.EncodeToString(randomBytes(32))).SetExpiresAt(time.Now().Add(72 * time.Hour))
	if edit != nil {
		edit(c)
	}
	inv, err := c.Save(viewer.SystemContext(context.Background()))
	if err != nil {
		t.Fatalf("create invitation: %v", err)
	}
	return inv
}

func setSSODomain(t *testing.T, env *apitest.Env, orgID, domain string) {
	t.Helper()
	if err := env.DB.Client.Organization.UpdateOneID(orgID).SetSSODomain(domain).Exec(viewer.SystemContext(context.Background())); err != nil {
		t.Fatal(err)
	}
}

func roles(s sessionAnswer) map[string]string {
	out := map[string]string{}
	for _, o := range s.Organizations {
		out[o.ID] = o.Role
	}
	return out
}

func TestOIDCSignInInvited(t *testing.T) {
	f := newFakeIssuer(t)
	env := newSSOEnv(t, f)
	ctx := viewer.SystemContext(context.Background())
	invited, expired, revoked := env.NewOrg(t, "Invited"), env.NewOrg(t, "Expired"), env.NewOrg(t, "Revoked")
	inv := invite(t, env, invited.ID, "ana@corp.example", viewer.Admin, nil)
	invExpired := invite(t, env, expired.ID, "ana@corp.example", viewer.Admin, func(c *ent.InvitationCreate) {
		c.SetExpiresAt(time.Now().Add(-time.Minute))
	})
	invRevoked := invite(t, env, revoked.ID, "ana@corp.example", viewer.Admin, func(c *ent.InvitationCreate) {
		c.SetRevokedAt(time.Now().Add(-time.Minute))
	})
	f.signInAs(fakePerson{Subject: "sub-ana", Email: "Ana@Corp.Example", Name: "Ana Lima", EmailVerified: true})

	b := newSSOBrowser(t, env)
	if got := b.signIn("/campaigns?tab=active"); got != "/campaigns?tab=active" {
		t.Fatalf("landed on %q, want the return path /campaigns?tab=active", got)
	}
	s := b.session()
	if s.User.Email != "ana@corp.example" || s.User.Name != "Ana Lima" || s.Session.Method != auth.MethodOIDC {
		t.Errorf("session = %+v, want ana@corp.example, Ana Lima, method oidc", s)
	}
	if got, want := roles(s), map[string]string{invited.ID: "ADMIN"}; !maps.Equal(got, want) {
		t.Errorf("organizations = %v, want only the pending invitation's, as ADMIN: %v", got, want)
	}

	u, err := env.DB.Client.User.Query().Where(user.Email("ana@corp.example")).Only(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if u.PasswordHash != nil || u.OidcIssuer == nil || *u.OidcIssuer != f.srv.URL || u.OidcSubject == nil || *u.OidcSubject != "sub-ana" {
		t.Errorf("user: password set %v, issuer %v, subject %v; want an SSO-only user with the provider's identity",
			u.PasswordHash != nil, u.OidcIssuer, u.OidcSubject)
	}
	for _, c := range []struct {
		inv      *ent.Invitation
		accepted bool
	}{{inv, true}, {invExpired, false}, {invRevoked, false}} {
		got, err := env.DB.Client.Invitation.Get(ctx, c.inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if (got.AcceptedAt != nil) != c.accepted {
			t.Errorf("invitation to %s: accepted %v, want %v", c.inv.OrganizationID, got.AcceptedAt != nil, c.accepted)
		}
	}
	actions, err := env.DB.Client.AuditEntry.Query().Where(auditentry.OrganizationID(invited.ID)).
		Order(ent.Asc(auditentry.FieldCreatedAt), ent.Asc(auditentry.FieldID)).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range actions {
		names = append(names, a.Action)
	}
	if !slices.Contains(names, "auth.invitationAccepted") || !slices.Contains(names, "auth.signIn") {
		t.Errorf("audit entries of the invited organization = %v, want auth.invitationAccepted and auth.signIn", names)
	}

	// Signing in again, in another browser: the same user, found by the provider's identity even when the provider
	// now reports another address; nothing is accepted twice.
	f.signInAs(fakePerson{Subject: "sub-ana", Email: "ana.lima@corp.example", EmailVerified: true})
	again := newSSOBrowser(t, env)
	if got := again.signIn(""); got != "/" {
		t.Fatalf("landed on %q, want /", got)
	}
	if s2 := again.session(); s2.User.ID != u.ID || len(s2.Organizations) != 1 {
		t.Errorf("second sign-in: user %s with %d organizations, want %s with 1", s2.User.ID, len(s2.Organizations), u.ID)
	}
	if n := env.DB.Client.User.Query().CountX(ctx); n != 1 {
		t.Errorf("%d users, want 1", n)
	}

	// A new person's two sign-ins at once (two tabs): one user, one membership, two sessions.
	inv2 := invite(t, env, invited.ID, "eve@corp.example", viewer.Marketer, nil)
	f.signInAs(fakePerson{Subject: "sub-eve", Email: "eve@corp.example", EmailVerified: true})
	var backs []*url.URL
	var tabs []*ssoBrowser
	for range 2 {
		b := newSSOBrowser(t, env)
		b.stop = func(r *http.Request) bool { return r.URL.Path == "/api/auth/oidc/callback" }
		res, _ := b.get("/api/auth/oidc/login")
		back, err := url.Parse(res.Header.Get("Location"))
		if err != nil || back.Path != "/api/auth/oidc/callback" {
			t.Fatalf("expected the provider's redirect back, got %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		b.stop = nil
		backs, tabs = append(backs, back), append(tabs, b)
	}
	var wg sync.WaitGroup
	for i, b := range tabs {
		wg.Go(func() {
			res, err := b.client.Get(backs[i].String())
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/" {
				t.Errorf("tab %d: %d to %q, want 303 to /", i, res.StatusCode, loc)
			}
		})
	}
	wg.Wait()
	eve, err := env.DB.Client.User.Query().Where(user.Email("eve@corp.example")).Only(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := env.DB.Client.Membership.Query().Where(membership.UserID(eve.ID)).CountX(ctx); n != 1 {
		t.Errorf("%d memberships, want 1", n)
	}
	if n := eve.QuerySessions().CountX(ctx); n != 2 {
		t.Errorf("%d sessions, want 2", n)
	}
	if env.DB.Client.Invitation.GetX(ctx, inv2.ID).AcceptedAt == nil {
		t.Error("the invitation was not accepted")
	}
}

func TestOIDCSignInBySSODomain(t *testing.T) {
	f := newFakeIssuer(t)
	env := newSSOEnv(t, f)
	ctx := viewer.SystemContext(context.Background())
	corp, other := env.NewOrg(t, "Corp"), env.NewOrg(t, "Other")
	setSSODomain(t, env, corp.ID, "corp.example")
	setSSODomain(t, env, other.ID, "other.example")

	t.Run("new user joins as MARKETER", func(t *testing.T) {
		f.signInAs(fakePerson{Subject: "sub-bo", Email: "Bo@CORP.example", EmailVerified: true})
		b := newSSOBrowser(t, env)
		if got := b.signIn(""); got != "/" {
			t.Fatalf("landed on %q, want /", got)
		}
		if got, want := roles(b.session()), map[string]string{corp.ID: "MARKETER"}; !maps.Equal(got, want) {
			t.Errorf("organizations = %v, want %v", got, want)
		}
		n, err := env.DB.Client.AuditEntry.Query().
			Where(auditentry.OrganizationID(corp.ID), auditentry.Action("auth.ssoDomainJoined")).Count(ctx)
		if err != nil || n != 1 {
			t.Errorf("%d auth.ssoDomainJoined entries (%v), want 1", n, err)
		}
	})

	t.Run("existing user is linked and keeps a higher role", func(t *testing.T) {
		u, err := auth.CreateUser(ctx, env.DB.Client, auth.NewUser{Email: "cy@corp.example", Name: "Cy", Password: "a long enough passphrase 42"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := auth.AddMember(ctx, env.DB.Client, corp.ID, u.ID, viewer.Admin); err != nil {
			t.Fatal(err)
		}
		f.signInAs(fakePerson{Subject: "sub-cy", Email: "cy@corp.example", EmailVerified: "true"})
		b := newSSOBrowser(t, env)
		if got := b.signIn(""); got != "/" {
			t.Fatalf("landed on %q, want /", got)
		}
		s := b.session()
		if got, want := roles(s), map[string]string{corp.ID: "ADMIN"}; s.User.ID != u.ID || !maps.Equal(got, want) {
			t.Errorf("signed in as %s with %v, want %s with %v", s.User.ID, got, u.ID, want)
		}
		linked := env.DB.Client.User.GetX(ctx, u.ID)
		if linked.OidcSubject == nil || *linked.OidcSubject != "sub-cy" || linked.PasswordHash == nil {
			t.Errorf("linked user: subject %v, password kept %v; want sub-cy and the password kept", linked.OidcSubject, linked.PasswordHash != nil)
		}
	})

	t.Run("another subject of the same provider cannot take a linked account", func(t *testing.T) {
		f.signInAs(fakePerson{Subject: "sub-impostor", Email: "cy@corp.example", EmailVerified: true})
		b := newSSOBrowser(t, env)
		if got := b.signIn(""); got != "/?sso_error=SSO_ACCOUNT_CONFLICT" {
			t.Errorf("landed on %q, want /?sso_error=SSO_ACCOUNT_CONFLICT", got)
		}
		if b.sessionCookie() != "" {
			t.Error("a session cookie was set")
		}
	})
}

// TestOIDCRefused: each sign-in is refused with no session, and leaves nothing behind — no user, no membership, no
// accepted invitation. Every person is invited, so that only the defect of the case stands in the way.
func TestOIDCRefused(t *testing.T) {
	f := newFakeIssuer(t)
	env := newSSOEnv(t, f)
	ctx := viewer.SystemContext(context.Background())
	org := env.NewOrg(t, "Org")
	stopAtCallback := func(r *http.Request) bool { return r.URL.Path == "/api/auth/oidc/callback" }

	// login runs a sign-in up to the provider's redirect back, which it returns undelivered.
	login := func(b *ssoBrowser) *url.URL {
		b.stop = stopAtCallback
		defer func() { b.stop = nil }()
		res, body := b.get("/api/auth/oidc/login")
		if res.StatusCode != http.StatusFound {
			t.Fatalf("expected the provider's redirect back, got %d: %s", res.StatusCode, body)
		}
		back, err := url.Parse(res.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		return back
	}
	// deliver sends the browser to the callback with query and returns where it lands.
	deliver := func(b *ssoBrowser, query url.Values) string {
		res, body := b.get("/api/auth/oidc/callback?" + query.Encode())
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("callback answered %d: %s", res.StatusCode, body)
		}
		return res.Header.Get("Location")
	}

	tests := []struct {
		name   string
		person fakePerson
		invite bool
		// run signs in and returns where the browser lands; nil: an ordinary sign-in.
		run  func(t *testing.T, b *ssoBrowser) string
		want string
	}{
		{
			name:   "neither invited nor in an SSO domain",
			person: fakePerson{Subject: "sub-1", Email: "nobody@nowhere.example", EmailVerified: true},
			want:   "NOT_INVITED",
		},
		{
			name:   "state changed",
			person: fakePerson{Subject: "sub-2", Email: "state@corp.example", EmailVerified: true},
			invite: true,
			run: func(t *testing.T, b *ssoBrowser) string {
				q := login(b).Query()
				q.Set("state", base64.RawURLEncoding.EncodeToString(randomBytes(32)))
				return deliver(b, q)
			},
			want: "SSO_FAILED",
		},
		{
			name:   "state missing",
			person: fakePerson{Subject: "sub-3", Email: "nostate@corp.example", EmailVerified: true},
			invite: true,
			run: func(t *testing.T, b *ssoBrowser) string {
				q := login(b).Query()
				q.Del("state")
				return deliver(b, q)
			},
			want: "SSO_FAILED",
		},
		{
			name:   "no sign-in in progress (no flow cookie)",
			person: fakePerson{Subject: "sub-4", Email: "nocookie@corp.example", EmailVerified: true},
			invite: true,
			run: func(t *testing.T, b *ssoBrowser) string {
				back := login(b)
				return deliver(newSSOBrowser(t, env), back.Query())
			},
			want: "SSO_FAILED",
		},
		{
			name:   "nonce of another sign-in",
			person: fakePerson{Subject: "sub-5", Email: "nonce@corp.example", EmailVerified: true, Nonce: "not-the-nonce-sent"},
			invite: true,
			want:   "SSO_FAILED",
		},
		{
			name:   "e-mail not verified",
			person: fakePerson{Subject: "sub-6", Email: "unverified@corp.example", EmailVerified: false},
			invite: true,
			want:   "EMAIL_NOT_VERIFIED",
		},
		{
			name:   "e-mail verification not stated",
			person: fakePerson{Subject: "sub-7", Email: "unstated@corp.example"},
			invite: true,
			want:   "EMAIL_NOT_VERIFIED",
		},
		{
			// An attacker who intercepted the victim's code redeems it in a sign-in of their own: the state matches
			// the attacker's cookie, but the PKCE verifier is not the one of the victim's challenge.
			name:   "PKCE verifier of another sign-in",
			person: fakePerson{Subject: "sub-8", Email: "pkce@corp.example", EmailVerified: true},
			invite: true,
			run: func(t *testing.T, attacker *ssoBrowser) string {
				victims := login(newSSOBrowser(t, env)).Query()
				q := login(attacker).Query()
				q.Set("code", victims.Get("code"))
				before := len(f.refused())
				landed := deliver(attacker, q)
				if r := f.refused(); len(r) != before+1 || r[len(r)-1] != "pkce" {
					t.Errorf("the provider's refusals = %v, want one more: pkce", r)
				}
				return landed
			},
			want: "SSO_FAILED",
		},
		{
			name:   "the provider answers an error",
			person: fakePerson{Subject: "sub-9", Email: "denied@corp.example", EmailVerified: true},
			invite: true,
			run: func(t *testing.T, b *ssoBrowser) string {
				q := login(b).Query()
				q.Del("code")
				q.Set("error", "access_denied")
				return deliver(b, q)
			},
			want: "SSO_DENIED",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var inv *ent.Invitation
			if tt.invite {
				inv = invite(t, env, org.ID, strings.ToLower(tt.person.Email), viewer.Marketer, nil)
			}
			f.signInAs(tt.person)
			b := newSSOBrowser(t, env)
			var landed string
			if tt.run != nil {
				landed = tt.run(t, b)
			} else {
				landed = b.signIn("")
			}
			if want := "/?sso_error=" + tt.want; landed != want {
				t.Errorf("landed on %q, want %q", landed, want)
			}
			if b.sessionCookie() != "" {
				t.Error("a session cookie was set")
			}
			if n := env.DB.Client.User.Query().Where(user.Email(strings.ToLower(tt.person.Email))).CountX(ctx); n != 0 {
				t.Errorf("%d users were created", n)
			}
			if inv != nil && env.DB.Client.Invitation.GetX(ctx, inv.ID).AcceptedAt != nil {
				t.Error("the invitation was accepted")
			}
		})
	}
	if n := env.DB.Client.Session.Query().CountX(ctx); n != 0 {
		t.Errorf("%d sessions, want none", n)
	}
	if n := env.DB.Client.Membership.Query().Where(membership.OrganizationID(org.ID)).CountX(ctx); n != 0 {
		t.Errorf("%d memberships, want none", n)
	}
	if n := env.DB.Client.Invitation.Query().Where(invitation.AcceptedAtNotNil()).CountX(ctx); n != 0 {
		t.Errorf("%d invitations accepted, want none", n)
	}
}

// TestOIDCLogin: the start of a sign-in — its cookie, the return paths it accepts, and a provider that is down.
func TestOIDCLogin(t *testing.T) {
	f := newFakeIssuer(t)
	// The provider is down while the server starts: discovery waits for the first sign-in.
	f.setDown(true)
	env := newSSOEnv(t, f)
	org := env.NewOrg(t, "Org")
	setSSODomain(t, env, org.ID, "corp.example")
	f.signInAs(fakePerson{Subject: "sub-dee", Email: "dee@corp.example", EmailVerified: true})

	t.Run("provider down", func(t *testing.T) {
		b := newSSOBrowser(t, env)
		if got := b.signIn("/campaigns"); got != "/campaigns?sso_error=SSO_UNAVAILABLE" {
			t.Errorf("landed on %q, want /campaigns?sso_error=SSO_UNAVAILABLE", got)
		}
	})
	f.setDown(false)

	t.Run("first sign-ins at once share one discovery", func(t *testing.T) {
		var wg sync.WaitGroup
		for range 4 {
			b := newSSOBrowser(t, env)
			b.stop = func(*http.Request) bool { return true }
			wg.Go(func() {
				res, err := b.client.Get(publicURL + "/api/auth/oidc/login")
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				if res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), f.srv.URL+"/authorize?") {
					t.Errorf("login: %d to %q, want 302 to the provider", res.StatusCode, res.Header.Get("Location"))
				}
			})
		}
		wg.Wait()
	})

	t.Run("flow cookie", func(t *testing.T) {
		b := newSSOBrowser(t, env)
		b.stop = func(*http.Request) bool { return true }
		res, _ := b.get("/api/auth/oidc/login")
		if res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), f.srv.URL+"/authorize?") {
			t.Fatalf("login: %d to %q, want 302 to the provider", res.StatusCode, res.Header.Get("Location"))
		}
		cookies := res.Cookies()
		if len(cookies) != 1 {
			t.Fatalf("cookies = %v, want the flow cookie alone", cookies)
		}
		c := cookies[0]
		if !c.HttpOnly || c.Path != "/api/auth/oidc" || c.SameSite != http.SameSiteLaxMode || c.MaxAge <= 0 || c.MaxAge > 900 {
			t.Errorf("flow cookie = %+v, want HttpOnly, Path=/api/auth/oidc, SameSite=Lax, short-lived", c)
		}
	})

	t.Run("provider back up", func(t *testing.T) {
		b := newSSOBrowser(t, env)
		if got := b.signIn("/campaigns/cmp_1?tab=spend#chart"); got != "/campaigns/cmp_1?tab=spend#chart" {
			t.Errorf("landed on %q", got)
		}
		if b.sessionCookie() == "" {
			t.Error("no session cookie")
		}
	})

	t.Run("return paths", func(t *testing.T) {
		for _, ret := range []string{
			"https://evil.example/", "//evil.example", "/\\evil.example", "/%2F%2Fevil.example", "/%5Cevil.example",
			"campaigns", "javascript:alert(1)", "/\tfoo", "/" + strings.Repeat("a", 3000),
		} {
			b := newSSOBrowser(t, env)
			res, body := b.get("/api/auth/oidc/login?" + url.Values{"return": {ret}}.Encode())
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "BAD_REQUEST") {
				t.Errorf("return=%q: %d %s, want 400 BAD_REQUEST", ret, res.StatusCode, body)
			}
		}
	})

	t.Run("providers", func(t *testing.T) {
		res, body := newSSOBrowser(t, env).get("/api/auth/providers")
		if res.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != `{"password":true,"sso":true}` {
			t.Errorf("GET /api/auth/providers: %d %s", res.StatusCode, body)
		}
	})
}

func TestOIDCNotConfigured(t *testing.T) {
	env := apitest.New(t)
	for _, path := range []string{"/api/auth/oidc/login", "/api/auth/oidc/callback?code=x&state=y"} {
		res, err := env.Server.Client().Get(env.Server.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"NOT_FOUND"`) {
			t.Errorf("GET %s: %d %s, want 404 NOT_FOUND", path, res.StatusCode, body)
		}
	}
	res, err := env.Server.Client().Get(env.Server.URL + "/api/auth/providers")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if strings.TrimSpace(string(body)) != `{"password":true,"sso":false}` {
		t.Errorf("GET /api/auth/providers: %d %s", res.StatusCode, body)
	}
}
