package ads

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// maxMockRange keeps a mistaken range (year 1 to year 9999) from building millions of rows.
const maxMockRange = 3660 * 24 * time.Hour

// mock stands in for a platform without credentials. It keeps no state, so that its numbers survive a restart and
// agree between instances behind a load balancer.
type mock struct {
	name   string
	prefix string
	now    func() time.Time
}

// NewMock returns the offline stand-in for platform (Google or Facebook). Campaign ids look like google_mock_<n> or
// fb_mock_<n>, and daily metrics are plausible numbers derived from the campaign id and the date alone, so that every
// sync returns the same rows. It panics on any other platform name, a programming error.
func NewMock(platform string) Platform {
	switch platform {
	case Google:
		return &mock{name: Google, prefix: "google_mock_", now: time.Now}
	case Facebook:
		return &mock{name: Facebook, prefix: "fb_mock_", now: time.Now}
	}
	panic(fmt.Sprintf("ads: no mock for platform %q", platform))
}

func (m *mock) Name() string { return m.name }
func (m *mock) Mock() bool   { return true }

func (m *mock) CreateCampaign(ctx context.Context, spec CampaignSpec) (Created, error) {
	if err := ctx.Err(); err != nil {
		return Created{}, err
	}
	if err := spec.Validate(); err != nil {
		return Created{}, err
	}
	// A random 63-bit number: unique across restarts and instances without coordination.
	// The daily budget rides in the id ("google_mock_123-b4000"): the mock keeps no state, yet its metrics must not
	// spend more a day than the campaign allows.
	id := m.prefix + strconv.FormatUint(rand.Uint64()>>1, 10) + budgetMark + strconv.FormatInt(spec.DailyBudget, 10)
	return Created{ExternalID: id, Resources: []string{id}}, nil
}

func (m *mock) PauseCampaign(ctx context.Context, externalID string) error {
	return m.check(ctx, externalID)
}

func (m *mock) ResumeCampaign(ctx context.Context, externalID string) error {
	return m.check(ctx, externalID)
}

func (m *mock) check(ctx context.Context, externalID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !strings.HasPrefix(externalID, m.prefix) {
		return &InputError{Field: "externalId", Message: fmt.Sprintf("%q is not a %s mock campaign", externalID, m.name)}
	}
	return nil
}

// DailyMetrics returns a row for every day of the range up to today (UTC): the future has no data yet.
func (m *mock) DailyMetrics(ctx context.Context, externalID string, from, to time.Time) ([]DailyMetric, error) {
	if err := m.check(ctx, externalID); err != nil {
		return nil, err
	}
	first, last, err := CheckRange(from, to)
	if err != nil {
		return nil, err
	}
	if last.Sub(first) > maxMockRange {
		return nil, &InputError{Field: "from", Message: "the range is longer than ten years"}
	}
	if today := Day(m.now().UTC()); last.After(today) {
		last = today
	}
	var rows []DailyMetric
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		rows = append(rows, mockDay(externalID, d))
	}
	return rows, nil
}

// mockDay draws one day's numbers from a generator seeded by (campaign, day). Amounts are picked in minor units, so
// they are plausible in any currency: 20–200 per click is $0.20–$2.00, or ¥20–¥200.
func mockDay(externalID string, day time.Time) DailyMetric {
	h := fnv.New64a()
	h.Write([]byte(externalID))
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(day.Unix()))
	h.Write(buf[:])
	seed := h.Sum64()
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))

	impressions := 500 + r.Int64N(4501) // 500–5000
	ctr := 0.01 + 0.04*r.Float64()      // 1–5 %
	clicks := int64(math.Round(float64(impressions) * ctr))
	cpc := 20 + r.Int64N(181)           // 20–200 minor units
	convRate := 0.02 + 0.08*r.Float64() // 2–10 % of clicks
	conversions := math.Floor(float64(clicks) * convRate)
	orderValue := 1500 + r.Int64N(8501) // 15–100 major units
	if budget := mockBudget(externalID); budget > 0 && clicks*cpc > budget {
		// Delivery stops when the day's budget is spent: fewer clicks, and the conversions they bring.
		spent := int64(float64(budget) * (0.7 + 0.3*r.Float64()))
		ratio := float64(spent/cpc) / float64(clicks)
		clicks = spent / cpc
		conversions = math.Floor(conversions * ratio)
	}
	return DailyMetric{
		Date:            day,
		Impressions:     impressions,
		Clicks:          clicks,
		Conversions:     conversions,
		Cost:            clicks * cpc,
		ConversionValue: int64(conversions) * orderValue,
	}
}

// budgetMark separates a mock id from the daily budget (minor units) it carries.
const budgetMark = "-b"

// mockBudget reads the daily budget a mock id carries, or 0 for ids made before it did.
func mockBudget(externalID string) int64 {
	_, b, ok := strings.Cut(externalID, budgetMark)
	if !ok {
		return 0
	}
	n, _ := strconv.ParseInt(b, 10, 64)
	return n
}
