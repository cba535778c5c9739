package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent/product"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/demo"
	"github.com/marketingos/marketingos/internal/store"
	"github.com/marketingos/marketingos/internal/viewer"
)

var sys = viewer.SystemContext(context.Background())

// databaseURL is the DATABASE_URL that points the binary at a test database.
func databaseURL(src dbtest.Source) string {
	if src.Driver == store.SQLite {
		return "sqlite:" + src.DSN
	}
	return src.DSN
}

// environment returns a getenv over vars, plus DATABASE_URL for src.
func environment(src dbtest.Source, vars ...string) func(string) string {
	env := map[string]string{"DATABASE_URL": databaseURL(src)}
	for i := 0; i+1 < len(vars); i += 2 {
		env[vars[i]] = vars[i+1]
	}
	return func(k string) string { return env[k] }
}

// result is what one run of the command line left behind.
type result struct {
	err            error
	stdout, stderr string
}

func runCLI(t *testing.T, getenv func(string) string, args ...string) result {
	t.Helper()
	return runCLIWithInput(t, getenv, nil, args...)
}

// runCLIWithInput runs the command line with stdin reading from stdin (nil: a terminal, which gives no input).
func runCLIWithInput(t *testing.T, getenv func(string) string, stdin io.Reader, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, getenv, stdin, &stdout, &stderr)
	t.Logf("marketingos %s: err=%v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	return result{err, stdout.String(), stderr.String()}
}

func TestOrgCreateJSON(t *testing.T) {
	db, src := dbtest.Open(t)
	res := runCLI(t, environment(src), "org", "create", "--name", "Acme", "--json")
	if res.err != nil {
		t.Fatal(res.err)
	}
	lines := strings.Split(strings.TrimRight(res.stdout, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("--json printed %d lines, want one: %q", len(lines), res.stdout)
	}
	var out map[string]string
	if err := json.Unmarshal([]byte(lines[0]), &out); err != nil {
		t.Fatalf("--json output is not a JSON object of strings: %v", err)
	}
	if len(out) != 4 {
		t.Errorf("--json keys = %v, want exactly id, name, apiKey, trackingKey", out)
	}
	if !strings.HasPrefix(out["id"], "org_") {
		t.Errorf("id = %q, want org_…", out["id"])
	}
	if out["name"] != "Acme" {
		t.Errorf("name = %q, want Acme", out["name"])
	}
	if !strings.HasPrefix(out["apiKey"], account.SecretPrefix) {
		t.Errorf("apiKey = %q, want mos_sk_…", out["apiKey"])
	}
	if !strings.HasPrefix(out["trackingKey"], account.TrackingKeyPrefix) {
		t.Errorf("trackingKey = %q, want mos_pk_…", out["trackingKey"])
	}

	v, err := account.Authenticate(context.Background(), db.Client, out["apiKey"])
	if err != nil {
		t.Fatalf("the printed API key does not authenticate: %v", err)
	}
	if v.OrgID != out["id"] {
		t.Errorf("the key authenticates as %s, want %s", v.OrgID, out["id"])
	}
	org, err := db.Client.Organization.Get(sys, out["id"])
	if err != nil {
		t.Fatal(err)
	}
	if org.Name != "Acme" || org.TrackingKey != out["trackingKey"] {
		t.Errorf("stored organization %q/%q, printed %q/%q", org.Name, org.TrackingKey, out["name"], out["trackingKey"])
	}
}

func TestOrgCreateText(t *testing.T) {
	db, src := dbtest.Open(t)
	res := runCLI(t, environment(src), "org", "create", "--name", "Globex")
	if res.err != nil {
		t.Fatal(res.err)
	}
	key := regexp.MustCompile(`API key:\s+(mos_sk_\w+)`).FindStringSubmatch(res.stdout)
	if key == nil {
		t.Fatalf("no API key in the output")
	}
	if _, err := account.Authenticate(context.Background(), db.Client, key[1]); err != nil {
		t.Errorf("the printed API key does not authenticate: %v", err)
	}
	if !strings.Contains(res.stdout, "Globex") || !strings.Contains(res.stdout, account.TrackingKeyPrefix) {
		t.Errorf("output lacks the name or tracking key")
	}
}

// TestUsageErrors: a wrong command line prints usage, fails with errUsage and changes nothing.
func TestUsageErrors(t *testing.T) {
	db, src := dbtest.Open(t)
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no command", nil, "usage:"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"org without create", []string{"org"}, "usage:"},
		{"org with another verb", []string{"org", "delete"}, "usage:"},
		{"org create without --name", []string{"org", "create"}, "--name is required"},
		{"org create with a blank name", []string{"org", "create", "--name", "   "}, "--name is required"},
		{"org create --json without --name", []string{"org", "create", "--json"}, "--name is required"},
		{"org create with a stray argument", []string{"org", "create", "--name", "Acme", "extra"}, `unexpected argument "extra"`},
		{"org create with an unknown flag", []string{"org", "create", "--name", "Acme", "--nope"}, "flag provided but not defined"},
		{"seed without --org", []string{"seed"}, "--org is required"},
		{"migrate with an argument", []string{"migrate", "now"}, `unexpected argument "now"`},
		{"serve with an unknown flag", []string{"serve", "--dmeo"}, "flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, environment(src), tc.args...)
			if !errors.Is(res.err, errUsage) {
				t.Errorf("err = %v, want errUsage", res.err)
			}
			if !strings.Contains(res.stderr, tc.stderr) {
				t.Errorf("stderr lacks %q", tc.stderr)
			}
			if res.stdout != "" {
				t.Errorf("stdout = %q, want nothing", res.stdout)
			}
		})
	}
	if n, err := db.Client.Organization.Query().Count(sys); err != nil || n != 0 {
		t.Errorf("organizations after usage errors = %d, %v; want 0", n, err)
	}
	if n, err := db.Client.Product.Query().Count(sys); err != nil || n != 0 {
		t.Errorf("products after usage errors = %d, %v; want 0", n, err)
	}
}

