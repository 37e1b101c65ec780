import { InvalidArgumentError, noGrad, Random, type Tensor } from '@rlhf/core';
import { type DPOModel, sequenceLogProbs } from '@rlhf/dpo';
import { createCausalLM, type LoraModel, type ModelConfig } from '@rlhf/models';
import type { SequenceBatch } from './data/collate-sequences.js';

/** Where KTO's reference log-probabilities come from. */
export type KtoReferenceKind = 'ref_model' | 'frozen_copy' | 'adapters_disabled';

/** Scores sequences under the frozen reference π_ref, off the tape. */
export interface KtoReference {
  /** Which reference it is. */
  readonly kind: KtoReferenceKind;
  /** `log π_ref(completion | prompt)` of each row, (N), with no tape. */
  score(batch: SequenceBatch): Tensor;
  /** Frees what the reference owns (the frozen copy); never the user's models. */
  dispose(): void;
}

/** Scores with `model` under `noGrad` in evaluation mode, restoring its mode after. */
function frozenScore(model: DPOModel, batch: SequenceBatch): Tensor {
  const was = model.training;
  model.eval();
  try {
    return noGrad(() => sequenceLogProbs(model.forward(batch.inputIds).logits, batch.labels)); // (N, T, V) → (N)
  } finally {
    model.train(was);
  }
}

/**
 * The reference of a KTO run (Ethayarajh et al. 2024, §4: π_ref is the starting model, kept fixed; TRL's
 * `create_reference_model` when none is given): `ref_model` when given (run forward-only under `noGrad`); with LoRA
 * and no `ref_model`, the policy with its adapters disabled (the frozen base weights: no second copy, TRL's
 * `null_ref_context` for a PEFT model); else a frozen copy of the policy as it is before training. Throws an `InvalidArgumentError` naming `ref_model` when it
 * is the policy itself, has another vocabulary size, or is on another backend.
 *
 * @example
 * ```ts
 * const ref = ktoReference(model, null, null);
 * const logps = ref.score(batch); // (N)
 * ref.dispose();
 * ```
 */
export function ktoReference(policy: DPOModel, refModel: DPOModel | null, lora: LoraModel | null): KtoReference {
  const method = 'KTOTrainer.huan_luyen';
  if (refModel) {
    if (refModel === policy) {
      throw new InvalidArgumentError(
        method,
        'ref_model',
        'the policy model',
        'must be a separate model (pass null for a frozen copy of the policy)',
      );
    }
    if (refModel.config.vocab_size !== policy.config.vocab_size) {
      throw new InvalidArgumentError(
        method,
        'ref_model',
        refModel.config.vocab_size,
        `has a vocabulary of that size, but the policy's has ${policy.config.vocab_size}`,
      );
    }
    if (refModel.backend !== policy.backend) {
      throw new InvalidArgumentError(
        method,
        'ref_model',
        refModel.backend.name,
        `is on another backend than the policy (${policy.backend.name})`,
      );
    }
    return { kind: 'ref_model', score: (batch) => frozenScore(refModel, batch), dispose: () => {} };
  }
  if (lora) {
    return {
      kind: 'adapters_disabled',
      score: (batch) => lora.withAdaptersDisabled(() => frozenScore(policy, batch)),
      dispose: () => {},
    };
  }
  const copy = createCausalLM(policy.backend, policy.config as ModelConfig, new Random(0)) as unknown as DPOModel;
  copy.copyParametersFrom(policy);
  copy.setRequiresGrad(false);
  copy.eval();
  return { kind: 'frozen_copy', score: (batch) => frozenScore(copy, batch), dispose: () => copy.dispose() };
}
