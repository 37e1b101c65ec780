import type { LogRecord } from '@rlhf/core';
import type { PipelineResults, PipelineStats } from '@rlhf/pipeline';
import type { ReportContent } from './html-report.js';
import type { ChartSeries, ChartSpec } from './svg-chart.js';

/** Log records of a run by stage. */
export type StageLogs = Readonly<Record<'sft' | 'reward' | 'dpo', readonly LogRecord[]>>;

const STAGE_TITLES = { sft: 'Supervised fine-tuning (SFT)', reward: 'Reward model', dpo: 'DPO' } as const;

/** How each `rlhf_method` is named in the report and on the console (the RL stage is stored as `dpo`). */
const RL_METHOD_NAMES: Readonly<Record<string, string>> = {
  dpo: 'DPO',
  grpo: 'GRPO',
  rloo: 'RLOO',
  kto: 'KTO',
  orpo: 'ORPO',
  simpo: 'SimPO',
};

/**
 * The RL stage's method name as shown (`'DPO'`, `'GRPO'`, `'KTO'`, …): the stage trainer's statistics carry
 * `rlhf_method` for every method but DPO.
 *
 * @example
 * ```ts
 * rlMethodName(pipeline.thong_ke()); // 'DPO'
 * ```
 */
export function rlMethodName(stats: PipelineStats): string {
  const method = (stats.dpo_trainer as { rlhf_method?: unknown } | null | undefined)?.rlhf_method;
  if (typeof method !== 'string') return 'DPO';
  return RL_METHOD_NAMES[method] ?? method;
}

function series(name: string, records: readonly LogRecord[], pick: (r: LogRecord) => number | undefined): ChartSeries {
  const points: [number, number][] = [];
  for (const r of records) {
    const y = pick(r);
    if (y !== undefined && Number.isFinite(y)) points.push([r.step, y]);
  }
  return { name, points };
}

/** The charts of one stage: its loss (train and validation), then its metrics grouped by kind. */
function stageCharts(stage: keyof StageLogs, records: readonly LogRecord[], rlName: string): ChartSpec[] {
  const stageTitle = stage === 'dpo' ? rlName : STAGE_TITLES[stage];
  const train = records.filter((r) => r.kind === 'train');
  const evals = records.filter((r) => r.kind === 'eval');
  const charts: ChartSpec[] = [
    {
      title: `${stageTitle}: loss`,
      xLabel: 'optimizer step',
      yLabel: 'loss',
      series: [
        series('train', train, (r) => (r.kind === 'train' ? r.loss : undefined)),
        ...(evals.length ? [series('validation', evals, (r) => (r.kind === 'eval' ? r.val_loss : undefined))] : []),
      ],
    },
  ];
  const keys = [...new Set(train.flatMap((r) => Object.keys(r.metrics)))];
  const valKeys = new Set(evals.flatMap((r) => Object.keys(r.metrics)));
  const groups: [string, (k: string) => boolean, ([number, number] | undefined)?][] = [
    ['accuracy', (k) => k.includes('accuracy'), [0, 1]],
    ['reward margin', (k) => k.includes('margin')],
    ['rewards', (k) => /reward/.test(k) && !k.includes('margin') && !k.includes('accuracy')],
  ];
  for (const [label, match, yRange] of groups) {
    const chosen = keys.filter(match);
    if (chosen.length === 0) continue;
    charts.push({
      title: `${stageTitle}: ${label}`,
      xLabel: 'optimizer step',
      yLabel: label,
      series: [
        ...chosen.map((k) => series(k, train, (r) => r.metrics[k])),
        // The same metric on the validation pairs (the loop logs it as `val_<name>` on eval records).
        ...chosen
          .filter((k) => valKeys.has(`val_${k}`))
          .map((k) => series(`val_${k}`, evals, (r) => r.metrics[`val_${k}`])),
      ],
      ...(yRange ? { yRange } : {}),
    });
  }
  return charts;
}

/** A reward model whose lowest training loss is below this has all but memorised its training pairs. */
export const REWARD_OVERFIT_LOSS = 0.01;

/** What the report shows beyond the run's logs and results. */
export interface PipelineReportOptions {
  /** The line under the title (config file, backend, time). */
  subtitle: string;
  /** What the preference data encodes (the config's `preference_description`). */
  preferenceDescription?: string;
  /** Language of the prompts and samples (the config's `language`), e.g. 'vi'. @defaultValue 'en' */
  language?: string;
}

/**
 * The stages the console announces ("stage sft started", …): SFT, reward model, DPO and, with evaluation
 * prompts, the evaluation; each done (run or restored) or not.
 */
export function pipelineStages(results: PipelineResults, stats: PipelineStats): { name: string; done: boolean }[] {
  return [
    { name: 'sft', done: stats.sft_done },
    { name: 'reward', done: stats.reward_done },
    { name: 'dpo', done: stats.rlhf_done },
    ...(results.evaluation ? [{ name: 'evaluation', done: true }] : []),
  ];
}

