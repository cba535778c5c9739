// Numbers, money and dates as the dashboard shows them. Money arrives from GraphQL in major units beside its
// currency; dates are instants shown in the organization's time zone, not the browser's.

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
  } catch {
    return `${numberFormat.format(amount)} ${currency}`; // a code Intl does not know
  }
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? integerFormat.format(n) : numberFormat.format(n);
}

/** A ratio (0.0312) as a percentage (3.1 %); "—" when it has no denominator. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio == null) return '—';
  return `${(ratio * 100).toFixed(1)} %`;
}

/** ROAS as a multiple (3.25×); "—" without spend. */
export function formatMultiple(x: number | null | undefined): string {
  if (x == null) return '—';
  return `${x.toFixed(2)}×`;
}

/**
 * The relative change from previous to current (0.25 for +25 %), or null when there is nothing to compare with:
 * either value missing, or a previous value of zero (any change from zero is infinite).
 */
export function change(current: number | null | undefined, previous: number | null | undefined): number | null {
  if (current == null || previous == null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

export function formatChange(c: number | null): string {
  if (c == null) return 'no earlier data';
  const pct = Math.round(c * 1000) / 10;
  return `${pct > 0 ? '+' : ''}${pct.toFixed(1)} %`;
}

export function formatDateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

export function formatDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, month: 'short', day: 'numeric' }).format(new Date(iso));
}
