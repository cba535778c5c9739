package server_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/marketingos/marketingos/internal/apitest"
	"github.com/marketingos/marketingos/internal/viewer"
)

// contractPath is the repository's copy of the operations a dashboard sends (graph/contract_test.go keeps it equal
// to the shared contract and validates it against the schema).
const contractPath = "../graph/testdata/operations.graphql"

var contract struct {
	once sync.Once
	doc  *ast.QueryDocument
	err  error
}

// contractOp returns the named operation of the contract, with the fragments it uses, as a document of its own
// (the whole file cannot be sent: operations of later work do not validate yet).
func contractOp(t testing.TB, name string) string {
	t.Helper()
	contract.once.Do(func() {
		src, err := os.ReadFile(contractPath)
		if err != nil {
			contract.err = err
			return
		}
		contract.doc, contract.err = parser.ParseQuery(&ast.Source{Name: contractPath, Input: string(src)})
	})
	if contract.err != nil {
		t.Fatalf("load contract: %v", contract.err)
	}
	op := contract.doc.Operations.ForName(name)
	if op == nil {
		t.Fatalf("operation %s is not in %s", name, contractPath)
	}
	used := map[string]bool{}
	fragmentsUsed(contract.doc, op.SelectionSet, used)
	single := &ast.QueryDocument{Operations: ast.OperationList{op}}
	for _, f := range contract.doc.Fragments {
		if used[f.Name] {
			single.Fragments = append(single.Fragments, f)
		}
	}
	var b strings.Builder
	formatter.NewFormatter(&b).FormatQueryDocument(single)
	return b.String()
}

func fragmentsUsed(doc *ast.QueryDocument, set ast.SelectionSet, seen map[string]bool) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			fragmentsUsed(doc, s.SelectionSet, seen)
		case *ast.InlineFragment:
			fragmentsUsed(doc, s.SelectionSet, seen)
		case *ast.FragmentSpread:
			if !seen[s.Name] {
				seen[s.Name] = true
				if f := doc.Fragments.ForName(s.Name); f != nil {
					fragmentsUsed(doc, f.SelectionSet, seen)
				}
			}
		}
	}
}

// gqlClient runs one GraphQL operation as a fixed organization, over HTTP or a WebSocket.
type gqlClient func(t testing.TB, query string, vars map[string]any) *apitest.Response

func httpClient(env *apitest.Env, apiKey string) gqlClient {
	return func(t testing.TB, query string, vars map[string]any) *apitest.Response {
		t.Helper()
		return env.GraphQL(t, apiKey, query, vars)
	}
}

// wsClient opens a graphql-transport-ws connection authenticated with apiKey; it is closed when the test ends.
func wsClient(t testing.TB, env *apitest.Env, apiKey string) gqlClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, err := env.DialWS(ctx, apiKey)
	if err != nil {
		t.Fatalf("dial WebSocket: %v", err)
	}
	t.Cleanup(func() { _ = ws.Close() })
	return func(t testing.TB, query string, vars map[string]any) *apitest.Response {
		t.Helper()
		return ws.Do(t, query, vars)
	}
}

// transports runs the same checks over HTTP and over a WebSocket.
var transports = []struct {
	name    string
	connect func(t testing.TB, env *apitest.Env, apiKey string) gqlClient
}{
	{"http", func(_ testing.TB, env *apitest.Env, apiKey string) gqlClient { return httpClient(env, apiKey) }},
	{"websocket", wsClient},
}

// productCount counts the products of every organization, straight from the database.
func productCount(t testing.TB, env *apitest.Env) int {
	t.Helper()
	n, err := env.DB.Client.Product.Query().Count(viewer.SystemContext(context.Background()))
	if err != nil {
		t.Fatalf("count products: %v", err)
	}
	return n
}

// wantError fails the test unless the response has no data for its operation and its first error has code.
func wantError(t testing.TB, res *apitest.Response, code string) apitest.Error {
	t.Helper()
	if len(res.Errors) == 0 {
		t.Fatalf("got no error, want %s; data: %s", code, res.Data)
	}
	if got := res.Errors[0].Code(); got != code {
		t.Fatalf("error code = %q (%q), want %s; all codes: %v", got, res.Errors[0].Message, code, res.Codes())
	}
	return res.Errors[0]
}

// wantNoDataFor fails unless data is null or field in data is null.
func wantNoDataFor(t testing.TB, res *apitest.Response, field string) {
	t.Helper()
	data := strings.TrimSpace(string(res.Data))
	if data == "" || data == "null" {
		return
	}
	var m map[string]any
	res2 := *res
	res2.Errors = nil
	res2.Decode(t, &m)
	if v, ok := m[field]; ok && v != nil {
		t.Fatalf("%s = %v, want null", field, v)
	}
}
