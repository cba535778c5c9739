package graph

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// contractFile is this repository's copy of the operations a dashboard sends (DESIGN.md §5).
const contractFile = "testdata/operations.graphql"

// sharedContractFile is the contract the copy is taken from, when the checkout sits beside it (CI has it).
const sharedContractFile = "../../shared/contract/operations.graphql"

// pendingOperations are contract operations that later work implements. The schema does not validate them yet;
// the test fails as soon as one of them does, so that it is removed from this list when its work lands.
var pendingOperations = []string{}

// servedSchema is the schema the server serves: gqlgen's, parsed from the graph/*.graphql files embedded at build time.
func servedSchema() *ast.Schema { return NewExecutableSchema(Config{}).Schema() }

func loadContract(t *testing.T) *ast.QueryDocument {
	t.Helper()
	src, err := os.ReadFile(contractFile)
	if err != nil {
		t.Fatalf("read contract: %v", err)
	}
	doc, err := parser.ParseQuery(&ast.Source{Name: contractFile, Input: string(src)})
	if err != nil {
		t.Fatalf("parse %s: %v", contractFile, err)
	}
	if len(doc.Operations) == 0 {
		t.Fatalf("%s has no operations", contractFile)
	}
	return doc
}

// validateOperation validates one operation of doc (with the fragments it uses) as gqlgen's executor does.
func validateOperation(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition) []string {
	used := map[string]bool{}
	fragmentsUsed(doc, op.SelectionSet, used)
	single := &ast.QueryDocument{Operations: ast.OperationList{op}}
	for _, f := range doc.Fragments {
		if used[f.Name] {
			single.Fragments = append(single.Fragments, f)
		}
	}
	var msgs []string
	for _, e := range validator.ValidateWithRules(schema, single, nil) {
		msgs = append(msgs, e.Error())
	}
	return msgs
}

func fragmentsUsed(doc *ast.QueryDocument, set ast.SelectionSet, seen map[string]bool) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			fragmentsUsed(doc, s.SelectionSet, seen)
		case *ast.InlineFragment:
			fragmentsUsed(doc, s.SelectionSet, seen)
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			if f := doc.Fragments.ForName(s.Name); f != nil {
				fragmentsUsed(doc, f.SelectionSet, seen)
			}
		}
	}
}

// TestContractOperations checks that the served schema validates every contract operation that is not pending, and
// that the pending list only names operations of the contract that do not validate yet.
func TestContractOperations(t *testing.T) {
	schema := servedSchema()
	doc := loadContract(t)

	inFile := map[string]bool{}
	for _, op := range doc.Operations {
		switch {
		case op.Name == "":
			t.Errorf("%s:%d: the contract's operations must be named", contractFile, op.Position.Line)
		case inFile[op.Name]:
			t.Errorf("%s:%d: operation %s appears twice", contractFile, op.Position.Line, op.Name)
		}
		inFile[op.Name] = true
	}
	pending := map[string]bool{}
	for _, name := range pendingOperations {
		if pending[name] {
			t.Errorf("pendingOperations lists %s twice", name)
		}
		pending[name] = true
		if !inFile[name] {
			t.Errorf("pendingOperations lists %s, which is not an operation of %s; remove it from the list", name, contractFile)
		}
	}

	for _, op := range doc.Operations {
		if op.Name == "" {
			continue
		}
		t.Run(op.Name, func(t *testing.T) {
			errs := validateOperation(schema, doc, op)
			switch {
			case pending[op.Name] && len(errs) == 0:
				t.Errorf("%s now validates against the schema: remove it from pendingOperations in contract_test.go", op.Name)
			case pending[op.Name]:
				t.Logf("pending (%d validation errors), e.g. %s", len(errs), errs[0])
			case len(errs) > 0:
				t.Errorf("%s (%s:%d) does not validate against the schema:", op.Name, contractFile, op.Position.Line)
				for _, e := range errs {
					t.Errorf("  %s", e)
				}
			}
		})
	}
}

// TestContractValidatorRejects makes sure the validation above can fail: operations that break the schema in the
// ways a contract drift would are reported.
func TestContractValidatorRejects(t *testing.T) {
	schema := servedSchema()
	tests := []struct{ name, query string }{
		{"unknown field", `query Q { viewer { organization { id nickname } } }`},
		{"unknown argument", `query Q { products(top: 3) { totalCount } }`},
		{"wrong variable type", `query Q($first: String) { products(first: $first) { totalCount } }`},
		{"unknown input type", `mutation M($input: NoSuchInput!) { createProduct(input: $input) { id } }`},
		{"missing required argument", `mutation M { deleteProduct }`},
		{"unknown enum value", `query Q { products(orderBy: {field: POPULARITY}) { totalCount } }`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := parser.ParseQuery(&ast.Source{Input: tt.query})
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if errs := validateOperation(schema, doc, doc.Operations[0]); len(errs) == 0 {
				t.Errorf("%s validated; want validation errors", tt.query)
			}
		})
	}
}

// TestContractCopyIsCurrent checks that testdata/operations.graphql is a verbatim copy of the shared contract.
func TestContractCopyIsCurrent(t *testing.T) {
	want, err := os.ReadFile(sharedContractFile)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s is absent; the copy cannot be compared", sharedContractFile)
	}
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(contractFile)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gotLines, wantLines := lines(got), lines(want)
	for i := range max(len(gotLines), len(wantLines)) {
		g, w := at(gotLines, i), at(wantLines, i)
		if g != w {
			t.Fatalf("%s differs from %s at line %d:\n  copy:   %q\n  shared: %q\ncopy the shared file verbatim",
				contractFile, sharedContractFile, i+1, g, w)
		}
	}
	t.Fatalf("%s differs from %s (line endings or trailing bytes); copy the shared file verbatim", contractFile, sharedContractFile)
}

func lines(b []byte) []string {
	var out []string
	s := bufio.NewScanner(bytes.NewReader(b))
	s.Buffer(nil, len(b)+1)
	for s.Scan() {
		out = append(out, s.Text())
	}
	return out
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "<end of file>"
}
