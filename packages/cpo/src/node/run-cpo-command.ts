/// <reference types="node" />

import type { CPOConfig } from '../cpo-config.js';
import { type CPOStats, CPOTrainer } from '../cpo-trainer.js';
import type { CPOHistory } from '../preference-history.js';
import {
  type PreferenceCommandArgs,
  type PreferenceCommandResult,
  runPreferenceCommand,
} from './run-preference-command.js';

/** Arguments of {@link runCpoCommand}: the policy, the preference file, `CPOTrainer` options, outputs. */
export type CpoCommandArgs = PreferenceCommandArgs<CPOConfig>;

/** What {@link runCpoCommand} returns: the `huan_luyen` result, `thong_ke()` and skipped records. */
export type CpoCommandResult = PreferenceCommandResult<CPOHistory, CPOStats>;

/**
 * The core of `rlhf cpo`: reads the preference file, trains the policy with `CPOTrainer` (CPO, or SimPO with
 * `loss_type: 'simpo'`, `cpo_alpha: 0`; no reference model), writes the history as JSONL and saves the model.
 *
 * @example
 * ```ts
 * import { loadModel } from '@rlhf/models/node';
 * import { runCpoCommand } from '@rlhf/cpo/node';
 * const model = await loadModel('models/stories260K');
 * const { result } = await runCpoCommand({ model, data: 'pairs.jsonl', out: 'runs/simpo', options: { loss_type: 'simpo', cpo_alpha: 0 } });
 * ```
 */
export function runCpoCommand(args: CpoCommandArgs): Promise<CpoCommandResult> {
  return runPreferenceCommand('cpo', new CPOTrainer(args.options ?? {}), args);
}
