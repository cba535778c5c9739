package meta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/marketingos/marketingos/ent/schema/jsontype"
	"github.com/marketingos/marketingos/internal/ads"
)

// goal is an ODAX objective with the ad set optimisation that fits it.
type goal struct{ objective, optimization string }

// objectives maps what a marketer may type to an objective. Without a Meta pixel configured there is no
// conversion event to optimise for, so sales and leads campaigns optimise for link clicks to the landing page,
// where the tracking pixel of this product measures the conversions.
var objectives = map[string]goal{
	"":                   {"OUTCOME_TRAFFIC", "LINK_CLICKS"},
	"TRAFFIC":            {"OUTCOME_TRAFFIC", "LINK_CLICKS"},
	"CLICKS":             {"OUTCOME_TRAFFIC", "LINK_CLICKS"},
	"LINK_CLICKS":        {"OUTCOME_TRAFFIC", "LINK_CLICKS"},
	"OUTCOME_TRAFFIC":    {"OUTCOME_TRAFFIC", "LINK_CLICKS"},
	"AWARENESS":          {"OUTCOME_AWARENESS", "REACH"},
	"BRAND_AWARENESS":    {"OUTCOME_AWARENESS", "REACH"},
	"REACH":              {"OUTCOME_AWARENESS", "REACH"},
	"OUTCOME_AWARENESS":  {"OUTCOME_AWARENESS", "REACH"},
	"ENGAGEMENT":         {"OUTCOME_ENGAGEMENT", "LINK_CLICKS"},
	"OUTCOME_ENGAGEMENT": {"OUTCOME_ENGAGEMENT", "LINK_CLICKS"},
	"LEADS":              {"OUTCOME_LEADS", "LINK_CLICKS"},
	"SIGNUPS":            {"OUTCOME_LEADS", "LINK_CLICKS"},
	"OUTCOME_LEADS":      {"OUTCOME_LEADS", "LINK_CLICKS"},
	"SALES":              {"OUTCOME_SALES", "LINK_CLICKS"},
	"CONVERSIONS":        {"OUTCOME_SALES", "LINK_CLICKS"},
	"PURCHASES":          {"OUTCOME_SALES", "LINK_CLICKS"},
	"OUTCOME_SALES":      {"OUTCOME_SALES", "LINK_CLICKS"},
}

// Meta's age bounds for ad targeting.
const (
	minAge = 13
	maxAge = 65
)

// timeLayout is the ISO 8601 form the Graph API takes for start_time and end_time.
const timeLayout = "2006-01-02T15:04:05-0700"

