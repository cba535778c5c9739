package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/viewer"
)

// cmdUserCreate adds a person to an organization: a new user with the password from stdin (or a generated one,
// printed once), or an existing user, whose password is left alone, with a new or changed membership.
func cmdUserCreate(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("user create", stderr)
	email := fs.String("email", "", "the person's e-mail address (required)")
	orgID := fs.String("org", "", "organization id, org_… (required)")
	role := fs.String("role", "", "OWNER, ADMIN, MARKETER or VIEWER (required)")
	name := fs.String("name", "", "the person's name")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" || *orgID == "" || !viewer.Role(*role).Valid() {
		fmt.Fprintln(stderr, "user create: --email, --org and --role (OWNER, ADMIN, MARKETER or VIEWER) are required")
		return errUsage
	}
	_, db, err := open(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Client.Organization.Get(viewer.SystemContext(ctx), *orgID); err != nil {
		return fmt.Errorf("organization %s: %w", *orgID, err)
	}
	u, err := auth.UserByEmail(ctx, db.Client, *email)
	generated := ""
	switch {
	case ent.IsNotFound(err):
		password, readErr := readPassword(stdin)
		if readErr != nil {
			return readErr
		}
		if password == "" {
			password = auth.GeneratePassword()
			generated = password
		}
		if u, err = auth.CreateUser(ctx, db.Client, auth.NewUser{Email: *email, Name: *name, Password: password}); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		fmt.Fprintf(stdout, "%s already has an account; their password is unchanged.\n", u.Email)
	}
	m, err := auth.AddMember(ctx, db.Client, *orgID, u.ID, viewer.Role(*role))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "User:       %s (%s)\nMembership: %s in %s (%s)\n", u.Email, u.ID, m.Role, *orgID, m.ID)
	if generated != "" {
		fmt.Fprintf(stdout, "Password:   %s   (shown once: store it now)\n", generated)
	}
	return nil
}

// cmdUserSetPassword sets a person's password from stdin and ends their sessions.
func cmdUserSetPassword(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("user set-password", stderr)
	email := fs.String("email", "", "the person's e-mail address (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" {
		fmt.Fprintln(stderr, "user set-password: --email is required")
		return errUsage
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	if password == "" {
		fmt.Fprintln(stderr, "user set-password: write the new password on stdin, e.g. echo \"$PASSWORD\" | marketingos user set-password --email …")
		return errUsage
	}
	_, db, err := open(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := auth.UserByEmail(ctx, db.Client, *email)
	if ent.IsNotFound(err) {
		return fmt.Errorf("no user has the e-mail %s", *email)
	}
	if err != nil {
		return err
	}
	if err := auth.SetPassword(ctx, db.Client, u.ID, password, ""); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Password of %s set; their sessions have ended.\n", u.Email)
	return nil
}

// readPassword reads the first line of stdin, without its line ending; "" when stdin is nil or empty.
func readPassword(stdin io.Reader) (string, error) {
	if stdin == nil {
		return "", nil
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
