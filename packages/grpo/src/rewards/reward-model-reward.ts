import { InvalidArgumentError, noGrad, tidy } from '@rlhf/core';
import { padRight, type RewardScoringModel, type Tokenizer } from '@rlhf/models';
import type { RewardFunction } from './reward-function.js';

/** Options of {@link rewardModelReward}. */
export interface RewardModelRewardOptions {
  /** Sequences per forward pass. @defaultValue 16 */
  batchSize?: number;
  /** Longest scored sequence (tokens); longer ones keep their first tokens and EOS. @defaultValue the model's context */
  maxLength?: number;
  /** Tokenizer; defaults to the reward model's own. */
  tokenizer?: Tokenizer;
  /** The name the reward is logged under. @defaultValue 'reward_model' */
  name?: string;
}

/**
 * A reward function from a reward model trained by `@rlhf/reward`'s `RewardModel`: each completion is
 * scored as `BOS + prompt + completion + EOS` — the layout the model was trained on (prompt and response
 * tokens concatenated, EOS last) — with the scalar head on the last token, forward only, in batches. The
 * raw score is the reward (group normalisation removes its scale; with `scale_rewards: 'none'` the scale
 * matters). Pass the result in `reward_funcs` like any other reward.
 *
 * @example
 * ```ts
 * const rm = await loadRewardModel('runs/x/reward_model', backend);
 * await new GRPOTrainer().huan_luyen(policy, null, prompts, [rewardModelReward(rm)]);
 * ```
 */
export function rewardModelReward(model: RewardScoringModel, options: RewardModelRewardOptions = {}): RewardFunction {
  const tok = options.tokenizer ?? model.tokenizer;
  if (!tok)
    throw new InvalidArgumentError(
      'rewardModelReward',
      'model',
      'a model without tokenizer',
      'must have a tokenizer, or pass options.tokenizer',
    );
  const batchSize = options.batchSize ?? 16;
  const context =
    (model.config as { max_position_embeddings?: number; n_positions?: number }).max_position_embeddings ??
    (model.config as { n_positions?: number }).n_positions ??
    1024;
  const maxLength = Math.min(options.maxLength ?? context, context);
  const eos = tok.eosTokenId;
  const fn = async (prompts: string[], completions: string[]): Promise<number[]> => {
    const rows = completions.map((c, i) => {
      const ids = [...tok.encode(prompts[i] ?? ''), ...tok.encode(c, { addSpecialTokens: false })];
      if (eos !== undefined) ids.push(eos);
      return ids.length <= maxLength ? ids : [...ids.slice(0, maxLength - 1), ...(eos === undefined ? [] : [eos])];
    });
    const out: number[] = [];
    const was = model.training;
    model.eval();
    try {
      for (let s = 0; s < rows.length; s += batchSize) {
        const scores = tidy(() =>
          noGrad(() => model.scoreBatch(padRight(model.backend, rows.slice(s, s + batchSize), 0))),
        );
        out.push(...Array.from(await scores.data()));
        scores.dispose();
      }
    } finally {
      model.train(was);
    }
    return out;
  };
  Object.defineProperty(fn, 'name', { value: options.name ?? 'reward_model' });
  return fn;
}