// CreateCampaign implements ads.Platform. It creates, in order: the campaign (PAUSED), one ad set carrying the daily
// budget and targeting, then a creative and an ad per spec creative. The ad set and ads are created ACTIVE so that
// the campaign's status alone decides delivery; nothing runs while the campaign is paused.
//
// Meta has no atomic create. When a step after the campaign fails, the campaign is deleted (which deletes its ad set
// and ads) and so are the creatives made so far, and the step's error is returned. When deleting the campaign fails
// too, the error is an *ads.PartialCreateError listing what is left.
//
// Targeting: locations must be ISO 3166 country codes; interests are looked up by name in Meta's interest catalogue
// (or given as numeric interest ids); languages are not sent, since Meta wants its own locale ids.
func (c *Client) CreateCampaign(ctx context.Context, spec ads.CampaignSpec) (ads.Created, error) {
	g, err := c.check(spec)
	if err != nil {
		return ads.Created{}, err
	}
	// Everything that can fail before the first create is done first, so that bad input leaves nothing behind.
	targeting, err := c.targeting(ctx, spec)
	if err != nil {
		return ads.Created{}, err
	}

	var resp struct {
		ID string `json:"id"`
	}
	err = c.call(ctx, "create campaign", http.MethodPost, "/"+c.account+"/campaigns", url.Values{
		"name":                  {spec.Name},
		"objective":             {g.objective},
		"status":                {"PAUSED"},
		"buying_type":           {"AUCTION"},
		"special_ad_categories": {"[]"},
		// Budgets live on the ad set, and Meta requires saying so explicitly.
		"is_adset_budget_sharing_enabled": {"false"},
	}, &resp)
	if err != nil {
		return ads.Created{}, err
	}
	if !isDigits(resp.ID) {
		return ads.Created{}, malformed("create campaign")
	}
	campaignID := resp.ID
	created := ads.Created{ExternalID: campaignID, Resources: []string{"campaigns/" + campaignID}}
	var creatives []string

	fail := func(step string, cause error) (ads.Created, error) {
		return ads.Created{}, c.rollback(ctx, created, creatives, fmt.Errorf("meta: %s: %w", step, cause))
	}

	adset := url.Values{
		"name":              {spec.Name + " – ad set"},
		"campaign_id":       {campaignID},
		"daily_budget":      {strconv.FormatInt(spec.DailyBudget, 10)}, // minor units, as Meta wants
		"billing_event":     {"IMPRESSIONS"},
		"optimization_goal": {g.optimization},
		"bid_strategy":      {"LOWEST_COST_WITHOUT_CAP"},
		"targeting":         {targeting},
		"status":            {"ACTIVE"},
	}
	if spec.StartDate != nil {
		adset.Set("start_time", ads.Day(*spec.StartDate).Format(timeLayout))
	}
	if spec.EndDate != nil {
		adset.Set("end_time", ads.Day(*spec.EndDate).Add(24*time.Hour-time.Second).Format(timeLayout)) // end of the last day
	}
	resp.ID = ""
	if err := c.call(ctx, "create ad set", http.MethodPost, "/"+c.account+"/adsets", adset, &resp); err != nil {
		return fail("create ad set", err)
	}
	if !isDigits(resp.ID) {
		return fail("create ad set", malformed("create ad set"))
	}
	adsetID := resp.ID
	created.Resources = append(created.Resources, "adsets/"+adsetID)

	for i, cr := range spec.Creatives {
		name := fmt.Sprintf("%s – creative %d", spec.Name, i+1)
		story, _ := json.Marshal(c.storySpec(cr))
		params := url.Values{"name": {name}, "object_story_spec": {string(story)}}
		if spec.UTMCampaign != "" {
			// Appended to the link of every click, so that the tracking pixel attributes the visit to this campaign.
			params.Set("url_tags", url.Values{
				"utm_source":   {"facebook"},
				"utm_medium":   {"cpc"},
				"utm_campaign": {spec.UTMCampaign},
			}.Encode())
		}
		resp.ID = ""
		if err := c.call(ctx, "create ad creative", http.MethodPost, "/"+c.account+"/adcreatives", params, &resp); err != nil {
			return fail("create ad creative", err)
		}
		if !isDigits(resp.ID) {
			return fail("create ad creative", malformed("create ad creative"))
		}
		creatives = append(creatives, resp.ID)
		created.Resources = append(created.Resources, "adcreatives/"+resp.ID)

		ref, _ := json.Marshal(map[string]string{"creative_id": resp.ID})
		resp.ID = ""
		err := c.call(ctx, "create ad", http.MethodPost, "/"+c.account+"/ads", url.Values{
			"name":     {fmt.Sprintf("%s – ad %d", spec.Name, i+1)},
			"adset_id": {adsetID},
			"creative": {string(ref)},
			"status":   {"ACTIVE"},
		}, &resp)
		if err != nil {
			return fail("create ad", err)
		}
		if !isDigits(resp.ID) {
			return fail("create ad", malformed("create ad"))
		}
		created.Resources = append(created.Resources, "ads/"+resp.ID)
	}
	return created, nil
}

// rollback deletes a half-created campaign and its creatives, and returns the error to report for cause. It runs
// even when ctx is cancelled, since leaving the campaign behind is the worse outcome; each call still has its timeout.
func (c *Client) rollback(ctx context.Context, created ads.Created, creatives []string, cause error) error {
	ctx = context.WithoutCancel(ctx)
	var ok struct {
		Success bool `json:"success"`
	}
	if err := c.call(ctx, "delete campaign", http.MethodDelete, "/"+created.ExternalID, nil, &ok); err != nil {
		return &ads.PartialCreateError{Platform: ads.Facebook, Created: created, Err: cause, Cleanup: err}
	}
	// Creatives belong to the ad account, not the campaign. One left behind serves nothing and costs nothing, so a
	// failure here does not turn the error into a partial create.
	for _, id := range creatives {
		_ = c.call(ctx, "delete ad creative", http.MethodDelete, "/"+id, nil, &ok)
	}
	return fmt.Errorf("%w (campaign %s removed)", cause, created.ExternalID)
}

// Check applies Meta's rules to a campaign before anything is created (ads.Checker).
func (c *Client) Check(spec ads.CampaignSpec) error {
	_, err := c.check(spec)
	return err
}

