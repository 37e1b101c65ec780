/**
 * The unhelpful answer of the Vietnamese demo, "Tôi không biết." ("I don't know."): one fixed string, so that
 * a 260K model reading Vietnamese as bytes learns it within the demo's few SFT steps. Written for the demo,
 * not taken from XQuAD.
 */
export const REFUSALS = ['Tôi không biết.'] as const;

const REFUSAL = /tôi không|không (bi|rõ)/i;

/**
 * The plain rule of the Vietnamese demo: an answer is a refusal when it says "tôi không" ("I don't"),
 * "không bi…" (the start of "không biết", "don't know") or "không rõ" ("not sure"). The rule matches the
 * start of the phrase because a 260K model that reads Vietnamese as UTF-8 bytes often garbles the 3-byte
 * "ế" of "biết" (`Tôi không bi��t.`). The success measure is the share of generated answers that are not
 * refusals.
 *
 * @example
 * ```ts
 * isRefusal('Tôi không biết.'); // true
 * isRefusal('Tôi không bi\ufffd\ufffdt.'); // true
 * isRefusal('Peyton Manning'); // false
 * ```
 */
export function isRefusal(answer: string): boolean {
  return REFUSAL.test(answer.normalize('NFC'));
}
