/// <reference types="node" />

import type { ORPOConfig } from '../orpo-config.js';
import { type ORPOStats, ORPOTrainer } from '../orpo-trainer.js';
import type { ORPOHistory } from '../preference-history.js';
import {
  type PreferenceCommandArgs,
  type PreferenceCommandResult,
  runPreferenceCommand,
} from './run-preference-command.js';

/** Arguments of {@link runOrpoCommand}: the policy, the preference file, `ORPOTrainer` options, outputs. */
export type OrpoCommandArgs = PreferenceCommandArgs<ORPOConfig>;

/** What {@link runOrpoCommand} returns: the `huan_luyen` result, `thong_ke()` and skipped records. */
export type OrpoCommandResult = PreferenceCommandResult<ORPOHistory, ORPOStats>;

/**
 * The core of `rlhf orpo`: reads the preference file, trains the policy with `ORPOTrainer` (no reference
 * model is loaded or built), writes the history as JSONL and saves the model.
 *
 * @example
 * ```ts
 * import { loadModel } from '@rlhf/models/node';
 * import { runOrpoCommand } from '@rlhf/cpo/node';
 * const model = await loadModel('models/stories260K');
 * const { result } = await runOrpoCommand({ model, data: 'pairs.jsonl', out: 'runs/orpo', options: { beta: 0.1 } });
 * ```
 */
export function runOrpoCommand(args: OrpoCommandArgs): Promise<OrpoCommandResult> {
  return runPreferenceCommand('orpo', new ORPOTrainer(args.options ?? {}), args);
}
