import { useId } from 'react';

export interface BarDatum {
  label: string;
  value: number;
}

export interface BarChartProps {
  /** Names the chart for assistive technology and is its SVG title. */
  title: string;
  data: BarDatum[];
  /** What the values count ("exceptions"). */
  unit?: string;
  /** Bars drawn at most; the rest are summarised (the table beside the chart has them all). */
  maxBars?: number;
  emptyMessage?: string;
}

const WIDTH = 640;
const LABEL_WIDTH = 180;
const VALUE_WIDTH = 56;
const ROW = 26;
const BAR = 18;
const TOP = 8;
const AXIS = 24;
const MAX_LABEL_CHARS = 26;

/** Sorted by value (largest first), ties by label, so every rendering is the same. */
export function sortBars(data: BarDatum[]): BarDatum[] {
  return [...data].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
}

/** About four round tick values from 0 to at least `max`; whole numbers only when `integer`. */
export function niceTicks(max: number, count = 4, integer = false): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const nice = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const step = integer ? Math.max(1, Math.ceil(nice)) : nice;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step / 2 && ticks.length <= count + 1; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

function shorten(label: string): string {
  return label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1)}…` : label;
}

/**
 * A horizontal bar chart drawn as SVG (no chart library). The SVG is one image
 * for assistive technology, named by `title` and described by its largest
 * bars; the numbers themselves belong in a table next to it.
 */
export function BarChart({ title, data, unit = '', maxBars = 25, emptyMessage = 'No data points.' }: BarChartProps) {
  const id = useId();
  const sorted = sortBars(data.filter((d) => Number.isFinite(d.value)));

  if (sorted.length === 0) {
    return (
      <p className="chart-empty" role="status">
        {emptyMessage}
      </p>
    );
  }

  const bars = sorted.slice(0, maxBars);
  const hidden = sorted.length - bars.length;
  const ticks = niceTicks(
    Math.max(...bars.map((b) => b.value)),
    4,
    bars.every((b) => Number.isInteger(b.value)),
  );
  const top = ticks[ticks.length - 1]! || 1;
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = TOP + bars.length * ROW + AXIS;
  const x = (v: number) => LABEL_WIDTH + (Math.max(0, v) / top) * plot;
  const total = sorted.reduce((sum, d) => sum + d.value, 0);
  const unitText = unit ? ` ${unit}` : '';
  const description =
    `${sorted.length} ${sorted.length === 1 ? 'value' : 'values'}, ${total}${unitText} in all. ` +
    bars
      .slice(0, 5)
      .map((b) => `${b.label}: ${b.value}`)
      .join('; ') +
    (sorted.length > 5 ? '; …' : '.');

  return (
    <figure className="bar-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width={WIDTH}
        height={height}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <g className="chart-grid">
          {ticks.map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={TOP - 4} y2={TOP + bars.length * ROW} />
              <text x={x(t)} y={height - 6} textAnchor="middle" className="chart-tick">
                {t}
              </text>
            </g>
          ))}
        </g>
        {bars.map((b, i) => {
          const y = TOP + i * ROW;
          const w = Math.max(1, x(b.value) - LABEL_WIDTH);
          return (
            <g key={`${b.label}-${i}`} className="chart-bar" data-label={b.label} data-value={b.value}>
              <title>{`${b.label}: ${b.value}${unitText}`}</title>
              <text x={LABEL_WIDTH - 8} y={y + BAR / 2 + 4} textAnchor="end" className="chart-label">
                {shorten(b.label)}
              </text>
              <rect x={LABEL_WIDTH} y={y} width={w} height={BAR} rx={3} className="chart-rect" />
              <text x={LABEL_WIDTH + w + 6} y={y + BAR / 2 + 4} className="chart-value">
                {b.value}
              </text>
            </g>
          );
        })}
      </svg>
      {hidden > 0 && (
        <figcaption className="muted chart-note">
          The {bars.length} largest of {sorted.length} values are drawn; the table lists all of them.
        </figcaption>
      )}
    </figure>
  );
}
