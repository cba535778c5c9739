import { change, formatChange } from '../lib/format';

interface Props {
  id: string;
  label: string;
  value: number | null;
  previous: number | null;
  format: (v: number | null) => string;
  /** Spend going up is not good news: its arrow is not green. */
  higherIsBetter?: boolean;
}

/** A key figure with its change against the previous period. data-value carries the raw number for tests. */
export function Kpi({ id, label, value, previous, format, higherIsBetter = true }: Props) {
  const c = change(value, previous);
  const tone = c == null || c === 0 ? 'flat' : c > 0 === higherIsBetter ? 'good' : 'bad';
  return (
    <div className="kpi" data-testid={`kpi-${id}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" data-value={value ?? ''}>
        {format(value)}
      </div>
      <div className={`kpi-change ${tone}`}>
        <span aria-hidden="true">{c == null || c === 0 ? '' : c > 0 ? '▲ ' : '▼ '}</span>
        {formatChange(c)}
        <span className="visually-hidden"> against the previous period</span>
      </div>
    </div>
  );
}
