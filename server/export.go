package server

import (
	"errors"
	"mime"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/marketingos/marketingos/internal/access"
	"github.com/marketingos/marketingos/internal/audit"
	"github.com/marketingos/marketingos/internal/export"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// exportHandlers are the CSV downloads of the dashboard, for API keys and signed-in people alike.
type exportHandlers struct {
	deps    Deps
	origins credentialedOrigins
}

func exportRoutes(r chi.Router, d Deps, origins originPolicy) {
	h := &exportHandlers{deps: d, origins: newCredentialedOrigins(d.Config)}
	r.Route("/api/export", func(r chi.Router) {
		r.Use(origins.cors(h.origins))
		r.Get("/events.csv", h.events)
	})
}

// events streams the organization's attribution events as CSV (internal/export), filtered by the query string.
func (h *exportHandlers) events(w http.ResponseWriter, r *http.Request) {
	// A download reads and changes nothing, so a cookie may come with a GET (a link the dashboard renders), from an
	// allowed origin or none; Sec-Fetch-Site still refuses another site's (checkCookieRequest).
	v, err := requestViewer(r, h.deps, h.origins, false)
	if err != nil {
		refuseCredentials(w, r, h.deps, err, writeError)
		return
	}
	ctx := viewer.NewContext(r.Context(), v)
	if err := access.Check(ctx, access.ExportEvents); err != nil {
		writeError(w, http.StatusForbidden, "FORBIDDEN", "exporting events needs the MARKETER role or above")
		return
	}
	where, err := export.ParseEventQuery(r.URL.Query())
	var bad *validation.Error
	if errors.As(err, &bad) {
		writeJSON(w, http.StatusBadRequest, errorBody{Error: errorDetail{Code: "BAD_USER_INPUT", Message: bad.Error(), Field: bad.Field}})
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", err.Error())
		return
	}
	if err := audit.Record(ctx, h.deps.DB.Client, audit.Entry{OrgID: v.OrgID, Action: audit.EventsExported, Changes: filterOf(r)}); err != nil {
		h.deps.Log.ErrorContext(ctx, "audit entry not recorded", "action", audit.EventsExported, "error", err)
	}

	header := w.Header()
	header.Set("Content-Type", "text/csv; charset=utf-8")
	header.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{
		"filename": "events-" + time.Now().UTC().Format("2006-01-02") + ".csv",
	}))
	header.Set("Cache-Control", "no-store") // the organization's visitors, not for shared caches
	header.Set("X-Content-Type-Options", "nosniff")
	out := &countingWriter{w: w}
	err = export.Events(ctx, h.deps.DB.Client, where, out, func() { _ = http.NewResponseController(w).Flush() })
	switch {
	case err == nil:
	case r.Context().Err() != nil:
		// The client left; nothing to answer.
	case out.n == 0:
		// Nothing was sent yet: a proper error answer is still possible.
		h.deps.Log.ErrorContext(ctx, "export failed", "error", err)
		header.Del("Content-Disposition")
		writeError(w, http.StatusInternalServerError, "INTERNAL", "the export failed; retry")
	default:
		// Part of the file is out with a 200: cut the connection, so the download fails rather than looking whole.
		h.deps.Log.ErrorContext(ctx, "export cut off", "error", err, "bytes", out.n)
		panic(http.ErrAbortHandler)
	}
}

// filterOf is what the audit log keeps of an export's query string.
func filterOf(r *http.Request) map[string]any {
	q := r.URL.Query()
	if len(q) == 0 {
		return nil
	}
	out := make(map[string]any, len(q))
	for k, v := range q {
		if len(v) == 1 {
			out[k] = v[0]
		} else {
			out[k] = v
		}
	}
	return out
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
