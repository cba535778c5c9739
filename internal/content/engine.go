package content

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/marketingos/marketingos/ent"
	entcontent "github.com/marketingos/marketingos/ent/content"
	"github.com/marketingos/marketingos/ent/organization"
	"github.com/marketingos/marketingos/ent/product"
	"github.com/marketingos/marketingos/ent/schema/jsontype"
	"github.com/marketingos/marketingos/internal/period"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// ErrTransition means the content's status does not allow the operation (publishing a REJECTED post, say).
var ErrTransition = errors.New("content: not allowed in the content's current status")

// Failure is a generation or publication that failed. The content is kept, FAILED, with the reason.
type Failure struct {
	ContentID string
	Err       error
}

func (e *Failure) Error() string { return e.Err.Error() }
func (e *Failure) Unwrap() error { return e.Err }

// recentPosts is how many recent posts the generator sees and the duplicate guard compares against.
const recentPosts = 20

// EngineHooks hear what happened, after it is committed. Nil hooks are skipped.
type EngineHooks struct {
	Published func(ctx context.Context, org *ent.Organization, c *ent.Content)
	Updated   func(ctx context.Context, c *ent.Content)
}

// Engine runs the content flow: generate → guard → (auto-)publish, with every step recorded on the Content row.
type Engine struct {
	client *ent.Client
	// postgres says whether the database locks rows with FOR UPDATE (PostgreSQL) or serialises every writer
	// (SQLite).
	postgres bool
	gen      Generator
	pub      Publisher
	hooks    EngineHooks
	now      func() time.Time
	log      *slog.Logger
}

// NewEngine returns the content flow over a generator and a publisher. dialect is the database's (ent's dialect
// name).
func NewEngine(client *ent.Client, dialect string, gen Generator, pub Publisher, hooks EngineHooks, log *slog.Logger) *Engine {
	return &Engine{client: client, postgres: dialect == "postgres", gen: gen, pub: pub, hooks: hooks, now: time.Now, log: log}
}

// GenerateInput asks for one post about a product.
type GenerateInput struct {
	ProductID string
	Kind      string
	Platforms []string
}

// Generate writes, guards and (when the product auto-publishes and the score reaches the organization's
// threshold) publishes one post now. A manual request is not limited by the daily cap, which paces the scheduler.
func (e *Engine) Generate(ctx context.Context, in GenerateInput) (*ent.Content, error) {
	org, err := e.client.Organization.Get(ctx, viewer.OrgID(ctx))
	if err != nil {
		return nil, err
	}
	p, err := e.client.Product.Get(ctx, in.ProductID)
	if ent.IsNotFound(err) {
		return nil, validation.Field("productId", "no such product")
	}
	if err != nil {
		return nil, err
	}
	platforms, err := checkPlatforms(in.Platforms)
	if err != nil {
		return nil, err
	}
	kind := strings.ToLower(strings.TrimSpace(in.Kind))
	if len(kind) > 50 {
		return nil, validation.Field("kind", "must be at most 50 characters")
	}
	c, err := e.reserve(ctx, p, platforms, kind)
	if err != nil {
		return nil, err
	}
	return e.fill(ctx, org, p, c, platforms)
}

