import { type ChartSpec, escapeHtml, renderLineChart } from './svg-chart.js';

/** A table of the report. */
export interface ReportTable {
  title: string;
  columns: readonly string[];
  rows: readonly (readonly (string | number)[])[];
}

/** A generated sample shown before and after training. */
export interface ReportSample {
  prompt: string;
  before: string;
  after: string;
  scoreBefore?: number;
  scoreAfter?: number;
  /** `before` was cut by the token limit (shown ending in "…"). */
  beforeCut?: boolean;
  /** `after` was cut by the token limit (shown ending in "…"). */
  afterCut?: boolean;
}

/** Everything a run report shows. */
export interface ReportContent {
  title: string;
  subtitle?: string;
  /** Language of the report's own text (`<html lang>`). @defaultValue 'en' */
  lang?: string;
  /** Language of the prompts and sample generations, when it differs from `lang` (e.g. 'vi'). */
  samplesLang?: string;
  /** What the run's preference data encodes, in one or two sentences (shown under the title). */
  description?: string;
  /** Warnings about the run (an overfitted reward model, ...), shown before the figures. */
  warnings?: readonly string[];
  /** Headline figures, label → value. */
  summary: readonly (readonly [string, string])[];
  /** Charts grouped in sections (one section per stage). */
  sections: readonly { title: string; charts: readonly ChartSpec[] }[];
  tables: readonly ReportTable[];
  samples: readonly ReportSample[];
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;background:#f8fafc;color:#0f172a}
header{background:#0f172a;color:#f8fafc;padding:20px 32px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#cbd5e1}
main{padding:20px 32px;max-width:1180px}
.summary{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:8px}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:20px}.card span{color:#475569;font-size:13px}
h2{margin:28px 0 8px;font-size:18px}.charts{display:flex;flex-wrap:wrap;gap:16px}
.chart{background:#fff;border:1px solid #e2e8f0;border-radius:8px;margin:0;padding:8px}
figcaption{font-weight:600;margin:0 0 4px 6px}.empty{color:#64748b;margin:40px 60px}
.grid{stroke:#e2e8f0}.axis{stroke:#334155}.tick{font-size:11px;fill:#334155}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;margin:0 0 2px 6px;padding:0;font-size:12px;color:#334155;max-width:500px}
.swatch{display:inline-block;width:10px;height:10px;margin-right:5px;border-radius:2px}.label{font-size:12px;fill:#0f172a}
table{border-collapse:collapse;background:#fff;border:1px solid #e2e8f0}th,td{padding:6px 12px;border-bottom:1px solid #e2e8f0;text-align:left}
th{background:#f1f5f9}td.num{text-align:right;font-variant-numeric:tabular-nums}
.sample{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:10px 14px;margin:10px 0}
.sample .cols{display:grid;grid-template-columns:1fr 1fr;gap:14px}.cut{color:#64748b}
.about{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:10px 14px;margin:0 0 14px}
.warning{background:#fef3c7;border:1px solid #f59e0b;border-radius:8px;padding:10px 14px;margin:0 0 14px}.sample pre{white-space:pre-wrap;margin:4px 0;font:13px/1.45 ui-monospace,monospace}
`;

/**
 * Renders a self-contained HTML report (inline CSS and SVG, no scripts, no network) of a training run:
 * headline figures, one section of curves per stage, tables, and sample generations before/after.
 *
 * @example
 * ```ts
 * writeFileSync('report.html', renderHtmlReport({ title: 'RLHF run', summary: [], sections: [], tables: [], samples: [] }));
 * ```
 */
export function renderHtmlReport(content: ReportContent): string {
  const summary = content.summary
    .map(([k, v]) => `<div class="card"><span>${escapeHtml(k)}</span><b>${escapeHtml(v)}</b></div>`)
    .join('');
  const sections = content.sections
    .map(
      (s) =>
        `<section><h2>${escapeHtml(s.title)}</h2><div class="charts">${s.charts.map(renderLineChart).join('')}</div></section>`,
    )
    .join('');
  const tables = content.tables
    .map(
      (t) =>
        `<section><h2>${escapeHtml(t.title)}</h2><table><thead><tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${t.rows
          .map(
            (r) =>
              `<tr>${r.map((v) => (typeof v === 'number' ? `<td class="num">${escapeHtml(formatNumber(v))}</td>` : `<td>${escapeHtml(v)}</td>`)).join('')}</tr>`,
          )
          .join('')}</tbody></table></section>`,
    )
    .join('');
  const lang =
    content.samplesLang && content.samplesLang !== content.lang ? ` lang="${escapeHtml(content.samplesLang)}"` : '';
  const text = (t: string, cut: boolean | undefined) =>
    `<pre${lang}>${escapeHtml(t)}${cut ? '<span class="cut" title="cut at the token limit">…</span>' : ''}</pre>`;
  const samples = content.samples.length
    ? `<section><h2>Sample generations</h2>${
        content.samples.some((s) => s.beforeCut || s.afterCut)
          ? '<p>A response ending in “…” was cut at the token limit (no end-of-text token yet).</p>'
          : ''
      }${content.samples
        .map(
          (s) =>
            `<div class="sample"><div><b>Prompt</b>${text(s.prompt, false)}</div><div class="cols"><div><b>Before${score(s.scoreBefore)}</b>${text(s.before, s.beforeCut)}</div><div><b>After${score(s.scoreAfter)}</b>${text(s.after, s.afterCut)}</div></div></div>`,
        )
        .join('')}</section>`
    : '';
  const about = content.description
    ? `<p class="about"><b>What the preferences encode:</b> ${escapeHtml(content.description)}</p>`
    : '';
  const warnings = (content.warnings ?? []).map((w) => `<p class="warning" role="note">${escapeHtml(w)}</p>`).join('');
  return `<!doctype html><html lang="${escapeHtml(content.lang ?? 'en')}"><head><meta charset="utf-8"><title>${escapeHtml(content.title)}</title><style>${STYLE}</style></head><body><header><h1>${escapeHtml(content.title)}</h1>${content.subtitle ? `<p>${escapeHtml(content.subtitle)}</p>` : ''}</header><main>${about}${warnings}<div class="summary">${summary}</div>${sections}${tables}${samples}</main></body></html>\n`;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

function score(v: number | undefined): string {
  return v === undefined ? '' : ` (reward ${v.toFixed(3)})`;
}
