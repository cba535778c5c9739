// Package export writes an organization's data as CSV for spreadsheets: its attribution events, filtered as the
// attributionEvents connection filters them, streamed a page at a time so that an export of millions of events
// holds one page in memory.
package export

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/internal/money"
	"github.com/marketingos/marketingos/internal/validation"
)

// PageSize is how many events one query reads.
const PageSize = 1000

// eventColumns is the header row: the attributionEvents fields, named as in GraphQL.
var eventColumns = []string{
	"id", "createdAt", "eventType", "visitorId", "sessionId", "userId", "value", "currency",
	"source", "medium", "campaign", "term", "content", "gclid", "fbclid", "referrer", "url", "title", "screen",
	"language", "metadata",
}

// eventParams are the query parameters of an events export besides where, each the shorthand of one field of the
// AttributionEventWhereInput: from and to bound createdAt (both included), the others match exactly (eventType may
// be given several times: any of them).
var eventParams = map[string]func(w *ent.AttributionEventWhereInput, values []string) error{
	"from": func(w *ent.AttributionEventWhereInput, v []string) error { return instant("from", v, &w.CreatedAtGTE) },
	"to":   func(w *ent.AttributionEventWhereInput, v []string) error { return instant("to", v, &w.CreatedAtLTE) },
	"eventType": func(w *ent.AttributionEventWhereInput, v []string) error {
		if len(v) == 1 {
			w.EventType = &v[0]
		} else {
			w.EventTypeIn = v
		}
		return nil
	},
	"source":    func(w *ent.AttributionEventWhereInput, v []string) error { return one("source", v, &w.Source) },
	"medium":    func(w *ent.AttributionEventWhereInput, v []string) error { return one("medium", v, &w.Medium) },
	"campaign":  func(w *ent.AttributionEventWhereInput, v []string) error { return one("campaign", v, &w.Campaign) },
	"visitorId": func(w *ent.AttributionEventWhereInput, v []string) error { return one("visitorId", v, &w.VisitorID) },
	"sessionId": func(w *ent.AttributionEventWhereInput, v []string) error { return one("sessionId", v, &w.SessionID) },
	"userId":    func(w *ent.AttributionEventWhereInput, v []string) error { return one("userId", v, &w.UserID) },
}

// ParseEventQuery reads the filter of an events export from a query string: the shorthands of eventParams, and
// where, the JSON of an AttributionEventWhereInput exactly as the attributionEvents query takes it (the dashboard's
// events screen can pass its own filter). All of them must hold. A parameter that is unknown, repeated, or not
// valid is a *validation.Error naming it.
func ParseEventQuery(q url.Values) (*ent.AttributionEventWhereInput, error) {
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	sort.Strings(names) // the first bad parameter reported is always the same one
	shorthand := &ent.AttributionEventWhereInput{}
	var where *ent.AttributionEventWhereInput
	for _, name := range names {
		values := q[name]
		switch parse := eventParams[name]; {
		case name == "where":
			w, err := whereInput(values)
			if err != nil {
				return nil, err
			}
			where = w
		case parse == nil:
			return nil, validation.Field(name, "is not a filter of the events export; use from, to, eventType, source, medium, campaign, visitorId, sessionId, userId or where")
		default:
			for _, v := range values {
				if !validation.Text(v) {
					return nil, validation.Field(name, "is not valid UTF-8 text without NUL characters")
				}
			}
			if err := parse(shorthand, values); err != nil {
				return nil, err
			}
		}
	}
	if from, to := shorthand.CreatedAtGTE, shorthand.CreatedAtLTE; from != nil && to != nil && from.After(*to) {
		return nil, validation.Field("to", "is before from")
	}
	if where != nil {
		shorthand.And = []*ent.AttributionEventWhereInput{where}
	}
	if _, err := shorthand.P(); err != nil && err != ent.ErrEmptyAttributionEventWhereInput { //nolint:errorlint // as in whereInput
		return nil, validation.Field("where", "%v", err)
	}
	return shorthand, nil
}

