import { InvalidArgumentError, noGrad, Random } from '@rlhf/core';
import { createCausalLM, type LoraModel, type ModelConfig } from '@rlhf/models';
import type { PairBatch } from '@rlhf/preference-data';
import type { DPOModel } from './dpo-model.js';
import { concatenatedLogProbs, type PairSequenceLogProbs } from './sequence-log-probs.js';

/** Where the reference log-probabilities come from. */
export type ReferenceKind = 'ref_model' | 'frozen_copy' | 'adapters_disabled' | 'initial_policy';

/** Scores a batch under the frozen reference: `{ chosen, rejected }`, each (B), off the tape. */
export interface ReferenceScorer {
  /** Which reference it is. */
  readonly kind: ReferenceKind;
  /** `{ chosen, rejected }` reference log-probs of a batch, each (B), with no tape. */
  score(batch: PairBatch): PairSequenceLogProbs;
  /** Frees what the scorer owns (the frozen copy); never the user's models. */
  dispose(): void;
}

/** Runs `fn` with `model` in evaluation mode (dropout off), restoring its mode after. */
function inEvalMode<T>(model: DPOModel, fn: () => T): T {
  const was = model.training;
  model.eval();
  try {
    return fn();
  } finally {
    model.train(was);
  }
}

/** Scores with `model` under `noGrad` in evaluation mode: no tape, so the model can get no gradient. */
function frozenScore(model: DPOModel, batch: PairBatch): PairSequenceLogProbs {
  return inEvalMode(model, () => noGrad(() => concatenatedLogProbs(model, batch)));
}

/**
 * Picks the reference of a DPO run (Rafailov et al. 2023, §4: π_ref is the SFT model, kept fixed):
 *
 * - `ref_model` given: that model, run forward-only (`noGrad`, no optimizer ever sees it);
 * - `ref_model: null` with LoRA: the policy with its adapters disabled — the base weights, which LoRA
 *   freezes — so no second copy is held;
 * - `ref_model: null`, `precomputeOnly`: the policy itself, scored once before any update;
 * - `ref_model: null` otherwise: a frozen copy of the policy as it is now (before training).
 *
 * @example
 * ```ts
 * const ref = referenceScorer(model, null, null, false);
 * const { chosen, rejected } = ref.score(batch); // (B), (B)
 * ref.dispose();
 * ```
 */
export function referenceScorer(
  policy: DPOModel,
  refModel: DPOModel | null,
  lora: LoraModel | null,
  precomputeOnly: boolean,
): ReferenceScorer {
  if (refModel) {
    if (refModel === policy) {
      throw new InvalidArgumentError(
        'DPOTrainer.huan_luyen',
        'ref_model',
        'the policy model',
        'must be a separate model (pass null for a frozen copy of the policy)',
      );
    }
    if (refModel.config.vocab_size !== policy.config.vocab_size) {
      throw new InvalidArgumentError(
        'DPOTrainer.huan_luyen',
        'ref_model',
        refModel.config.vocab_size,
        `has a vocabulary of that size, but the policy's has ${policy.config.vocab_size}`,
      );
    }
    if (refModel.backend !== policy.backend) {
      throw new InvalidArgumentError(
        'DPOTrainer.huan_luyen',
        'ref_model',
        refModel.backend.name,
        refModel.backend.name === policy.backend.name
          ? `is the name of the policy's backend too, but the two models live on two separate instances of it; load both on one backend object (the same name to loadModel, or one object from resolveBackend)`
          : `is not the policy's backend ('${policy.backend.name}'); load both models on the same backend`,
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
  if (precomputeOnly)
    return { kind: 'initial_policy', score: (batch) => frozenScore(policy, batch), dispose: () => {} };
  const copy = createCausalLM(policy.backend, policy.config as ModelConfig, new Random(0)) as unknown as DPOModel;
  copy.copyParametersFrom(policy);
  copy.setRequiresGrad(false);
  copy.eval();
  return { kind: 'frozen_copy', score: (batch) => frozenScore(copy, batch), dispose: () => copy.dispose() };
}
