import { PreferenceDataError } from '../errors/preference-data-error.js';
import type { PreferencePair } from './preference-record.js';

/** An Anthropic HH-RLHF record: two whole `"\n\nHuman: … \n\nAssistant: …"` transcripts. */
export interface HhRlhfRecord {
  /** The whole transcript ending with the preferred reply. */
  chosen: string;
  /** The whole transcript ending with the dispreferred reply. */
  rejected: string;
}

/** An HH-RLHF record split into plain-text prompt and responses. */
export interface HhRlhfPair extends PreferencePair {
  /** The shared transcript, ending with `"\n\nAssistant:"`. */
  prompt: string;
  /** The rest of the chosen transcript (with its leading space). */
  chosen: string;
  /** The rest of the rejected transcript. */
  rejected: string;
}

/** The turn marker that ends an HH-RLHF prompt. */
export const HH_ASSISTANT_MARKER = '\n\nAssistant:';

/**
 * Splits an HH-RLHF record (Bai et al. 2022, `anthropics/hh-rlhf`) into prompt and responses: the prompt
 * is the text both transcripts share, up to and including its last `"\n\nAssistant:"`; each response is
 * the rest of its transcript (usually one assistant turn, with its leading space). Where the two
 * transcripts diverge before the final turn (a few records do), the prompt ends at the last assistant
 * marker before the divergence and the responses carry the remaining turns. Throws a
 * {@link PreferenceDataError} naming `index` when the transcripts share no assistant turn, or a response
 * is empty.
 *
 * @example
 * ```ts
 * fromHhRlhf({ chosen: '\n\nHuman: Hi\n\nAssistant: Hello!', rejected: '\n\nHuman: Hi\n\nAssistant: Go away.' });
 * // { prompt: '\n\nHuman: Hi\n\nAssistant:', chosen: ' Hello!', rejected: ' Go away.' }
 * ```
 */
export function fromHhRlhf(record: HhRlhfRecord, index = 0): HhRlhfPair {
  const { chosen, rejected } = record;
  if (typeof chosen !== 'string' || typeof rejected !== 'string') {
    throw new PreferenceDataError(
      'PREFERENCE_RECORD_INVALID',
      index,
      null,
      "is not an HH-RLHF record: 'chosen' and 'rejected' must be transcripts (strings)",
    );
  }
  let shared = 0;
  const limit = Math.min(chosen.length, rejected.length);
  while (shared < limit && chosen.charCodeAt(shared) === rejected.charCodeAt(shared)) shared++;
  // The marker must lie wholly inside the shared text.
  const at = chosen.lastIndexOf(HH_ASSISTANT_MARKER, shared - HH_ASSISTANT_MARKER.length);
  if (at < 0 || shared < HH_ASSISTANT_MARKER.length) {
    throw new PreferenceDataError(
      'PREFERENCE_RECORD_INVALID',
      index,
      null,
      'has transcripts that share no "\\n\\nAssistant:" turn, so there is no prompt',
    );
  }
  const end = at + HH_ASSISTANT_MARKER.length;
  const pair = { prompt: chosen.slice(0, end), chosen: chosen.slice(end), rejected: rejected.slice(end) };
  for (const key of ['chosen', 'rejected'] as const) {
    if (pair[key].trim() === '')
      throw new PreferenceDataError('PREFERENCE_EMPTY_RESPONSE', index, key, 'is empty after the prompt');
  }
  return pair;
}
