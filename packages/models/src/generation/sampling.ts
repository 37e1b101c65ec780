import type { Random } from '@rlhf/core';

/** How the next token is chosen from logits. */
export interface SamplingOptions {
  /** 0 means greedy (arg-max). @defaultValue 1 */
  temperature?: number;
  /** Keep only the k most likely tokens (0 = off). @defaultValue 0 */
  topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p (1 = off). @defaultValue 1 */
  topP?: number;
  /** CTRL's repetition penalty (Keskar et al. 2019, eq. in §4.1) on tokens already present (1 = off). @defaultValue 1 */
  repetitionPenalty?: number;
}

/**
 * Chooses the next token from one row of logits, in Hugging Face's order: repetition penalty →
 * temperature → top-k → top-p → sample (or arg-max when `temperature` is 0). Sampling draws one uniform
 * number from `rng`. Ties in arg-max resolve to the lowest id.
 *
 * @example
 * ```ts
 * const next = chooseToken(logitsRow, previousIds, { temperature: 0.8, topK: 40 }, rng);
 * ```
 */
export function chooseToken(
  logits: Float32Array,
  previous: readonly number[],
  options: SamplingOptions,
  rng: Random,
): number {
  const scores = Float64Array.from(logits);
  const penalty = options.repetitionPenalty ?? 1;
  if (penalty !== 1) {
    // score < 0 → score · penalty, else score / penalty (transformers' RepetitionPenaltyLogitsProcessor)
    for (const id of new Set(previous)) {
      const s = scores[id] as number;
      scores[id] = s < 0 ? s * penalty : s / penalty;
    }
  }
  const temperature = options.temperature ?? 1;
  if (temperature === 0) return argMax(scores);
  for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] as number) / temperature;
  const order = Array.from(scores.keys()).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  let keep = order.length;
  const topK = options.topK ?? 0;
  if (topK > 0) keep = Math.min(keep, topK);
  const max = scores[order[0] as number] as number;
  const probs = order.slice(0, keep).map((id) => Math.exp((scores[id] as number) - max));
  const total = probs.reduce((a, b) => a + b, 0);
  const topP = options.topP ?? 1;
  if (topP < 1) {
    let cumulative = 0;
    for (let i = 0; i < probs.length; i++) {
      cumulative += (probs[i] as number) / total;
      if (cumulative >= topP) {
        keep = i + 1;
        break;
      }
    }
  }
  const kept = probs.slice(0, keep);
  const keptTotal = kept.reduce((a, b) => a + b, 0);
  let u = rng.uniform() * keptTotal;
  for (let i = 0; i < kept.length; i++) {
    u -= kept[i] as number;
    if (u < 0) return order[i] as number;
  }
  return order[kept.length - 1] as number;
}

function argMax(scores: Float64Array): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if ((scores[i] as number) > (scores[best] as number)) best = i;
  return best;
}
