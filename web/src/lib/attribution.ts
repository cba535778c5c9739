// The attribution screen's table: channels (sources, media or campaigns) as rows, the five models side by side,
// with the ad spend of each channel where it is known, so that ROAS and ROI can be read per model.
import { toCSV } from './csv';

export const MODELS = ['FIRST_TOUCH', 'LAST_TOUCH', 'LINEAR', 'TIME_DECAY', 'POSITION_BASED'] as const;
export type Model = (typeof MODELS)[number];

export const modelLabels: Record<Model, string> = {
  FIRST_TOUCH: 'First touch',
  LAST_TOUCH: 'Last touch',
  LINEAR: 'Linear',
  TIME_DECAY: 'Time decay',
  POSITION_BASED: 'Position based',
};

export type Dimension = 'SOURCE' | 'MEDIUM' | 'CAMPAIGN';

export interface ReportRow {
  readonly source?: string | null;
  readonly medium?: string | null;
  readonly campaign?: string | null;
  readonly conversions: number;
  readonly revenue: number;
}

export interface Report {
  readonly model: string;
  readonly rows: readonly ReportRow[];
}

export interface ModelFigures {
  conversions: number;
  revenue: number;
  roas: number | null; // revenue ÷ spend
  roi: number | null; // (revenue − spend) ÷ spend
}

export interface ChannelRow {
  channel: string;
  spend: number | null;
  byModel: Record<Model, ModelFigures>;
}

/** The label of a report row: the grouped field (the others are null), or "(none)" for conversions without it. */
export function channelOf(row: ReportRow, by: Dimension): string {
  const v = by === 'SOURCE' ? row.source : by === 'MEDIUM' ? row.medium : row.campaign;
  return v ?? '(none)';
}

/**
 * attributionTable joins the five reports on their channel. spend maps a channel to its ad spend in the range;
 * a channel without spend has no ROAS or ROI. Rows are sorted by last-touch revenue, highest first.
 */
export function attributionTable(reports: readonly Report[], by: Dimension, spend: ReadonlyMap<string, number>): ChannelRow[] {
  const rows = new Map<string, ChannelRow>();
  const row = (channel: string): ChannelRow => {
    let r = rows.get(channel);
    if (!r) {
      const s = spend.get(channel) ?? null;
      const empty = () => figures(0, 0, s);
      r = { channel, spend: s, byModel: Object.fromEntries(MODELS.map((m) => [m, empty()])) as Record<Model, ModelFigures> };
      rows.set(channel, r);
    }
    return r;
  };
  for (const report of reports) {
    const model = report.model as Model;
    if (!MODELS.includes(model)) continue;
    for (const rr of report.rows) {
      const r = row(channelOf(rr, by));
      const f = r.byModel[model];
      r.byModel[model] = figures(f.conversions + rr.conversions, f.revenue + rr.revenue, r.spend);
    }
  }
  // Channels that spent but converted nothing still belong in the table: their ROI is −100 %.
  for (const channel of spend.keys()) row(channel);
  return [...rows.values()].sort(
    (a, b) => b.byModel.LAST_TOUCH.revenue - a.byModel.LAST_TOUCH.revenue || a.channel.localeCompare(b.channel),
  );
}

function figures(conversions: number, revenue: number, spend: number | null): ModelFigures {
  const paid = spend != null && spend > 0;
  return { conversions, revenue, roas: paid ? revenue / spend : null, roi: paid ? (revenue - spend) / spend : null };
}

export interface Campaign {
  readonly platform: string;
  readonly utmCampaign: string;
  readonly spend: number;
}

/**
 * spendByChannel is the ad spend of each channel in the range: per campaign by its utmCampaign (the join key of
 * tracked events); per source by platform (a Google Ads click arrives as google/cpc, a Meta one as facebook/cpc);
 * per medium all on cpc, the medium of paid clicks.
 */
export function spendByChannel(campaigns: readonly Campaign[], by: Dimension): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of campaigns) {
    if (c.spend === 0) continue;
    const key = by === 'CAMPAIGN' ? c.utmCampaign : by === 'SOURCE' ? platformSource(c.platform) : 'cpc';
    out.set(key, (out.get(key) ?? 0) + c.spend);
  }
  return out;
}

function platformSource(platform: string): string {
  return platform === 'FACEBOOK' ? 'facebook' : platform.toLowerCase();
}

/** The table as CSV, one line per channel and model, with the figures exactly as the reports gave them. */
export function attributionCSV(table: readonly ChannelRow[], by: Dimension): string {
  const header = [by.toLowerCase(), 'model', 'conversions', 'revenue', 'spend', 'roas', 'roi'];
  const lines = table.flatMap((r) =>
    MODELS.map((m) => {
      const f = r.byModel[m];
      return [r.channel, m, f.conversions, f.revenue, r.spend, f.roas, f.roi];
    }),
  );
  return toCSV(header, lines);
}
