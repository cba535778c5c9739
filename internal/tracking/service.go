package tracking

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	stdsql "database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/marketingos/marketingos/ent"
	"github.com/marketingos/marketingos/ent/attributionevent"
	"github.com/marketingos/marketingos/ent/schema/prefixed"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/attribution"
	"github.com/marketingos/marketingos/internal/money"
	"github.com/marketingos/marketingos/internal/validation"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Errors that decide the answer of the tracking endpoints.
var (
	ErrUnknownKey       = errors.New("tracking: unknown tracking key")
	ErrOriginNotAllowed = errors.New("tracking: origin not allowed for this organization")
	ErrNeedsAPIKey      = errors.New("purchases can only be reported with an API key or by Stripe")
)

// Why a hit was deliberately not stored. These are answered with success: the client did nothing wrong.
const (
	DroppedBot = "bot"
	DroppedDNT = "dnt"
)

// Hit is one tracking request with what the HTTP edge knows about its sender.
type Hit struct {
	Input
	// Browser is true for hits authenticated by the public tracking key (landing pages), false for server-side
	// events sent with an API key: only browser hits are classified by referrer, filtered for bots and DNT.
	Browser       bool
	UserAgent     string
	ClientIP      string
	DNT           bool
	Origin        string
	CookieVisitor string
	CookieSession string
}

// Result is what happened to a hit.
type Result struct {
	Event     *Event // nil when dropped
	VisitorID string
	SessionID string
	Dropped   string // DroppedBot, DroppedDNT or ""
}

// Service records hits.
type Service struct {
	client        *ent.Client
	writer        *Writer
	orgs          *expirable.LRU[string, *ent.Organization]
	ipSalt        string
	visitorSalt   string // of cookieless visitors: the IP salt, or one of this process when none is configured
	now           func() time.Time
	afterPurchase attribution.AfterPurchase
	stored        func(ctx context.Context, orgID string, ids []string)
	outcomes      *prometheus.CounterVec
}

// ServiceOptions configure a Service.
type ServiceOptions struct {
	IPSalt        string // enables the salted daily IP hash
	AfterPurchase attribution.AfterPurchase
	// Stored hears of events stored outside the batch writer (purchases, events with an idempotency key); the
	// writer's own OnCommit covers the rest.
	Stored     func(ctx context.Context, orgID string, ids []string)
	Registerer prometheus.Registerer
	Now        func() time.Time
}

// orgCacheTTL bounds how stale a cached organization (its settings, or that a key is unknown) may be. Tracking
// keys change only by rotation, whose rotated-out key works for a day: a short TTL delays only settings such as
// allowed origins, and the end of a rotated-out key, by at most this long.
const orgCacheTTL = 30 * time.Second

// NewService returns a Service storing through writer.
func NewService(client *ent.Client, writer *Writer, opts ServiceOptions) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Service{
		client:        client,
		writer:        writer,
		orgs:          expirable.NewLRU[string, *ent.Organization](10000, nil, orgCacheTTL),
		ipSalt:        opts.IPSalt,
		visitorSalt:   cmp.Or(opts.IPSalt, newID("salt")),
		now:           opts.Now,
		afterPurchase: opts.AfterPurchase,
		stored:        opts.Stored,
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "marketingos_tracking_hits_total",
			Help: "Tracking hits by outcome: stored, bot, dnt, invalid, unknown_key, origin, rate_limited, overloaded, failed.",
		}, []string{"outcome"}),
	}
	if opts.Registerer != nil {
		opts.Registerer.MustRegister(s.outcomes)
	}
	return s
}

// Count records the outcome of a hit the HTTP edge decided on its own (invalid input, rate limit).
func (s *Service) Count(outcome string) { s.outcomes.WithLabelValues(outcome).Inc() }

// Organization resolves a public tracking key, through a short-lived cache that also remembers unknown keys, so
// that a flood of made-up keys does not reach the database.
func (s *Service) Organization(ctx context.Context, trackingKey string) (*ent.Organization, error) {
	if org, ok := s.orgs.Get(trackingKey); ok {
		if org == nil {
			return nil, ErrUnknownKey
		}
		return org, nil
	}
	org, err := s.client.Organization.Query().
		Where(account.ByTrackingKey(trackingKey, s.now())).
		Only(viewer.SystemContext(ctx)) // the key is the credential: no tenant is known yet
	switch {
	case ent.IsNotFound(err):
		s.orgs.Add(trackingKey, nil)
		return nil, ErrUnknownKey
	case err != nil:
		return nil, fmt.Errorf("tracking: resolve key: %w", err)
	}
	s.orgs.Add(trackingKey, org)
	return org, nil
}

