package metafake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

var (
	objectives = set("OUTCOME_TRAFFIC", "OUTCOME_SALES", "OUTCOME_LEADS", "OUTCOME_ENGAGEMENT", "OUTCOME_AWARENESS",
		"OUTCOME_APP_PROMOTION")
	adCategories  = set("NONE", "HOUSING", "EMPLOYMENT", "CREDIT", "ISSUES_ELECTIONS_POLITICS", "ONLINE_GAMBLING_AND_GAMING", "FINANCIAL_PRODUCTS_SERVICES")
	statuses      = set("ACTIVE", "PAUSED")
	setStatuses   = set("ACTIVE", "PAUSED", "ARCHIVED", "DELETED")
	billingEvents = set("IMPRESSIONS", "LINK_CLICKS", "THRUPLAY", "APP_INSTALLS", "PAGE_LIKES", "POST_ENGAGEMENT")
	goals         = set("LINK_CLICKS", "LANDING_PAGE_VIEWS", "REACH", "IMPRESSIONS", "OFFSITE_CONVERSIONS",
		"POST_ENGAGEMENT", "LEAD_GENERATION", "VALUE", "THRUPLAY", "CONVERSATIONS")
	bidStrategies = set("LOWEST_COST_WITHOUT_CAP", "LOWEST_COST_WITH_BID_CAP", "COST_CAP", "LOWEST_COST_WITH_MIN_ROAS")
	insightFields = set("impressions", "clicks", "spend", "actions", "action_values", "account_currency",
		"purchase_roas", "date_start", "date_stop", "campaign_id", "campaign_name", "reach", "cpc", "ctr")
)

func set(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, s := range items {
		m[s] = true
	}
	return m
}

// newID allocates a Graph-style numeric id. The caller holds s.mu.
func (s *Server) newID() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

func (s *Server) createCampaign(w http.ResponseWriter, p map[string]any) {
	c := &Campaign{
		Name:       str(p["name"]),
		Objective:  str(p["objective"]),
		Status:     str(p["status"]),
		BuyingType: str(p["buying_type"]),
	}
	if c.Status == "" {
		c.Status = "ACTIVE"
	}
	if c.Name == "" {
		writeError(w, 400, invalid("The parameter name is required", "", ""))
		return
	}
	if !objectives[c.Objective] {
		writeError(w, 400, invalid("Objective "+c.Objective+" is invalid. Use one of: OUTCOME_APP_PROMOTION, OUTCOME_AWARENESS, OUTCOME_ENGAGEMENT, OUTCOME_LEADS, OUTCOME_SALES, OUTCOME_TRAFFIC.", "Invalid objective", "Choose a supported campaign objective."))
		return
	}
	if !statuses[c.Status] {
		writeError(w, 400, invalid("Param status must be one of {ACTIVE, PAUSED}", "", ""))
		return
	}
	cats, ok := p["special_ad_categories"].([]any)
	if !ok {
		writeError(w, 400, invalid("The parameter special_ad_categories is required", "Special ad categories required",
			"Declare whether the campaign is about credit, employment, housing or politics, or send an empty list."))
		return
	}
	for _, v := range cats {
		if !adCategories[str(v)] {
			writeError(w, 400, invalid("Param special_ad_categories contains an invalid value", "", ""))
			return
		}
		c.SpecialAdCategories = append(c.SpecialAdCategories, str(v))
	}
	if v, ok := p["daily_budget"]; ok {
		n, ok := integer(v)
		if !ok || n <= 0 {
			writeError(w, 400, invalid("Param daily_budget must be a positive integer", "", ""))
			return
		}
		c.DailyBudget = n
	}
	c.BudgetSharing = fmt.Sprint(p["is_adset_budget_sharing_enabled"])
	if c.DailyBudget == 0 && p["lifetime_budget"] == nil {
		if b := strings.ToLower(c.BudgetSharing); b != "true" && b != "false" && b != "1" && b != "0" {
			writeError(w, 400, invalid("Must specify True or False in is_adset_budget_sharing_enabled field if you are not using a campaign budget.",
				"Budget sharing not specified", "Say whether ad sets may share their budgets."))
			return
		}
	}
	c.ID = s.newID()
	s.campaigns = append(s.campaigns, c)
	writeJSON(w, 200, map[string]string{"id": c.ID})
}

