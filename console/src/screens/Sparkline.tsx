/**
 * A score's trend as a small inline SVG line (no chart library): the points are the figures of
 * the last evaluations, oldest first; the text alternative says the same in words.
 */
import { percent } from '../format';

const W = 64;
const H = 16;

export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const known = values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] !== null);
  const text =
    known.length === 0
      ? `${label}: no score yet`
      : `${label}: ${known.map(([, v]) => percent(v)).join(', ')} over the last ${values.length} evaluations`;
  const step = values.length > 1 ? W / (values.length - 1) : 0;
  const points = known.map(([i, v]) => `${(i * step).toFixed(1)},${(H - 1 - v * (H - 2)).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={text}>
      <title>{text}</title>
      {known.length > 1 ? <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" /> : null}
      {known.length === 1 ? <circle cx={W / 2} cy={H / 2} r="2" fill="currentColor" /> : null}
    </svg>
  );
}
