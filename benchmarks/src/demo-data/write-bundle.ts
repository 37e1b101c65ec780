import type { DemoBundle } from './demo-records.js';
import { writeJson, writeJsonl } from './jsonl.js';
import { type DemoVariant, demoDir, repoPath } from './paths.js';

/**
 * Writes a variant's bundle under `data/demo/<variant>/`: `sft.jsonl`, `preferences.jsonl`,
 * `preferences_val.jsonl` (held-out pairs for the reward model's accuracy) and `eval_prompts.json`.
 *
 * @example
 * ```ts
 * writeBundle('en', bundle); // data/demo/en/sft.jsonl, ...
 * ```
 */
export function writeBundle(variant: DemoVariant, bundle: DemoBundle): void {
  const dir = repoPath(demoDir(variant));
  writeJsonl(`${dir}/sft.jsonl`, bundle.sft);
  writeJsonl(`${dir}/preferences.jsonl`, bundle.preferences);
  writeJsonl(`${dir}/preferences_val.jsonl`, bundle.preferencesVal);
  writeJson(`${dir}/eval_prompts.json`, bundle.evalPrompts);
}
