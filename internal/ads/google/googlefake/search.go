package googlefake

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The GAQL the fake understands: SELECT fields FROM campaign WHERE conditions joined by AND, where a date range is
// mandatory whenever segments.date is selected, as in the real API.
var (
	gaql          = regexp.MustCompile(`(?is)^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?\s*$`)
	betweenClause = regexp.MustCompile(`(?i)segments\.date\s+BETWEEN\s+'([^']*)'\s+AND\s+'([^']*)'`)
	idClause      = regexp.MustCompile(`(?i)^campaign\.id\s*=\s*(\d+)$`)
	andSplit      = regexp.MustCompile(`(?i)(?:^|\s+)AND(?:\s+|$)`)
)

var selectable = set("customer.currency_code", "customer.id", "campaign.id", "campaign.name", "campaign.status",
	"campaign.resource_name", "segments.date", "metrics.impressions", "metrics.clicks", "metrics.cost_micros",
	"metrics.conversions", "metrics.conversions_value")

func (s *Server) serveSearchStream(w http.ResponseWriter, version string, body []byte) {
	queryError := func(code, message string) {
		writeStatus(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.", version,
			[]failure{{code: map[string]string{"queryError": code}, message: message}}, true)
	}
	req, err := decodeJSON(body)
	if err != nil {
		writeBadRequest(w, "", "Invalid JSON payload received. "+err.Error())
		return
	}
	q := str(req["query"])
	m := gaql.FindStringSubmatch(q)
	if m == nil {
		queryError("UNEXPECTED_END_OF_QUERY", "Error in query: the query is not SELECT … FROM … [WHERE …].")
		return
	}
	var fields []string
	for _, f := range strings.Split(m[1], ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if !selectable[f] {
			queryError("UNRECOGNIZED_FIELD", "Error in SELECT clause: unrecognized field '"+f+"'.")
			return
		}
		fields = append(fields, f)
	}
	if !strings.EqualFold(m[2], "campaign") {
		queryError("INVALID_RESOURCE_NAME_IN_FROM_CLAUSE", "googlefake: only FROM campaign is supported.")
		return
	}
	var from, to time.Time
	var ids []string
	where := m[3]
	// BETWEEN has its own AND: take it out before splitting the conditions.
	if b := betweenClause.FindStringSubmatch(where); b != nil {
		from, _ = time.Parse(time.DateOnly, b[1])
		to, _ = time.Parse(time.DateOnly, b[2])
		if from.IsZero() || to.IsZero() {
			queryError("INVALID_VALUE_WITH_BETWEEN_OPERATOR", "Error in WHERE clause: invalid date in BETWEEN.")
			return
		}
		where = strings.Replace(where, b[0], "", 1)
	}
	for _, cond := range andSplit.Split(where, -1) {
		cond = strings.TrimSpace(cond)
		if cond == "" {
			continue
		}
		if idm := idClause.FindStringSubmatch(cond); idm != nil {
			ids = append(ids, idm[1])
			continue
		}
		queryError("UNEXPECTED_INPUT", "googlefake: unsupported condition '"+cond+"'.")
		return
	}
	if slices.Contains(fields, "segments.date") && from.IsZero() {
		queryError("EXPECTED_FILTERS_ON_DATE_RANGE", "Error in WHERE clause: a finite date range is required when segments.date is selected.")
		return
	}

	s.mu.Lock()
	var rows []map[string]any
	campaigns := map[string]*Campaign{}
	for _, c := range s.campaigns {
		campaigns[c.ID] = c
	}
	var keys []string
	for id := range s.metrics {
		if len(ids) == 0 || slices.Contains(ids, id) {
			keys = append(keys, id)
		}
	}
	slices.Sort(keys)
	for _, id := range keys {
		for _, mt := range s.metrics[id] {
			day := time.Date(mt.Date.Year(), mt.Date.Month(), mt.Date.Day(), 0, 0, 0, 0, time.UTC)
			if !from.IsZero() && (day.Before(from) || day.After(to)) {
				continue
			}
			rows = append(rows, s.row(fields, id, campaigns[id], day, mt))
		}
	}
	s.mu.Unlock()

	camel := make([]string, len(fields))
	for i, f := range fields {
		camel[i] = camelPath(f)
	}
	mask := strings.Join(camel, ",")
	batches := []any{}
	for start := 0; start < len(rows) || start == 0; start += s.batchSize {
		b := map[string]any{"fieldMask": mask, "requestId": "fake-request-id"}
		if start < len(rows) {
			b["results"] = rows[start:min(start+s.batchSize, len(rows))]
		}
		batches = append(batches, b)
		if len(rows) == 0 {
			break
		}
	}
	writeJSON(w, http.StatusOK, batches)
}

// row renders one GoogleAdsRow with the selected fields: int64 as strings, doubles as numbers.
func (s *Server) row(fields []string, id string, c *Campaign, day time.Time, mt Metric) map[string]any {
	row := map[string]any{}
	put := func(resource, field string, v any) {
		obj, _ := row[resource].(map[string]any)
		if obj == nil {
			obj = map[string]any{}
			row[resource] = obj
		}
		obj[field] = v
	}
	for _, f := range fields {
		switch f {
		case "customer.currency_code":
			put("customer", "currencyCode", s.currency)
		case "customer.id":
			put("customer", "id", s.customerID)
		case "campaign.id":
			put("campaign", "id", id)
		case "campaign.name":
			if c != nil {
				put("campaign", "name", c.Name)
			}
		case "campaign.status":
			if c != nil {
				put("campaign", "status", c.Status)
			}
		case "segments.date":
			put("segments", "date", day.Format(time.DateOnly))
		case "metrics.impressions":
			put("metrics", "impressions", strconv.FormatInt(mt.Impressions, 10))
		case "metrics.clicks":
			put("metrics", "clicks", strconv.FormatInt(mt.Clicks, 10))
		case "metrics.cost_micros":
			put("metrics", "costMicros", strconv.FormatInt(mt.CostMicros, 10))
		case "metrics.conversions":
			put("metrics", "conversions", mt.Conversions)
		case "metrics.conversions_value":
			put("metrics", "conversionsValue", mt.ConversionsValue)
		}
	}
	// Every selected resource comes with its resource name.
	if obj, ok := row["campaign"].(map[string]any); ok {
		obj["resourceName"] = fmt.Sprintf("customers/%s/campaigns/%s", s.customerID, id)
	}
	if obj, ok := row["customer"].(map[string]any); ok {
		obj["resourceName"] = "customers/" + s.customerID
	}
	return row
}

// camelPath turns "metrics.cost_micros" into "metrics.costMicros", the field-mask form of JSON responses.
func camelPath(f string) string {
	var b strings.Builder
	up := false
	for _, r := range f {
		switch {
		case r == '_':
			up = true
		case up:
			b.WriteString(strings.ToUpper(string(r)))
			up = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
