package googlefake

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/marketingos/marketingos/internal/money"
)

func parseForm(body []byte) (url.Values, error) { return url.ParseQuery(string(body)) }

// Fields each create may carry (a subset of the real resources: enough to reject typos and misplaced fields the way
// the proto-JSON decoder does).
var (
	budgetFields = set("resourceName", "name", "amountMicros", "deliveryMethod", "explicitlyShared", "period",
		"totalAmountMicros", "type")
	campaignFields = set("resourceName", "name", "status", "advertisingChannelType", "advertisingChannelSubType",
		"campaignBudget", "networkSettings", "containsEuPoliticalAdvertising", "finalUrlSuffix", "trackingUrlTemplate",
		"geoTargetTypeSetting", "manualCpc", "manualCpm", "maximizeConversions", "maximizeConversionValue",
		"targetSpend", "targetCpa", "targetRoas", "biddingStrategy")
	biddingFields = []string{"manualCpc", "manualCpm", "maximizeConversions", "maximizeConversionValue",
		"targetSpend", "targetCpa", "targetRoas", "biddingStrategy"}
	adGroupFields     = set("resourceName", "name", "campaign", "status", "type", "cpcBidMicros", "finalUrlSuffix", "trackingUrlTemplate")
	criterionFields   = set("resourceName", "adGroup", "status", "keyword", "negative", "cpcBidMicros", "finalUrls")
	mutateTopFields   = set("mutateOperations", "partialFailure", "validateOnly", "responseContentType")
	operationsTop     = set("operations", "partialFailure", "validateOnly", "responseContentType")
	channelTypes      = set("SEARCH", "DISPLAY", "SHOPPING", "VIDEO", "PERFORMANCE_MAX", "DEMAND_GEN")
	campaignStatuses  = set("ENABLED", "PAUSED")
	updateStatuses    = set("ENABLED", "PAUSED", "REMOVED")
	matchTypes        = set("EXACT", "PHRASE", "BROAD")
	euPoliticalValues = set("CONTAINS_EU_POLITICAL_ADVERTISING", "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING")
)

func set(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, s := range items {
		m[s] = true
	}
	return m
}

// firstDateTimeVersion is the version where Campaign.start_date/end_date became start_date_time/end_date_time.
const firstDateTimeVersion = 23

var resourceName = regexp.MustCompile(`^customers/([0-9]+)/(campaignBudgets|campaigns|adGroups)/(-?[0-9]+)$`)

// mutation is the state of one googleAds:mutate while it is checked: nothing is stored until every operation passed.
type mutation struct {
	s        *Server
	version  string
	failures []failure
	temp     map[string]any // temporary resource name → *Budget, *Campaign or *pendingAdGroup
	budgets  []*Budget
	camps    []*Campaign
	groups   []*pendingAdGroup
	results  []map[string]any
}

type pendingAdGroup struct {
	group    AdGroup
	campaign *Campaign
	existing *adGroupRef
}

