package server

import (
	"errors"
	"fmt"
	"testing"

	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/viewer"
)

// TestWSRefusal: each way authentication can fail closes with the code that tells a client what to do.
func TestWSRefusal(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code int
	}{
		{account.ErrInvalidKey, wsCloseUnauthorized},
		{fmt.Errorf("wrapped: %w", account.ErrInvalidKey), wsCloseUnauthorized},
		{fmt.Errorf("role: %w", viewer.ErrForbidden), wsCloseForbidden},
		{errors.New("account: authenticate: driver: bad connection"), wsCloseTryAgainLater},
	} {
		if code, reason, _ := wsRefusal(tc.err); code != tc.code || reason == "" {
			t.Errorf("wsRefusal(%v) = %d %q, want %d with a reason", tc.err, code, reason, tc.code)
		}
	}
}
