import { join } from 'node:path';
import { runCpoCommand, runOrpoCommand } from '@rlhf/cpo/node';
import { loadModel } from '@rlhf/models/node';
import { type ParsedArgs, stringFlag } from '../args.js';
import { commandFlags } from '../command-specs.js';
import type { CommandOutput } from '../output.js';
import { trainingOptions } from '../training-flags.js';
import { backendOf, finishing, progressOf, warnAboutPairs } from './train.js';

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
  const options = await trainingOptions(args, commandFlags('orpo'));
  const dir = stringFlag(args, 'out');
  const model = await loadModel(stringFlag(args, 'model'), { backend: await backendOf(args, out) });
  const progress = progressOf('orpo');
  const { result, stats, skipped } = await finishing(
    progress,
    runOrpoCommand({
      model,
      overwrite: args.flags.has('overwrite'),
      skip_invalid: args.flags.has('skip-invalid'),
      inputs: [stringFlag(args, 'model')],
      data: stringFlag(args, 'data'),
      options,
      out: dir,
      history_file: join(dir, 'history.jsonl'),
      on_record: progress.on_record,
    }),
  );
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
  const options = await trainingOptions(args, commandFlags('cpo'));
  const dir = stringFlag(args, 'out');
  const model = await loadModel(stringFlag(args, 'model'), { backend: await backendOf(args, out) });
  const progress = progressOf('cpo');
  const { result, stats, skipped } = await finishing(
    progress,
    runCpoCommand({
      model,
      overwrite: args.flags.has('overwrite'),
      skip_invalid: args.flags.has('skip-invalid'),
      inputs: [stringFlag(args, 'model')],
      data: stringFlag(args, 'data'),
      options,
      out: dir,
      history_file: join(dir, 'history.jsonl'),
      on_record: progress.on_record,
    }),
  );
  warnAboutPairs(out, stats.identical_pairs, skipped.length);
  const name = stats.loss_type === 'simpo' && stats.cpo_alpha === 0 ? 'SimPO' : `CPO (${stats.loss_type})`;
  out.result(
    result,
    `${name} done: ${result.global_step} steps, final reward margin ${result.final_reward_margin.toFixed(4)}; model saved to ${dir}.`,
  );
}
