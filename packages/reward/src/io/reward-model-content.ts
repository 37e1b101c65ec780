import { Random, type TensorBackend } from '@rlhf/core';
import {
  checkFiniteWeights,
  contentFiles,
  type HfDirectoryContent,
  loadWeights,
  type ModelConfig,
  RewardScoringModel,
  Tokenizer,
  TokenizerError,
} from '@rlhf/models';
import { NotARewardModelError } from '../errors/reward-errors.js';
import {
  getScoreNormalization,
  SCORE_NORMALIZATION_KEY,
  scoreNormalizationFromConfig,
  setScoreNormalization,
} from '../normalization/score-normalization.js';

/** `config.json` keys that describe the classification head or this package's extras, not the backbone. */
const HEAD_KEYS = ['architectures', 'num_labels', 'id2label', 'label2id', 'torch_dtype', SCORE_NORMALIZATION_KEY];

/**
 * The content of a Hugging Face directory for a reward model: `config.json` as transformers'
 * `LlamaForSequenceClassification` / `GPT2ForSequenceClassification` with `num_labels: 1`, plus the μ, σ
 * recorded for score normalisation under the extra key `score_normalization: { mean, std, count }`
 * (transformers keeps unknown config keys as attributes); every parameter (`model.*`, `score.weight`);
 * the tokenizer files when the model carries a tokenizer.
 *
 * @example
 * ```ts
 * const content = await rewardModelToContent(rm);
 * content.config.score_normalization; // { mean: 0.1, std: 1.7, count: 400 } after huan_luyen
 * ```
 */
export async function rewardModelToContent(model: RewardScoringModel): Promise<HfDirectoryContent> {
  const stats = getScoreNormalization(model);
  const config: Record<string, unknown> = { ...model.hfConfig(), torch_dtype: 'float32' };
  delete config[SCORE_NORMALIZATION_KEY];
  if (stats) config[SCORE_NORMALIZATION_KEY] = stats;
  const tensors = new Map(
    [...(await model.mergedStateDict())] /* LoRA adapters (from an adapted LM) merged: a plain HF folder */
      .map(([k, v]) => [k, { shape: [...v.shape], data: v.data }]),
  );
  return {
    config,
    tensors,
    ...(model.tokenizer
      ? { tokenizerJson: model.tokenizer.tokenizerJson, tokenizerConfig: model.tokenizer.tokenizerConfig }
      : {}),
  };
}

/**
 * Builds a reward model from the content of a saved directory: the backbone from `config.json`, every
 * weight checked by name and shape (`score.weight` required), the tokenizer when present, and the μ, σ of
 * `score_normalization` recorded so `diem_danh_gia` normalises as before saving. A directory of a plain
 * causal LM (no `score.weight`) throws {@link NotARewardModelError}.
 *
 * @example
 * ```ts
 * const rm = rewardModelFromContent(await readHfDirectory('out/reward'), backend);
 * ```
 */
export function rewardModelFromContent(content: HfDirectoryContent, backend: TensorBackend): RewardScoringModel {
  if (!content.tensors.has('score.weight')) {
    const arch = Array.isArray(content.config.architectures)
      ? String(content.config.architectures[0])
      : 'unknown architecture';
    throw new NotARewardModelError(`a saved ${arch} without 'score.weight'`);
  }
  const stats = scoreNormalizationFromConfig(content.config);
  const base = Object.fromEntries(
    Object.entries(content.config).filter(([k]) => !HEAD_KEYS.includes(k)),
  ) as ModelConfig;
  // As for a language model's folder: the tokenizer's ids fit the vocabulary and no weight is NaN/±Inf,
  // checked before anything is allocated.
  const files = contentFiles(content);
  const tokenizer = content.tokenizerJson
    ? Tokenizer.fromJSON(content.tokenizerJson, content.tokenizerConfig ?? {})
    : undefined;
  if (tokenizer && tokenizer.vocabSize > Number(base.vocab_size))
    throw new TokenizerError(
      'TOKENIZER_VOCAB_MISMATCH',
      `${files.tokenizer}: the tokenizer has ids up to ${tokenizer.vocabSize - 1} but ${files.config} has 'vocab_size' = ${base.vocab_size}; every id must be below vocab_size.`,
    );
  checkFiniteWeights(content.tensors, files.weights);
  // Initial values do not matter: every weight is loaded (and checked) right after.
  const model = new RewardScoringModel(backend, base, new Random(0));
  loadWeights(model, content.tensors);
  if (tokenizer) model.tokenizer = tokenizer;
  if (stats) setScoreNormalization(model, stats);
  return model;
}
