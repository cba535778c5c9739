package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/app"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/notify/resendfake"
	"github.com/marketingos/marketingos/internal/viewer"
)

// The helpers of the people tests: a server whose e-mails go to the Resend fake and whose clock the test moves,
// and people signed in to it with their own cookie jars.

const (
	peopleResendKey = "re_people_test"
	peoplePublicURL = "http://mos.example.test"
	// peoplePassword passes the password policy.
	peoplePassword = "tangerine-Velvet-4211"
)

// movableClock is the server's clock (sessions, invitations), moved by the test.
type movableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *movableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *movableClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// peopleEnv is a running server with its e-mail fake and clock.
type peopleEnv struct {
	*apitest.Env
	mail  *resendfake.Server
	clock *movableClock
}

func newPeopleEnv(t *testing.T) *peopleEnv {
	t.Helper()
	fake := resendfake.New(peopleResendKey)
	t.Cleanup(fake.Close)
	clock := &movableClock{now: time.Now()}
	env := apitest.New(t,
		apitest.WithEnv("RESEND_API_KEY", peopleResendKey),
		apitest.WithEnv("RESEND_BASE_URL", fake.URL),
		apitest.WithEnv("ADMIN_EMAIL", "ops@example.com"),
		apitest.WithEnv("PUBLIC_URL", peoplePublicURL),
		apitest.WithApp(app.Options{Clock: clock.Now}),
	)
	return &peopleEnv{Env: env, mail: fake, clock: clock}
}

// invitationsTo returns the e-mails sent to address.
func (e *peopleEnv) invitationsTo(address string) []resendfake.Email {
	var out []resendfake.Email
	for _, m := range e.mail.Emails() {
		if len(m.To) == 1 && m.To[0] == address {
			out = append(out, m)
		}
	}
	return out
}

var invitationLink = regexp.MustCompile(regexp.QuoteMeta(peoplePublicURL+"/accept-invitation?token=") + `([A-Za-z0-9_%-]+)`)

// tokenOf reads the token of the link in the last invitation e-mail sent to address.
func (e *peopleEnv) tokenOf(t *testing.T, address string) string {
	t.Helper()
	mails := e.invitationsTo(address)
	if len(mails) == 0 {
		t.Fatalf("no e-mail was sent to %s", address)
	}
	m := invitationLink.FindStringSubmatch(mails[len(mails)-1].Text)
	if m == nil {
		t.Fatalf("the e-mail to %s holds no invitation link:\n%s", address, mails[len(mails)-1].Text)
	}
	token, err := url.QueryUnescape(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// browser is a person's browser: a cookie jar, and the organization it asks for.
type browser struct {
	env    *peopleEnv
	client *http.Client
	orgID  string
}

func (e *peopleEnv) newBrowser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := *e.Server.Client()
	c.Jar = jar
	return &browser{env: e, client: &c}
}

// member creates a person with a password, a member of org with role, and signs them in.
func (e *peopleEnv) member(t *testing.T, org apitest.Org, email string, role viewer.Role) *browser {
	t.Helper()
	ctx := context.Background()
	u, err := auth.UserByEmail(ctx, e.DB.Client, email)
	if err != nil {
		if u, err = auth.CreateUser(ctx, e.DB.Client, auth.NewUser{Email: email, Name: nameOf(email), Password: peoplePassword}); err != nil {
			t.Fatalf("create user %s: %v", email, err)
		}
	}
	if _, err := auth.AddMember(ctx, e.DB.Client, org.ID, u.ID, role); err != nil {
		t.Fatalf("add member %s: %v", email, err)
	}
	b := e.newBrowser(t)
	b.orgID = org.ID
	if res, body := b.post(t, "/api/auth/login", map[string]string{"email": email, "password": peoplePassword}); res.StatusCode != http.StatusOK {
		t.Fatalf("sign in %s: %d %s", email, res.StatusCode, body)
	}
	return b
}

// nameOf makes a display name from an address: ana@example.com is Ana.
func nameOf(email string) string {
	local, _, _ := strings.Cut(email, "@")
	return strings.ToUpper(local[:1]) + local[1:]
}

// post sends a JSON body from the server's own origin, as the dashboard does.
func (b *browser) post(t *testing.T, path string, body any) (*http.Response, []byte) {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, b.env.Server.URL+path, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", b.env.Server.URL)
	if b.orgID != "" {
		req.Header.Set("X-Organization-Id", b.orgID)
	}
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, out
}

// graphQL runs an operation with the browser's session cookie.
func (b *browser) graphQL(t *testing.T, query string, vars map[string]any) *apitest.Response {
	t.Helper()
	res, raw := b.post(t, "/graphql", map[string]any{"query": query, "variables": vars})
	out := &apitest.Response{Status: res.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("GraphQL answer is not JSON (%d): %s", res.StatusCode, raw)
	}
	return out
}

// restError is the JSON error body of the REST routes.
type restError struct {
	Error struct {
		Code, Message, Field string
	} `json:"error"`
}

func decodeRESTError(t *testing.T, raw []byte) restError {
	t.Helper()
	var e restError
	if err := json.Unmarshal(raw, &e); err != nil || e.Error.Code == "" {
		t.Fatalf("not an error body: %s", raw)
	}
	return e
}

// signedInAnswer is what login and the accept route answer.
type signedInAnswer struct {
	User struct {
		ID, Email, Name string
	} `json:"user"`
	Organizations []struct {
		ID, Name, Role string
	} `json:"organizations"`
	Session *struct {
		ID     string `json:"id"`
		Method string `json:"method"`
	} `json:"session"`
}

func decodeJSONBody(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}
