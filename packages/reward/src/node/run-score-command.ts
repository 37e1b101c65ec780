/// <reference types="node" />
import type { RewardScoringModel } from '@rlhf/models';
import type { RewardConfig } from '../reward-config.js';
import { RewardModel } from '../reward-trainer.js';
import type { ScoredText } from '../scoring/score-texts.js';
import { readTextsFile } from './read-texts-file.js';

/** Arguments of {@link runScoreCommand} (what `rlhf score` passes). */
export interface ScoreCommandArgs {
  /** A saved reward model (`loadRewardModel(dir)`); its μ, σ normalise the scores. */
  model: RewardScoringModel;
  /** A JSON array (or JSONL) of strings. */
  texts: string;
  /** RewardModel options used for scoring (`scoring_batch_size`, `max_seq_length`). */
  options?: RewardConfig;
}

/**
 * The core of `rlhf score`: reads the texts file and scores it with `diem_danh_gia`, returning
 * `[{ van_ban, score, score_normalized }]` in file order (what `rlhf score --json` prints).
 *
 * @example
 * ```ts
 * import { loadRewardModel, runScoreCommand } from '@rlhf/reward/node';
 * const records = await runScoreCommand({ model: await loadRewardModel('out/rm'), texts: 'texts.json' });
 * ```
 */
export async function runScoreCommand(args: ScoreCommandArgs): Promise<ScoredText[]> {
  const trainer = new RewardModel(args.options ?? {});
  const texts = await readTextsFile(args.texts);
  return trainer.diem_danh_gia(args.model, texts);
}
