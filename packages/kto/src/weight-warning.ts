/**
 * TRL's warning about unbalanced KTO data, as a sentence (or `null` when there is nothing to say). The KTO paper
 * recommends `λ_D·n_D / (λ_U·n_U)` in [1, 4/3] (Ethayarajh et al. 2024, eq. 8), so TRL 1.x's `KTOTrainer` (with
 * `n_D = max(#desirable, 1)`, `n_U = max(#examples − n_D, 1)`) warns when neither weight lies in its range:
 * `desirable_weight ∈ [n_U·λ_U/n_D, 1.33·n_U·λ_U/n_D]` or `undesirable_weight ∈ [n_D·λ_D/(1.33·n_U), n_D·λ_D/n_U]`
 * (bounds rounded to 2 decimals). Data with only one class trains (as in TRL) but gets its own sentence: only
 * one side of the reference point is then learnt.
 *
 * @example
 * ```ts
 * weightWarning(30, 10, 1, 1); // 'kto_data has 30 desirable and 10 undesirable examples: …'
 * weightWarning(10, 10, 1, 1); // null
 * ```
 */
export function weightWarning(
  desirable: number,
  undesirable: number,
  desirableWeight: number,
  undesirableWeight: number,
): string | null {
  if (desirable === 0 || undesirable === 0) {
    const [has, lacks] = desirable === 0 ? ['undesirable', 'desirable'] : ['desirable', 'undesirable'];
    return `kto_data has only ${has} examples (${desirable + undesirable}), no ${lacks} one: KTO trains, but only pushes ${has} completions' rewards ${has === 'desirable' ? 'above' : 'below'} the reference point`;
  }
  const nD = Math.max(desirable, 1);
  const nU = Math.max(desirable + undesirable - nD, 1);
  if (nD === nU) return null;
  const round = (v: number) => Math.round(v * 100) / 100;
  const dLow = round((nU * undesirableWeight) / nD);
  const dHigh = round(((nU * undesirableWeight) / nD) * 1.33);
  const uLow = round((nD * desirableWeight) / nU / 1.33);
  const uHigh = round((nD * desirableWeight) / nU);
  const dOk = dLow <= desirableWeight && desirableWeight <= dHigh;
  const uOk = uLow <= undesirableWeight && undesirableWeight <= uHigh;
  if (dOk || uOk) return null;
  return `kto_data has ${desirable} desirable and ${undesirable} undesirable examples, and the weights are outside the range the KTO paper recommends (eq. 8): set EITHER desirable_weight in [${dLow}, ${dHigh}] OR undesirable_weight in [${uLow}, ${uHigh}] (not both)`;
}