/** Validation accuracy below which a reward model at training loss ≈ 0 is taken to have memorised its pairs. */
export const REWARD_GENERALISES_ACCURACY = 0.9;

/**
 * The warning shown when the reward model's training loss reached about 0 (below {@link REWARD_OVERFIT_LOSS}):
 * it separates every training pair by a huge margin. The validation pairs, when given, tell memorising
 * (validation accuracy below {@link REWARD_GENERALISES_ACCURACY}) from a rule that is simply easy to learn;
 * either way its scores are overconfident, and the evaluation is scored by it. Null when there is nothing
 * to flag.
 */
export function rewardOverfitWarning(logs: StageLogs, results: PipelineResults): string | null {
  const lowest = results.reward?.train_loss_min;
  if (lowest === undefined || !Number.isFinite(lowest) || lowest >= REWARD_OVERFIT_LOSS) return null;
  const evals = logs.reward.filter((r) => r.kind === 'eval');
  const last = evals[evals.length - 1];
  const valAccuracy = last?.metrics.val_accuracy;
  const head = `Possible overfitting: the reward model's training loss reached ${lowest.toPrecision(2)} (≈ 0), so it separates every training pair by a very large margin.`;
  if (valAccuracy === undefined || last === undefined)
    return `${head} No validation pairs were given to tell memorising from learning (set preference_val_data); its scores of new responses, and the evaluation below, may not generalise.`;
  const figures = `accuracy ${valAccuracy.toFixed(3)} and loss ${last.val_loss.toFixed(3)} on the validation pairs`;
  return valAccuracy < REWARD_GENERALISES_ACCURACY
    ? `${head} With ${figures}, it has memorised its training pairs rather than learned their rule: its scores of new responses, and the evaluation below, may not generalise.`
    : `${head} With ${figures}, it also ranks pairs it never saw (the rule may simply be easy to learn), but its scores are overconfident, and the evaluation below, scored by it, can overstate the trained policy's gain.`;
}

/**
 * The report of a pipeline run: what the preferences encode, warnings, headline figures, curves of every
 * stage (loss, reward margin, accuracy; validation curves when validation data was given), the evaluation
 * table and sample generations before/after DPO.
 *
 * @example
 * ```ts
 * const html = renderHtmlReport(pipelineReport(logs, pipeline.lay_ket_qua(), pipeline.thong_ke(), { subtitle: 'demo' }));
 * ```
 */
export function pipelineReport(
  logs: StageLogs,
  results: PipelineResults,
  stats: PipelineStats,
  options: PipelineReportOptions,
): ReportContent {
  const ev = results.evaluation;
  const fmt = (v: number | undefined, digits = 3) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
  const stages = pipelineStages(results, stats);
  const warning = rewardOverfitWarning(logs, results);
  const rl = rlMethodName(stats);
  const rlResult = results.rlhf ?? results.offline ?? null;
  return {
    title: 'RLHF pipeline report',
    subtitle: options.subtitle,
    lang: 'en',
    ...(options.language && options.language !== 'en' ? { samplesLang: options.language } : {}),
    ...(options.preferenceDescription ? { description: options.preferenceDescription } : {}),
    warnings: warning ? [warning] : [],
    summary: [
      [
        'Stages done',
        `${stages.filter((s) => s.done).length} / ${stages.length} (${stages.map((s) => s.name).join(', ')})`,
      ],
      ['SFT best loss', fmt(results.sft?.train_loss_min)],
      ['Reward model best loss', `${fmt(results.reward?.train_loss_min)}${warning ? ' ⚠ overfitting?' : ''}`],
      [`${rl} final reward margin`, fmt(rlResult?.final_reward_margin)],
      [`Mean reward: SFT → ${rl}`, ev ? `${fmt(ev.mean_score_before)} → ${fmt(ev.mean_score_after)}` : '—'],
      [`${rl} win rate`, ev ? `${(ev.win_rate * 100).toFixed(0)}%` : '—'],
    ],
    sections: (['sft', 'reward', 'dpo'] as const).map((stage) => ({
      title: stage === 'dpo' ? rl : STAGE_TITLES[stage],
      charts: stageCharts(stage, logs[stage], rl),
    })),
    tables: ev
      ? [
          {
            title: `Evaluation on ${ev.prompts} held-out prompts (${ev.samples_per_prompt} sample(s) each), scored by the trained reward model`,
            columns: ['policy', 'mean reward', 'win rate vs SFT'],
            rows: [
              [`SFT (before ${rl})`, ev.mean_score_before, '—'],
              [rl, ev.mean_score_after, `${(ev.win_rate * 100).toFixed(1)}%`],
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
      ...(s.before_cut === undefined ? {} : { beforeCut: s.before_cut }),
      ...(s.after_cut === undefined ? {} : { afterCut: s.after_cut }),
    })),
  };
}