func (s *Server) serveMutate(w http.ResponseWriter, version string, body []byte) {
	req, err := decodeJSON(body)
	if err != nil {
		writeBadRequest(w, "", "Invalid JSON payload received. "+err.Error())
		return
	}
	for k := range req {
		if !mutateTopFields[k] {
			writeBadRequest(w, "", fmt.Sprintf("Invalid JSON payload received. Unknown name %q: Cannot find field.", k))
			return
		}
	}
	ops, _ := req["mutateOperations"].([]any)
	if len(ops) == 0 {
		writeStatus(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.", version,
			[]failure{{code: map[string]string{"mutateError": "OPERATION_REQUIRED"}, message: "At least one operation is required."}}, false)
		return
	}
	if pf, _ := req["partialFailure"].(bool); pf {
		writeStatus(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.", version,
			[]failure{{code: map[string]string{"requestError": "UNSUPPORTED"}, message: "googlefake: partialFailure is not supported."}}, false)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	mu := &mutation{s: s, version: version, temp: map[string]any{}}
	for i, raw := range ops {
		op, _ := raw.(map[string]any)
		if len(op) != 1 {
			writeBadRequest(w, fmt.Sprintf("mutate_operations[%d]", i), "Invalid JSON payload received. A MutateOperation sets exactly one operation.")
			return
		}
		for kind, v := range op {
			body, _ := v.(map[string]any)
			create, ok := body["create"].(map[string]any)
			if !ok || len(body) != 1 {
				writeStatus(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.", version,
					[]failure{{code: map[string]string{"requestError": "UNSUPPORTED"}, message: "googlefake: only create operations are supported in googleAds:mutate.",
						path: []any{elem("mutate_operations", i)}}}, false)
				return
			}
			var allowed map[string]bool
			switch kind {
			case "campaignBudgetOperation":
				allowed = budgetFields
			case "campaignOperation":
				allowed = campaignFields
				if vnum(version) < firstDateTimeVersion {
					allowed = with(allowed, "startDate", "endDate")
				} else {
					allowed = with(allowed, "startDateTime", "endDateTime")
				}
			case "adGroupOperation":
				allowed = adGroupFields
			case "adGroupCriterionOperation":
				allowed = criterionFields
			default:
				writeStatus(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.", version,
					[]failure{{code: map[string]string{"requestError": "UNSUPPORTED"}, message: "googlefake: " + kind + " is not supported.",
						path: []any{elem("mutate_operations", i)}}}, false)
				return
			}
			for k := range create {
				if !allowed[k] {
					field := fmt.Sprintf("mutate_operations[%d].%s.create", i, snake(kind))
					writeBadRequest(w, field, fmt.Sprintf("Invalid JSON payload received. Unknown name %q at '%s': Cannot find field.", k, field))
					return
				}
			}
			switch kind {
			case "campaignBudgetOperation":
				mu.budget(i, create)
			case "campaignOperation":
				mu.campaign(i, create)
			case "adGroupOperation":
				mu.adGroup(i, create)
			case "adGroupCriterionOperation":
				mu.criterion(i, create)
			}
		}
	}
	if len(mu.failures) > 0 {
		writeStatus(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.", version, mu.failures, false)
		return
	}
	mu.commit()
	if vo, _ := req["validateOnly"].(bool); vo {
		writeJSON(w, http.StatusOK, map[string]any{})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"mutateOperationResponses": mu.results})
}

func (m *mutation) fail(code map[string]string, message string, path ...any) {
	m.failures = append(m.failures, failure{code: code, message: message, path: path})
}

func (m *mutation) required(i int, op, field string) {
	m.fail(map[string]string{"fieldError": "REQUIRED"}, "The required field was not present.",
		elem("mutate_operations", i), elem(op, -1), elem("create", -1), elem(field, -1))
}

func (m *mutation) newID() string {
	m.s.nextID++
	return strconv.FormatInt(m.s.nextID, 10)
}

// name resolves the resource name given on create: a temporary id is remembered so later operations can refer to it.
func (m *mutation) claim(i int, op string, create map[string]any, kind string, obj any) {
	rn, _ := create["resourceName"].(string)
	if rn == "" {
		return
	}
	p := resourceName.FindStringSubmatch(rn)
	if p == nil || p[2] != kind || p[1] != m.s.customerID || !strings.HasPrefix(p[3], "-") {
		m.fail(map[string]string{"resourceNameError": "MALFORMED"}, "The resource name is malformed: a create may only name a temporary (negative) id of this customer.",
			elem("mutate_operations", i), elem(op, -1), elem("create", -1), elem("resource_name", -1))
		return
	}
	if _, dup := m.temp[rn]; dup {
		m.fail(map[string]string{"mutateError": "DUPLICATE_TEMP_ID"}, "Temporary resource name used twice.", elem("mutate_operations", i))
		return
	}
	m.temp[rn] = obj
}

func (m *mutation) budget(i int, create map[string]any) {
	const op = "campaign_budget_operation"
	b := &Budget{DeliveryMethod: str(create["deliveryMethod"])}
	b.Name = str(create["name"])
	b.ExplicitlyShared, _ = create["explicitlyShared"].(bool)
	if b.Name == "" {
		m.required(i, op, "name")
	} else if m.budgetNameTaken(b.Name) {
		m.fail(map[string]string{"campaignBudgetError": "DUPLICATE_NAME"}, "Budget with this name already exists.",
			elem("mutate_operations", i), elem(op, -1), elem("create", -1), elem("name", -1))
	}
	amount, ok := int64Field(create["amountMicros"])
	switch {
	case create["amountMicros"] == nil:
		m.required(i, op, "amount_micros")
	case !ok || amount <= 0:
		m.fail(map[string]string{"campaignBudgetError": "MONEY_AMOUNT_LESS_THAN_CURRENCY_MINIMUM_CPC"}, "The budget amount is too low.",
			elem("mutate_operations", i), elem(op, -1), elem("create", -1), elem("amount_micros", -1))
	case amount%int64(math.Pow10(6-money.Exponent(m.s.currency))) != 0:
		m.fail(map[string]string{"campaignBudgetError": "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT"}, "The budget amount must be a multiple of the account currency's minimum unit.",
			elem("mutate_operations", i), elem(op, -1), elem("create", -1), elem("amount_micros", -1))
	}
	b.AmountMicros = amount
	m.claim(i, op, create, "campaignBudgets", b)
	m.budgets = append(m.budgets, b)
	m.results = append(m.results, map[string]any{"campaignBudgetResult": nil})
}

func (m *mutation) budgetNameTaken(name string) bool {
	for _, b := range m.s.budgets {
		if b.Name == name {
			return true
		}
	}
	for _, b := range m.budgets {
		if b.Name == name {
			return true
		}
	}
	return false
}

func (m *mutation) campaign(i int, create map[string]any) {
	const op = "campaign_operation"
	at := func(field string) []any {
		return []any{elem("mutate_operations", i), elem(op, -1), elem("create", -1), elem(field, -1)}
	}
	c := &Campaign{
		Name:                   str(create["name"]),
		Status:                 str(create["status"]),
		ChannelType:            str(create["advertisingChannelType"]),
		EUPoliticalAdvertising: str(create["containsEuPoliticalAdvertising"]),
		FinalURLSuffix:         str(create["finalUrlSuffix"]),
		NetworkSettings:        map[string]bool{},
	}
	if c.Status == "" {
		c.Status = "ENABLED"
	}
	if c.Name == "" {
		m.required(i, op, "name")
	} else if m.campaignNameTaken(c.Name) {
		m.fail(map[string]string{"campaignError": "DUPLICATE_CAMPAIGN_NAME"}, "A campaign with this name already exists.", at("name")...)
	}
	if c.ChannelType == "" {
		m.required(i, op, "advertising_channel_type")
	} else if !channelTypes[c.ChannelType] {
		m.fail(map[string]string{"fieldError": "INVALID_VALUE"}, "The field's value is invalid.", at("advertising_channel_type")...)
	}
	if !campaignStatuses[c.Status] {
		m.fail(map[string]string{"fieldError": "INVALID_VALUE"}, "The field's value is invalid.", at("status")...)
	}
	switch budgetRef := str(create["campaignBudget"]); {
	case budgetRef == "":
		m.required(i, op, "campaign_budget")
	default:
		if b, ok := m.temp[budgetRef].(*Budget); ok {
			c.Budget = *b // fixed up with the real resource name on commit
			c.Budget.ResourceName = budgetRef
		} else if b, ok := m.s.budgets[budgetRef]; ok {
			c.Budget = *b
		} else {
			m.fail(map[string]string{"mutateError": "RESOURCE_NOT_FOUND"}, "The requested resource was not found.", at("campaign_budget")...)
		}
	}
	var bidding []string
	for _, f := range biddingFields {
		if _, ok := create[f]; ok {
			bidding = append(bidding, f)
		}
	}
	switch len(bidding) {
	case 0:
		m.fail(map[string]string{"fieldError": "REQUIRED"}, "A bidding strategy is required (one of manualCpc, maximizeConversions, targetSpend, …).", at("campaign_bidding_strategy")...)
	case 1:
		c.Bidding = bidding[0]
	default:
		m.fail(map[string]string{"fieldError": "ONEOF_ALREADY_SET"}, "Only one bidding strategy may be set.", at(snake(bidding[1]))...)
	}
	switch {
	case c.EUPoliticalAdvertising == "":
		m.required(i, op, "contains_eu_political_advertising")
	case !euPoliticalValues[c.EUPoliticalAdvertising]:
		m.fail(map[string]string{"fieldError": "INVALID_VALUE"}, "The field's value is invalid.", at("contains_eu_political_advertising")...)
	}
	if ns, ok := create["networkSettings"].(map[string]any); ok {
		for k, v := range ns {
			b, _ := v.(bool)
			c.NetworkSettings[k] = b
		}
	}
	startField, endField, layout, endLayout := "startDateTime", "endDateTime", time.DateTime, time.DateTime
	if vnum(m.version) < firstDateTimeVersion {
		startField, endField, layout, endLayout = "startDate", "endDate", time.DateOnly, time.DateOnly
	}
	c.Start, c.End = str(create[startField]), str(create[endField])
	var start, end time.Time
	var err error
	if c.Start != "" {
		if start, err = time.Parse(layout, c.Start); err != nil {
			m.fail(map[string]string{"dateError": "INVALID_FIELD_VALUES_IN_DATE"}, "The date or time is not in the expected format.", at(snake(startField))...)
		}
	}
	if c.End != "" {
		if end, err = time.Parse(endLayout, c.End); err != nil {
			m.fail(map[string]string{"dateError": "INVALID_FIELD_VALUES_IN_DATE"}, "The date or time is not in the expected format.", at(snake(endField))...)
		} else if !start.IsZero() && end.Before(start) {
			m.fail(map[string]string{"dateRangeError": "END_DATE_BEFORE_START_DATE"}, "The end date is before the start date.", at(snake(endField))...)
		}
	}
	m.claim(i, op, create, "campaigns", c)
	m.camps = append(m.camps, c)
	m.results = append(m.results, map[string]any{"campaignResult": nil})
}

func (m *mutation) campaignNameTaken(name string) bool {
	for _, c := range m.s.campaigns {
		if c.Name == name && c.Status != "REMOVED" {
			return true
		}
	}
	for _, c := range m.camps {
		if c.Name == name {
			return true
		}
	}
	return false
}

func (m *mutation) adGroup(i int, create map[string]any) {
	const op = "ad_group_operation"
	at := func(field string) []any {
		return []any{elem("mutate_operations", i), elem(op, -1), elem("create", -1), elem(field, -1)}
	}
	g := &pendingAdGroup{group: AdGroup{Name: str(create["name"]), Status: str(create["status"]), Type: str(create["type"])}}
	if g.group.Status == "" {
		g.group.Status = "ENABLED"
	}
	if g.group.Name == "" {
		m.required(i, op, "name")
	}
	if v, ok := create["cpcBidMicros"]; ok {
		bid, ok := int64Field(v)
		if !ok || bid <= 0 {
			m.fail(map[string]string{"fieldError": "INVALID_VALUE"}, "The field's value is invalid.", at("cpc_bid_micros")...)
		}
		g.group.CPCBidMicros = bid
	}
	switch ref := str(create["campaign"]); {
	case ref == "":
		m.required(i, op, "campaign")
	default:
		if c, ok := m.temp[ref].(*Campaign); ok {
			g.campaign = c
		} else if c := m.s.campaignByResource(ref); c != nil {
			g.campaign = c
		} else {
			m.fail(map[string]string{"mutateError": "RESOURCE_NOT_FOUND"}, "The requested resource was not found.", at("campaign")...)
		}
	}
	m.claim(i, op, create, "adGroups", g)
	m.groups = append(m.groups, g)
	m.results = append(m.results, map[string]any{"adGroupResult": nil})
}

func (m *mutation) criterion(i int, create map[string]any) {
	const op = "ad_group_criterion_operation"
	at := func(field string) []any {
		return []any{elem("mutate_operations", i), elem(op, -1), elem("create", -1), elem(field, -1)}
	}
	k := Keyword{Status: str(create["status"])}
	if k.Status == "" {
		k.Status = "ENABLED"
	}
	kw, ok := create["keyword"].(map[string]any)
	if !ok {
		m.required(i, op, "keyword")
	} else {
		k.Text, k.MatchType = str(kw["text"]), str(kw["matchType"])
		switch {
		case strings.TrimSpace(k.Text) == "":
			m.fail(map[string]string{"criterionError": "KEYWORD_TEXT_EMPTY"}, "Keyword text is empty.", at("keyword")...)
		case len([]rune(k.Text)) > 80:
			m.fail(map[string]string{"criterionError": "KEYWORD_TEXT_TOO_LONG"}, "Keyword text is too long.", at("keyword")...)
		}
		if !matchTypes[k.MatchType] {
			m.fail(map[string]string{"fieldError": "REQUIRED"}, "The keyword match type is missing or invalid.", at("keyword")...)
		}
	}
	var target *pendingAdGroup
	switch ref := str(create["adGroup"]); {
	case ref == "":
		m.required(i, op, "ad_group")
	default:
		if g, ok := m.temp[ref].(*pendingAdGroup); ok {
			target = g
		} else if existing, ok := m.s.adGroups[ref]; ok {
			target = &pendingAdGroup{existing: existing}
			m.groups = append(m.groups, target)
		} else {
			m.fail(map[string]string{"mutateError": "RESOURCE_NOT_FOUND"}, "The requested resource was not found.", at("ad_group")...)
		}
	}
	if target != nil {
		target.group.Keywords = append(target.group.Keywords, k)
	}
	m.results = append(m.results, map[string]any{"adGroupCriterionResult": target})
}

// commit stores the checked objects with real ids and fills in the results, in operation order.
func (m *mutation) commit() {
	s := m.s
	rn := func(kind, id string) string { return "customers/" + s.customerID + "/" + kind + "/" + id }
	realBudget := map[string]*Budget{}
	for _, b := range m.budgets {
		tempName := ""
		for name, obj := range m.temp {
			if obj == b {
				tempName = name
			}
		}
		b.ResourceName = rn("campaignBudgets", m.newID())
		s.budgets[b.ResourceName] = b
		if tempName != "" {
			realBudget[tempName] = b
		}
	}
	for _, c := range m.camps {
		if b, ok := realBudget[c.Budget.ResourceName]; ok {
			c.Budget = *b
		}
		c.ID = m.newID()
		c.ResourceName = rn("campaigns", c.ID)
		s.campaigns = append(s.campaigns, c)
	}
	criteria := map[*pendingAdGroup][]string{}
	for _, g := range m.groups {
		if g.existing != nil {
			eg := &g.existing.campaign.AdGroups[g.existing.index]
			groupID := eg.ResourceName[strings.LastIndexByte(eg.ResourceName, '/')+1:]
			for _, k := range g.group.Keywords {
				k.ResourceName = rn("adGroupCriteria", groupID+"~"+m.newID())
				eg.Keywords = append(eg.Keywords, k)
				criteria[g] = append(criteria[g], k.ResourceName)
			}
			continue
		}
		groupID := m.newID()
		g.group.ResourceName = rn("adGroups", groupID)
		for j := range g.group.Keywords {
			g.group.Keywords[j].ResourceName = rn("adGroupCriteria", groupID+"~"+m.newID())
			criteria[g] = append(criteria[g], g.group.Keywords[j].ResourceName)
		}
		g.campaign.AdGroups = append(g.campaign.AdGroups, g.group)
		s.adGroups[g.group.ResourceName] = &adGroupRef{campaign: g.campaign, index: len(g.campaign.AdGroups) - 1}
	}
	var bi, ci, gi int
	used := map[*pendingAdGroup]int{}
	for _, res := range m.results {
		for kind, v := range res {
			var name string
			switch kind {
			case "campaignBudgetResult":
				name = m.budgets[bi].ResourceName
				bi++
			case "campaignResult":
				name = m.camps[ci].ResourceName
				ci++
			case "adGroupResult":
				for gi < len(m.groups) && m.groups[gi].existing != nil {
					gi++
				}
				name = m.groups[gi].group.ResourceName
				gi++
			case "adGroupCriterionResult":
				g := v.(*pendingAdGroup)
				name = criteria[g][used[g]]
				used[g]++
			}
			res[kind] = map[string]any{"resourceName": name}
		}
	}
}

func (s *Server) campaignByResource(name string) *Campaign {
	for _, c := range s.campaigns {
		if c.ResourceName == name {
			return c
		}
	}
	return nil
}

// serveCampaigns handles campaigns:mutate updates, the way a campaign is paused, resumed or removed.
func (s *Server) serveCampaigns(w http.ResponseWriter, version string, body []byte) {
	req, err := decodeJSON(body)
	if err != nil {
		writeBadRequest(w, "", "Invalid JSON payload received. "+err.Error())
		return
	}
	for k := range req {
		if !operationsTop[k] {
			writeBadRequest(w, "", fmt.Sprintf("Invalid JSON payload received. Unknown name %q: Cannot find field.", k))
			return
		}
	}
	ops, _ := req["operations"].([]any)
	if len(ops) == 0 {
		writeStatus(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.", version,
			[]failure{{code: map[string]string{"mutateError": "OPERATION_REQUIRED"}, message: "At least one operation is required."}}, false)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	type change struct {
		c      *Campaign
		status string
		name   string
	}
	var changes []change
	var failures []failure
	for i, raw := range ops {
		op, _ := raw.(map[string]any)
		update, ok := op["update"].(map[string]any)
		if !ok {
			failures = append(failures, failure{code: map[string]string{"requestError": "UNSUPPORTED"},
				message: "googlefake: only update operations are supported in campaigns:mutate.", path: []any{elem("operations", i)}})
			continue
		}
		c := s.campaignByResource(str(update["resourceName"]))
		if c == nil {
			failures = append(failures, failure{code: map[string]string{"mutateError": "RESOURCE_NOT_FOUND"},
				message: "The requested resource was not found.", path: []any{elem("operations", i), elem("update", -1), elem("resource_name", -1)}})
			continue
		}
		mask := str(op["updateMask"])
		if mask == "" {
			failures = append(failures, failure{code: map[string]string{"fieldMaskError": "FIELD_MASK_MISSING"},
				message: "The field mask must be set for an update.", path: []any{elem("operations", i), elem("update_mask", -1)}})
			continue
		}
		ch := change{c: c}
		for _, f := range strings.Split(mask, ",") {
			switch f = strings.TrimSpace(f); f {
			case "status":
				ch.status = str(update["status"])
				if !updateStatuses[ch.status] {
					failures = append(failures, failure{code: map[string]string{"fieldError": "INVALID_VALUE"},
						message: "The field's value is invalid.", path: []any{elem("operations", i), elem("update", -1), elem("status", -1)}})
				}
			case "name":
				ch.name = str(update["name"])
			default:
				failures = append(failures, failure{code: map[string]string{"fieldMaskError": "FIELD_NOT_FOUND"},
					message: "googlefake: field " + f + " cannot be updated here.", path: []any{elem("operations", i), elem("update_mask", -1)}})
			}
		}
		changes = append(changes, ch)
	}
	if len(failures) > 0 {
		writeStatus(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.", version, failures, false)
		return
	}
	results := make([]any, 0, len(changes))
	for _, ch := range changes {
		if ch.status != "" {
			ch.c.Status = ch.status
		}
		if ch.name != "" {
			ch.c.Name = ch.name
		}
		results = append(results, map[string]any{"resourceName": ch.c.ResourceName})
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

func elem(name string, index int) map[string]any {
	if index < 0 {
		return map[string]any{"fieldName": name}
	}
	return map[string]any{"fieldName": name, "index": index}
}

func with(m map[string]bool, extra ...string) map[string]bool {
	out := make(map[string]bool, len(m)+len(extra))
	for k := range m {
		out[k] = true
	}
	for _, k := range extra {
		out[k] = true
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// int64Field reads an int64 sent as a JSON string or number, as the API accepts both.
func int64Field(v any) (int64, bool) {
	switch x := v.(type) {
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	case json.Number:
		n, err := x.Int64()
		return n, err == nil
	}
	return 0, false
}

func vnum(version string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(version, "v"))
	return n
}

// snake turns a JSON name into the proto field name the API uses in error locations.
func snake(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
