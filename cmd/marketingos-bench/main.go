// Command marketingos-bench measures MarketingOS under load on this machine, against a throw-away database.
//
//	marketingos-bench pixel [flags]   the tracking pixel: the real server (group commit to PostgreSQL) against a
//	                                  bare server that answers the same GIF without storing anything
//
// Every run creates its own PostgreSQL schema, drops it at the end, and keeps all traffic on 127.0.0.1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: marketingos-bench <command> [flags]

commands:
  pixel   load GET /api/tracking/pixel.gif on the real server (storing to PostgreSQL) and on a bare
          server that answers the same 1x1 GIF without storage, with the same connections and duration;
          report throughput, latency, the stored/bare ratio, and check stored events == 2xx answers
  fanout  1,000 WebSocket subscribers of eventTracked on the real server (PostgreSQL broker); one event per
          round through POST /api/tracking/event; report per-delivery latency (p50/p99/max, goal p99 ≤ 1s)

The database is BENCH_DATABASE_URL (or -db), default ` + defaultDatabaseURL + `;
each run works in a schema of its own and drops it at the end.
Run "marketingos-bench <command> -h" for the flags of a command.
`

// errUsage means the command line was wrong; usage has been printed.
var errUsage = errors.New("usage")

// errCheckFailed means the run finished but a correctness check did not hold; the report says which.
var errCheckFailed = errors.New("check failed")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, errUsage):
		os.Exit(2)
	case errors.Is(err, errCheckFailed):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "marketingos-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "pixel":
		return cmdPixel(ctx, rest, getenv, stdout, stderr)
	case "fanout":
		return cmdFanout(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses flags and refuses stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return errUsage // the flag package has printed the problem and the flags
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	return nil
}
