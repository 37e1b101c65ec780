import { runCpoCommand, runOrpoCommand } from '@rlhf/cpo/node';
import type { ParsedArgs } from '../args.js';
import type { CommandOutput } from '../output.js';
import { runPreferenceTraining, warnAboutPairs } from './train.js';

/**
 * `rlhf orpo --model DIR --data FILE --out DIR [--overwrite] [--skip-invalid] [--config FILE] [--<option> VALUE ...]`:
 * ORPOTrainer on the policy alone (no reference model is loaded). Result: the `huan_luyen` result.
 *
 * @example
 * ```sh
 * rlhf orpo --model runs/base --data data/prefs.jsonl --out runs/orpo --beta 0.1 --json
 * ```
 */
export async function orpoCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  const { value, dir } = await runPreferenceTraining(args, out, 'orpo', false, runOrpoCommand);
  const { result, stats, skipped } = value;
  warnAboutPairs(out, stats.identical_pairs, skipped.length);
  out.result(
    result,
    `ORPO done: ${result.global_step} steps, final reward margin ${result.final_reward_margin.toFixed(4)}; model saved to ${dir}.`,
  );
}

/**
 * `rlhf cpo --model DIR --data FILE --out DIR [--overwrite] [--skip-invalid] [--config FILE] [--<option> VALUE ...]`:
 * CPOTrainer on the policy alone — CPO, or SimPO with `--loss-type simpo --cpo-alpha 0`. Result: the
 * `huan_luyen` result.
 *
 * @example
 * ```sh
 * rlhf cpo --model runs/sft --data data/prefs.jsonl --out runs/simpo --loss-type simpo --cpo-alpha 0 --beta 2 --json
 * ```
 */
export async function cpoCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  const { value, dir } = await runPreferenceTraining(args, out, 'cpo', false, runCpoCommand);
  const { result, stats, skipped } = value;
  warnAboutPairs(out, stats.identical_pairs, skipped.length);
  const name = stats.loss_type === 'simpo' && stats.cpo_alpha === 0 ? 'SimPO' : `CPO (${stats.loss_type})`;
  out.result(
    result,
    `${name} done: ${result.global_step} steps, final reward margin ${result.final_reward_margin.toFixed(4)}; model saved to ${dir}.`,
  );
}