func (s *Server) campaignByID(id string) *Campaign {
	for _, c := range s.campaigns {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func (s *Server) createAdSet(w http.ResponseWriter, p map[string]any) {
	a := &AdSet{
		Name:             str(p["name"]),
		CampaignID:       str(p["campaign_id"]),
		BillingEvent:     str(p["billing_event"]),
		OptimizationGoal: str(p["optimization_goal"]),
		BidStrategy:      str(p["bid_strategy"]),
		Status:           str(p["status"]),
		StartTime:        str(p["start_time"]),
		EndTime:          str(p["end_time"]),
	}
	if a.Status == "" {
		a.Status = "ACTIVE"
	}
	if a.Name == "" {
		writeError(w, 400, invalid("The parameter name is required", "", ""))
		return
	}
	c := s.campaignByID(a.CampaignID)
	if c == nil || c.Deleted {
		writeError(w, 400, invalid("Param campaign_id must be a valid campaign of this ad account", "Invalid campaign", "The campaign does not exist or was deleted."))
		return
	}
	if v, ok := p["daily_budget"]; ok {
		n, ok := integer(v)
		if !ok || n <= 0 {
			writeError(w, 400, invalid("Param daily_budget must be a positive integer in the account currency's minor unit", "Invalid budget", "Enter a valid daily budget."))
			return
		}
		a.DailyBudget = n
	}
	if a.DailyBudget == 0 && c.DailyBudget == 0 {
		if p["lifetime_budget"] == nil {
			writeError(w, 400, invalid("Either daily_budget or lifetime_budget must be set on an ad set whose campaign has no budget", "Budget required", "Your ad set needs a budget."))
			return
		}
		if a.EndTime == "" {
			writeError(w, 400, invalid("end_time is required with lifetime_budget", "", ""))
			return
		}
	}
	if !billingEvents[a.BillingEvent] {
		writeError(w, 400, invalid("The parameter billing_event is required and must be valid", "", ""))
		return
	}
	if !goals[a.OptimizationGoal] {
		writeError(w, 400, invalid("Param optimization_goal is invalid", "", ""))
		return
	}
	if a.OptimizationGoal == "OFFSITE_CONVERSIONS" && p["promoted_object"] == nil {
		writeError(w, 400, invalid("promoted_object is required for OFFSITE_CONVERSIONS", "Conversion event required", "Choose a pixel and an event."))
		return
	}
	if a.BidStrategy != "" && !bidStrategies[a.BidStrategy] {
		writeError(w, 400, invalid("Param bid_strategy is invalid", "", ""))
		return
	}
	if !statuses[a.Status] {
		writeError(w, 400, invalid("Param status must be one of {ACTIVE, PAUSED}", "", ""))
		return
	}
	if e := checkTargeting(p["targeting"]); e != nil {
		writeError(w, 400, *e)
		return
	}
	a.Targeting, _ = p["targeting"].(map[string]any)
	var start, end time.Time
	var err error
	if a.StartTime != "" {
		if start, err = graphTime(a.StartTime); err != nil {
			writeError(w, 400, invalid("Param start_time must be a valid ISO 8601 time or unix timestamp", "", ""))
			return
		}
	}
	if a.EndTime != "" {
		if end, err = graphTime(a.EndTime); err != nil {
			writeError(w, 400, invalid("Param end_time must be a valid ISO 8601 time or unix timestamp", "", ""))
			return
		}
		if !start.IsZero() && !end.After(start) {
			writeError(w, 400, invalid("end_time must be after start_time", "Invalid schedule", "The end date must be after the start date."))
			return
		}
	}
	a.ID = s.newID()
	s.adSets = append(s.adSets, a)
	writeJSON(w, 200, map[string]string{"id": a.ID})
}

// checkTargeting applies the rules of an ad set's targeting spec.
func checkTargeting(v any) *graphErr {
	fail := func(e graphErr) *graphErr { return &e }
	t, ok := v.(map[string]any)
	if !ok || len(t) == 0 {
		return fail(invalid("The parameter targeting is required", "Targeting required", "Your ad set needs an audience."))
	}
	geo, _ := t["geo_locations"].(map[string]any)
	hasPlace := false
	for _, k := range []string{"countries", "regions", "cities", "zips", "custom_locations"} {
		if list, ok := geo[k].([]any); ok && len(list) > 0 {
			hasPlace = true
		}
	}
	if !hasPlace {
		return fail(invalid("Targeting spec must include geo_locations", "Location Is Missing",
			"Your audience is missing a location. You can add a location or a Custom Audience."))
	}
	if list, ok := geo["countries"].([]any); ok {
		for _, c := range list {
			if cc := str(c); len(cc) != 2 || strings.ToUpper(cc) != cc {
				return fail(invalid("Invalid country code: "+cc, "Invalid location", "Use two-letter country codes."))
			}
		}
	}
	ageMin, hasMin := integer(t["age_min"])
	ageMax, hasMax := integer(t["age_max"])
	switch {
	case t["age_min"] != nil && (!hasMin || ageMin < 13 || ageMin > 65):
		return fail(invalid("Param age_min must be between 13 and 65", "Invalid age", "The minimum age must be between 13 and 65."))
	case t["age_max"] != nil && (!hasMax || ageMax < 13 || ageMax > 65):
		return fail(invalid("Param age_max must be between 13 and 65", "Invalid age", "The maximum age must be between 13 and 65."))
	case hasMin && hasMax && ageMin > ageMax:
		return fail(invalid("age_min must not exceed age_max", "Invalid age range", "The minimum age is above the maximum age."))
	}
	interests, hasInterests := t["interests"].([]any)
	for _, in := range interests {
		obj, _ := in.(map[string]any)
		id := fmt.Sprint(obj["id"])
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			return fail(invalid("Invalid interest id: "+id, "Invalid interest", "One of the interests is not valid."))
		}
	}
	// From v23.0 a new ad set that narrows the defaults must state the Advantage+ audience choice; the fake asks it
	// of every version.
	if hasMin || hasMax || hasInterests {
		auto, _ := t["targeting_automation"].(map[string]any)
		flag, ok := integer(auto["advantage_audience"])
		if !ok || (flag != 0 && flag != 1) {
			return fail(invalid("targeting_automation.advantage_audience must be set to 0 or 1 when the targeting narrows age or interests",
				"Advantage+ audience flag required", "Choose whether Advantage+ audience may widen your audience."))
		}
	}
	return nil
}

func (s *Server) createCreative(w http.ResponseWriter, p map[string]any) {
	c := &Creative{Name: str(p["name"]), URLTags: str(p["url_tags"])}
	spec, ok := p["object_story_spec"].(map[string]any)
	if !ok {
		writeError(w, 400, invalid("The parameter object_story_spec is required", "", ""))
		return
	}
	if str(spec["page_id"]) != PageID {
		writeError(w, 400, invalid("Param object_story_spec[page_id] must be a page the ad account may advertise for", "Invalid Facebook Page", "Choose a Page connected to this ad account."))
		return
	}
	link, ok := spec["link_data"].(map[string]any)
	if !ok {
		writeError(w, 400, invalid("object_story_spec must contain link_data", "", ""))
		return
	}
	if u, err := url.Parse(str(link["link"])); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		writeError(w, 400, invalid("Param object_story_spec[link_data][link] must be a valid URL", "Invalid link", "Enter a valid website URL."))
		return
	}
	if pic := str(link["picture"]); pic != "" {
		if u, err := url.Parse(pic); err != nil || u.Host == "" {
			writeError(w, 400, invalid("Param object_story_spec[link_data][picture] must be a valid URL", "", ""))
			return
		}
	}
	c.ObjectStorySpec = spec
	c.ID = s.newID()
	s.creatives = append(s.creatives, c)
	writeJSON(w, 200, map[string]string{"id": c.ID})
}

