// Command build minifies the tracker script (../tracker.js) into ../tracker.min.js with esbuild; `go generate`
// runs it, and CI fails when the committed file differs from a fresh build.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/evanw/esbuild/pkg/api"
)

const (
	source = "tracker.js"
	output = "tracker.min.js"
)

func main() {
	dir := "." // go generate runs in internal/tracker, the directive's package
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	out, err := minify(dir)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, output), out, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tracker build:", err)
		os.Exit(1)
	}
}

// minify builds the script in dir: the same bytes for the same source and esbuild version, so that the committed
// file can be compared with a fresh build. ES2017 is the oldest syntax every browser that matters runs.
func minify(dir string) ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(dir, source))
	if err != nil {
		return nil, err
	}
	res := api.Transform(string(src), api.TransformOptions{
		Loader:            api.LoaderJS,
		Target:            api.ES2017,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		LegalComments:     api.LegalCommentsNone,
		Sourcefile:        source,
	})
	if len(res.Errors) > 0 {
		msgs := api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
		return nil, errors.New(fmt.Sprint(msgs))
	}
	return res.Code, nil
}
