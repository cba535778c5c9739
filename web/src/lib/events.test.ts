import { describe, expect, it } from 'vitest';
import { eventMatches, eventWhere } from './events';

describe('event filter', () => {
  it('is no where input when empty', () => {
    expect(eventWhere({})).toBeNull();
  });
  it('lower-cases source and campaign as the server stores them', () => {
    expect(eventWhere({ source: 'Google', campaign: 'Spring', visitorId: 'v1' })).toEqual({ source: 'google', campaign: 'spring', visitorID: 'v1' });
  });
  it('matches a live event exactly as the query would', () => {
    const e = { eventType: 'purchase', source: 'google', campaign: null, visitorId: 'v1' };
    expect(eventMatches(e, {})).toBe(true);
    expect(eventMatches(e, { eventType: 'purchase', source: 'GOOGLE' })).toBe(true);
    expect(eventMatches(e, { eventType: 'signup' })).toBe(false);
    expect(eventMatches(e, { campaign: 'spring' })).toBe(false);
  });
});
