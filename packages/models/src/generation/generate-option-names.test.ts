import { InvalidArgumentError } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { describe, expect, it } from 'vitest';
import { generateOptionsOf } from './generate-option-names.js';

describe('generation option names', () => {
  it('accepts the snake_case spelling of every option and keeps camelCase as is', () => {
    expect(
      generateOptionsOf({
        max_new_tokens: 5,
        top_k: 3,
        top_p: 0.9,
        repetition_penalty: 1.2,
        eos_token_id: 2,
        pad_token_id: 0,
        use_cache: false,
        temperature: 0,
        seed: 7,
      }),
    ).toEqual({
      maxNewTokens: 5,
      topK: 3,
      topP: 0.9,
      repetitionPenalty: 1.2,
      eosTokenId: 2,
      padTokenId: 0,
      useCache: false,
      temperature: 0,
      seed: 7,
    });
    expect(generateOptionsOf({ maxNewTokens: 5 })).toEqual({ maxNewTokens: 5 });
  });

  it('an unknown option is an error naming it, never ignored', async () => {
    await expectTypedError(() => generateOptionsOf({ maxTokens: 5 } as never), {
      type: InvalidArgumentError,
      mentions: ['maxTokens', 'is not a generation option', 'max_new_tokens'],
    });
  });

  it('both spellings of one option are an error naming both', async () => {
    await expectTypedError(() => generateOptionsOf({ maxNewTokens: 5, max_new_tokens: 6 }), {
      type: InvalidArgumentError,
      mentions: ['max_new_tokens', "also as 'maxNewTokens'"],
    });
  });
});
