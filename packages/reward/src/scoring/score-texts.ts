import type { RewardScoringModel, Tokenizer } from '@rlhf/models';
import { MissingTokenizerError } from '../errors/reward-errors.js';
import { normalizeScore, type ScoreStats, scoreStats } from '../normalization/score-stats.js';
import { scoreTokenIds } from './score-token-ids.js';

/** One scored text, as the specification's `diem_danh_gia` returns it. */
export interface ScoredText {
  /** The text (văn bản), as given. */
  van_ban: string;
  /** The raw reward: the scalar head on the last token's hidden state. */
  score: number;
  /** The z-score `(score − μ) / σ` (0 when σ = 0). */
  score_normalized: number;
}

/** Token ids of texts and how many were cut. */
export interface TokenizedTexts {
  /** One id list per text, in order. */
  ids: number[][];
  /** Texts longer than the limit (cut to it). */
  truncated: number;
}

/** What {@link scoreTexts} returns. */
export interface ScoredTexts {
  /** One record per text, in input order. */
  records: ScoredText[];
  /** The μ, σ `score_normalized` was computed with. */
  stats: ScoreStats;
  /** Texts cut to `maxLength`. */
  truncated: number;
}

/** Options of {@link scoreTexts}. */
export interface ScoreTextsOptions {
  /** Texts per forward pass. @defaultValue 8 */
  batchSize?: number;
  /** Tokens kept per text (the beginning; BOS included). @defaultValue the model's `max_position_embeddings` */
  maxLength?: number;
  /** μ, σ to normalise with; omitted: those of the given texts' own scores. */
  stats?: ScoreStats;
  /** Overrides `model.tokenizer`. */
  tokenizer?: Tokenizer;
}

/**
 * Token ids of each text as training lays out a sequence: the tokenizer's special tokens (BOS for Llama),
 * the text, then EOS (when the tokenizer has one) — so a scored text ends on the token the head was
 * trained to read. Texts longer than `maxLength` keep their first `maxLength` tokens.
 *
 * @example
 * ```ts
 * tokenizeTexts(tokenizer, ['Once upon a time'], 512).ids; // [[1, 403, 407, 261, 378, 2]] for stories260K
 * ```
 */
export function tokenizeTexts(tokenizer: Tokenizer, texts: readonly string[], maxLength: number): TokenizedTexts {
  let truncated = 0;
  const eos = tokenizer.eosTokenId;
  const ids = texts.map((text) => {
    const all = tokenizer.encode(text);
    if (eos !== undefined && all[all.length - 1] !== eos) all.push(eos);
    if (all.length <= maxLength) return all;
    truncated++;
    return all.slice(0, maxLength);
  });
  return { ids, truncated };
}

/**
 * Scores texts with a reward model and normalises the scores: the work of the specification's `diem_danh_gia`.
 * Texts are tokenised with the model's tokenizer (BOS + text + EOS), scored in batches without the tape, and returned in input
 * order as `{ van_ban, score, score_normalized }`. `score_normalized` uses `stats` when given (the μ, σ of
 * the training texts), otherwise μ, σ of these texts' scores. Input validation is the caller's.
 *
 * @example
 * ```ts
 * const records = await scoreTexts(rm, ['A happy end.', 'A sad end.']);
 * records[0]; // { van_ban: 'A happy end.', score: 0.42, score_normalized: 1 }
 * ```
 */
export async function scoreTexts(
  model: RewardScoringModel,
  texts: readonly string[],
  { batchSize, maxLength, stats, tokenizer = model.tokenizer ?? undefined }: ScoreTextsOptions = {},
): Promise<ScoredTexts> {
  if (!tokenizer) throw new MissingTokenizerError('diem_danh_gia');
  const limit = maxLength ?? maxPositions(model);
  const { ids, truncated } = tokenizeTexts(tokenizer, texts, limit);
  const scores = await scoreTokenIds(model, ids, batchSize === undefined ? {} : { batchSize });
  const used = stats ?? scoreStats(scores);
  const records = texts.map((van_ban, i) => {
    const score = scores[i] as number;
    return { van_ban, score, score_normalized: normalizeScore(score, used) };
  });
  return { records, stats: used, truncated };
}

/** The model's context length (`max_position_embeddings`, GPT-2's `n_positions`), or no limit. */
export function maxPositions(model: RewardScoringModel): number {
  const config = model.config as { max_position_embeddings?: number; n_positions?: number };
  return config.max_position_embeddings ?? config.n_positions ?? Number.POSITIVE_INFINITY;
}
