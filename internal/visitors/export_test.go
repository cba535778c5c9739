package visitors

import "context"

// AfterChunk makes the Rebuilder of o run f after each chunk it commits; an error of f stops the rebuild there.
func AfterChunk(o *RebuilderOptions, f func(ctx context.Context, org string, chunk int) error) {
	o.afterChunk = f
}

// ChunkEvents makes the Rebuilder of o read n events per chunk, whatever the chunks take.
func ChunkEvents(o *RebuilderOptions, n int) { o.chunkEvents = n }
