package ads

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/campaign"
	"github.com/marketingos/marketingos/ent/schema/jsontype"
	"github.com/marketingos/marketingos/internal/money"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// ErrTransition means the campaign's status does not allow the operation (resuming an ENDED campaign, say).
var ErrTransition = errors.New("ads: not allowed in the campaign's current status")

// ErrNotConfigured means a real (non-mock) campaign needs a platform whose credentials are not configured.
var ErrNotConfigured = errors.New("ads: the platform's credentials are not configured")

// PlatformFailure is a platform refusing or failing an operation. Campaign is the local record it concerns.
type PlatformFailure struct {
	CampaignID string
	Err        error
}

func (e *PlatformFailure) Error() string { return e.Err.Error() }
func (e *PlatformFailure) Unwrap() error { return e.Err }

// Campaigns runs the campaign lifecycle: validation, creation on the platform, pause and resume, metrics sync.
type Campaigns struct {
	client *ent.Client
	live   map[string]Platform // configured real platforms by name; absent ones run in mock mode
	hooks  Hooks
	now    func() time.Time
	log    *slog.Logger
}

// Hooks are told what happened, after it is committed. Nil hooks are skipped.
type Hooks struct {
	// LowROI hears of a campaign whose ROI fell below zero, at most once per campaign per day.
	LowROI func(ctx context.Context, org *ent.Organization, c *ent.Campaign, p Performance)
	// Updated hears of every change to a campaign (status, performance): live dashboards.
	Updated func(ctx context.Context, c *ent.Campaign)
}

// NewCampaigns returns the lifecycle service. live holds the platforms with credentials (Google, Facebook keys);
// campaigns on the others are created in mock mode.
func NewCampaigns(client *ent.Client, live map[string]Platform, hooks Hooks, log *slog.Logger) *Campaigns {
	return &Campaigns{client: client, live: live, hooks: hooks, now: time.Now, log: log}
}

// MockMode reports whether new campaigns on platform are created in mock mode.
func (s *Campaigns) MockMode(platform string) bool { return s.live[platform] == nil }

// platformFor returns the platform that manages c: the mock for campaigns created in mock mode, whatever the
// configuration says now, since their ids exist nowhere else.
func (s *Campaigns) platformFor(name string, mock bool) (Platform, error) {
	if mock {
		return NewMock(name), nil
	}
	if p := s.live[name]; p != nil {
		return p, nil
	}
	return nil, ErrNotConfigured
}

// CreateInput is a campaign to create. Money is in major units.
type CreateInput struct {
	Platform    string
	Name        string
	ProductID   *string
	Objective   string
	DailyBudget float64
	Currency    string
	Keywords    []string
	Creatives   []jsontype.Creative
	Targeting   *jsontype.Targeting
	UTMCampaign string
	StartDate   *time.Time
	EndDate     *time.Time
}

var slugUnsafe = regexp.MustCompile(`[^a-z0-9]+`)

// Slug turns a campaign name into its default utm_campaign: "Summer Sale 2026!" → "summer-sale-2026".
func Slug(name string) string {
	return strings.Trim(slugUnsafe.ReplaceAllString(strings.ToLower(name), "-"), "-")
}

// Create validates in, records the campaign, and creates it on the platform, paused: it starts spending only when
// resumed. Invalid input is refused before anything is written or sent. When the platform fails, the local record
// is kept with status FAILED and the reason, and the platform holds nothing (Google's creation is one atomic
// mutate; the Meta client deletes what it created); a later create with the same utm_campaign replaces it.
func (s *Campaigns) Create(ctx context.Context, in CreateInput) (*ent.Campaign, error) {
	org, err := s.client.Organization.Get(ctx, viewer.OrgID(ctx))
	if err != nil {
		return nil, err
	}
	spec, err := s.validate(ctx, org, &in)
	if err != nil {
		return nil, err
	}
	mock := s.MockMode(in.Platform)
	platform, err := s.platformFor(in.Platform, mock)
	if err != nil {
		return nil, err
	}
	// The platform's own rules (Meta needs a country, Google's keyword syntax, …) are input errors too: checked
	// before anything is written or sent.
	if checker, ok := platform.(Checker); ok {
		if err := asInputError(checker.Check(spec)); err != nil {
			return nil, err
		}
	}
	c, err := s.record(ctx, in, spec, mock)
	if err != nil {
		return nil, err
	}
	created, err := platform.CreateCampaign(ctx, spec)
	// What the platform answered is recorded even if the caller has gone: a row left DRAFT without an id would
	// hold its utm_campaign for ever.
	keep := context.WithoutCancel(ctx)
	if err != nil {
		reason := err.Error()
		if uerr := s.client.Campaign.UpdateOne(c).SetStatus(campaign.StatusFAILED).SetFailureReason(reason).Exec(keep); uerr != nil {
			s.log.ErrorContext(ctx, "campaign failure not recorded", "campaign", c.ID, "error", uerr)
		}
		return nil, &PlatformFailure{CampaignID: c.ID, Err: err}
	}
	c, err = s.client.Campaign.UpdateOne(c).SetExternalID(created.ExternalID).Save(keep)
	if err != nil {
		// The platform has a paused campaign this record does not point at; say which, for reconciliation.
		s.log.ErrorContext(ctx, "campaign created on the platform but not recorded", "campaign", c.ID,
			"platform", in.Platform, "external_id", created.ExternalID, "error", err)
		return nil, err
	}
	s.updated(ctx, c)
	return c, nil
}

