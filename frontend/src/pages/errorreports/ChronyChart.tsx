import { useId } from 'react';
import { formatSeconds, type OffsetLevel, type OffsetRow, type Thresholds } from './sysmon';

const WIDTH = 460;
const LABEL_WIDTH = 96;
const VALUE_WIDTH = 74;
const TOP = 22;
const ROW = 30;
const BAR = 18;
const AXIS = 22;
const MIN_DECADE = -12;

/** The words for a level, with the thresholds (the chart's description and the table). */
export function levelText(level: OffsetLevel, t: Thresholds): string {
  switch (level) {
    case 'ok':
      return `fine (below ${formatSeconds(t.warn)})`;
    case 'warn':
      return `high (${formatSeconds(t.warn)} to ${formatSeconds(t.bad)})`;
    case 'bad':
      return `too high (${formatSeconds(t.bad)} or more)`;
    default:
      return 'not reported';
  }
}

/**
 * The decades the axis spans: from a microsecond (or the smallest offset) to a decade past the
 * higher threshold (or the largest offset).
 */
export function logDomain(magnitudes: number[], t: Thresholds): [number, number] {
  const positive = magnitudes.filter((m) => m > 0 && Number.isFinite(m));
  const lo = Math.max(MIN_DECADE, Math.min(-6, ...positive.map((m) => Math.floor(Math.log10(m)))));
  const hi = Math.max(Math.ceil(Math.log10(t.bad)) + 1, ...positive.map((m) => Math.ceil(Math.log10(m))));
  return [lo, hi];
}

/**
 * Chrony's last and RMS offsets as horizontal bars on a log scale of seconds (their magnitude;
 * the sign is in the value beside the bar), coloured green, yellow or red against the machine's
 * thresholds, which are drawn as lines. Plain SVG; one image for assistive technology, described
 * by its values (the table next to it has them too).
 */
export function ChronyChart({ title, offsets, thresholds }: { title: string; offsets: OffsetRow[]; thresholds: Thresholds }) {
  const id = useId();
  const magnitudes = offsets.map((o) => (o.value === null ? Number.NaN : Math.abs(o.value)));
  const [lo, hi] = logDomain(magnitudes, thresholds);
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = TOP + offsets.length * ROW + AXIS;
  const x = (seconds: number) => {
    const d = seconds > 0 ? Math.min(hi, Math.max(lo, Math.log10(seconds))) : lo;
    return LABEL_WIDTH + ((d - lo) / (hi - lo)) * plot;
  };
  const decades: number[] = [];
  for (let d = lo; d <= hi; d += 1) decades.push(d);
  const description = offsets
    .map((o) => `${o.label}: ${formatSeconds(o.value)}, ${levelText(o.level, thresholds)}`)
    .join('; ');

  return (
    <figure className="chrony-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width={WIDTH}
        height={height}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{`${description}. Log scale of seconds.`}</desc>
        <g className="chart-grid">
          {decades.map((d) => (
            <g key={d}>
              <line x1={x(10 ** d)} x2={x(10 ** d)} y1={TOP - 4} y2={TOP + offsets.length * ROW} />
              {(d % 3 === 0 || d === hi) && (
                <text x={x(10 ** d)} y={height - 6} textAnchor="middle" className="chart-tick">
                  {formatSeconds(10 ** d)}
                </text>
              )}
            </g>
          ))}
        </g>
        {(['warn', 'bad'] as const).map((level) => (
          <g key={level} className={`chrony-threshold chrony-${level}`}>
            <line x1={x(thresholds[level])} x2={x(thresholds[level])} y1={TOP - 6} y2={TOP + offsets.length * ROW} />
            <text x={x(thresholds[level])} y={TOP - 9} textAnchor="middle" className="chart-tick">
              {formatSeconds(thresholds[level])}
            </text>
          </g>
        ))}
        {offsets.map((o, i) => {
          const y = TOP + i * ROW + (ROW - BAR) / 2;
          const magnitude = o.value === null ? null : Math.abs(o.value);
          const end = magnitude === null ? LABEL_WIDTH : Math.max(LABEL_WIDTH + 2, x(magnitude));
          return (
            <g
              key={o.key}
              className={`chrony-bar chrony-${o.level}`}
              data-label={o.label}
              data-value={o.value ?? ''}
              data-level={o.level}
            >
              <title>{`${o.label}: ${formatSeconds(o.value)} (${levelText(o.level, thresholds)})`}</title>
              <text x={LABEL_WIDTH - 8} y={y + BAR / 2 + 4} textAnchor="end" className="chart-label">
                {o.label}
              </text>
              {magnitude !== null && (
                <rect x={LABEL_WIDTH} y={y} width={end - LABEL_WIDTH} height={BAR} rx={3} className="chrony-rect" />
              )}
              <text x={end + 6} y={y + BAR / 2 + 4} className="chart-value">
                {magnitude === null ? 'not reported' : formatSeconds(o.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted chart-note">
        Log scale. Green below {formatSeconds(thresholds.warn)}, yellow below {formatSeconds(thresholds.bad)}, red from{' '}
        {formatSeconds(thresholds.bad)}.
      </figcaption>
    </figure>
  );
}
