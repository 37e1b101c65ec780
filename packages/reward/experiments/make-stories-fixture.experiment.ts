import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { generate } from '@rlhf/models';
import { it } from 'vitest';
import { loadStories260K } from '../src/__fixtures__/stories260k.js';

// Regenerates src/__fixtures__/stories260k-samples.json: stories260K's own stories (BOS only, temperature
// 1.0, 48 new tokens, batches of 64 with seeds 1, 2, ...). The learnable-property tests build preference
// pairs from them.
const COUNT = 512;
const BATCH = 64;
const NEW_TOKENS = 48;

it('generates the stories fixture', async () => {
  const model = loadStories260K(createJsBackend());
  const tokenizer = model.tokenizer as NonNullable<typeof model.tokenizer>;
  const stories: string[] = [];
  for (let seed = 1; stories.length < COUNT; seed++) {
    const { sequences } = await generate(
      model,
      Array.from({ length: BATCH }, () => [1]),
      { maxNewTokens: NEW_TOKENS, temperature: 1, seed },
    );
    for (const s of sequences) stories.push(tokenizer.decode(s, { skipSpecialTokens: true }).trim());
  }
  const out = fileURLToPath(new URL('../src/__fixtures__/stories260k-samples.json', import.meta.url));
  const source = `stories260K (data/models/stories260K), prompt BOS, temperature 1, ${NEW_TOKENS} new tokens, batches of ${BATCH} with seeds 1..${COUNT / BATCH}`;
  writeFileSync(out, `${JSON.stringify({ source, stories }, null, 0)}\n`);
  console.log(`wrote ${stories.length} stories to ${out}`);
});