// Track records a hit for org. Browser hits from bots, or with DNT when the organization honours it, are dropped
// (and counted). Purchases need an API key; refunds come only from Stripe.
func (s *Service) Track(ctx context.Context, org *ent.Organization, h Hit) (Result, error) {
	res, err := s.track(ctx, org, h)
	s.count(res, err)
	return res, err
}

func (s *Service) track(ctx context.Context, org *ent.Organization, h Hit) (Result, error) {
	if !h.Input.checked { // the GraphQL mutation arrives here without the HTTP decoders, which check
		if err := h.Input.check(); err != nil {
			return Result{}, err
		}
	}
	if h.Browser {
		if !originAllowed(org.AllowedOrigins, h.Origin) {
			return Result{}, ErrOriginNotAllowed
		}
		if h.DNT && org.RespectDnt {
			return Result{Dropped: DroppedDNT}, nil
		}
		if IsBot(h.UserAgent) {
			return Result{Dropped: DroppedBot}, nil
		}
	}
	res := Result{VisitorID: cmp.Or(h.VisitorID, h.CookieVisitor), SessionID: cmp.Or(h.SessionID, h.CookieSession)}
	if h.Browser && h.Cookieless {
		res.VisitorID, res.SessionID = s.dailyVisitor(org.ID, h.ClientIP, h.UserAgent)
	}
	minted := false
	if res.VisitorID == "" {
		if !h.Browser && h.UserID == "" {
			return Result{}, validation.Field("visitorId", "is required (or userId) for server-side events")
		}
		res.VisitorID, minted = newID("v"), true
	}
	if res.SessionID == "" && h.Browser {
		res.SessionID = newID("s")
	}
	ev := Event{
		ID:             prefixed.New("evt"),
		OrgID:          org.ID,
		VisitorID:      res.VisitorID,
		SessionID:      res.SessionID,
		UserID:         h.UserID,
		EventType:      h.EventType,
		Currency:       h.Currency,
		GCLID:          h.GCLID,
		FBCLID:         h.FBCLID,
		Referrer:       h.Referrer,
		URL:            h.URL,
		Title:          h.Title,
		Screen:         h.Screen,
		Language:       h.Language,
		Metadata:       h.Metadata,
		IdempotencyKey: h.IdempotencyKey,
		IPHash:         s.ipHash(org.ID, h.ClientIP),
		CreatedAt:      s.now().UTC(),
		NewVisitor:     minted,
	}
	if h.Browser {
		ev.Channel = Classify(h.Input)
	} else {
		// A server-side event is not a visit: it has a channel only when the caller names one.
		ev.Channel = Channel{Source: h.Source, Medium: h.Medium, Campaign: h.Campaign, Term: h.Term, Content: h.Content}
	}
	if h.Value != nil {
		if ev.Currency == "" {
			ev.Currency = org.Currency
		}
		minor, err := money.Minor(*h.Value, ev.Currency)
		if err != nil {
			return Result{}, validation.Field("value", "is out of range")
		}
		ev.Value = &minor
	}
	switch ev.EventType {
	case attribution.PurchaseEvent:
		if h.Browser {
			return Result{}, ErrNeedsAPIKey
		}
		stored, err := s.purchase(ctx, org, ev)
		if err != nil {
			return Result{}, err
		}
		res.Event = stored
		return res, nil
	case attribution.RefundEvent:
		return Result{}, validation.Field("eventType", "refunds are recorded from Stripe's charge.refunded events")
	}
	if ev.IdempotencyKey != "" {
		stored, err := s.insertOnce(ctx, ev)
		if err != nil {
			return Result{}, err
		}
		res.Event = stored
		return res, nil
	}
	if err := s.writer.Write(ctx, ev); err != nil {
		return Result{}, err
	}
	res.Event = &ev
	return res, nil
}

// purchase records a server-reported purchase with its credits in one transaction.
func (s *Service) purchase(ctx context.Context, org *ent.Organization, ev Event) (*Event, error) {
	if ev.Value == nil {
		return nil, validation.Field("value", "is required for a purchase")
	}
	ctx = viewer.ForOrganization(ctx, org.ID)
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return nil, err
	}
	stored, created, err := attribution.RecordPurchase(ctx, tx.Client(), attribution.Purchase{
		Org: org, VisitorID: ev.VisitorID, UserID: ev.UserID, Value: *ev.Value, Currency: ev.Currency,
		At: ev.CreatedAt, IdempotencyKey: ev.IdempotencyKey, Metadata: ev.Metadata,
	})
	if err != nil {
		return nil, errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	if created && s.afterPurchase != nil {
		s.afterPurchase(ctx, org, stored)
	}
	if created && s.stored != nil {
		s.stored(ctx, org.ID, []string{stored.ID})
	}
	ev.ID, ev.CreatedAt = stored.ID, stored.CreatedAt
	return &ev, nil
}