// record inserts the local campaign (status DRAFT), replacing a FAILED attempt that holds the same utm_campaign.
func (s *Campaigns) record(ctx context.Context, in CreateInput, spec CampaignSpec, mock bool) (*ent.Campaign, error) {
	if _, err := s.client.Campaign.Delete().
		Where(campaign.UtmCampaign(spec.UTMCampaign), campaign.StatusEQ(campaign.StatusFAILED)).
		Exec(ctx); err != nil {
		return nil, err
	}
	create := s.client.Campaign.Create().
		SetName(spec.Name).
		SetPlatform(campaign.Platform(in.Platform)).
		SetObjective(spec.Objective).
		SetDailyBudget(spec.DailyBudget).
		SetCurrency(spec.Currency).
		SetKeywords(spec.Keywords).
		SetCreatives(spec.Creatives).
		SetTargeting(spec.Targeting).
		SetUtmCampaign(spec.UTMCampaign).
		SetNillableStartDate(spec.StartDate).
		SetNillableEndDate(spec.EndDate).
		SetNillableProductID(in.ProductID).
		SetMock(mock)
	c, err := create.Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, validation.Field("utmCampaign", "%q is used by another campaign", spec.UTMCampaign)
	}
	return c, err
}

// maxNameLen matches the ent schema's bound, checked here so the platform is never called with a name that
// could not be stored.
const maxNameLen = 200

func (s *Campaigns) validate(ctx context.Context, org *ent.Organization, in *CreateInput) (CampaignSpec, error) {
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Platform != Google && in.Platform != Facebook:
		return CampaignSpec{}, validation.Field("platform", "must be GOOGLE or FACEBOOK")
	case in.Name == "":
		return CampaignSpec{}, validation.Field("name", "is required")
	case len(in.Name) > maxNameLen:
		return CampaignSpec{}, validation.Field("name", "must be at most %d characters", maxNameLen)
	}
	currency := strings.ToUpper(strings.TrimSpace(in.Currency))
	if currency == "" {
		currency = org.Currency
	}
	if !isCurrencyCode(currency) {
		return CampaignSpec{}, validation.Field("currency", "must be a three-letter ISO 4217 code")
	}
	budget, err := money.Minor(in.DailyBudget, currency)
	switch {
	case err != nil || budget <= 0:
		return CampaignSpec{}, validation.Field("dailyBudget", "must be a positive amount")
	case org.MaxDailyBudget != nil && budget > *org.MaxDailyBudget:
		return CampaignSpec{}, validation.Field("dailyBudget", "exceeds the organization's limit of %.2f",
			money.Major(*org.MaxDailyBudget, currency))
	}
	if in.Platform == Google && len(in.Keywords) == 0 {
		return CampaignSpec{}, validation.Field("keywords", "a Google campaign needs at least one keyword")
	}
	if in.Platform == Facebook {
		if len(in.Creatives) == 0 {
			return CampaignSpec{}, validation.Field("creatives", "a Meta campaign needs at least one creative")
		}
		for _, cr := range in.Creatives {
			if strings.TrimSpace(cr.Headline) == "" || strings.TrimSpace(cr.Body) == "" {
				return CampaignSpec{}, validation.Field("creatives", "every creative needs a headline and a body")
			}
			if !isHTTPURL(cr.LinkURL) {
				return CampaignSpec{}, validation.Field("creatives.linkUrl", "must be an absolute http(s) URL")
			}
		}
	}
	if in.StartDate != nil && in.EndDate != nil && in.EndDate.Before(*in.StartDate) {
		return CampaignSpec{}, validation.Field("endDate", "must not be before startDate")
	}
	if in.EndDate != nil && in.EndDate.Before(Day(s.now())) {
		return CampaignSpec{}, validation.Field("endDate", "is in the past")
	}
	utm := strings.ToLower(strings.TrimSpace(in.UTMCampaign))
	if utm == "" {
		utm = Slug(in.Name)
	}
	if utm == "" || len(utm) > maxNameLen {
		return CampaignSpec{}, validation.Field("utmCampaign", "must be 1 to %d characters", maxNameLen)
	}
	taken, err := s.client.Campaign.Query().
		Where(campaign.UtmCampaign(utm), campaign.StatusNEQ(campaign.StatusFAILED)).
		Exist(ctx)
	if err != nil {
		return CampaignSpec{}, err
	}
	if taken {
		return CampaignSpec{}, validation.Field("utmCampaign", "%q is used by another campaign", utm)
	}
	if in.ProductID != nil {
		if _, err := s.client.Product.Get(ctx, *in.ProductID); ent.IsNotFound(err) {
			return CampaignSpec{}, validation.Field("productId", "no such product")
		} else if err != nil {
			return CampaignSpec{}, err
		}
	}
	spec := CampaignSpec{
		Name: in.Name, Objective: strings.TrimSpace(in.Objective), Currency: currency, UTMCampaign: utm,
		DailyBudget: budget, Keywords: in.Keywords, Creatives: in.Creatives, StartDate: in.StartDate, EndDate: in.EndDate,
	}
	if in.Targeting != nil {
		spec.Targeting = *in.Targeting
	}
	if err := asInputError(spec.Validate()); err != nil {
		return CampaignSpec{}, err
	}
	return spec, nil
}

