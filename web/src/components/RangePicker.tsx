// The report range of a screen, kept in its address (?range=7, or ?from=2026-03-01&to=2026-03-07), so that a
// range can be bookmarked and shared. Days are the organization's.
import { useState, type FormEvent } from 'react';
import { navigate, useLocation } from '../lib/router';
import { PRESETS, formatDayISO, dayOf, addDays, type RangeChoice } from '../lib/range';

const DEFAULT_DAYS = 30;

export function useRangeChoice(): [RangeChoice, (c: RangeChoice) => void] {
  const { path, search } = useLocation();
  const from = search.get('from');
  const to = search.get('to');
  const days = Number(search.get('range'));
  const choice: RangeChoice =
    from && to
      ? { kind: 'custom', start: from, end: to }
      : { kind: 'last', days: PRESETS.includes(days as (typeof PRESETS)[number]) ? days : DEFAULT_DAYS };
  const set = (c: RangeChoice) => {
    const q = c.kind === 'last' ? `?range=${c.days}` : `?from=${c.start}&to=${c.end}`;
    navigate(path + q, { replace: true });
  };
  return [choice, set];
}

interface Props {
  choice: RangeChoice;
  onChange: (c: RangeChoice) => void;
  timeZone: string;
  /** Why the chosen custom range was refused, if it was. */
  invalid?: boolean;
}

export function RangePicker({ choice, onChange, timeZone, invalid }: Props) {
  const today = dayOf(Date.now(), timeZone);
  const [custom, setCustom] = useState(choice.kind === 'custom');
  const [start, setStart] = useState(choice.kind === 'custom' ? choice.start : formatDayISO(addDays(today, -6)));
  const [end, setEnd] = useState(choice.kind === 'custom' ? choice.end : formatDayISO(today));

  function apply(e: FormEvent) {
    e.preventDefault();
    onChange({ kind: 'custom', start, end });
  }

  return (
    <div className="range-picker">
      <div role="group" aria-label="Range" className="segmented">
        {PRESETS.map((d) => (
          <button
            key={d}
            type="button"
            aria-pressed={!custom && choice.kind === 'last' && choice.days === d}
            onClick={() => {
              setCustom(false);
              onChange({ kind: 'last', days: d });
            }}
          >
            {d} days
          </button>
        ))}
        <button type="button" aria-pressed={custom} onClick={() => setCustom(true)}>
          Custom
        </button>
      </div>
      {custom && (
        <form className="custom-range" onSubmit={apply}>
          <label>
            From
            <input type="date" value={start} max={formatDayISO(today)} onChange={(e) => setStart(e.target.value)} />
          </label>
          <label>
            To
            <input type="date" value={end} max={formatDayISO(today)} onChange={(e) => setEnd(e.target.value)} />
          </label>
          <button type="submit">Apply</button>
          {invalid && (
            <span className="field-error" role="alert">
              The range must end on or after its first day.
            </span>
          )}
        </form>
      )}
      <span className="zone-note">Days in {timeZone}</span>
    </div>
  );
}
