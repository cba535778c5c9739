package google

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/money"
)

// DailyMetrics implements ads.Platform with one googleAds:searchStream query. The account currency comes back with
// the rows (customer.currency_code), so amounts are converted with the right exponent.
func (c *Client) DailyMetrics(ctx context.Context, externalID string, from, to time.Time) ([]ads.DailyMetric, error) {
	if !isDigits(externalID) {
		return nil, &ads.InputError{Field: "externalId", Message: fmt.Sprintf("%q is not a Google Ads campaign id", externalID)}
	}
	first, last, err := ads.CheckRange(from, to)
	if err != nil {
		return nil, err
	}
	// The id is digits only and the dates are formatted here, so nothing user-typed reaches the query text.
	query := "SELECT customer.currency_code, campaign.id, segments.date, metrics.impressions, metrics.clicks, " +
		"metrics.cost_micros, metrics.conversions, metrics.conversions_value FROM campaign " +
		"WHERE segments.date BETWEEN '" + first.Format(time.DateOnly) + "' AND '" + last.Format(time.DateOnly) +
		"' AND campaign.id = " + externalID
	const op = "read campaign metrics"
	var rows []ads.DailyMetric
	err = c.call(ctx, op, c.customerPath("googleAds:searchStream"), map[string]string{"query": query},
		func(data []byte) error {
			var perr error
			rows, perr = parseStream(data)
			return perr
		})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// streamRow is one GoogleAdsRow of the query above.
type streamRow struct {
	Customer struct {
		CurrencyCode string `json:"currencyCode"`
	} `json:"customer"`
	Segments struct {
		Date string `json:"date"`
	} `json:"segments"`
	Metrics struct {
		Impressions      flexInt   `json:"impressions"`
		Clicks           flexInt   `json:"clicks"`
		CostMicros       flexInt   `json:"costMicros"`
		Conversions      flexFloat `json:"conversions"`
		ConversionsValue flexFloat `json:"conversionsValue"`
	} `json:"metrics"`
}

// parseStream reads searchStream's array of batches. An error can arrive inside the array, after rows.
func parseStream(data []byte) ([]ads.DailyMetric, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' { // tolerate a single batch
		data = append(append([]byte{'['}, data...), ']')
	}
	var batches []struct {
		Results []streamRow `json:"results"`
		Error   *rpcStatus  `json:"error"`
	}
	if err := json.Unmarshal(data, &batches); err != nil {
		return nil, malformed("read campaign metrics")
	}
	byDate := map[time.Time]*ads.DailyMetric{}
	for _, b := range batches {
		if b.Error != nil {
			return nil, statusError(http.StatusOK, nil, b.Error)
		}
		for _, r := range b.Results {
			day, err := time.Parse(time.DateOnly, r.Segments.Date)
			if err != nil {
				return nil, malformed("read campaign metrics")
			}
			cur := r.Customer.CurrencyCode
			m := byDate[day]
			if m == nil {
				m = &ads.DailyMetric{Date: day, Currency: cur}
				byDate[day] = m
			}
			// Rows are per (campaign, day); summing keeps one row per day should the API ever split a day.
			m.Impressions += int64(r.Metrics.Impressions)
			m.Clicks += int64(r.Metrics.Clicks)
			m.Conversions += float64(r.Metrics.Conversions)
			m.Cost += microsToMinor(int64(r.Metrics.CostMicros), cur)
			value, err := money.Minor(float64(r.Metrics.ConversionsValue), cur)
			if err != nil {
				return nil, malformed("read campaign metrics")
			}
			m.ConversionValue += value
		}
	}
	out := make([]ads.DailyMetric, 0, len(byDate))
	for _, m := range byDate {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}

// microsToMinor converts millionths of a currency unit to its minor unit, rounding half away from zero.
func microsToMinor(micros int64, currency string) int64 {
	per := int64(math.Pow10(6 - money.Exponent(currency)))
	q, r := micros/per, micros%per
	if 2*abs(r) >= per {
		if micros < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// unquote strips the quotes the API puts around int64 values; doubles come as bare numbers.
func unquote(b []byte) ([]byte, error) {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, err
		}
		return []byte(s), nil
	}
	if string(b) == "null" {
		return nil, nil
	}
	return b, nil
}

// flexInt reads an int64 rendered as a JSON string or number.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	b, err := unquote(b)
	if err != nil || len(b) == 0 {
		*n = 0
		return err
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return err
	}
	*n = flexInt(v)
	return nil
}

// flexFloat reads a double rendered as a JSON number or string.
type flexFloat float64

func (n *flexFloat) UnmarshalJSON(b []byte) error {
	b, err := unquote(b)
	if err != nil || len(b) == 0 {
		*n = 0
		return err
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*n = flexFloat(v)
	return nil
}
