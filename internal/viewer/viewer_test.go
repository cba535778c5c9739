package viewer

import (
	"context"
	"errors"
	"testing"
)

func TestRequire(t *testing.T) {
	bg := context.Background()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		min  Role
		want error
	}{
		{"ADMIN key, ADMIN needed", NewContext(bg, Viewer{OrgID: "org_1", APIKeyID: "key_1", Role: Admin}), Admin, nil},
		{"OWNER member, MARKETER needed", NewContext(bg, Viewer{OrgID: "org_1", UserID: "usr_1", Role: Owner}), Marketer, nil},
		{"VIEWER member, MARKETER needed", NewContext(bg, Viewer{OrgID: "org_1", UserID: "usr_1", Role: ReadOnly}), Marketer, ErrForbidden},
		{"MARKETER key, ADMIN needed", NewContext(bg, Viewer{OrgID: "org_1", APIKeyID: "key_1", Role: Marketer}), Admin, ErrForbidden},
		{"a role but no organization", NewContext(bg, Viewer{UserID: "usr_1", Role: Owner}), ReadOnly, ErrForbidden},
		{"system", SystemContext(bg), Owner, nil},
		{"organization without a role", ForOrganization(bg, "org_1"), ReadOnly, ErrForbidden},
		{"no viewer", bg, ReadOnly, ErrNoViewer},
	} {
		if err := Require(tc.ctx, tc.min); !errors.Is(err, tc.want) {
			t.Errorf("%s: Require(%s) = %v, want %v", tc.name, tc.min, err, tc.want)
		}
	}
}

func TestRoleOrder(t *testing.T) {
	for i, r := range Roles {
		for j, min := range Roles {
			if got, want := r.AtLeast(min), i <= j; got != want {
				t.Errorf("%s.AtLeast(%s) = %v, want %v", r, min, got, want)
			}
		}
		if Role("").AtLeast(r) || Role("ROOT").AtLeast(r) || r.AtLeast("") {
			t.Errorf("an unknown role compares with %s", r)
		}
	}
}