func (s *Server) createAd(w http.ResponseWriter, p map[string]any) {
	a := &Ad{Name: str(p["name"]), AdSetID: str(p["adset_id"]), Status: str(p["status"])}
	if a.Status == "" {
		a.Status = "ACTIVE"
	}
	if a.Name == "" {
		writeError(w, 400, invalid("The parameter name is required", "", ""))
		return
	}
	if !statuses[a.Status] {
		writeError(w, 400, invalid("Param status must be one of {ACTIVE, PAUSED}", "", ""))
		return
	}
	var set *AdSet
	for _, as := range s.adSets {
		if as.ID == a.AdSetID && !as.Deleted {
			set = as
		}
	}
	if set == nil {
		writeError(w, 400, invalid("Param adset_id must be a valid ad set", "", ""))
		return
	}
	ref, _ := p["creative"].(map[string]any)
	a.CreativeID = fmt.Sprint(ref["creative_id"])
	var creative *Creative
	for _, c := range s.creatives {
		if c.ID == a.CreativeID && !c.Deleted {
			creative = c
		}
	}
	if creative == nil {
		writeError(w, 400, invalid("Param creative must be {\"creative_id\": <id>} of an existing creative", "", ""))
		return
	}
	a.ID = s.newID()
	s.ads = append(s.ads, a)
	writeJSON(w, 200, map[string]string{"id": a.ID})
}

