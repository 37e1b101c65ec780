import {
  gather,
  InvalidArgumentError,
  Linear,
  Module,
  type Random,
  reshape,
  type Tensor,
  type TensorBackend,
  tensor,
} from '@rlhf/core';
import { GPT2LMHeadModel, GPT2Model } from '../gpt2/gpt2-model.js';
import type { LlamaModel } from '../llama/llama-model.js';
import { type CausalLM, createCausalLM, type ModelConfig } from '../pretrained/causal-lm.js';
import type { Tokenizer } from '../tokenizer/tokenizer.js';

/** Right-padded token ids with their attention mask and each row's last real position. */
export interface PaddedBatch {
  /** int32 (B, T). */
  inputIds: Tensor;
  /** int32 (B, T): 1 for real tokens. */
  attentionMask: Tensor;
  /** Host: index of the last real token of each row. */
  lastIndex: number[];
}

/**
 * Right-pads sequences of token ids into tensors (`padId` fills, mask 0).
 *
 * @example
 * ```ts
 * const batch = padRight(model.backend, [[1, 5, 6], [1, 7]], 0);
 * ```
 */
export function padRight(
  backend: Module['backend'],
  sequences: readonly (readonly number[])[],
  padId: number,
): PaddedBatch {
  if (sequences.some((s) => s.length === 0))
    throw new InvalidArgumentError('padRight', 'sequences', 'empty sequence', 'must each hold at least one token');
  const t = Math.max(...sequences.map((s) => s.length));
  const ids = new Int32Array(sequences.length * t).fill(padId);
  const mask = new Int32Array(sequences.length * t);
  sequences.forEach((s, r) => {
    ids.set(s, r * t);
    mask.fill(1, r * t, r * t + s.length);
  });
  return {
    inputIds: tensor(backend, ids, [sequences.length, t], 'int32'),
    attentionMask: tensor(backend, mask, [sequences.length, t], 'int32'),
    lastIndex: sequences.map((s) => s.length - 1),
  };
}

/**
 * A sequence scorer: a causal-LM backbone plus a scalar head `score` (D → 1, no bias) reading the hidden
 * state of the last non-padding token — Hugging Face's `LlamaForSequenceClassification` /
 * `GPT2ForSequenceClassification` with `num_labels: 1`, with the same parameter names (`model.*` or
 * `transformer.*`, and `score.weight`).
 *
 * @example
 * ```ts
 * const rm = createRewardModel(lm, new Random(0));
 * const scores = rm.scoreBatch(padRight(backend, [[1, 5, 6]], 0)); // (1)
 * ```
 */
export class RewardScoringModel extends Module {
  /** The language model's backbone (registered as `model` for Llama, `transformer` for GPT-2). */
  readonly backbone: LlamaModel | GPT2Model;
  /** The scalar head D → 1 (`score.weight`, as Hugging Face's `*ForSequenceClassification`). */
  readonly score: Linear;
  /** The tokenizer of the LM it was made from (or loaded with), if any; reward trainers default to it. */
  tokenizer: Tokenizer | null = null;

  /**
   * A backbone of `config` plus a new head, initialised from `rng`; with `source`, the backbone takes the
   * source language model's weights (a copy: training the reward model leaves `source` unchanged).
   */
  constructor(
    backend: TensorBackend,
    /** The configuration of the language model it was made from. */
    readonly config: ModelConfig,
    rng: Random,
    source?: CausalLM,
  ) {
    super(backend);
    const fresh = createCausalLM(backend, config, rng);
    if (source) fresh.copyParametersFrom(source);
    const backbone = fresh instanceof GPT2LMHeadModel ? fresh.transformer : fresh.model;
    this.backbone = this.registerModule(fresh instanceof GPT2LMHeadModel ? 'transformer' : 'model', backbone);
    if ('lm_head' in fresh && fresh.lm_head) fresh.lm_head.dispose();
    const hidden =
      (config as { hidden_size?: number; n_embd?: number }).hidden_size ?? (config as { n_embd: number }).n_embd;
    this.score = this.registerModule(
      'score',
      new Linear(backend, { inFeatures: hidden, outFeatures: 1, bias: false, initStd: 1 / Math.sqrt(hidden + 1) }, rng),
    );
  }

  /** Scores (B) of a right- or left-padded batch: the head applied at each row's `lastIndex`. */
  scoreBatch(batch: PaddedBatch): Tensor {
    const [b, t] = batch.inputIds.shape as [number, number];
    const { hidden } = this.backbone.forward(batch.inputIds, { attentionMask: batch.attentionMask }); // (B, T, D)
    const d = hidden.shape[2] as number;
    const rows = tensor(
      this.backend,
      Int32Array.from(batch.lastIndex, (i, r) => r * t + i),
      [b],
      'int32',
    );
    const last = gather(reshape(hidden, [b * t, d]), rows, 0); // (B, D)
    return reshape(this.score.forward(last), [b]); // (B)
  }

  /** The `config.json` of the saved model (`...ForSequenceClassification`, `num_labels: 1`). */
  hfConfig(): Record<string, unknown> {
    const arch =
      this.backbone instanceof GPT2Model ? 'GPT2ForSequenceClassification' : 'LlamaForSequenceClassification';
    return {
      ...this.config,
      architectures: [arch],
      num_labels: 1,
      id2label: { 0: 'LABEL_0' },
      label2id: { LABEL_0: 0 },
    };
  }
}

/**
 * A reward model from a causal LM: a copy of its backbone (the LM itself is not changed by training the
 * reward model) plus a new scalar head. The LM's tokenizer, if any, is carried over.
 *
 * @example
 * ```ts
 * const rm = createRewardModel(sftModel, new Random(42));
 * ```
 */
export function createRewardModel(lm: CausalLM, rng: Random): RewardScoringModel {
  const rm = new RewardScoringModel(lm.backend, lm.config, rng, lm);
  rm.tokenizer = lm.tokenizer;
  return rm;
}
