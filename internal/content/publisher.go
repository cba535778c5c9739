package content

import (
	"context"
	"log/slog"
	"time"

	"github.com/marketingos/marketingos/ent/schema/jsontype"
	"github.com/marketingos/marketingos/internal/config"
)

// Post is a piece of content to publish: one variant per platform.
type Post struct {
	// ContentID is the Content entity's id. Publishing the same ContentID twice publishes it once.
	ContentID string
	Variants  []jsontype.ContentVariant
	// ScheduledAt schedules the post; nil publishes it now.
	ScheduledAt *time.Time
}

// Published is where a post went.
type Published struct {
	// ExternalID identifies the post at the provider: for Postiz, the post ids of the variants, comma-separated
	// in the order of the variants; "log_<content id>" for the log publisher.
	ExternalID string
	// Mock is true when nothing was published for real.
	Mock bool
	// Posts lists the provider's post per platform (Postiz only).
	Posts []PublishedVariant
	// Skipped lists the platforms of variants that had nowhere to go (no Postiz integration).
	Skipped []string
	// Rejected maps the platforms of variants that Postiz refused to its reason, e.g. "x: post is too long,
	// please fix it". The other variants were published.
	Rejected map[string]string
}

// PublishedVariant is one platform's post at the provider.
type PublishedVariant struct {
	Platform      string
	IntegrationID string
	PostID        string
	// Existing is true when the post had already been created by an earlier attempt and was not created again.
	Existing bool
}

// Publisher publishes posts.
type Publisher interface {
	Publish(ctx context.Context, p Post) (Published, error)
}

// NewPublisher returns the Postiz publisher when Postiz is configured and the log publisher otherwise.
func NewPublisher(cfg config.Postiz, log *slog.Logger, opts ...Option) Publisher {
	if cfg.Configured() {
		return NewPostiz(cfg, append([]Option{WithLogger(log)}, opts...)...)
	}
	return NewLogPublisher(log)
}

// logPublisher stands in for Postiz when it is not configured.
type logPublisher struct{ log *slog.Logger }

// NewLogPublisher returns a Publisher that publishes nothing: it logs the post and answers
// Published{ExternalID: "log_<content id>", Mock: true}.
func NewLogPublisher(log *slog.Logger) Publisher {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return logPublisher{log: log}
}

func (l logPublisher) Publish(ctx context.Context, p Post) (Published, error) {
	platforms := make([]string, 0, len(p.Variants))
	for _, v := range p.Variants {
		platforms = append(platforms, v.Platform)
	}
	attrs := []any{slog.String("content_id", p.ContentID), slog.Any("platforms", platforms)}
	if p.ScheduledAt != nil {
		attrs = append(attrs, slog.Time("scheduled_at", *p.ScheduledAt))
	}
	l.log.InfoContext(ctx, "content: Postiz not configured; post not published (mock)", attrs...)
	return Published{ExternalID: "log_" + p.ContentID, Mock: true}, nil
}
