import type { LogRecord } from '@rlhf/core';
import type { PipelineResults, PipelineStats } from '@rlhf/pipeline';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from './html-report.js';
import {
  pipelineReport,
  pipelineStages,
  REWARD_GENERALISES_ACCURACY,
  REWARD_OVERFIT_LOSS,
  rewardOverfitWarning,
} from './pipeline-report.js';

/** The control characters of a text other than tab and newline (none may reach the page). */
function controlCharacters(text: string): string[] {
  return [...text].filter((c) => {
    const code = c.charCodeAt(0);
    return (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
  });
}

const train = (step: number, loss: number, metrics: Record<string, number>): LogRecord => ({
  kind: 'train',
  step,
  epoch: step / 4,
  loss,
  learning_rate: 1e-3,
  grad_norm: 1,
  tokens_per_second: 100,
  metrics,
});
const evaluation = (step: number, val_loss: number, metrics: Record<string, number>): LogRecord => ({
  kind: 'eval',
  step,
  epoch: step / 4,
  val_loss,
  metrics,
});

/** Logs of a run whose reward model fitted its pairs down to a loss of `rewardLoss`. */
function logsOf(rewardLoss: number, withValidation: boolean) {
  return {
    sft: [train(1, 2.5, {}), train(2, 2.1, {})],
    reward: [
      ...(withValidation ? [evaluation(0, 0.69, { val_accuracy: 0.5 })] : []),
      train(2, 0.6, { accuracy: 0.7, reward_margin: 0.2 }),
      train(4, rewardLoss, { accuracy: 1, reward_margin: 9 }),
      ...(withValidation ? [evaluation(4, 0.9, { val_accuracy: 0.62, val_reward_margin: 0.4 })] : []),
    ],
    dpo: [
      ...(withValidation ? [evaluation(0, Math.LN2, { val_reward_accuracy: 0, val_reward_margin: 0 })] : []),
      train(2, 0.68, { reward_accuracy: 0.6, reward_margin: 0.05, chosen_rewards: 0.01 }),
      train(4, 0.6, { reward_accuracy: 0.8, reward_margin: 0.3, chosen_rewards: 0.02 }),
      ...(withValidation ? [evaluation(4, 0.65, { val_reward_accuracy: 0.7, val_reward_margin: 0.2 })] : []),
    ],
  };
}

function resultsOf(rewardLoss: number, withEvaluation: boolean): PipelineResults {
  return {
    sft: { train_loss_min: 2.1 },
    reward: { train_loss_min: rewardLoss },
    rlhf: { final_reward_margin: 0.3 },
    evaluation: withEvaluation
      ? {
          prompts: 1,
          samples_per_prompt: 2,
          mean_score_before: 0.1,
          mean_score_after: 0.4,
          win_rate: 0.5,
          samples: [
            {
              prompt: 'P',
              before: 'cut off',
              after: 'ended.',
              score_before: 0,
              score_after: 1,
              before_cut: true,
              after_cut: false,
            },
            {
              prompt: 'P',
              before: 'a\u0007b',
              after: 'x\ry',
              score_before: 0,
              score_after: 1,
              before_cut: false,
              after_cut: true,
            },
          ],
        }
      : null,
  } as unknown as PipelineResults;
}

const stats = { sft_done: true, reward_done: true, rlhf_done: true } as PipelineStats;

describe('pipelineReport', () => {
  it('counts the stages the console announces: the evaluation is one when it ran', () => {
    expect(pipelineStages(resultsOf(0.5, true), stats).map((s) => s.name)).toEqual([
      'sft',
      'reward',
      'dpo',
      'evaluation',
    ]);
    const withEval = pipelineReport(logsOf(0.5, false), resultsOf(0.5, true), stats, { subtitle: 's' });
    expect(withEval.summary[0]).toEqual(['Stages done', '4 / 4 (sft, reward, dpo, evaluation)']);
    const without = pipelineReport(logsOf(0.5, false), resultsOf(0.5, false), stats, { subtitle: 's' });
    expect(without.summary[0]).toEqual(['Stages done', '3 / 3 (sft, reward, dpo)']);
    const partial = pipelineReport(
      logsOf(0.5, false),
      resultsOf(0.5, false),
      { ...stats, rlhf_done: false },
      { subtitle: 's' },
    );
    expect(partial.summary[0]?.[1]).toMatch(/^2 \/ 3/);
  });

  it('names the RL stage by its method: DPO by default, else the rlhf_method (KTO, SimPO, GRPO, ...)', () => {
    const dpo = pipelineReport(logsOf(0.5, false), resultsOf(0.5, true), stats, { subtitle: 's' });
    expect(dpo.sections.map((s) => s.title)).toEqual(['Supervised fine-tuning (SFT)', 'Reward model', 'DPO']);
    expect(dpo.summary.map((r) => r[0])).toContain('Mean reward: SFT → DPO');
    for (const [method, name] of [
      ['kto', 'KTO'],
      ['simpo', 'SimPO'],
      ['grpo', 'GRPO'],
    ] as const) {
      const withMethod = { ...stats, dpo_trainer: { rlhf_method: method } } as unknown as PipelineStats;
      const content = pipelineReport(logsOf(0.5, false), resultsOf(0.5, true), withMethod, { subtitle: 's' });
      expect(content.sections[2]?.title).toBe(name);
      expect(content.sections[2]?.charts[0]?.title).toBe(`${name}: loss`);
      expect(content.summary.map((r) => r[0])).toEqual(
        expect.arrayContaining([`Mean reward: SFT → ${name}`, `${name} win rate`]),
      );
      expect(content.tables[0]?.rows.map((r) => r[0])).toEqual([`SFT (before ${name})`, name]);
      expect(JSON.stringify(content)).not.toMatch(/\bDPO\b/);
    }
  });

  it('draws validation curves beside training when validation records exist', () => {
    const content = pipelineReport(logsOf(0.5, true), resultsOf(0.5, false), stats, { subtitle: 's' });
    const dpo = content.sections[2]?.charts ?? [];
    const loss = dpo.find((c) => c.yLabel === 'loss');
    expect(loss?.series.map((s) => [s.name, s.points.length])).toEqual([
      ['train', 2],
      ['validation', 2],
    ]);
    const accuracy = dpo.find((c) => c.yLabel === 'accuracy');
    expect(accuracy?.series.map((s) => s.name)).toEqual(['reward_accuracy', 'val_reward_accuracy']);
    expect(accuracy?.series[1]?.points).toEqual([
      [0, 0],
      [4, 0.7],
    ]);
    const reward = content.sections[1]?.charts.find((c) => c.yLabel === 'accuracy');
    expect(reward?.series.map((s) => s.name)).toEqual(['accuracy', 'val_accuracy']);
    // Without validation records, the charts hold the training series only.
    const plain = pipelineReport(logsOf(0.5, false), resultsOf(0.5, false), stats, { subtitle: 's' });
    expect(plain.sections[2]?.charts.find((c) => c.yLabel === 'accuracy')?.series).toHaveLength(1);
  });

  it('puts every accuracy chart on a fixed [0, 1] axis', () => {
    const content = pipelineReport(logsOf(0.5, true), resultsOf(0.5, false), stats, { subtitle: 's' });
    const accuracy = content.sections.flatMap((s) => s.charts).filter((c) => c.yLabel === 'accuracy');
    expect(accuracy).toHaveLength(2);
    for (const c of accuracy) expect(c.yRange).toEqual([0, 1]);
    const html = renderHtmlReport(content);
    // The tick labels of an accuracy chart run from 0 to 1 whatever the data's range (0.5 … 1 here).
    const svg = html.slice(html.indexOf('Reward model: accuracy'));
    const ticks = [...svg.slice(0, svg.indexOf('</svg>')).matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    expect(ticks).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
  });

  it(`flags a reward model whose training loss fell below ${REWARD_OVERFIT_LOSS}`, () => {
    expect(rewardOverfitWarning(logsOf(0.3, true), resultsOf(0.3, false))).toBeNull();
    const warning = rewardOverfitWarning(logsOf(0.0004, true), resultsOf(0.0004, false));
    expect(warning).toMatch(/overfitting/i);
    expect(warning).toContain('0.00040');
    expect(warning).toContain('accuracy 0.620 and loss 0.900 on the validation pairs');
    expect(warning).toContain('memorised its training pairs');
    expect(rewardOverfitWarning(logsOf(0.0004, false), resultsOf(0.0004, false))).toContain('preference_val_data');
    // Validation accuracy at or above the threshold: the rule is learned, but the scores are overconfident.
    const learned = logsOf(0.0004, true);
    const lastEval = learned.reward[learned.reward.length - 1] as LogRecord & { kind: 'eval' };
    lastEval.metrics.val_accuracy = REWARD_GENERALISES_ACCURACY;
    const easy = rewardOverfitWarning(learned, resultsOf(0.0004, false));
    expect(easy).toContain('ranks pairs it never saw');
    expect(easy).toContain('overstate');
    expect(easy).not.toContain('memorised');
    const content = pipelineReport(logsOf(0.0004, true), resultsOf(0.0004, false), stats, { subtitle: 's' });
    expect(content.warnings).toHaveLength(1);
    expect(renderHtmlReport(content)).toContain('<p class="warning" role="note">Possible overfitting');
  });

  it('says what the preferences encode, sets lang, and marks cut samples with "…"', () => {
    const content = pipelineReport(logsOf(0.5, false), resultsOf(0.5, true), stats, {
      subtitle: 's',
      preferenceDescription: 'A happy ending over a sad one.',
      language: 'vi',
    });
    const html = renderHtmlReport(content);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<b>What the preferences encode:</b> A happy ending over a sad one.');
    expect(html).toContain('<pre lang="vi">cut off<span class="cut" title="cut at the token limit">…</span></pre>');
    expect(html).toContain('<pre lang="vi">ended.</pre>');
    expect(html).toContain('<pre lang="vi">a\u2407b</pre>');
    expect(html).toContain('<pre lang="vi">x\u240dy<span class="cut"');
    expect(controlCharacters(html)).toEqual([]);
    const english = renderHtmlReport(
      pipelineReport(logsOf(0.5, false), resultsOf(0.5, true), stats, { subtitle: 's' }),
    );
    expect(english).toContain('<pre>cut off<span class="cut"');
    expect(english).not.toContain('What the preferences encode');
  });
});
