import type { LogRecord } from '@rlhf/core';
import type { PipelineResults, PipelineStats } from '@rlhf/pipeline';
import type { ReportContent } from './html-report.js';
import type { ChartSeries, ChartSpec } from './svg-chart.js';

/** Log records of a run by stage. */
export type StageLogs = Readonly<Record<'sft' | 'reward' | 'dpo', readonly LogRecord[]>>;

const STAGE_TITLES = { sft: 'Supervised fine-tuning (SFT)', reward: 'Reward model', dpo: 'DPO' } as const;

function series(name: string, records: readonly LogRecord[], pick: (r: LogRecord) => number | undefined): ChartSeries {
  const points: [number, number][] = [];
  for (const r of records) {
    const y = pick(r);
    if (y !== undefined && Number.isFinite(y)) points.push([r.step, y]);
  }
  return { name, points };
}

/** The charts of one stage: its loss (train and validation), then its metrics grouped by kind. */
function stageCharts(stage: keyof StageLogs, records: readonly LogRecord[]): ChartSpec[] {
  const train = records.filter((r) => r.kind === 'train');
  const evals = records.filter((r) => r.kind === 'eval');
  const charts: ChartSpec[] = [
    {
      title: `${STAGE_TITLES[stage]}: loss`,
      xLabel: 'optimizer step',
      yLabel: 'loss',
      series: [
        series('train', train, (r) => (r.kind === 'train' ? r.loss : undefined)),
        ...(evals.length ? [series('validation', evals, (r) => (r.kind === 'eval' ? r.val_loss : undefined))] : []),
      ],
    },
  ];
  const keys = [...new Set(train.flatMap((r) => Object.keys(r.metrics)))];
  const groups: [string, (k: string) => boolean][] = [
    ['accuracy', (k) => k.includes('accuracy')],
    ['reward margin', (k) => k.includes('margin')],
    ['rewards', (k) => /reward/.test(k) && !k.includes('margin') && !k.includes('accuracy')],
  ];
  for (const [label, match] of groups) {
    const chosen = keys.filter(match);
    if (chosen.length === 0) continue;
    charts.push({
      title: `${STAGE_TITLES[stage]}: ${label}`,
      xLabel: 'optimizer step',
      yLabel: label,
      series: chosen.map((k) => series(k, train, (r) => r.metrics[k])),
    });
  }
  return charts;
}

/**
 * The report of a pipeline run: headline figures, curves of every stage (loss, reward margin, accuracy),
 * the evaluation table and sample generations before/after DPO.
 *
 * @example
 * ```ts
 * const html = renderHtmlReport(pipelineReport(logs, pipeline.lay_ket_qua(), pipeline.thong_ke(), 'demo'));
 * ```
 */
export function pipelineReport(
  logs: StageLogs,
  results: PipelineResults,
  stats: PipelineStats,
  subtitle: string,
): ReportContent {
  const ev = results.evaluation;
  const fmt = (v: number | undefined, digits = 3) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
  return {
    title: 'RLHF pipeline report',
    subtitle,
    summary: [
      ['Stages done', `${[stats.sft_done, stats.reward_done, stats.rlhf_done].filter(Boolean).length} / 3`],
      ['SFT best loss', fmt(results.sft?.train_loss_min)],
      ['Reward model best loss', fmt(results.reward?.train_loss_min)],
      ['DPO final reward margin', fmt(results.rlhf?.final_reward_margin)],
      ['Mean reward: SFT → DPO', ev ? `${fmt(ev.mean_score_before)} → ${fmt(ev.mean_score_after)}` : '—'],
      ['DPO win rate', ev ? `${(ev.win_rate * 100).toFixed(0)}%` : '—'],
    ],
    sections: (['sft', 'reward', 'dpo'] as const).map((stage) => ({
      title: STAGE_TITLES[stage],
      charts: stageCharts(stage, logs[stage]),
    })),
    tables: ev
      ? [
          {
            title: `Evaluation on ${ev.prompts} held-out prompts (${ev.samples_per_prompt} sample(s) each), scored by the trained reward model`,
            columns: ['policy', 'mean reward', 'win rate vs SFT'],
            rows: [
              ['SFT (before DPO)', ev.mean_score_before, '—'],
              ['DPO', ev.mean_score_after, `${(ev.win_rate * 100).toFixed(1)}%`],
            ],
          },
        ]
      : [],
    samples: (ev?.samples ?? []).slice(0, 6).map((s) => ({
      prompt: s.prompt,
      before: s.before,
      after: s.after,
      scoreBefore: s.score_before,
      scoreAfter: s.score_after,
    })),
  };
}
