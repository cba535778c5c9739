import { describe, expect, it } from 'vitest';
import { retryDelay } from './live';

describe('retryDelay', () => {
  it('doubles from 1 s up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => retryDelay(n, () => 0))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
  it('adds up to 30 % of jitter', () => {
    expect(retryDelay(0, () => 1)).toBe(1300);
  });
});