// update sets the status (or name) of a campaign, ad set or ad.
func (s *Server) update(w http.ResponseWriter, id string, p map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	status, name := str(p["status"]), str(p["name"])
	if status != "" && !setStatuses[status] {
		writeError(w, 400, invalid("Param status must be one of {ACTIVE, PAUSED, ARCHIVED, DELETED}", "", ""))
		return
	}
	apply := func(st, nm *string) {
		if status != "" {
			*st = status
		}
		if name != "" {
			*nm = name
		}
	}
	found := false
	for _, c := range s.campaigns {
		if c.ID == id && !c.Deleted {
			apply(&c.Status, &c.Name)
			found = true
		}
	}
	for _, a := range s.adSets {
		if a.ID == id && !a.Deleted {
			apply(&a.Status, &a.Name)
			found = true
		}
	}
	for _, a := range s.ads {
		if a.ID == id && !a.Deleted {
			apply(&a.Status, &a.Name)
			found = true
		}
	}
	if !found {
		writeError(w, 400, unsupported("post", id))
		return
	}
	writeJSON(w, 200, map[string]bool{"success": true})
}

// delete removes an object; deleting a campaign deletes its ad sets and their ads, as Graph does.
func (s *Server) delete(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	found := false
	deleteAdSet := func(a *AdSet) {
		a.Deleted, a.Status = true, "DELETED"
		for _, ad := range s.ads {
			if ad.AdSetID == a.ID {
				ad.Deleted, ad.Status = true, "DELETED"
			}
		}
	}
	for _, c := range s.campaigns {
		if c.ID == id && !c.Deleted {
			c.Deleted, c.Status, found = true, "DELETED", true
			for _, a := range s.adSets {
				if a.CampaignID == id {
					deleteAdSet(a)
				}
			}
		}
	}
	for _, a := range s.adSets {
		if a.ID == id && !a.Deleted {
			deleteAdSet(a)
			found = true
		}
	}
	for _, a := range s.ads {
		if a.ID == id && !a.Deleted {
			a.Deleted, a.Status, found = true, "DELETED", true
		}
	}
	for _, c := range s.creatives {
		if c.ID == id && !c.Deleted {
			c.Deleted, found = true, true
		}
	}
	if !found {
		writeError(w, 400, unsupported("delete", id))
		return
	}
	writeJSON(w, 200, map[string]bool{"success": true})
}

// read answers GET /{id} with the object's id, name and status.
func (s *Server) read(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.campaigns {
		if c.ID == id {
			writeJSON(w, 200, map[string]string{"id": c.ID, "name": c.Name, "status": c.Status, "objective": c.Objective})
			return
		}
	}
	for _, a := range s.adSets {
		if a.ID == id {
			writeJSON(w, 200, map[string]string{"id": a.ID, "name": a.Name, "status": a.Status, "campaign_id": a.CampaignID})
			return
		}
	}
	for _, a := range s.ads {
		if a.ID == id {
			writeJSON(w, 200, map[string]string{"id": a.ID, "name": a.Name, "status": a.Status, "adset_id": a.AdSetID})
			return
		}
	}
	writeError(w, 400, unsupported("get", id))
}

