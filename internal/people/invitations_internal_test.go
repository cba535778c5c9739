package people

import (
	"strings"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/viewer"
)

func TestInvitationEmail(t *testing.T) {
	expires := time.Date(2026, 12, 10, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, org, inviter, wantSubject, wantWho string
	}{
		{"a person", "Acme", "Ana (ana@example.com)", "Ana (ana@example.com) invited you to join Acme on MarketingOS", "Ana (ana@example.com) invited you"},
		{"an API key", "Acme", "", "You are invited to join Acme on MarketingOS", "An administrator of Acme invited you"},
		{"line breaks fold", "Acme\r\nBcc: eve@example.com", "", "You are invited to join Acme Bcc: eve@example.com on MarketingOS", "An administrator of"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := invitationEmail("inv_1", "bo@example.com", tc.org, tc.inviter, viewer.Marketer,
				"https://mos.example/accept-invitation?token=tok", expires, "tok")
			if e.Subject != tc.wantSubject {
				t.Errorf("subject = %q, want %q", e.Subject, tc.wantSubject)
			}
			for _, want := range []string{tc.wantWho, "as MARKETER", "https://mos.example/accept-invitation?token=tok", "10 December 2026, 09:30 UTC"} {
				if !strings.Contains(e.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, e.Text)
				}
			}
			if e.To != "bo@example.com" || e.ID != "inv_1" || e.Tag != "invitation" || len(e.Secrets) != 1 || e.Secrets[0] != "tok" {
				t.Errorf("e-mail = %+v", e)
			}
			if strings.Contains(e.HTML, "<Bcc") || !strings.Contains(e.HTML, `href="https://mos.example/accept-invitation?token=tok"`) {
				t.Errorf("html = %s", e.HTML)
			}
		})
	}
}
