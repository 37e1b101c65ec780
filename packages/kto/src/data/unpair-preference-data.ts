import { toPreferencePair } from '@rlhf/dpo';
import type { KtoRecordInput } from './kto-record.js';

/**
 * Paired preference data as unpaired KTO data, TRL's `unpair_preference_dataset`: each pair becomes one
 * desirable example (`completion: chosen, label: true`) and one undesirable example (`completion: rejected,
 * label: false`) with the same prompt. Every layout `DPOTrainer` reads is accepted (`{ prompt, chosen, rejected }`
 * with text or messages, pre-tokenised ids, ShareGPT, HH-RLHF); pair `i` gives records `2i` (desirable) and
 * `2i + 1` (undesirable). Throws the `PreferenceDataError` naming the pair for an unusable one.
 *
 * @example
 * ```ts
 * unpairPreferenceData([{ prompt: 'Hi', chosen: ' Hello!', rejected: ' Go away.' }]);
 * // [{ prompt: 'Hi', completion: ' Hello!', label: true }, { prompt: 'Hi', completion: ' Go away.', label: false }]
 * ```
 */
export function unpairPreferenceData(pairs: Iterable<unknown>): KtoRecordInput[] {
  const out: KtoRecordInput[] = [];
  let index = 0;
  for (const record of pairs) {
    const pair = toPreferencePair(record, index++);
    if (pair.kind === 'ids') {
      out.push(
        { prompt_input_ids: pair.prompt_input_ids, completion_input_ids: pair.chosen_input_ids, label: true },
        { prompt_input_ids: pair.prompt_input_ids, completion_input_ids: pair.rejected_input_ids, label: false },
      );
    } else {
      out.push(
        { prompt: pair.prompt, completion: pair.chosen, label: true },
        { prompt: pair.prompt, completion: pair.rejected, label: false },
      );
    }
  }
  return out;
}

/**
 * True when a record is a preference pair rather than a KTO example: it has `chosen` and `rejected` (or their
 * `_input_ids`), and neither a `completion` nor a `label`. `rlhf kto` converts a file whose records are all
 * pairs with {@link unpairPreferenceData}.
 *
 * @example
 * ```ts
 * isPreferencePair({ prompt: 'Hi', chosen: 'a', rejected: 'b' }); // true
 * isPreferencePair({ prompt: 'Hi', completion: 'a', label: true }); // false
 * ```
 */
export function isPreferencePair(record: unknown): boolean {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return false;
  const r = record as Record<string, unknown>;
  if ('completion' in r || 'completion_input_ids' in r || 'label' in r) return false;
  return ('chosen' in r && 'rejected' in r) || ('chosen_input_ids' in r && 'rejected_input_ids' in r);
}