// Checker is implemented by platforms with rules of their own for a campaign, checked before it is created.
type Checker interface {
	Check(spec CampaignSpec) error
}

// asInputError turns the platform layer's InputError into the API's validation error.
func asInputError(err error) error {
	var ie *InputError
	if errors.As(err, &ie) {
		return validation.Field(ie.Field, "%s", ie.Message)
	}
	return err
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Pause stops an ACTIVE campaign's delivery.
func (s *Campaigns) Pause(ctx context.Context, id string) (*ent.Campaign, error) {
	return s.transition(ctx, id, campaign.StatusPAUSED, []campaign.Status{campaign.StatusACTIVE},
		func(ctx context.Context, p Platform, externalID string) error {
			return p.PauseCampaign(ctx, externalID)
		})
}

// Resume starts (DRAFT) or restarts (PAUSED) delivery.
func (s *Campaigns) Resume(ctx context.Context, id string) (*ent.Campaign, error) {
	return s.transition(ctx, id, campaign.StatusACTIVE, []campaign.Status{campaign.StatusDRAFT, campaign.StatusPAUSED},
		func(ctx context.Context, p Platform, externalID string) error {
			return p.ResumeCampaign(ctx, externalID)
		})
}

func (s *Campaigns) transition(ctx context.Context, id string, to campaign.Status, from []campaign.Status,
	call func(context.Context, Platform, string) error) (*ent.Campaign, error) {
	c, err := s.client.Campaign.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	allowed := false
	for _, f := range from {
		allowed = allowed || c.Status == f
	}
	if c.Status == to {
		return c, nil // already there: repeating the request is harmless
	}
	if !allowed || c.ExternalID == nil {
		return nil, fmt.Errorf("%w: cannot make a %s campaign %s", ErrTransition, c.Status, to)
	}
	platform, err := s.platformFor(string(c.Platform), c.Mock)
	if err != nil {
		return nil, err
	}
	if err := call(ctx, platform, *c.ExternalID); err != nil {
		return nil, &PlatformFailure{CampaignID: c.ID, Err: err}
	}
	// Only from the status we read: a concurrent transition wins and this one reports the conflict.
	n, err := s.client.Campaign.Update().
		Where(campaign.ID(c.ID), campaign.StatusEQ(c.Status)).
		SetStatus(to).
		Save(ctx)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: the campaign changed meanwhile", ErrTransition)
	}
	c, err = s.client.Campaign.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	s.updated(ctx, c)
	return c, nil
}

func (s *Campaigns) updated(ctx context.Context, c *ent.Campaign) {
	if s.hooks.Updated != nil {
		s.hooks.Updated(ctx, c)
	}
}
