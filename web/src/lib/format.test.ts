import { describe, expect, it } from 'vitest';
import { change, formatChange, formatMoney, formatMultiple, formatPercent } from './format';

describe('format', () => {
  it('money in its currency', () => {
    expect(formatMoney(997, 'USD')).toBe('$997.00');
    expect(formatMoney(12.5, 'EUR')).toBe('€12.50');
    expect(formatMoney(3, 'XYZW')).toBe('3 XYZW');
  });
  it('ratios, and a dash without a denominator', () => {
    expect(formatPercent(0.0312)).toBe('3.1 %');
    expect(formatPercent(null)).toBe('—');
    expect(formatMultiple(3.254)).toBe('3.25×');
  });
  it('change against the previous period', () => {
    expect(change(125, 100)).toBe(0.25);
    expect(change(5, 0)).toBeNull();
    expect(formatChange(0.25)).toBe('+25.0 %');
    expect(formatChange(-0.5)).toBe('-50.0 %');
    expect(formatChange(null)).toBe('no earlier data');
  });
});
