import { RlhfError } from '@rlhf/core';

/**
 * The texts or pairs given to the reward model are unusable: an empty list, an element that is not a
 * string, a pair without `chosen` or `rejected`. The message names the argument and, for one element,
 * its index.
 *
 * @example
 * ```ts
 * throw new RewardInputError('cac_van_ban', 'must hold at least one text', 'EMPTY_INPUT');
 * ```
 */
export class RewardInputError extends RlhfError {
  /** Builds the error from the argument at fault and what is wrong with it. */
  constructor(
    /** The argument at fault (`cac_van_ban`, `preference_data`, ...). */
    readonly argument: string,
    reason: string,
    code: 'EMPTY_INPUT' | 'INVALID_INPUT' = 'INVALID_INPUT',
    /** Index of the offending element, when one element is at fault. */
    readonly index?: number,
  ) {
    super(code, `${argument}${index === undefined ? '' : `[${index}]`} ${reason}.`);
  }
}

/**
 * The model given to `RewardModel` is not a sequence scorer: it has no scalar head (`score`, D → 1) on
 * the hidden state of the last token — for example a plain causal LM. Wrap one with
 * `createRewardModel(lm, rng)` from `@rlhf/models`.
 *
 * @example
 * ```ts
 * throw new NotARewardModelError('a LlamaForCausalLM (language-model head over 512 tokens)');
 * ```
 */
export class NotARewardModelError extends RlhfError {
  /** Builds the error from a description of what was given instead of a reward model. */
  constructor(
    /** What was given instead. */
    readonly given: string,
  ) {
    super(
      'NOT_A_REWARD_MODEL',
      `model must be a reward model with a scalar head (score: hidden → 1), but got ${given}; ` +
        'wrap a causal LM with createRewardModel(lm, rng) from @rlhf/models',
    );
  }
}

/**
 * The reward model has no tokenizer to turn texts into token ids (a model built without one and no
 * `tokenizer` given).
 *
 * @example
 * ```ts
 * throw new MissingTokenizerError('diem_danh_gia');
 * ```
 */
export class MissingTokenizerError extends RlhfError {
  /** Builds the error for the method that needed a tokenizer. */
  constructor(
    /** The method that needed it. */
    readonly method: string,
  ) {
    super(
      'MISSING_TOKENIZER',
      `${method}: the model carries no tokenizer; load it from a directory with tokenizer.json or set model.tokenizer`,
    );
  }
}