func (c *Client) check(spec ads.CampaignSpec) (goal, error) {
	if err := spec.Validate(); err != nil {
		return goal{}, err
	}
	g, ok := objectives[strings.ToUpper(strings.TrimSpace(spec.Objective))]
	if !ok {
		return goal{}, &ads.InputError{Field: "objective", Message: fmt.Sprintf(
			"%q is not an objective Meta campaigns can run here: use TRAFFIC, AWARENESS, ENGAGEMENT, LEADS or SALES", spec.Objective)}
	}
	if len(spec.Creatives) == 0 {
		return goal{}, &ads.InputError{Field: "creatives", Message: "a Meta campaign needs at least one creative"}
	}
	for i, cr := range spec.Creatives {
		field := fmt.Sprintf("creatives[%d]", i)
		u, err := url.Parse(cr.LinkURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return goal{}, &ads.InputError{Field: field + ".linkUrl", Message: "the link must be an http(s) URL"}
		}
		if strings.TrimSpace(cr.Headline) == "" && strings.TrimSpace(cr.Body) == "" {
			return goal{}, &ads.InputError{Field: field, Message: "a creative needs a headline or a body"}
		}
	}
	if len(spec.Targeting.Locations) == 0 {
		return goal{}, &ads.InputError{Field: "targeting.locations", Message: "a Meta campaign needs at least one country"}
	}
	for i, loc := range spec.Targeting.Locations {
		if !isCountryCode(strings.TrimSpace(loc)) {
			return goal{}, &ads.InputError{Field: fmt.Sprintf("targeting.locations[%d]", i),
				Message: fmt.Sprintf("%q is not a two-letter country code such as US", loc)}
		}
	}
	for field, age := range map[string]*int{"targeting.ageMin": spec.Targeting.AgeMin, "targeting.ageMax": spec.Targeting.AgeMax} {
		if age != nil && (*age < minAge || *age > maxAge) {
			return goal{}, &ads.InputError{Field: field, Message: fmt.Sprintf("Meta targets ages %d to %d", minAge, maxAge)}
		}
	}
	return g, nil
}

func isCountryCode(s string) bool {
	return len(s) == 2 && isLetter(s[0]) && isLetter(s[1])
}

func isLetter(b byte) bool { return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') }

// targeting builds the ad set's targeting spec as a JSON string.
func (c *Client) targeting(ctx context.Context, spec ads.CampaignSpec) (string, error) {
	t := spec.Targeting
	var countries []string
	for _, loc := range t.Locations {
		cc := strings.ToUpper(strings.TrimSpace(loc))
		if !slices.Contains(countries, cc) {
			countries = append(countries, cc)
		}
	}
	out := map[string]any{
		"geo_locations": map[string]any{"countries": countries},
		// Required since v23.0 whenever targeting departs from the defaults. 0 keeps the audience the marketer
		// chose instead of letting Meta widen it.
		"targeting_automation": map[string]any{"advantage_audience": 0},
	}
	if t.AgeMin != nil {
		out["age_min"] = *t.AgeMin
	}
	if t.AgeMax != nil {
		out["age_max"] = *t.AgeMax
	}
	var interests []map[string]string
	for i, name := range t.Interests {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		in, err := c.interest(ctx, name)
		if err != nil {
			if ie, ok := errors.AsType[*ads.InputError](err); ok {
				ie.Field = fmt.Sprintf("targeting.interests[%d]", i)
			}
			return "", err
		}
		interests = append(interests, in)
	}
	if len(interests) > 0 {
		out["interests"] = interests
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// interest finds an interest by name in Meta's catalogue: an exact (case-insensitive) match wins, otherwise Meta's
// best match. A numeric value is taken as an interest id.
func (c *Client) interest(ctx context.Context, name string) (map[string]string, error) {
	if isDigits(name) {
		return map[string]string{"id": name}, nil
	}
	var resp struct {
		Data []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"data"`
	}
	err := c.call(ctx, "search interests", http.MethodGet, "/search",
		url.Values{"type": {"adinterest"}, "q": {name}, "limit": {"10"}}, &resp)
	if err != nil {
		return nil, err
	}
	if len(resp.Data) == 0 {
		return nil, &ads.InputError{Field: "targeting.interests", Message: fmt.Sprintf("Meta knows no interest called %q", name)}
	}
	best := resp.Data[0]
	for _, d := range resp.Data {
		if strings.EqualFold(d.Name, name) {
			best = d
			break
		}
	}
	return map[string]string{"id": best.ID, "name": best.Name}, nil
}

// storySpec is the link ad a creative becomes, posted as the configured page.
func (c *Client) storySpec(cr jsontype.Creative) map[string]any {
	link := map[string]any{
		"link":           cr.LinkURL,
		"message":        cr.Body,
		"name":           cr.Headline,
		"call_to_action": map[string]any{"type": "LEARN_MORE", "value": map[string]any{"link": cr.LinkURL}},
	}
	if cr.ImageURL != nil && *cr.ImageURL != "" {
		link["picture"] = *cr.ImageURL
	}
	return map[string]any{"page_id": c.pageID, "link_data": link}
}
