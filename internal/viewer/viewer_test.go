package viewer

import (
	"context"
	"errors"
	"testing"
)

func TestRequireAdmin(t *testing.T) {
	bg := context.Background()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"API key", NewContext(bg, Viewer{OrgID: "org_1", APIKeyID: "key_1"}), nil},
		{"system", SystemContext(bg), nil},
		{"organization without a key", ForOrganization(bg, "org_1"), ErrForbidden},
		{"no viewer", bg, ErrNoViewer},
	} {
		if err := RequireAdmin(tc.ctx); !errors.Is(err, tc.want) {
			t.Errorf("%s: RequireAdmin = %v, want %v", tc.name, err, tc.want)
		}
	}
}
