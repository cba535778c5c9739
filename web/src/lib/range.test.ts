import { describe, expect, it } from 'vitest';
import { dayOf, parseDay, resolveRange, startOfDay, zoneOffset } from './range';

describe('startOfDay', () => {
  it.each([
    ['UTC', { y: 2026, m: 3, d: 29 }, '2026-03-29T00:00:00.000Z'],
    // Madrid moves to summer time at 02:00 on 29 March 2026: that midnight is still winter time (+01:00).
    ['Europe/Madrid', { y: 2026, m: 3, d: 29 }, '2026-03-28T23:00:00.000Z'],
    ['Europe/Madrid', { y: 2026, m: 3, d: 30 }, '2026-03-29T22:00:00.000Z'],
    ['America/New_York', { y: 2026, m: 11, d: 1 }, '2026-11-01T04:00:00.000Z'],
    ['America/New_York', { y: 2026, m: 11, d: 2 }, '2026-11-02T05:00:00.000Z'],
    ['Asia/Kolkata', { y: 2026, m: 1, d: 1 }, '2025-12-31T18:30:00.000Z'],
  ])('%s %o', (zone, day, want) => {
    expect(new Date(startOfDay(day, zone)).toISOString()).toBe(want);
  });
});

describe('dayOf', () => {
  it('reads the day in the zone, not in UTC', () => {
    const t = Date.parse('2026-03-28T23:30:00Z');
    expect(dayOf(t, 'UTC')).toEqual({ y: 2026, m: 3, d: 28 });
    expect(dayOf(t, 'Europe/Madrid')).toEqual({ y: 2026, m: 3, d: 29 });
  });
  it('agrees with zoneOffset', () => {
    expect(zoneOffset(Date.parse('2026-07-01T12:00:00Z'), 'Europe/Madrid')).toBe(2 * 3_600_000);
  });
});

describe('resolveRange', () => {
  const now = Date.parse('2026-04-10T15:00:00Z');

  it('last 30 days: from the midnight 29 days before today, up to now (the server default)', () => {
    expect(resolveRange({ kind: 'last', days: 30 }, 'Europe/Madrid', now)).toEqual({
      from: '2026-03-11T23:00:00.000Z',
      to: null,
      previousFrom: '2026-02-09T23:00:00.000Z',
      previousTo: '2026-03-11T22:59:59.999Z',
      days: 30,
    });
  });

  it('a custom range covers whole days, its previous period the same number of days before', () => {
    expect(resolveRange({ kind: 'custom', start: '2026-03-01', end: '2026-03-07' }, 'UTC', now)).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-07T23:59:59.999Z',
      previousFrom: '2026-02-22T00:00:00.000Z',
      previousTo: '2026-02-28T23:59:59.999Z',
      days: 7,
    });
  });

  it('refuses a custom range that ends before it starts, or a day that does not exist', () => {
    expect(resolveRange({ kind: 'custom', start: '2026-03-07', end: '2026-03-01' }, 'UTC', now)).toBeNull();
    expect(resolveRange({ kind: 'custom', start: '2026-02-30', end: '2026-03-01' }, 'UTC', now)).toBeNull();
    expect(parseDay('2026-3-1')).toBeNull();
  });
});
