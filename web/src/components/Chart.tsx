// A daily time-series chart drawn with uPlot (small, fast, canvas). Days are shown in the organization's zone.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: number[];
  color: string;
  format: (v: number) => string;
}

interface Props {
  /** What the chart shows, for assistive technology (the canvas itself says nothing). */
  label: string;
  /** The days, as ISO instants. */
  days: string[];
  series: ChartSeries[];
  timeZone: string;
  height?: number;
}

export function Chart({ label, days, series, timeZone, height = 260 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data: uPlot.AlignedData = [days.map((d) => Date.parse(d) / 1000), ...series.map((s) => s.values)];
  // The chart is rebuilt when its shape changes (series or zone), and only fed new data otherwise, so that a live
  // update does not flicker.
  const shape = `${timeZone}|${days.length <= 31}|${series.map((s) => s.label).join('|')}`;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
      scales: { x: { time: true } },
      axes: [{}, { values: (_u, ticks) => ticks.map((t) => series[0]?.format(t) ?? String(t)), size: 70 }],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          // Points help to read a month; over a quarter they only blur the line.
          points: { show: days.length <= 31 },
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : s.format(v)),
        })),
      ],
      legend: { live: false },
    };
    const u = new uPlot(opts, data, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // data is fed by the effect below; rebuilding on every update would defeat it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  return <div className="chart" ref={box} role="img" aria-label={label} />;
}
