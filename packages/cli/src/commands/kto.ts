import { join } from 'node:path';
import { runKtoCommand } from '@rlhf/kto/node';
import { loadModel } from '@rlhf/models/node';
import { type ParsedArgs, stringFlag } from '../args.js';
import { commandFlags } from '../command-specs.js';
import type { CommandOutput } from '../output.js';
import { trainingOptions } from '../training-flags.js';
import { backendOf, finishing, optionalString, progressOf } from './train.js';

/**
 * `rlhf kto --model DIR [--ref-model DIR] --data FILE --out DIR [--overwrite] [--skip-invalid] [--config FILE]
 * [--<option> VALUE ...]`: KTOTrainer on `{ prompt, completion, label }` records, or on a file of preference pairs
 * (converted: each pair → one desirable and one undesirable example). Warnings (one class only, weights outside
 * the recommended range, converted pairs, skipped records) go to stderr. Result: the `huan_luyen` result.
 *
 * @example
 * ```sh
 * rlhf kto --model runs/sft --data data/feedback.jsonl --out runs/kto --beta 0.1 --json
 * ```
 */
export async function ktoCommand(args: ParsedArgs, out: CommandOutput): Promise<void> {
  const own = commandFlags('kto');
  const options = await trainingOptions(args, own);
  const dir = stringFlag(args, 'out');
  const backend = await backendOf(args, out);
  const model = await loadModel(stringFlag(args, 'model'), { backend });
  const refDir = optionalString(args, 'ref-model');
  const data = stringFlag(args, 'data');
  const progress = progressOf('kto');
  const { result, stats, skipped } = await finishing(
    progress,
    runKtoCommand({
      model,
      overwrite: args.flags.has('overwrite'),
      skip_invalid: args.flags.has('skip-invalid'),
      inputs: [stringFlag(args, 'model'), ...(refDir ? [refDir] : [])],
      ref_model: refDir ? await loadModel(refDir, { backend }) : null,
      data,
      options,
      out: dir,
      history_file: join(dir, 'history.jsonl'),
      on_record: progress.on_record,
    }),
  );
  if (stats.converted_from_pairs)
    out.info(
      `note: ${data} holds preference pairs; each became one desirable and one undesirable example (${stats.desirable} + ${stats.undesirable})`,
    );
  for (const warning of stats.warnings) out.info(`warning: ${warning}`);
  if (skipped.length > 0) out.info(`warning: --skip-invalid left out ${skipped.length} invalid record(s)`);
  out.result(
    result,
    `KTO done: ${result.global_step} steps, final reward margin ${result.final_reward_margin.toFixed(4)}, KL ${result.final_kl.toFixed(4)}; model saved to ${dir}.`,
  );
}
