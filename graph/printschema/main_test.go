package main

import (
	"os"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// The printed schema is one self-contained document with every type and field of the hand-written and generated
// files, extensions included, and no extension left for a client to take as client-only.
func TestPrintMergesEveryExtension(t *testing.T) {
	if err := os.Chdir("../.."); err != nil {
		t.Fatal(err)
	}
	printed, err := print(sources)
	if err != nil {
		t.Fatal(err)
	}
	want, err := load(sources)
	if err != nil {
		t.Fatal(err)
	}
	got, err := gqlparser.LoadSchema(&ast.Source{Name: output, Input: string(printed)})
	if err != nil {
		t.Fatalf("the printed schema does not load: %v", err)
	}
	doc, perr := parseDocument(string(printed))
	if perr != nil {
		t.Fatal(perr)
	}
	if len(doc.Extensions) != 0 {
		t.Errorf("the printed schema has %d extensions; want none", len(doc.Extensions))
	}
	for name, def := range want.Types {
		if def.BuiltIn {
			continue
		}
		g, ok := got.Types[name]
		if !ok {
			t.Errorf("type %s is missing", name)
			continue
		}
		for _, f := range def.Fields {
			if g.Fields.ForName(f.Name) == nil {
				t.Errorf("field %s.%s is missing", name, f.Name)
			}
		}
	}
	committed, err := os.ReadFile(output)
	if err != nil {
		t.Fatal(err)
	}
	if string(committed) != string(printed) {
		t.Errorf("%s is out of date: run go generate ./...", output)
	}
}

func parseDocument(s string) (*ast.SchemaDocument, error) {
	return parser.ParseSchema(&ast.Source{Name: output, Input: s})
}
