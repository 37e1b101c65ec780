/** Escapes text for SVG/HTML. */
export function escapeText(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

/**
 * A small line chart as SVG markup: one polyline (`data-points` = its point count) scaled to the values'
 * range, with the first and last values written beside it. An empty series draws "No steps yet".
 */
export function lineChart(title: string, values: readonly number[], color: string): string {
  const w = 320;
  const h = 140;
  const pad = 28;
  const head = `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeText(title)}"><rect width="${w}" height="${h}" fill="#fff" stroke="#ccc"/><text x="8" y="16" font-size="12" font-family="sans-serif">${escapeText(title)}</text>`;
  if (values.length === 0)
    return `${head}<text x="${pad}" y="${h / 2}" font-size="12" fill="#888">No steps yet</text></svg>`;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const x = (i: number) => pad + (values.length === 1 ? 0 : (i / (values.length - 1)) * (w - 2 * pad));
  const y = (v: number) => h - pad + 6 - ((v - min) / span) * (h - 2 * pad);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const first = values[0] as number;
  const last = values[values.length - 1] as number;
  return `${head}<polyline class="series" data-points="${values.length}" fill="none" stroke="${color}" stroke-width="3" points="${points}"/><text x="${pad}" y="${h - 4}" font-size="11" font-family="sans-serif">${first.toFixed(3)} → ${last.toFixed(3)} (${values.length} steps)</text></svg>`;
}
