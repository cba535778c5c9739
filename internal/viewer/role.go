package viewer

import (
	"fmt"
	"io"
	"strconv"
)

// Role is what a member or an API key may do in its organization. Each role may do everything the roles below it
// may: OWNER > ADMIN > MARKETER > VIEWER.
type Role string

const (
	// Owner may do everything, including managing owners.
	Owner Role = "OWNER"
	// Admin manages members, invitations, API keys, settings and reads the audit log, besides what a marketer does.
	Admin Role = "ADMIN"
	// Marketer manages products, campaigns, content and events.
	Marketer Role = "MARKETER"
	// ReadOnly reads everything of its organization and changes nothing (the GraphQL name is VIEWER).
	ReadOnly Role = "VIEWER"
)

// Roles lists every role, most powerful first.
var Roles = []Role{Owner, Admin, Marketer, ReadOnly}

// rank orders the roles; an unknown role ranks below every known one.
func (r Role) rank() int {
	switch r {
	case Owner:
		return 4
	case Admin:
		return 3
	case Marketer:
		return 2
	case ReadOnly:
		return 1
	}
	return 0
}

// AtLeast reports whether r may do what min may.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && min.rank() > 0 }

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return r.rank() > 0 }

// Values lets ent store a Role as an enum.
func (Role) Values() []string {
	out := make([]string, len(Roles))
	for i, r := range Roles {
		out[i] = string(r)
	}
	return out
}

func (r Role) String() string { return string(r) }

// MarshalGQL writes the role as its GraphQL enum value.
func (r Role) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(r))) }

// UnmarshalGQL reads a GraphQL enum value.
func (r *Role) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !Role(s).Valid() {
		return fmt.Errorf("%v is not a valid Role", v)
	}
	*r = Role(s)
	return nil
}
