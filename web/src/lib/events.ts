// The events feed's filter, as the server's where input and as the same test applied to a live event, so that an
// event pushed by eventTracked joins the feed only when the query would have listed it.

export interface EventFilter {
  eventType?: string;
  source?: string;
  campaign?: string;
  visitorId?: string;
}

export interface FilterableEvent {
  readonly eventType: string;
  readonly source?: string | null;
  readonly campaign?: string | null;
  readonly visitorId: string;
}

/** The where input: exact matches (the server lower-cases sources and campaigns, so the filter does too). */
export function eventWhere(f: EventFilter): Record<string, string> | null {
  const where: Record<string, string> = {};
  if (f.eventType) where.eventType = f.eventType;
  if (f.source) where.source = f.source.toLowerCase();
  if (f.campaign) where.campaign = f.campaign.toLowerCase();
  if (f.visitorId) where.visitorID = f.visitorId;
  return Object.keys(where).length ? where : null;
}

export function eventMatches(e: FilterableEvent, f: EventFilter): boolean {
  const w = eventWhere(f) ?? {};
  return (
    (w.eventType === undefined || e.eventType === w.eventType) &&
    (w.source === undefined || e.source === w.source) &&
    (w.campaign === undefined || e.campaign === w.campaign) &&
    (w.visitorID === undefined || e.visitorId === w.visitorID)
  );
}
