import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { ConfigError, InvalidArgumentError } from '@rlhf/core';
import { expectTypedError } from '@rlhf/core/testing';
import { type CausalLM, convertLlama2c, modelFromContent } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { type PipelineEvent, RLHFPipeline } from './rlhf-pipeline.js';

const dir = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));
const content = convertLlama2c(readFileSync(`${dir}stories260K.bin`), readFileSync(`${dir}tok512.bin`));
const backend = createJsBackend();
const model: CausalLM = modelFromContent(content, backend);
/** SHA-256 of every parameter's bytes, in name order. */
async function digest(m: CausalLM): Promise<string> {
  const hash = createHash('sha256');
  for (const t of (await m.stateDict()).values())
    hash.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return hash.digest('hex');
}
const sftData = [{ text: 'Lily saw a cat.' }];
const preferences = [{ prompt: 'Lily saw', chosen: ' a cat.', rejected: ' a rock.' }];

describe('bad input: RLHFPipeline arguments, checked before any stage runs', () => {
  it.each([
    ['options: RLHFPipeline config null', () => new RLHFPipeline(null as never), ConfigError, ['RLHFPipeline']],
    [
      'options: RLHFPipeline sft_config with toc_do_hoc NaN',
      () => new RLHFPipeline({ sft_config: { toc_do_hoc: Number.NaN } }),
      ConfigError,
      ['SFTTrainer', "'toc_do_hoc'"],
    ],
    [
      'arguments: RLHFPipeline onEvent a string',
      () => new RLHFPipeline({}, 'log' as never),
      InvalidArgumentError,
      ['RLHFPipeline', "'onEvent'"],
    ],
  ] as const)('%s', async (_title, run, type, mentions) => {
    await expectTypedError(run, { type, mentions });
  });

  it.each([
    ['arguments: chay_day_du model null', [null, null, null, sftData, preferences], "'model'"],
    ['arguments: chay_day_du ref_model an object', ['model', {}, null, sftData, preferences], "'ref_model'"],
    [
      'arguments: chay_day_du reward_model a plain LM',
      ['model', null, 'model', sftData, preferences],
      "'reward_model'",
    ],
    ['arguments: chay_day_du sft_data a file name', ['model', null, null, 'sft.jsonl', preferences], "'sft_data'"],
    ['arguments: chay_day_du preference_data null', ['model', null, null, sftData, null], "'preference_data'"],
  ] as const)('%s', async (_title, args, argument) => {
    const before = await digest(model);
    const events: PipelineEvent[] = [];
    const pipeline = new RLHFPipeline({ sft_config: { so_vong: 1 } }, (e) => events.push(e));
    const real = args.map((a) => (a === 'model' ? model : a)) as Parameters<RLHFPipeline['chay_day_du']>;
    await expectTypedError(() => pipeline.chay_day_du(...real), {
      type: InvalidArgumentError,
      code: 'INVALID_ARGUMENT',
      mentions: ['RLHFPipeline.chay_day_du', argument],
    });
    expect(events).toEqual([]); // no stage started
    expect(await digest(model)).toBe(before);
  });
});