func (s *Server) search(w http.ResponseWriter, p map[string]any) {
	if str(p["type"]) != "adinterest" {
		writeError(w, 400, invalid("metafake: only type=adinterest is supported", "", ""))
		return
	}
	q := strings.ToLower(strings.TrimSpace(str(p["q"])))
	if q == "" {
		writeError(w, 400, invalid("The parameter q is required", "", ""))
		return
	}
	limit, ok := integer(p["limit"])
	if !ok || limit <= 0 {
		limit = 25
	}
	var names []string
	for name := range s.interests {
		if strings.Contains(strings.ToLower(name), q) {
			names = append(names, name)
		}
	}
	// Closest first: an exact match, then the shortest names.
	sort.Slice(names, func(i, j int) bool {
		ei, ej := strings.EqualFold(names[i], q), strings.EqualFold(names[j], q)
		if ei != ej {
			return ei
		}
		if len(names[i]) != len(names[j]) {
			return len(names[i]) < len(names[j])
		}
		return names[i] < names[j]
	})
	data := []any{}
	for _, name := range names[:min(len(names), int(limit))] {
		data = append(data, map[string]any{"id": s.interests[name], "name": name, "audience_size_lower_bound": 1000000,
			"audience_size_upper_bound": 1200000, "path": []string{"Interests", name}})
	}
	writeJSON(w, 200, map[string]any{"data": data})
}

func (s *Server) serveInsights(w http.ResponseWriter, r *http.Request, id string, p map[string]any) {
	s.mu.Lock()
	rows, hasRows := s.insights[id]
	rows = slices.Clone(rows)
	known := hasRows || s.campaignByID(id) != nil
	s.mu.Unlock()
	if !known {
		writeError(w, 400, unsupported("get", id))
		return
	}
	fields := []string{"impressions", "spend", "date_start", "date_stop"} // Graph's default
	if f := str(p["fields"]); f != "" {
		fields = strings.Split(f, ",")
		for _, name := range fields {
			if !insightFields[strings.TrimSpace(name)] {
				writeError(w, 400, invalid(fmt.Sprintf("%s is not valid for fields param.", name), "", ""))
				return
			}
		}
	}
	var since, until time.Time
	switch tr := p["time_range"].(type) {
	case map[string]any:
		var err1, err2 error
		since, err1 = time.Parse(time.DateOnly, str(tr["since"]))
		until, err2 = time.Parse(time.DateOnly, str(tr["until"]))
		if err1 != nil || err2 != nil || until.Before(since) {
			writeError(w, 400, invalid("Param time_range is invalid: expected {\"since\":\"YYYY-MM-DD\",\"until\":\"YYYY-MM-DD\"}", "", ""))
			return
		}
	case nil:
		if preset := str(p["date_preset"]); preset != "" && preset != "maximum" {
			writeError(w, 400, invalid("metafake: only date_preset=maximum or time_range is supported", "", ""))
			return
		}
	default:
		writeError(w, 400, invalid("Param time_range must be a JSON object", "", ""))
		return
	}
	var in []Insight
	for _, row := range rows {
		day := civil(row.Date)
		if !since.IsZero() && (day.Before(since) || day.After(until)) {
			continue
		}
		row.Date = day
		in = append(in, row)
	}
	sort.Slice(in, func(i, j int) bool { return in[i].Date.Before(in[j].Date) })
	switch inc := fmt.Sprint(p["time_increment"]); inc {
	case "1":
	case "<nil>", "all_days":
		in = aggregate(in, since, until)
	default:
		writeError(w, 400, invalid("metafake: only time_increment=1 or all_days is supported", "", ""))
		return
	}

	limit, ok := integer(p["limit"])
	if !ok || limit <= 0 {
		limit = int64(s.pageSize)
	}
	offset := 0
	if after := str(p["after"]); after != "" {
		raw, err := base64.StdEncoding.DecodeString(after)
		n, err2 := strconv.Atoi(string(raw))
		if err != nil || err2 != nil || n < 0 {
			writeError(w, 400, invalid("Param after is not a valid cursor", "", ""))
			return
		}
		offset = n + 1
	}
	end := min(offset+int(limit), len(in))
	data := []any{}
	for i := offset; i < end; i++ {
		data = append(data, s.renderInsight(in[i], id, fields))
	}
	resp := map[string]any{"data": data}
	if end > offset {
		paging := map[string]any{"cursors": map[string]string{
			"before": base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(offset))),
			"after":  base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(end - 1))),
		}}
		if end < len(in) {
			// Like Graph, the next link repeats every parameter, access token included.
			q := r.URL.Query()
			for k, v := range p {
				if _, inQuery := q[k]; !inQuery {
					if text, ok := v.(string); ok {
						q.Set(k, text)
					}
				}
			}
			if tr, ok := p["time_range"].(map[string]any); ok {
				b, _ := json.Marshal(tr)
				q.Set("time_range", string(b))
			}
			q.Set("after", base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(end-1))))
			q.Set("limit", strconv.FormatInt(limit, 10))
			paging["next"] = s.srv.URL + r.URL.Path + "?" + q.Encode()
		}
		resp["paging"] = paging
	}
	writeJSON(w, 200, resp)
}

