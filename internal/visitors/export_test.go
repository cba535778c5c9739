package visitors

import "context"

// AfterChunk makes the Rebuilder of o run f after each chunk it commits; an error of f stops the rebuild there.
func AfterChunk(o *RebuilderOptions, f func(ctx context.Context, org string, chunk int) error) {
	o.afterChunk = f
}
