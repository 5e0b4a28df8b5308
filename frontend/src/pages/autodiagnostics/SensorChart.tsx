import { useId } from 'react';
import { CHANNEL_LABELS, niceTicks, type Channel, type SensorSeries } from './sensors';

const WIDTH = 720;
const HEIGHT = 260;
const LEFT = 58;
const RIGHT = 14;
const TOP = 26;
const BOTTOM = 38;
/** Above this many samples the points are not drawn one by one (the line is). */
const MAX_DOTS = 400;

/** A value with four significant digits at most: `-97.9`, `1.846`, `0.0012`. */
export function formatReading(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return String(Number(value.toPrecision(4)));
}

/** Seconds as `1.25 s`. */
export function formatOffset(seconds: number): string {
  return `${formatReading(seconds)} s`;
}

/**
 * One channel of a run's sensors over time: the line of its samples in each state on the seconds
 * since the first sample, with each state of the self-test as a shaded band numbered as in the states
 * table. Plain SVG; one image for assistive technology, described by its range (the table
 * beside it has the numbers per state).
 */
export function SensorChart({ series, channel }: { series: SensorSeries; channel: Channel }) {
  const id = useId();
  const label = CHANNEL_LABELS[channel];
  const range = series.ranges[channel];
  if (!range) return <p className="chart-empty">No {label.toLowerCase()} samples in this run.</p>;

  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const yTicks = niceTicks(range.min, range.max, 5);
  const yMin = yTicks[0]!;
  const yMax = yTicks[yTicks.length - 1]!;
  const duration = series.duration > 0 ? series.duration : 1;
  const xTicks = niceTicks(0, duration, 8).filter((t) => t >= 0 && t <= duration + 1e-9);
  const x = (t: number) => LEFT + (t / duration) * plotWidth;
  const y = (v: number) => TOP + ((yMax - v) / (yMax - yMin || 1)) * plotHeight;

  // One line per state (nothing was sampled between states), broken where a sample has no
  // value for this channel.
  let path = '';
  let drawing: string | null = null;
  for (const p of series.points) {
    const v = p[channel];
    if (v === null) {
      drawing = null;
      continue;
    }
    path += `${drawing === p.state ? 'L' : 'M'}${x(p.t).toFixed(1)} ${y(v).toFixed(1)}`;
    drawing = p.state;
  }
  const samples = series.points.filter((p) => p[channel] !== null);
  const description = `${label} from ${formatReading(range.min)} to ${formatReading(range.max)} over ${formatOffset(series.duration)}, ${samples.length} samples in ${series.states.length} states.`;

  return (
    <figure className="sensor-chart" data-channel={channel} data-samples={samples.length}>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-title`}>{`${label} over time`}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <g className="sensor-bands">
          {series.states.map((s, i) => {
            const x0 = x(s.start);
            const width = Math.max(2, x(s.end) - x0);
            return (
              <g key={s.name} className={`sensor-band sensor-band-${i % 2}`} data-state={s.name}>
                <title>{`${i + 1}. ${s.label}: ${formatOffset(s.start)} to ${formatOffset(s.end)}`}</title>
                <rect x={x0} y={TOP} width={width} height={plotHeight} />
                {width >= 12 && (
                  <text x={x0 + width / 2} y={TOP - 8} textAnchor="middle" className="chart-tick">
                    {i + 1}
                  </text>
                )}
              </g>
            );
          })}
        </g>
        <g className="chart-grid">
          {yTicks.map((t) => (
            <g key={`y${t}`}>
              <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(t)} y2={y(t)} />
              <text x={LEFT - 6} y={y(t) + 4} textAnchor="end" className="chart-tick">
                {formatReading(t)}
              </text>
            </g>
          ))}
          {xTicks.map((t) => (
            <text key={`x${t}`} x={x(t)} y={HEIGHT - BOTTOM + 16} textAnchor="middle" className="chart-tick">
              {formatReading(t)}
            </text>
          ))}
          <text x={LEFT + plotWidth / 2} y={HEIGHT - 4} textAnchor="middle" className="chart-tick">
            seconds since the first sample
          </text>
        </g>
        <path d={path} className="sensor-line" />
        {samples.length <= MAX_DOTS &&
          samples.map((p, i) => (
            <circle key={i} cx={x(p.t)} cy={y(p[channel]!)} r={2.5} className="sensor-dot">
              <title>{`${formatOffset(p.t)} · ${p.state}: ${formatReading(p[channel])}`}</title>
            </circle>
          ))}
      </svg>
    </figure>
  );
}
