package meta

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/money"
)

// purchaseActions are the action types that count as a conversion, most inclusive first. Meta reports one purchase
// under several of them at once (omni_purchase is the deduplicated total across web, app and offline; purchase and
// offsite_conversion.fb_pixel_purchase are the pixel's view of the same events), so only the first one present in a
// row is counted; adding them up would count each purchase two or three times.
var purchaseActions = []string{"omni_purchase", "purchase", "offsite_conversion.fb_pixel_purchase"}

// maxPages stops a paging loop that would never end (a provider bug) from running forever.
const maxPages = 1000

type insightRow struct {
	DateStart       string   `json:"date_start"`
	Impressions     string   `json:"impressions"`
	Clicks          string   `json:"clicks"`
	Spend           string   `json:"spend"`
	AccountCurrency string   `json:"account_currency"`
	Actions         []action `json:"actions"`
	ActionValues    []action `json:"action_values"`
}

type action struct {
	Type  string `json:"action_type"`
	Value string `json:"value"`
}

// DailyMetrics implements ads.Platform from the campaign's insights, one row per day (time_increment=1), following
// the paging links. Amounts are converted from the account currency's major units, which Meta reports as decimal
// strings, to its minor units.
func (c *Client) DailyMetrics(ctx context.Context, externalID string, from, to time.Time) ([]ads.DailyMetric, error) {
	if !isDigits(externalID) {
		return nil, &ads.InputError{Field: "externalId", Message: fmt.Sprintf("%q is not a Meta campaign id", externalID)}
	}
	first, last, err := ads.CheckRange(from, to)
	if err != nil {
		return nil, err
	}
	timeRange, _ := json.Marshal(map[string]string{"since": first.Format(time.DateOnly), "until": last.Format(time.DateOnly)})
	params := url.Values{
		"fields":         {"impressions,clicks,spend,actions,action_values,account_currency"},
		"level":          {"campaign"},
		"time_increment": {"1"},
		"time_range":     {string(timeRange)},
		"limit":          {"100"},
	}
	const op = "read campaign insights"
	next := "/" + externalID + "/insights"
	byDate := map[time.Time]*ads.DailyMetric{}
	for page := 0; next != ""; page++ {
		if page == maxPages {
			return nil, malformed(op)
		}
		var resp struct {
			Data   []insightRow `json:"data"`
			Paging struct {
				Next string `json:"next"`
			} `json:"paging"`
		}
		if err := c.call(ctx, op, http.MethodGet, next, params, &resp); err != nil {
			return nil, err
		}
		for _, r := range resp.Data {
			m, err := parseRow(r)
			if err != nil {
				return nil, err
			}
			if prev, ok := byDate[m.Date]; ok {
				prev.Impressions += m.Impressions
				prev.Clicks += m.Clicks
				prev.Conversions += m.Conversions
				prev.Cost += m.Cost
				prev.ConversionValue += m.ConversionValue
			} else {
				byDate[m.Date] = &m
			}
		}
		// The paging link carries every parameter already.
		next, params = resp.Paging.Next, nil
	}
	out := make([]ads.DailyMetric, 0, len(byDate))
	for _, m := range byDate {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}

func parseRow(r insightRow) (ads.DailyMetric, error) {
	bad := func(field string) (ads.DailyMetric, error) {
		return ads.DailyMetric{}, &ads.ProviderError{Platform: ads.Facebook, Status: http.StatusOK,
			Code: "malformed_response", Message: "insights row with an unreadable " + field}
	}
	day, err := time.Parse(time.DateOnly, r.DateStart)
	if err != nil {
		return bad("date_start")
	}
	if r.AccountCurrency == "" {
		return bad("account_currency")
	}
	exp := money.Exponent(r.AccountCurrency)
	m := ads.DailyMetric{Date: day, Currency: r.AccountCurrency}
	if m.Impressions, err = parseCount(r.Impressions); err != nil {
		return bad("impressions")
	}
	if m.Clicks, err = parseCount(r.Clicks); err != nil {
		return bad("clicks")
	}
	if m.Cost, err = decimalToMinor(r.Spend, exp); err != nil {
		return bad("spend")
	}
	if v, ok := purchase(r.Actions); ok {
		if m.Conversions, err = strconv.ParseFloat(v, 64); err != nil {
			return bad("actions")
		}
	}
	if v, ok := purchase(r.ActionValues); ok {
		if m.ConversionValue, err = decimalToMinor(v, exp); err != nil {
			return bad("action_values")
		}
	}
	return m, nil
}

// purchase returns the value of the first purchase action type present, in purchaseActions order.
func purchase(list []action) (string, bool) {
	for _, t := range purchaseActions {
		for _, a := range list {
			if a.Type == t {
				return a.Value, true
			}
		}
	}
	return "", false
}

func parseCount(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	return strconv.ParseInt(s, 10, 64)
}

// decimalToMinor converts a decimal string in major units ("5339.5") to minor units with exp decimals, exactly,
// rounding half away from zero beyond the minor unit.
func decimalToMinor(s string, exp int) (int64, error) {
	if s == "" {
		return 0, nil
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if !isDigits(whole) || (frac != "" && !isDigits(frac)) {
		return 0, fmt.Errorf("not a decimal: %q", s)
	}
	roundUp := len(frac) > exp && frac[exp] >= '5'
	if len(frac) > exp {
		frac = frac[:exp]
	}
	frac += strings.Repeat("0", exp-len(frac))
	v, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, err
	}
	if roundUp {
		v++
	}
	if neg {
		v = -v
	}
	return v, nil
}
