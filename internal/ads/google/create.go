package google

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/marketingos/marketingos/internal/ads"
	"github.com/marketingos/marketingos/internal/money"
)

// Temporary ids let later operations of one googleAds:mutate refer to resources created by earlier ones.
const (
	tempBudget   = "-1"
	tempCampaign = "-2"
	tempAdGroup  = "-3"
)

// firstDateTimeVersion is the API version that replaced Campaign.start_date/end_date ("2006-01-02") with
// start_date_time/end_date_time ("2006-01-02 15:04:05").
const firstDateTimeVersion = 23

// CreateCampaign implements ads.Platform. Budget, campaign, ad group and keywords are created in one atomic
// googleAds:mutate call, so a failure leaves nothing behind. The campaign is created PAUSED with its ad group and
// keywords enabled: ResumeCampaign alone starts delivery.
//
// Keywords use the Google Ads editor notation: "[running shoes]" is exact match, "\"running shoes\"" phrase match,
// anything else broad match. Creatives and targeting are not sent: a responsive search ad needs 3–15 headlines, more
// than a creative carries, and locations need Google's geo target ids; both are left for the marketer to add in
// Google Ads while the campaign is paused.
func (c *Client) CreateCampaign(ctx context.Context, spec ads.CampaignSpec) (ads.Created, error) {
	if err := spec.Validate(); err != nil {
		return ads.Created{}, err
	}
	req, err := c.createRequest(spec)
	if err != nil {
		return ads.Created{}, err
	}
	const op = "create campaign"
	var created ads.Created
	err = c.call(ctx, op, c.customerPath("googleAds:mutate"), req, func(data []byte) error {
		var resp struct {
			Responses []map[string]struct {
				ResourceName string `json:"resourceName"`
			} `json:"mutateOperationResponses"`
		}
		if err := json.Unmarshal(data, &resp); err != nil {
			return malformed(op)
		}
		created = ads.Created{}
		for _, r := range resp.Responses {
			for kind, res := range r {
				created.Resources = append(created.Resources, res.ResourceName)
				if kind == "campaignResult" {
					created.ExternalID = res.ResourceName[strings.LastIndexByte(res.ResourceName, '/')+1:]
				}
			}
		}
		if !isDigits(created.ExternalID) {
			return malformed(op)
		}
		return nil
	})
	if err != nil {
		return ads.Created{}, err
	}
	return created, nil
}

// Check applies Google's rules to a campaign before anything is created (ads.Checker).
func (c *Client) Check(spec ads.CampaignSpec) error {
	if err := spec.Validate(); err != nil {
		return err
	}
	_, err := c.createRequest(spec)
	return err
}

