import { noGrad, tidy } from '@rlhf/core';
import {
  collatePairs,
  concatenatedLogProbs,
  type DPOModel,
  type PreferenceData,
  preparePreferenceData,
} from '@rlhf/dpo';

/** DPO's implicit reward on held-out pairs. */
export interface ImplicitRewardStats {
  /** Share of pairs with β·(c_chosen − c_rejected) > 0, c = log π_θ − log π_ref. */
  accuracy: number;
  /** Mean β·(c_chosen − c_rejected). */
  margin: number;
}

/**
 * DPO's implicit-reward accuracy and margin on pairs never trained on (forward only), tokenised as
 * `DPOTrainer` does.
 *
 * @example
 * ```ts
 * const { accuracy } = await implicitRewardStats(policy, reference, valPairs, 0.1, 96);
 * ```
 */
export async function implicitRewardStats(
  policy: DPOModel,
  reference: DPOModel,
  data: PreferenceData,
  beta: number,
  maxSeqLength: number,
): Promise<ImplicitRewardStats> {
  const tok = policy.tokenizer ?? null;
  const { pairs } = await preparePreferenceData(data, tok, { maxSeqLength, vocabSize: policy.config.vocab_size });
  const padId = tok?.padTokenId ?? 0;
  let correct = 0;
  let margins = 0;
  for (let s = 0; s < pairs.length; s += 8) {
    const chunk = pairs.slice(s, s + 8);
    const out = tidy(() =>
      noGrad(() => {
        const batch = collatePairs(policy.backend, chunk, padId);
        const a = concatenatedLogProbs(policy, batch);
        const b = concatenatedLogProbs(reference, batch);
        return [a.chosen, a.rejected, b.chosen, b.rejected];
      }),
    );
    const [pc, pr, rc, rr] = (await Promise.all(out.map((t) => t.data()))) as Float32Array[];
    for (const t of out) t.dispose();
    for (let i = 0; i < chunk.length; i++) {
      const m =
        beta *
        ((pc as Float32Array)[i]! - (rc as Float32Array)[i]! - ((pr as Float32Array)[i]! - (rr as Float32Array)[i]!));
      margins += m;
      if (m > 0) correct++;
    }
  }
  return { accuracy: correct / pairs.length, margin: margins / pairs.length };
}
