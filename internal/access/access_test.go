package access

import (
	"context"
	"errors"
	"testing"

	"github.com/marketingos/marketingos/internal/viewer"
)

func as(role viewer.Role) context.Context {
	return viewer.NewContext(context.Background(), viewer.Viewer{OrgID: "org_1", UserID: "usr_1", Role: role})
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		op   string
		role viewer.Role
		want error
	}{
		{"Query.dashboard", viewer.ReadOnly, nil},
		{"Mutation.createProduct", viewer.ReadOnly, viewer.ErrForbidden},
		{"Mutation.createProduct", viewer.Marketer, nil},
		{"Mutation.createApiKey", viewer.Marketer, viewer.ErrForbidden},
		{"Mutation.createApiKey", viewer.Admin, nil},
		{"Mutation.createApiKey", viewer.Owner, nil},
		{"Mutation.noSuchThing", viewer.Owner, viewer.ErrForbidden},
		{ExportEvents, viewer.ReadOnly, viewer.ErrForbidden},
		{ExportEvents, viewer.Marketer, nil},
		{ExportEvents, viewer.Owner, nil},
	} {
		if err := Check(as(tc.role), tc.op); !errors.Is(err, tc.want) {
			t.Errorf("Check(%s, %s) = %v, want %v", tc.role, tc.op, err, tc.want)
		}
	}
	if err := Check(viewer.SystemContext(context.Background()), "Mutation.noSuchThing"); err != nil {
		t.Errorf("the system was refused an operation without a rule: %v", err)
	}
}

func TestCheckRead(t *testing.T) {
	if err := CheckRead(as(viewer.Marketer), "APIKey"); !errors.Is(err, viewer.ErrForbidden) {
		t.Errorf("a MARKETER read API keys: %v", err)
	}
	if err := CheckRead(as(viewer.Admin), "AuditEntry"); err != nil {
		t.Errorf("an ADMIN could not read the audit log: %v", err)
	}
	if err := CheckRead(as(viewer.ReadOnly), "Product"); err != nil {
		t.Errorf("a VIEWER could not read products: %v", err)
	}
}
