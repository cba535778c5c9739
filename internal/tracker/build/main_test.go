package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedBuildIsCurrent: the embedded tracker.min.js is exactly what the source builds to, so nobody edits
// the minified file by hand or forgets to rebuild it.
func TestCommittedBuildIsCurrent(t *testing.T) {
	built, err := minify("..")
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("..", output))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(built, committed) {
		t.Fatalf("%s is stale (%d bytes, a fresh build has %d): run go generate ./internal/tracker", output, len(committed), len(built))
	}
}