func TestHelp(t *testing.T) {
	res := runCLI(t, func(string) string { return "" }, "help")
	if res.err != nil || !strings.Contains(res.stdout, "usage:") {
		t.Errorf("help = %v, stdout %q; want usage on stdout", res.err, res.stdout)
	}
}

func TestMigrate(t *testing.T) {
	src := dbtest.NewSource(t) // empty: no schema yet
	res := runCLI(t, environment(src), "migrate")
	if res.err != nil {
		t.Fatal(res.err)
	}
	if !strings.Contains(res.stdout, "schema is up to date") {
		t.Errorf("stdout = %q, want it to say the schema is up to date", res.stdout)
	}
	db, err := store.Open(context.Background(), src.Driver, src.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Client.Organization.Query().Count(sys); err != nil {
		t.Errorf("no organizations table after migrate: %v", err)
	}
	// Running it again is harmless.
	if res := runCLI(t, environment(src), "migrate"); res.err != nil {
		t.Errorf("second migrate: %v", res.err)
	}
}

func TestSeed(t *testing.T) {
	db, src := dbtest.Open(t)
	created, err := account.CreateOrganization(context.Background(), db.Client, "Acme", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	orgID := created.Organization.ID
	products := func() int {
		t.Helper()
		n, err := db.Client.Product.Query().Where(product.OrganizationID(orgID)).Count(sys)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	res := runCLI(t, environment(src), "seed", "--org", orgID)
	if res.err != nil {
		t.Fatal(res.err)
	}
	if !strings.Contains(res.stdout, orgID) {
		t.Errorf("stdout = %q, want it to name %s", res.stdout, orgID)
	}
	seeded := products()
	if seeded == 0 {
		t.Fatal("seed added no products")
	}
	if res := runCLI(t, environment(src), "seed", "--org", orgID); res.err != nil {
		t.Fatal(res.err)
	}
	if n := products(); n != seeded {
		t.Errorf("products after a second seed = %d, want %d", n, seeded)
	}

	res = runCLI(t, environment(src), "seed", "--org", "org_doesnotexist")
	if res.err == nil || errors.Is(res.err, errUsage) {
		t.Errorf("seed of a missing organization: err = %v, want a non-usage error", res.err)
	}
	if n, err := db.Client.Product.Query().Count(sys); err != nil || n != seeded {
		t.Errorf("products after the failed seed = %d, %v; want %d", n, err, seeded)
	}
}

// TestInvalidConfiguration: every problem is reported at once, and nothing touches the database.
func TestInvalidConfiguration(t *testing.T) {
	for _, args := range [][]string{{"migrate"}, {"serve"}, {"org", "create", "--name", "Acme"}, {"seed", "--org", "org_x"}} {
		t.Run(args[0], func(t *testing.T) {
			src := dbtest.NewSource(t)
			res := runCLI(t, environment(src, "PORT", "abc", "ENV", "staging"), args...)
			if res.err == nil {
				t.Fatal("run succeeded with PORT=abc ENV=staging")
			}
			if errors.Is(res.err, errUsage) {
				t.Errorf("err = %v, want a configuration error, not usage", res.err)
			}
			msg := res.err.Error()
			for _, want := range []string{"invalid configuration", "PORT", "ENV", "abc", "staging"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not mention %q", msg, want)
				}
			}
			db, err := store.Open(context.Background(), src.Driver, src.DSN)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Client.Organization.Query().Count(sys); err == nil {
				t.Error("the schema was created despite the invalid configuration")
			}
		})
	}
}

// syncBuffer is a bytes.Buffer that the server goroutine writes while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return port
}

func TestServeDemo(t *testing.T) {
	src := dbtest.NewSource(t)
	port := freePort(t)
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	getenv := environment(src, "PORT", strconv.Itoa(port), "ENV", "development", "SHUTDOWN_TIMEOUT", "10s")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)     // run's result
	finished := make(chan struct{}) // closed when run has returned
	go func() {
		done <- run(ctx, []string{"serve", "--demo"}, getenv, nil, &stdout, &stderr)
		close(finished)
	}()
	defer func() {
		cancel()
		<-finished // never leave the server running past the test (its database is dropped on cleanup)
		if t.Failed() {
			t.Logf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
	}()

	client := &http.Client{Timeout: 5 * time.Second}
	waitHealthy(t, client, base, done)

	m := regexp.MustCompile(`API key:\s+(mos_sk_\w+)`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatal("serve --demo printed no API key")
	}
	apiKey := m[1]
	if !regexp.MustCompile(`Tracking key:\s+mos_pk_\w+`).MatchString(stdout.String()) {
		t.Error("serve --demo printed no tracking key")
	}
	if !strings.Contains(stdout.String(), "Created the demo organization") {
		t.Error("serve --demo on an empty database does not say it created the demo organization")
	}

	status, body := postGraphQL(t, client, base, apiKey, `{ viewer { organization { id name } } }`)
	var got struct {
		Data struct {
			Viewer struct {
				Organization struct{ ID, Name string }
			}
		}
		Errors []json.RawMessage
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("status %d, body %s: %v", status, body, err)
	}
	if status != http.StatusOK || len(got.Errors) > 0 {
		t.Fatalf("viewer query: status %d, body %s", status, body)
	}
	if org := got.Data.Viewer.Organization; org.Name != demo.OrgName || !strings.HasPrefix(org.ID, "org_") {
		t.Errorf("viewer organization = %+v, want %q", org, demo.OrgName)
	}
	if !strings.Contains(stdout.String(), got.Data.Viewer.Organization.ID) {
		t.Errorf("the printed output does not name the organization %s", got.Data.Viewer.Organization.ID)
	}

	// The printed demo owner signs in, and the session reads the same organization.
	signIn := regexp.MustCompile(`Sign in:\s+(\S+) / (\S+)`).FindStringSubmatch(stdout.String())
	if signIn == nil || signIn[1] != demo.UserEmail {
		t.Fatalf("serve --demo printed no sign-in for %s", demo.UserEmail)
	}
	login, _ := json.Marshal(map[string]string{"email": signIn[1], "password": signIn[2]})
	res, err := client.Post(base+"/api/auth/login", "application/json", bytes.NewReader(login))
	if err != nil {
		t.Fatal(err)
	}
	loginBody, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(loginBody), got.Data.Viewer.Organization.ID) ||
		!strings.Contains(string(loginBody), `"role":"OWNER"`) {
		t.Errorf("demo sign-in: %s %s, want 200 naming the demo organization with the OWNER role", res.Status, loginBody)
	}

	// A wrong key gets nothing of the organization.
	_, body = postGraphQL(t, client, base, account.SecretPrefix+strings.Repeat("x", len(apiKey)-len(account.SecretPrefix)), `{ viewer { organization { id name } } }`)
	if strings.Contains(string(body), demo.OrgName) {
		t.Errorf("a wrong key was answered with the demo organization: %s", body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after cancellation returned %v, want nil (graceful shutdown)", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not return within 20s of cancellation")
	}
	if res, err := client.Get(base + "/healthz"); err == nil {
		res.Body.Close()
		t.Errorf("the server still answers after shutdown: %s", res.Status)
	}
}

// waitHealthy polls /healthz until it answers 200, run ends, or a deadline passes. The deadline is generous: serve
// --demo seeds the demo data (weeks of events) before it listens, which takes a while under -race.
func waitHealthy(t *testing.T, client *http.Client, base string, done <-chan error) {
	t.Helper()
	deadline := time.After(2 * time.Minute)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			t.Fatalf("serve ended before it was healthy: %v", err)
		case <-deadline:
			t.Fatal("/healthz did not answer 200 within 2 minutes")
		case <-tick.C:
			res, err := client.Get(base + "/healthz")
			if err != nil {
				continue
			}
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
	}
}

func postGraphQL(t *testing.T, client *http.Client, base, apiKey, query string) (int, []byte) {
	t.Helper()
	payload, err := json.Marshal(map[string]string{"query": query})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+apiKey)
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, body
}
