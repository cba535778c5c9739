package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/dbtest"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
	"github.com/marketingos/marketingos/internal/visitors"
)

// seed stores n page views of org, two by two at the same instant (the page boundary falls between equal
// createdAt), one second apart, the newest first in the returned ids.
func seed(t *testing.T, client *ent.Client, orgID string, n int, base time.Time) []string {
	t.Helper()
	ctx := visitors.Batched(viewer.ForOrganization(context.Background(), orgID))
	builders := make([]*ent.AttributionEventCreate, n)
	ids := make([]string, n)
	for i := range builders {
		ids[n-1-i] = prefixed.New("evt")
		builders[i] = client.AttributionEvent.Create().SetID(ids[n-1-i]).SetOrganizationID(orgID).
			SetVisitorID(fmt.Sprintf("v%d", i)).SetEventType("page_view").SetCreatedAt(base.Add(time.Duration(i/2) * time.Second))
	}
	if err := client.AttributionEvent.CreateBulk(builders...).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestEventsPages: an export reads page by page — one query per page, a flush after each — and lists every event
// once, newest first, ties broken by id, including events that share their createdAt across a page boundary; the
// organization's only.
func TestEventsPages(t *testing.T) {
	db, _ := dbtest.Open(t)
	ctx := context.Background()
	a, err := account.CreateOrganization(ctx, db.Client, "A", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := account.CreateOrganization(ctx, db.Client, "B", account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	want := seed(t, db.Client, a.Organization.ID, 25, base)
	seed(t, db.Client, b.Organization.ID, 5, base)

	for _, pageSize := range []int{1, 7, 25, 100} {
		t.Run(fmt.Sprint("page size ", pageSize), func(t *testing.T) {
			var buf bytes.Buffer
			flushes := 0
			err := events(viewer.ForOrganization(ctx, a.Organization.ID), db.Client, &ent.AttributionEventWhereInput{}, &buf,
				func() { flushes++ }, pageSize)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(want)+1 {
				t.Fatalf("%d rows, want a header and %d events", len(rows), len(want))
			}
			for i, id := range want {
				if rows[i+1][0] != id {
					t.Fatalf("row %d is %s, want %s (newest first, then by id)", i+1, rows[i+1][0], id)
				}
			}
			// A full last page needs one more (empty) query to know it was the last.
			if wantFlushes := len(want)/pageSize + 1; flushes != wantFlushes {
				t.Errorf("%d pages flushed, want %d", flushes, wantFlushes)
			}
		})
	}
}

// TestEventsWritesNothingBeforeTheFirstPage: when the first page cannot be read, nothing has been written, so the
// HTTP handler can still answer with an error.
func TestEventsWritesNothingBeforeTheFirstPage(t *testing.T) {
	db, _ := dbtest.Open(t)
	ctx, cancel := context.WithCancel(viewer.ForOrganization(context.Background(), "org_none"))
	cancel()
	var buf bytes.Buffer
	if err := Events(ctx, db.Client, nil, &buf, func() {}); err == nil {
		t.Fatal("Events with a cancelled context succeeded")
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written before the failure: %q", buf.Len(), buf.String())
	}
}

func TestParseEventQuery(t *testing.T) {
	good := []struct {
		query string
		check func(w *ent.AttributionEventWhereInput) bool
	}{
		{"", func(w *ent.AttributionEventWhereInput) bool {
			_, err := w.P()
			return errors.Is(err, ent.ErrEmptyAttributionEventWhereInput)
		}},
		{"from=2025-03-01T00:00:00Z&to=2025-03-31T23:59:59.999Z", func(w *ent.AttributionEventWhereInput) bool {
			return w.CreatedAtGTE.Equal(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)) && w.CreatedAtLTE.Nanosecond() == 999e6
		}},
		{"eventType=purchase", func(w *ent.AttributionEventWhereInput) bool { return *w.EventType == "purchase" }},
		{"eventType=purchase&eventType=refund", func(w *ent.AttributionEventWhereInput) bool { return len(w.EventTypeIn) == 2 }},
		{"campaign=summer&source=google&medium=cpc&visitorId=v1&userId=u1&sessionId=s1", func(w *ent.AttributionEventWhereInput) bool {
			return *w.Campaign == "summer" && *w.Source == "google" && *w.Medium == "cpc" && *w.VisitorID == "v1" && *w.UserID == "u1" && *w.SessionID == "s1"
		}},
		{"where=" + url.QueryEscape(`{"eventTypeIn":["signup","purchase"],"or":[{"sourceIsNil":true},{"source":"google"}]}`), func(w *ent.AttributionEventWhereInput) bool {
			return len(w.And) == 1 && len(w.And[0].EventTypeIn) == 2 && len(w.And[0].Or) == 2
		}},
		{"where=%7B%7D&source=x", func(w *ent.AttributionEventWhereInput) bool { return w.And == nil && *w.Source == "x" }},
	}
	for _, tc := range good {
		q, _ := url.ParseQuery(tc.query)
		w, err := ParseEventQuery(q)
		if err != nil {
			t.Errorf("%q: %v", tc.query, err)
			continue
		}
		if !tc.check(w) {
			t.Errorf("%q parsed to %+v", tc.query, w)
		}
	}
	bad := []struct{ query, field string }{
		{"limit=10", "limit"},
		{"from=yesterday", "from"},
		{"from=2025-03-01T00:00:00Z&from=2025-03-02T00:00:00Z", "from"},
		{"from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z", "to"},
		{"campaign=a&campaign=b", "campaign"},
		{"source=%00", "source"},
		{"source=%FF", "source"},
		{"where=" + url.QueryEscape(`{"eventType":`), "where"},
		{"where=" + url.QueryEscape(`{"eventKind":"x"}`), "where"},
		{"where=" + url.QueryEscape(`{"createdAtGTE":"monday"}`), "where"},
		{"where=" + url.QueryEscape(`{"and":[{}]}`), "where"},
		{"where=" + url.QueryEscape(`{"source":"a\u0000b"}`), "where.source"},
		{"where=" + url.QueryEscape(`{}`) + "&where=" + url.QueryEscape(`{}`), "where"},
	}
	for _, tc := range bad {
		q, _ := url.ParseQuery(tc.query)
		_, err := ParseEventQuery(q)
		var verr *validation.Error
		if !errors.As(err, &verr) || verr.Field != tc.field {
			t.Errorf("%q: error %v, want a validation error of field %s", tc.query, err, tc.field)
		}
	}
}

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"google":                   "google",
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+1 555":                   "'+1 555",
		"-2+3":                     "'-2+3",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\t=1":                     "'\t=1",
		"\r=1":                     "'\r=1",
		"a=b":                      "a=b",
		"":                         "",
	} {
		if got := text(in); got != want {
			t.Errorf("text(%q) = %q, want %q", in, got, want)
		}
	}
}