func (s *Server) renderInsight(in Insight, campaignID string, fields []string) map[string]any {
	day := in.Date.Format(time.DateOnly)
	out := map[string]any{"date_start": day, "date_stop": day}
	actions := func(list []Action) []any {
		res := []any{}
		for _, a := range list {
			res = append(res, map[string]string{"action_type": a.Type, "value": a.Value})
		}
		return res
	}
	for _, f := range fields {
		switch strings.TrimSpace(f) {
		case "impressions":
			out["impressions"] = strconv.FormatInt(in.Impressions, 10)
		case "clicks":
			out["clicks"] = strconv.FormatInt(in.Clicks, 10)
		case "spend":
			out["spend"] = in.Spend
		case "actions":
			if len(in.Actions) > 0 { // Graph omits empty lists
				out["actions"] = actions(in.Actions)
			}
		case "action_values":
			if len(in.ActionValues) > 0 {
				out["action_values"] = actions(in.ActionValues)
			}
		case "account_currency":
			out["account_currency"] = s.currency
		case "campaign_id":
			out["campaign_id"] = campaignID
		}
	}
	return out
}

// aggregate sums the rows into one, as Graph does without time_increment.
func aggregate(in []Insight, since, until time.Time) []Insight {
	if len(in) == 0 {
		return nil
	}
	total := Insight{Date: since}
	if since.IsZero() {
		total.Date = in[0].Date
	}
	var spend float64
	sums := map[string]float64{}
	values := map[string]float64{}
	for _, row := range in {
		total.Impressions += row.Impressions
		total.Clicks += row.Clicks
		f, _ := strconv.ParseFloat(row.Spend, 64)
		spend += f
		for _, a := range row.Actions {
			v, _ := strconv.ParseFloat(a.Value, 64)
			sums[a.Type] += v
		}
		for _, a := range row.ActionValues {
			v, _ := strconv.ParseFloat(a.Value, 64)
			values[a.Type] += v
		}
	}
	total.Spend = strconv.FormatFloat(math.Round(spend*100)/100, 'f', -1, 64)
	for t, v := range sums {
		total.Actions = append(total.Actions, Action{t, strconv.FormatFloat(v, 'f', -1, 64)})
	}
	for t, v := range values {
		total.ActionValues = append(total.ActionValues, Action{t, strconv.FormatFloat(v, 'f', 2, 64)})
	}
	return []Insight{total}
}

func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// graphTime reads an ISO 8601 time with offset or a unix timestamp.
func graphTime(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05-0700", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time %q", s)
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return ""
}

// integer reads an integer sent as a form string or a JSON number.
func integer(v any) (int64, bool) {
	switch x := v.(type) {
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	case json.Number:
		n, err := x.Int64()
		return n, err == nil
	case float64:
		return int64(x), x == math.Trunc(x)
	}
	return 0, false
}
