import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { InvalidArgumentError } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { describe, expect, it } from 'vitest';
import { convertLlama2c } from '../llama2c/convert-llama2c.js';
import { modelFromContent } from '../pretrained/pretrained-io.js';
import type { GenerateOptions } from './generate.js';
import { generate } from './generate.js';
import { generateText } from './generate-text.js';

const dir = fileURLToPath(new URL('../../../../data/models/stories260K/', import.meta.url));
const model = modelFromContent(
  convertLlama2c(readFileSync(`${dir}stories260K.bin`), readFileSync(`${dir}tok512.bin`)),
  createJsBackend(),
);

const cases: [string, GenerateOptions, string][] = [
  ['generation: maxNewTokens 0', { maxNewTokens: 0 }, 'maxNewTokens'],
  ['generation: maxNewTokens -1', { maxNewTokens: -1 }, 'maxNewTokens'],
  ['generation: maxNewTokens 1.5', { maxNewTokens: 1.5 }, 'maxNewTokens'],
  ['generation: maxNewTokens NaN', { maxNewTokens: Number.NaN }, 'maxNewTokens'],
  ['generation: maxNewTokens 1e9 (past the context length)', { maxNewTokens: 1e9 }, 'max_position_embeddings 512'],
  ['generation: maxNewTokens 510 with a 3-token prompt (one past the context)', { maxNewTokens: 510 }, 'at most 509'],
  ['generation: temperature -1', { temperature: -1 }, 'temperature'],
  ['generation: temperature Infinity', { temperature: Number.POSITIVE_INFINITY }, 'temperature'],
  ['generation: temperature NaN', { temperature: Number.NaN }, 'temperature'],
  ['generation: topK -1', { topK: -1 }, 'topK'],
  ['generation: topK 1.5', { topK: 1.5 }, 'topK'],
  ['generation: topP 0', { topP: 0 }, 'topP'],
  ['generation: topP 1.5', { topP: 1.5 }, 'topP'],
  ['generation: topP 2', { topP: 2 }, 'topP'],
  ['generation: topP -0.1', { topP: -0.1 }, 'topP'],
  ['generation: repetitionPenalty 0', { repetitionPenalty: 0 }, 'repetitionPenalty'],
  ['generation: seed 0.5', { seed: 0.5 }, 'seed'],
  ['generation: eosTokenId -1', { eosTokenId: -1 }, 'eosTokenId'],
  ['generation: padTokenId 1.5', { padTokenId: 1.5 }, 'padTokenId'],
];

describe('generation options (API): refused before any token, naming the option', () => {
  it.each(cases)('%s', async (_title, options, mention) => {
    await expectTypedError(() => generate(model, [[1, 403, 407]], options), {
      type: InvalidArgumentError,
      code: 'INVALID_ARGUMENT',
      mentions: [mention],
      timeoutMs: 5_000,
    });
  });

  it('generation: generateText with topP 1.5 names topP', async () => {
    await expectTypedError(() => generateText(model, ['Once upon a time'], { topP: 1.5 }), {
      type: InvalidArgumentError,
      mentions: ['topP', '(0, 1]'],
    });
  });

  it('the largest allowed maxNewTokens is accepted (context length − prompt length)', async () => {
    const { sequences } = await generate(model, [[1, 403, 407]], { maxNewTokens: 509, temperature: 0, eosTokenId: 1 });
    expect(sequences[0]?.length).toBeLessThanOrEqual(509);
  });
});