// insertOnce stores an event that carries an idempotency key, or returns the one stored earlier with that key.
func (s *Service) insertOnce(ctx context.Context, ev Event) (*Event, error) {
	ctx = viewer.ForOrganization(ctx, ev.OrgID)
	// One transaction, so that the event and its place in the visitors rollup (the schema's hook) are stored
	// together.
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("tracking: store event: %w", err)
	}
	stored, err := insertOnceIn(ctx, tx.Client(), ev)
	if err != nil {
		return nil, errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("tracking: store event: %w", err)
	}
	if stored.ID == ev.ID && s.stored != nil { // new, not a repeat of an earlier request
		s.stored(ctx, ev.OrgID, []string{ev.ID})
	}
	ev.ID, ev.VisitorID, ev.EventType, ev.CreatedAt = stored.ID, stored.VisitorID, stored.EventType, stored.CreatedAt
	return &ev, nil
}

// insertOnceIn inserts ev unless its idempotency key is taken, and returns the event stored with that key.
func insertOnceIn(ctx context.Context, client *ent.Client, ev Event) (*ent.AttributionEvent, error) {
	err := CreateBuilder(client, ev).
		OnConflict(
			sql.ConflictColumns(attributionevent.FieldOrganizationID, attributionevent.FieldIdempotencyKey),
			// The unique index is partial (keys only), so the conflict target must name its predicate.
			sql.ConflictWhere(sql.NotNull(attributionevent.FieldIdempotencyKey)),
		).
		DoNothing().
		Exec(ctx)
	if err != nil && !errors.Is(err, stdsql.ErrNoRows) {
		return nil, fmt.Errorf("tracking: store event: %w", err)
	}
	stored, err := client.AttributionEvent.Query().
		Where(attributionevent.IdempotencyKey(ev.IdempotencyKey)).
		Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("tracking: read event: %w", err)
	}
	return stored, nil
}

func (s *Service) count(res Result, err error) {
	outcome := "stored"
	switch {
	case res.Dropped != "":
		outcome = res.Dropped
	case errors.Is(err, ErrUnknownKey):
		outcome = "unknown_key"
	case errors.Is(err, ErrOriginNotAllowed):
		outcome = "origin"
	case errors.Is(err, ErrOverloaded), errors.Is(err, ErrClosed):
		outcome = "overloaded"
	case errors.As(err, new(*validation.Error)), errors.Is(err, ErrNeedsAPIKey):
		outcome = "invalid"
	case err != nil:
		outcome = "failed"
	}
	s.Count(outcome)
}

// ipHash is a salted hash of the client address that changes daily: enough to spot abuse from one source within a
// day, useless to follow a person across days. Without a salt nothing derived from the address is kept.
func (s *Service) ipHash(orgID, ip string) string {
	if s.ipSalt == "" || ip == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(s.ipSalt + "|" + s.now().UTC().Format(time.DateOnly) + "|" + orgID + "|" + ip))
	return hex.EncodeToString(sum[:16])
}

// dailyVisitor is the identity of a cookieless browser: a salted hash of its address and user agent within the
// organization that changes every day (UTC), so nothing is kept on the device and nobody can be followed across
// days. Its session is the day: without an id kept by the browser, a pause of thirty minutes cannot be told from
// a second visit.
func (s *Service) dailyVisitor(orgID, ip, userAgent string) (visitorID, sessionID string) {
	sum := sha256.Sum256([]byte(s.visitorSalt + "|" + s.now().UTC().Format(time.DateOnly) + "|" + orgID + "|" + ip + "|" + userAgent))
	id := idEncoding.EncodeToString(sum[:16])
	return "d" + id, "ds" + id
}

func originAllowed(allowed []string, origin string) bool {
	if len(allowed) == 0 || origin == "" {
		return true // no list configured, or not a browser cross-origin request (the pixel, sendBeacon same-site)
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(allowed, func(a string) bool {
		return strings.EqualFold(a, origin) || strings.EqualFold(a, u.Host)
	})
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// newID returns a random visitor or session id: 128 bits, so ids chosen by browsers cannot collide in practice.
func newID(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + idEncoding.EncodeToString(b)
}