func (c *Client) createRequest(spec ads.CampaignSpec) (map[string]any, error) {
	microsPerMinor := int64(math.Pow10(6 - money.Exponent(spec.Currency)))
	if spec.DailyBudget > math.MaxInt64/microsPerMinor {
		return nil, &ads.InputError{Field: "dailyBudget", Message: "the daily budget is too large"}
	}
	keywords, err := parseKeywords(spec.Keywords)
	if err != nil {
		return nil, err
	}
	res := func(kind, id string) string { return "customers/" + c.customerID + "/" + kind + "/" + id }
	budgetName := spec.Name + " (daily budget " + uniqueSuffix(spec) + ")" // budget names are unique per account

	campaign := map[string]any{
		"resourceName":           res("campaigns", tempCampaign),
		"name":                   spec.Name,
		"advertisingChannelType": "SEARCH",
		"status":                 "PAUSED",
		"campaignBudget":         res("campaignBudgets", tempBudget),
		"manualCpc":              map[string]any{},
		"networkSettings": map[string]any{
			"targetGoogleSearch":         true,
			"targetSearchNetwork":        true,
			"targetContentNetwork":       false,
			"targetPartnerSearchNetwork": false,
		},
		// Required on every new campaign. Political ads need a human declaration, which this product does not make.
		"containsEuPoliticalAdvertising": "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING",
	}
	if spec.UTMCampaign != "" {
		// Tags every click so that the tracking pixel attributes the visit to this campaign.
		campaign["finalUrlSuffix"] = url.Values{
			"utm_source":   {"google"},
			"utm_medium":   {"cpc"},
			"utm_campaign": {spec.UTMCampaign},
		}.Encode()
	}
	if c.version != 0 && c.version < firstDateTimeVersion {
		if spec.StartDate != nil {
			campaign["startDate"] = spec.StartDate.Format(time.DateOnly)
		}
		if spec.EndDate != nil {
			campaign["endDate"] = spec.EndDate.Format(time.DateOnly)
		}
	} else {
		if spec.StartDate != nil {
			campaign["startDateTime"] = spec.StartDate.Format(time.DateOnly) + " 00:00:00"
		}
		if spec.EndDate != nil {
			campaign["endDateTime"] = spec.EndDate.Format(time.DateOnly) + " 23:59:59"
		}
	}

	// A default bid of a twentieth of the daily budget affords about twenty clicks a day, in whole minor units since
	// bids must be multiples of the currency's billable unit.
	bid := max(spec.DailyBudget/20, 1) * microsPerMinor

	ops := []any{
		map[string]any{"campaignBudgetOperation": map[string]any{"create": map[string]any{
			"resourceName":     res("campaignBudgets", tempBudget),
			"name":             budgetName,
			"amountMicros":     strconv.FormatInt(spec.DailyBudget*microsPerMinor, 10),
			"deliveryMethod":   "STANDARD",
			"explicitlyShared": false,
		}}},
		map[string]any{"campaignOperation": map[string]any{"create": campaign}},
		map[string]any{"adGroupOperation": map[string]any{"create": map[string]any{
			"resourceName": res("adGroups", tempAdGroup),
			"name":         spec.Name + " – ad group",
			"campaign":     res("campaigns", tempCampaign),
			"status":       "ENABLED",
			"type":         "SEARCH_STANDARD",
			"cpcBidMicros": strconv.FormatInt(bid, 10),
		}}},
	}
	for _, kw := range keywords {
		ops = append(ops, map[string]any{"adGroupCriterionOperation": map[string]any{"create": map[string]any{
			"adGroup": res("adGroups", tempAdGroup),
			"status":  "ENABLED",
			"keyword": map[string]any{"text": kw.text, "matchType": kw.matchType},
		}}})
	}
	return map[string]any{
		"mutateOperations":    ops,
		"partialFailure":      false, // all or nothing
		"responseContentType": "RESOURCE_NAME_ONLY",
	}, nil
}

// uniqueSuffix tells this campaign's budget apart from others of the same name: the UTM campaign is unique per
// organization, and the time covers campaigns without one.
func uniqueSuffix(spec ads.CampaignSpec) string {
	if spec.UTMCampaign != "" {
		return spec.UTMCampaign
	}
	return strconv.FormatInt(time.Now().UnixNano(), 36)
}

type keyword struct{ text, matchType string }

func parseKeywords(in []string) ([]keyword, error) {
	seen := map[keyword]bool{}
	var out []keyword
	for i, raw := range in {
		s := strings.TrimSpace(raw)
		k := keyword{text: s, matchType: "BROAD"}
		switch {
		case len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']':
			k = keyword{text: strings.TrimSpace(s[1 : len(s)-1]), matchType: "EXACT"}
		case len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"':
			k = keyword{text: strings.TrimSpace(s[1 : len(s)-1]), matchType: "PHRASE"}
		}
		if k.text == "" {
			return nil, &ads.InputError{Field: fmt.Sprintf("keywords[%d]", i), Message: "a keyword cannot be empty"}
		}
		if seen[keyword{strings.ToLower(k.text), k.matchType}] {
			continue // Google rejects the same keyword twice in one ad group
		}
		seen[keyword{strings.ToLower(k.text), k.matchType}] = true
		out = append(out, k)
	}
	return out, nil
}
