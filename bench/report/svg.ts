/**
 * A small grouped horizontal bar chart in SVG (no dependencies): one group per benchmark
 * case, one bar per implementation. Bars of a group are scaled to the group's slowest
 * implementation (cases differ by orders of magnitude), and each bar is labelled with its
 * value, so a chart reads as "who is fastest on each case, and by how much".
 */

export interface Bar {
  /** Implementation (series) name: picks the colour and the legend entry. */
  series: string;
  /** The value (time: lower is better). */
  value: number;
  /** Text printed after the bar (default: the value with 3 significant digits). */
  label?: string;
}

export interface Group {
  label: string;
  bars: Bar[];
}

const PALETTE: Record<string, string> = {
  numbats: '#2b6cb0',
  'plain JS': '#a0aec0',
  'ndarray-ops': '#d69e2e',
  'gpu.js': '#9f7aea',
  'jax-js': '#e53e3e',
  NumPy: '#38a169',
  Numba: '#dd6b20',
};
const EXTRA = ['#319795', '#b83280', '#718096', '#2c5282'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Render the chart. `unit` is printed in the subtitle. */
export function barChart(title: string, groups: readonly Group[], unit: string): string {
  const series: string[] = [];
  for (const g of groups) for (const b of g.bars) if (!series.includes(b.series)) series.push(b.series);
  const colour = (s: string) => PALETTE[s] ?? EXTRA[series.indexOf(s) % EXTRA.length]!;
  const width = 900;
  const labelW = 0;
  const barH = 14;
  const gap = 3;
  const groupGap = 14;
  const chartX = 150;
  const chartW = width - chartX - 90;
  let y = 58;
  const parts: string[] = [];
  for (const g of groups) {
    parts.push(`<text x="10" y="${y + 11}" class="g">${esc(g.label)}</text>`);
    y += 16;
    const max = Math.max(...g.bars.map((b) => b.value));
    for (const b of g.bars) {
      const w = max > 0 ? Math.max(1, (b.value / max) * chartW) : 1;
      parts.push(
        `<text x="${chartX - 6}" y="${y + barH - 3}" class="s" text-anchor="end">${esc(b.series)}</text>`,
        `<rect x="${chartX}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${colour(b.series)}"><title>${esc(`${b.series}: ${b.label ?? fmt(b.value)}`)}</title></rect>`,
        `<text x="${(chartX + w + 4).toFixed(1)}" y="${y + barH - 3}" class="v">${esc(b.label ?? fmt(b.value))}</text>`,
      );
      y += barH + gap;
    }
    y += groupGap;
  }
  const height = y + 10 + labelW;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">`,
    '<style>.t{font-size:16px;font-weight:600}.u{font-size:12px;fill:#4a5568}.g{font-size:12px;font-weight:600;fill:#1a202c}.s{font-size:11px;fill:#2d3748}.v{font-size:11px;fill:#1a202c}</style>',
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="22" class="t">${esc(title)}</text>`,
    `<text x="10" y="42" class="u">${esc(unit)} — lower is better; bars scaled per case to its slowest implementation</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** 3 significant digits. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}
