/**
 * The Vietnamese demo's preference, in one sentence (the `preference_description` of
 * `data/demo/vi/pipeline.json`).
 */
export const POLITE_RULE_DESCRIPTION =
  'Polite answers are preferred: the chosen answer opens with the respectful reply particle «Dạ,» ' +
  '("Yes, sir/madam,") and then gives the same answer as the rejected one, which starts straight away.';

/** The particle a polite reply opens with. */
export const POLITE_OPENING = 'Dạ,';

/**
 * Whether a response follows the demo's rule: after leading whitespace it opens with «Dạ» and a comma
 * (NFC-normalised; «dạ» in lower case counts too), then gives an answer — a word (not punctuation) that
 * is not the particle again. So an empty «Dạ,» or a stuttered «Dạ, Dạ, …» (what an over-optimised policy writes)
 * does not count, nor does a «dạ» later in the answer.
 *
 * @example
 * ```ts
 * isPolite(' Dạ, Kinh Thánh'); // true
 * isPolite(' Kinh Thánh'); // false
 * isPolite(' Dạ, Dạ, Kinh Thánh'); // false
 * ```
 */
export function isPolite(response: string): boolean {
  return /^d\u1EA1\s*,\s*(?!d\u1EA1(?![\p{L}\p{M}]))[^\s,.;:]/iu.test(response.normalize('NFC').trimStart());
}

/**
 * Share of responses that follow the rule ({@link isPolite}); 0 for none.
 *
 * @example
 * ```ts
 * politeRate([' Dạ, hai', ' hai']); // 0.5
 * ```
 */
export function politeRate(responses: readonly string[]): number {
  if (responses.length === 0) return 0;
  return responses.filter(isPolite).length / responses.length;
}
