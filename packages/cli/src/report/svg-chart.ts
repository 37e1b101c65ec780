/** One line of a chart: (x, y) points in order. */
export interface ChartSeries {
  name: string;
  points: readonly (readonly [number, number])[];
}

/** A line chart of one or more series. */
export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  /** A fixed y range (accuracies: `[0, 1]`); without it the range follows the data. */
  yRange?: readonly [number, number];
}

const WIDTH = 520;
const HEIGHT = 280;
const PAD = { left: 58, right: 16, top: 18, bottom: 42 };
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML and SVG. Control characters other than tab and newline (which a generated sample may
 * hold, and which HTML would drop or render as nothing) are shown as visible symbols: U+0000–U+001F as the
 * Control Pictures block's ␀…␟ (so `\r` is ␍), DEL as ␡, and U+0080–U+009F as `\u0085`-style text.
 */
export function escapeHtml(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point here.
  return text.replace(/[&<>"']|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => {
    const escaped = HTML_ESCAPES[c];
    if (escaped !== undefined) return escaped;
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** About five round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const span = hi - lo || 1;
  const step = 10 ** Math.floor(Math.log10(span / 5));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 6) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(lo / nice) * nice; v <= hi + 1e-12; v += nice) out.push(Number(v.toPrecision(12)));
  return out;
}

function format(v: number): string {
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

/**
 * Renders a line chart as inline SVG (no script, no external files): axes with ticks, one polyline per
 * series, and a legend (an HTML list above the plot, so long names never overlap). Each polyline carries `data-points` (its point count) so tests can check for drawn
 * data. A chart without points says so instead of drawing empty axes.
 *
 * @example
 * ```ts
 * const svg = renderLineChart({ title: 'SFT loss', xLabel: 'step', yLabel: 'loss', series: [{ name: 'train', points: [[1, 2.3], [2, 2.1]] }] });
 * ```
 */
export function renderLineChart(spec: ChartSpec): string {
  const all = spec.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const head = `<figure class="chart"><figcaption>${escapeHtml(spec.title)}</figcaption>`;
  if (all.length === 0) return `${head}<p class="empty">No data recorded.</p></figure>`;
  let [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (spec.yRange) {
    // A fixed range (accuracy in [0, 1]) is widened only by data outside it, never narrowed to the data.
    [y0, y1] = [Math.min(spec.yRange[0], y0), Math.max(spec.yRange[1], y1)];
  } else {
    if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
    const margin = (y1 - y0) * 0.05;
    [y0, y1] = [y0 - margin, y1 + margin];
  }
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (WIDTH - PAD.left - PAD.right);
  const sy = (y: number) => HEIGHT - PAD.bottom - ((y - y0) / (y1 - y0)) * (HEIGHT - PAD.top - PAD.bottom);
  const parts: string[] = [];
  for (const t of ticks(y0, y1)) {
    parts.push(`<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${sy(t)}" y2="${sy(t)}"/>`);
    parts.push(`<text class="tick" x="${PAD.left - 6}" y="${sy(t) + 4}" text-anchor="end">${format(t)}</text>`);
  }
  for (const t of ticks(x0, x1)) {
    parts.push(
      `<text class="tick" x="${sx(t)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${format(t)}</text>`,
    );
  }
  parts.push(`<line class="axis" x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}"/>`);
  parts.push(
    `<line class="axis" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${HEIGHT - PAD.bottom}" y2="${HEIGHT - PAD.bottom}"/>`,
  );
  parts.push(
    `<text class="label" x="${(WIDTH + PAD.left) / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>`,
  );
  parts.push(
    `<text class="label" transform="translate(14 ${(HEIGHT - PAD.bottom + PAD.top) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`,
  );
  spec.series.forEach((s, i) => {
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    const color = COLORS[i % COLORS.length] as string;
    const d = pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline class="series" data-series="${escapeHtml(s.name)}" data-points="${pts.length}" fill="none" stroke="${color}" stroke-width="2" points="${d}"/>`,
    );
    if (pts.length === 1)
      parts.push(
        `<circle cx="${sx((pts[0] as [number, number])[0])}" cy="${sy((pts[0] as [number, number])[1])}" r="3" fill="${color}"/>`,
      );
  });
  const legend = spec.series
    .map(
      (s, i) =>
        `<li><span class="swatch" style="background:${COLORS[i % COLORS.length]}"></span>${escapeHtml(s.name)}</li>`,
    )
    .join('');
  return `${head}<ul class="legend">${legend}</ul><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(spec.title)}">${parts.join('')}</svg></figure>`;
}
