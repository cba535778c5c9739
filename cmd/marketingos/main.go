// Command marketingos is the MarketingOS server and its administration commands.
//
//	marketingos serve [--demo]                  HTTP server + scheduler
//	marketingos migrate                         create or upgrade the schema, then exit
//	marketingos org create --name NAME [--json] create an organization and print its keys
//	marketingos seed --org ID                   add sample data to an organization
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage:
  marketingos serve [--demo]                  run the HTTP server and scheduler
  marketingos migrate                         create or upgrade the database schema
  marketingos org create --name NAME [--json] create an organization and print its keys
  marketingos seed --org ID                   add sample data to an organization
  marketingos user create --email E --org ID --role ROLE [--name N]
                                              add a person to an organization (OWNER, ADMIN, MARKETER or
                                              VIEWER); the password is read from stdin, or generated and
                                              printed once when stdin is a terminal or empty
  marketingos user set-password --email E     set a person's password from stdin; ends their sessions

Configuration comes from the environment; see .env.example.
`

// errUsage means the command line was wrong; usage has been printed.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, terminalIsNoInput(os.Stdin), os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "marketingos:", err)
		}
		os.Exit(2)
	}
}

// run executes one command. It is main without the process: tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, getenv, stdout, stderr)
	case "org":
		if len(rest) == 0 || rest[0] != "create" {
			fmt.Fprint(stderr, usage)
			return errUsage
		}
		return cmdOrgCreate(ctx, rest[1:], getenv, stdout, stderr)
	case "seed":
		return cmdSeed(ctx, rest, getenv, stdout, stderr)
	case "user":
		switch {
		case len(rest) > 0 && rest[0] == "create":
			return cmdUserCreate(ctx, rest[1:], getenv, stdin, stdout, stderr)
		case len(rest) > 0 && rest[0] == "set-password":
			return cmdUserSetPassword(ctx, rest[1:], getenv, stdin, stdout, stderr)
		}
		fmt.Fprint(stderr, usage)
		return errUsage
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
}

// terminalIsNoInput returns f, or nil when f is a terminal: a password is then generated rather than typed in
// clear on the screen.
func terminalIsNoInput(f *os.File) io.Reader {
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice != 0 {
		return nil
	}
	return f
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses flags and refuses stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	return nil
}

func newLogger(development bool, level slog.Level, w io.Writer) *slog.Logger {
	if development {
		return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}
