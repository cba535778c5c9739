// Report ranges in the organization's time zone. The server's day boundaries are midnights in that zone
// (internal/period); the dashboard sends instants that fall exactly on them, so that the server answers whole days
// from its visitors rollup and the days on screen are the organization's days, not the browser's.

/** A calendar day, without a zone. */
export interface Day {
  y: number;
  m: number; // 1–12
  d: number;
}

export type RangeChoice = { kind: 'last'; days: number } | { kind: 'custom'; start: string; end: string };

/** The instants a report asks for: to is null for "up to now" (live: the server keeps moving it). */
export interface ResolvedRange {
  from: string;
  to: string | null;
  previousFrom: string;
  previousTo: string;
  days: number;
}

export const PRESETS = [7, 30, 90] as const;

const DAY_MS = 86_400_000;

/** How far ahead of UTC the zone's wall clock is at instant, in milliseconds. */
export function zoneOffset(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant of midnight starting day in timeZone. */
export function startOfDay(day: Day, timeZone: string): number {
  const wall = Date.UTC(day.y, day.m - 1, day.d);
  // The offset at the wall time read as UTC is right except within a transition; a second pass settles it.
  let instant = wall - zoneOffset(wall, timeZone);
  instant = wall - zoneOffset(instant, timeZone);
  return instant;
}

/** The calendar day instant falls on in timeZone. */
export function dayOf(instant: number, timeZone: string): Day {
  const local = new Date(instant + zoneOffset(instant, timeZone));
  return { y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate() };
}

export function addDays(day: Day, n: number): Day {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d) + n * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function parseDay(s: string): Day | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const day = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  const back = addDays(day, 0);
  return back.y === day.y && back.m === day.m && back.d === day.d ? day : null;
}

export function formatDayISO(day: Day): string {
  return `${day.y}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
}

function daysBetween(a: Day, b: Day): number {
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / DAY_MS);
}

const iso = (t: number) => new Date(t).toISOString();

/**
 * resolveRange turns a choice into instants. "Last N days" is today and the N−1 days before it, up to now (the
 * server's default range for N = 30); a custom range runs from its first day's midnight to its last day's last
 * millisecond. The previous period is as many days, just before. A custom range that is not valid (unparsable,
 * ending before it starts) answers null.
 */
export function resolveRange(choice: RangeChoice, timeZone: string, now: number = Date.now()): ResolvedRange | null {
  if (choice.kind === 'last') {
    const today = dayOf(now, timeZone);
    const first = addDays(today, -(choice.days - 1));
    const from = startOfDay(first, timeZone);
    return {
      from: iso(from),
      to: null,
      previousFrom: iso(startOfDay(addDays(first, -choice.days), timeZone)),
      previousTo: iso(from - 1),
      days: choice.days,
    };
  }
  const start = parseDay(choice.start);
  const end = parseDay(choice.end);
  if (!start || !end || daysBetween(start, end) < 0) return null;
  const days = daysBetween(start, end) + 1;
  const from = startOfDay(start, timeZone);
  return {
    from: iso(from),
    to: iso(startOfDay(addDays(end, 1), timeZone) - 1),
    previousFrom: iso(startOfDay(addDays(start, -days), timeZone)),
    previousTo: iso(from - 1),
    days,
  };
}