func whereInput(values []string) (*ent.AttributionEventWhereInput, error) {
	if len(values) != 1 {
		return nil, validation.Field("where", "is given %d times; give it once", len(values))
	}
	dec := json.NewDecoder(strings.NewReader(values[0]))
	dec.DisallowUnknownFields()
	var w ent.AttributionEventWhereInput
	if err := dec.Decode(&w); err != nil {
		return nil, validation.Field("where", "is not an AttributionEventWhereInput in JSON (as the attributionEvents query's where): %v", err)
	}
	if dec.More() {
		return nil, validation.Field("where", "has more than one JSON value")
	}
	// A NUL in a string would reach the database, which refuses it (PostgreSQL): refused here as the client's.
	var raw any
	_ = json.Unmarshal([]byte(values[0]), &raw) // it decoded above
	if path, ok := validation.TextIn(raw, "where"); !ok {
		return nil, validation.Field(path, "contains a NUL character")
	}
	// An empty filter ({}) filters nothing. Nested in another one ({"not": {}}) ent refuses it, wrapped, as the
	// attributionEvents query does: only the bare error means "empty".
	if _, err := w.P(); err == ent.ErrEmptyAttributionEventWhereInput { //nolint:errorlint // see above
		return nil, nil
	} else if err != nil {
		return nil, validation.Field("where", "%v", err)
	}
	return &w, nil
}

func one(name string, values []string, dst **string) error {
	if len(values) != 1 {
		return validation.Field(name, "is given %d times; give it once", len(values))
	}
	*dst = &values[0]
	return nil
}

func instant(name string, values []string, dst **time.Time) error {
	var s *string
	if err := one(name, values, &s); err != nil {
		return err
	}
	t, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		return validation.Field(name, "%q is not an RFC 3339 time (2025-03-01T00:00:00Z)", *s)
	}
	*dst = &t
	return nil
}

// Events writes the events that match where as CSV to w: a header row, then one row per event, newest first, as the
// dashboard lists them. The rows are the organization's of ctx's viewer (ent's tenancy decides, as for every
// query). They are read PageSize at a time, each page after the last one's (created_at, id) — a new event arrives
// above the first page read, so none is skipped or repeated while the export runs — and flush is called after each
// page has been written. Nothing reaches w before the first page has been read, so a failure to read it leaves w
// untouched.
func Events(ctx context.Context, client *ent.Client, where *ent.AttributionEventWhereInput, w io.Writer, flush func()) error {
	return events(ctx, client, where, w, flush, PageSize)
}

func events(ctx context.Context, client *ent.Client, where *ent.AttributionEventWhereInput, w io.Writer, flush func(), pageSize int) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180
	if err := cw.Write(eventColumns); err != nil {
		return err
	}
	row := make([]string, len(eventColumns))
	var last *ent.AttributionEvent
	for {
		q, err := where.Filter(client.AttributionEvent.Query())
		if err != nil {
			return err
		}
		if last != nil {
			q.Where(attributionevent.Or(
				attributionevent.CreatedAtLT(last.CreatedAt),
				attributionevent.And(attributionevent.CreatedAtEQ(last.CreatedAt), attributionevent.IDLT(last.ID)),
			))
		}
		page, err := q.Order(ent.Desc(attributionevent.FieldCreatedAt), ent.Desc(attributionevent.FieldID)).
			Limit(pageSize).All(ctx)
		if err != nil {
			return fmt.Errorf("export: events: %w", err)
		}
		for _, e := range page {
			eventRow(row, e)
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		flush()
		if len(page) < pageSize {
			return nil
		}
		last = page[len(page)-1]
	}
}

func eventRow(row []string, e *ent.AttributionEvent) {
	value, currency := "", deref(e.Currency)
	if e.Value != nil {
		value = strconv.FormatFloat(money.Major(*e.Value, currency), 'f', money.Exponent(currency), 64)
	}
	metadata := ""
	if len(e.Metadata) > 0 {
		b, _ := json.Marshal(e.Metadata) // a map[string]any read from JSON marshals again
		metadata = string(b)
	}
	// The server writes id, createdAt and value; everything else came from a landing page or a client, and is made
	// safe to open in a spreadsheet.
	copy(row, []string{
		e.ID, e.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z07:00"), text(e.EventType), text(e.VisitorID),
		text(e.SessionID), text(deref(e.UserID)), value, text(currency), text(e.Source), text(e.Medium),
		text(e.Campaign), text(e.Term), text(e.Content), text(e.Gclid), text(e.Fbclid), text(e.Referrer), text(e.URL),
		text(e.Title), text(e.Screen), text(e.Language), text(metadata),
	})
}

// text makes a cell of untrusted text safe from formula injection (CSV injection): a spreadsheet runs a cell that
// starts with =, +, - or @ (or a tab or carriage return before one) as a formula — =HYPERLINK(…) in a visitor's
// utm_source would run on the marketer's machine. Such a cell gets a leading apostrophe, which spreadsheets show as
// text and do not evaluate (OWASP's advice). Quoting of commas, quotes and line breaks is encoding/csv's.
func text(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