func checkPlatforms(in []string) ([]string, error) {
	if len(in) == 0 {
		return slices.Clone(Platforms), nil
	}
	out := make([]string, 0, len(in))
	for _, p := range in {
		p = strings.ToUpper(strings.TrimSpace(p))
		if !slices.Contains(Platforms, p) {
			return nil, validation.Field("platforms", "%q is not one of %s", p, strings.Join(Platforms, ", "))
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// reserve records the post to come as DRAFT, before the slow generation, so that it counts against the cap and is
// never lost: whatever happens next updates this row.
func (e *Engine) reserve(ctx context.Context, p *ent.Product, platforms []string, kind string) (*ent.Content, error) {
	return e.client.Content.Create().
		SetProductID(p.ID).
		SetType(entcontent.TypeSOCIAL).
		SetPlatform(entcontent.Platform(platforms[0])).
		SetKind(kind).
		SetStatus(entcontent.StatusDRAFT).
		Save(ctx)
}

// fill generates the reserved post, guards it and publishes it when allowed.
func (e *Engine) fill(ctx context.Context, org *ent.Organization, p *ent.Product, c *ent.Content, platforms []string) (*ent.Content, error) {
	recent, kinds, err := e.recent(ctx, c.ID)
	if err != nil {
		return nil, e.fail(ctx, c, err)
	}
	kind := c.Kind
	if kind == "" {
		kind = NextKind(kinds)
	}
	draft, err := e.gen.Generate(ctx, Request{Product: productOf(p), Kind: kind, Platforms: platforms, Recent: recent})
	if err != nil {
		return nil, e.fail(ctx, c, fmt.Errorf("generation failed: %w", err))
	}
	verdict := Check(draft, recent)
	c, err = c.Update().
		SetTitle(validation.Truncate(draft.Title, 300)).
		SetHook(validation.Truncate(draft.Hook, 500)).
		SetKind(validation.Truncate(draft.Kind, 50)).
		SetVariants(draft.Variants).
		SetGuardsScore(verdict.Score).
		SetGuardIssues(verdict.Issues).
		SetGenerator(draft.Generator).
		SetStatus(entcontent.StatusREADY).
		ClearFailureReason().
		Save(ctx)
	if err != nil {
		return nil, err
	}
	e.updated(ctx, c)
	if !p.AutoPublish || verdict.Score < org.AutoPublishThreshold {
		return c, nil // READY: a person decides
	}
	return e.publish(ctx, org, c, entcontent.StatusAUTO_PUBLISHED)
}

// recent returns the texts of the organization's latest posts (not counting exclude) and their kinds, oldest first.
func (e *Engine) recent(ctx context.Context, exclude string) ([]string, []string, error) {
	list, err := e.client.Content.Query().
		Where(entcontent.IDNEQ(exclude), entcontent.StatusNEQ(entcontent.StatusREJECTED), entcontent.VariantsNotNil()).
		Order(ent.Desc(entcontent.FieldCreatedAt)).
		Limit(recentPosts).
		All(ctx)
	if err != nil {
		return nil, nil, err
	}
	var texts, kinds []string
	for i := len(list) - 1; i >= 0; i-- {
		kinds = append(kinds, list[i].Kind)
		for _, v := range list[i].Variants {
			texts = append(texts, Render(v))
		}
	}
	return texts, kinds, nil
}

// Publish publishes a READY post (or retries a FAILED one). Publishing a published post changes nothing.
func (e *Engine) Publish(ctx context.Context, id string) (*ent.Content, error) {
	c, err := e.client.Content.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	switch c.Status {
	case entcontent.StatusPUBLISHED, entcontent.StatusAUTO_PUBLISHED:
		return c, nil
	case entcontent.StatusREADY, entcontent.StatusFAILED:
		if len(c.Variants) == 0 {
			return nil, fmt.Errorf("%w: the post has no text yet; generate it again", ErrTransition)
		}
	default:
		return nil, fmt.Errorf("%w: cannot publish a %s post", ErrTransition, c.Status)
	}
	org, err := e.client.Organization.Get(ctx, c.OrganizationID)
	if err != nil {
		return nil, err
	}
	return e.publish(ctx, org, c, entcontent.StatusPUBLISHED)
}

func (e *Engine) publish(ctx context.Context, org *ent.Organization, c *ent.Content, status entcontent.Status) (*ent.Content, error) {
	res, err := e.pub.Publish(ctx, Post{ContentID: c.ID, Variants: c.Variants, ScheduledAt: c.ScheduledAt})
	if err != nil {
		return nil, e.fail(ctx, c, fmt.Errorf("publishing failed: %w", err))
	}
	upd := c.Update().
		SetStatus(status).
		SetExternalPostID(validation.Truncate(res.ExternalID, 200)).
		SetPublishedAt(e.now()).
		ClearFailureReason()
	if len(res.Rejected) > 0 {
		upd.SetFailureReason(validation.Truncate(fmt.Sprintf("some platforms refused the post: %v", res.Rejected), 2000))
	}
	c, err = upd.Save(ctx)
	if err != nil {
		return nil, err
	}
	if e.hooks.Published != nil {
		e.hooks.Published(ctx, org, c)
	}
	e.updated(ctx, c)
	return c, nil
}

// fail records why c failed and returns the error to report; the row itself is kept.
func (e *Engine) fail(ctx context.Context, c *ent.Content, cause error) error {
	c, err := c.Update().
		SetStatus(entcontent.StatusFAILED).
		SetFailureReason(validation.Truncate(cause.Error(), 2000)).
		Save(context.WithoutCancel(ctx))
	if err != nil {
		e.log.ErrorContext(ctx, "content failure not recorded", "content", c.ID, "cause", cause, "error", err)
	} else {
		e.updated(ctx, c)
	}
	return &Failure{ContentID: c.ID, Err: cause}
}

// Reject sets a post aside. Published posts cannot be rejected.
func (e *Engine) Reject(ctx context.Context, id string) (*ent.Content, error) {
	c, err := e.client.Content.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	switch c.Status {
	case entcontent.StatusREJECTED:
		return c, nil
	case entcontent.StatusPUBLISHED, entcontent.StatusAUTO_PUBLISHED:
		return nil, fmt.Errorf("%w: a published post cannot be rejected", ErrTransition)
	}
	c, err = c.Update().SetStatus(entcontent.StatusREJECTED).Save(ctx)
	if err != nil {
		return nil, err
	}
	e.updated(ctx, c)
	return c, nil
}

// UpdateInput edits a post before it is published. Nil fields stay as they are.
type UpdateInput struct {
	Title    *string
	Hook     *string
	Variants []jsontype.ContentVariant
}

// Update edits a post that is not published yet and guards it again; it becomes READY.
func (e *Engine) Update(ctx context.Context, id string, in UpdateInput) (*ent.Content, error) {
	c, err := e.client.Content.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status != entcontent.StatusDRAFT && c.Status != entcontent.StatusREADY && c.Status != entcontent.StatusFAILED {
		return nil, fmt.Errorf("%w: a %s post cannot be edited", ErrTransition, c.Status)
	}
	draft := Draft{Title: c.Title, Hook: c.Hook, Kind: c.Kind, Variants: c.Variants}
	if in.Title != nil {
		draft.Title = *in.Title
	}
	if in.Hook != nil {
		draft.Hook = *in.Hook
	}
	if in.Variants != nil {
		for _, v := range in.Variants {
			if !slices.Contains(Platforms, v.Platform) {
				return nil, validation.Field("variants", "%q is not one of %s", v.Platform, strings.Join(Platforms, ", "))
			}
		}
		draft.Variants = in.Variants
	}
	for _, v := range draft.Variants {
		draft.Platforms = append(draft.Platforms, v.Platform)
	}
	recent, _, err := e.recent(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	verdict := Check(draft, recent)
	c, err = c.Update().
		SetTitle(draft.Title).
		SetHook(draft.Hook).
		SetVariants(draft.Variants).
		SetGuardsScore(verdict.Score).
		SetGuardIssues(verdict.Issues).
		SetStatus(entcontent.StatusREADY).
		ClearFailureReason().
		Save(ctx)
	if err != nil {
		return nil, err
	}
	e.updated(ctx, c)
	return c, nil
}

// RunStats summarises a scheduled run.
type RunStats struct {
	Organizations int `json:"organizations"`
	Generated     int `json:"generated"`
	AutoPublished int `json:"autoPublished"`
	Ready         int `json:"ready"`
	Failed        int `json:"failed"`
	CapReached    int `json:"capReached"`
}

// RunAll is the scheduled flow: for every organization with marketing-enabled products, one post per such product
// while the organization has written fewer than its daily cap today (in its time zone).
func (e *Engine) RunAll(ctx context.Context) (RunStats, error) {
	orgs, err := e.client.Organization.Query().
		Where(organization.HasProductsWith(product.MarketingEnabled(true))).
		All(viewer.SystemContext(ctx)) // a scheduled job: no tenant is asking
	if err != nil {
		return RunStats{}, err
	}
	var stats RunStats
	var errs []error
	for _, org := range orgs {
		if ctx.Err() != nil {
			return stats, errors.Join(append(errs, ctx.Err())...)
		}
		stats.Organizations++
		if err := e.runOrg(viewer.ForOrganization(ctx, org.ID), org, &stats); err != nil {
			errs = append(errs, fmt.Errorf("organization %s: %w", org.ID, err))
		}
	}
	return stats, errors.Join(errs...)
}

func (e *Engine) runOrg(ctx context.Context, org *ent.Organization, stats *RunStats) error {
	products, err := e.client.Product.Query().
		Where(product.MarketingEnabled(true)).
		Order(ent.Asc(product.FieldCreatedAt)).
		All(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range products {
		c, err := e.reserveWithinCap(ctx, org, p)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		if c == nil {
			stats.CapReached++
			break
		}
		stats.Generated++
		c, err = e.fill(ctx, org, p, c, slices.Clone(Platforms))
		var failure *Failure
		switch {
		case errors.As(err, &failure):
			stats.Failed++
			errs = append(errs, err)
		case err != nil:
			return errors.Join(append(errs, err)...)
		case c.Status == entcontent.StatusAUTO_PUBLISHED:
			stats.AutoPublished++
		default:
			stats.Ready++
		}
	}
	return errors.Join(errs...)
}

// reserveWithinCap reserves a post for p unless the organization reached its daily cap, in one transaction that
// first locks the organization's row: concurrent triggers (the scheduler on two instances, a cron call) count
// and reserve one after the other, so the cap holds. It returns nil when the cap is reached.
func (e *Engine) reserveWithinCap(ctx context.Context, org *ent.Organization, p *ent.Product) (*ent.Content, error) {
	tx, err := e.client.Tx(ctx)
	if err != nil {
		return nil, err
	}
	rollback := func(err error) (*ent.Content, error) { return nil, errors.Join(err, tx.Rollback()) }
	// FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers.
	q := tx.Organization.Query().Where(organization.ID(org.ID))
	if e.postgres {
		q = q.ForUpdate()
	}
	if _, err := q.Only(ctx); err != nil {
		return rollback(err)
	}
	loc := period.Location(org.Timezone)
	y, m, d := e.now().In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	n, err := tx.Content.Query().
		Where(entcontent.CreatedAtGTE(today), entcontent.StatusNEQ(entcontent.StatusFAILED)).
		Count(ctx)
	if err != nil {
		return rollback(err)
	}
	if n >= org.DailyPostCap {
		return nil, tx.Rollback()
	}
	c, err := tx.Content.Create().
		SetProductID(p.ID).
		SetType(entcontent.TypeSOCIAL).
		SetPlatform(entcontent.Platform(Platforms[0])).
		SetStatus(entcontent.StatusDRAFT).
		Save(ctx)
	if err != nil {
		return rollback(err)
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return c.Unwrap(), nil // detach from the finished transaction: the flow goes on updating it
}

func (e *Engine) updated(ctx context.Context, c *ent.Content) {
	if e.hooks.Updated != nil {
		e.hooks.Updated(ctx, c)
	}
}

func productOf(p *ent.Product) Product {
	return Product{
		Name: p.Name, Description: p.Description, TargetAudience: p.TargetAudience, USP: p.Usp, URL: p.URL,
		Features: p.Features, Pricing: p.Pricing,
	}
}
