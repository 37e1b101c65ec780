import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertStories260K, expectCliError, runCliCaptured } from '../test-support/cli-harness.js';

const root = mkdtempSync(join(tmpdir(), 'rlhf-online-bad-'));
const base = join(root, 'base');
const prompts = join(root, 'prompts.jsonl');
const good = join(root, 'good.mjs');
const fast = ['--num-generations', '2', '--max-completion-length', '3', '--backend', 'js'];
let n = 0;
const outDir = () => join(root, `out-${n++}`);

beforeAll(async () => {
  writeFileSync(
    prompts,
    `${JSON.stringify({ prompt: 'Tom had a ball.' })}\n${JSON.stringify({ prompt: 'Sue ran.' })}\n`,
  );
  writeFileSync(good, 'export default (p, c) => c.map(() => 1);\n');
  await convertStories260K(base);
}, 60_000);

describe('bad input: rlhf grpo / rloo', () => {
  it('a config file naming a reward module is refused (code only from a path on the command line); nothing runs', async () => {
    const evil = join(root, 'evil.mjs');
    const marker = join(root, 'evil-ran');
    writeFileSync(
      evil,
      `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'x'); export default () => [];\n`,
    );
    const config = join(root, 'config.json');
    writeFileSync(config, JSON.stringify({ reward_module: evil, num_generations: 2 }));
    const out = outDir();
    const r = await runCliCaptured([
      'grpo',
      '--model',
      base,
      '--prompts',
      prompts,
      '--reward-module',
      good,
      '--config',
      config,
      '--out',
      out,
      ...fast,
    ]);
    expectCliError(r, { code: 'USAGE', mentions: ["'reward_module'", '--reward-module FILE.mjs'] });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(false);
  }, 30_000);

  it('no reward at all, a module without a default function, a reward that throws (named, with its step)', async () => {
    expectCliError(await runCliCaptured(['grpo', '--model', base, '--prompts', prompts, '--out', outDir(), ...fast]), {
      code: 'USAGE',
      mentions: ['--reward-model DIR and/or --reward-module FILE.mjs'],
    });
    const noDefault = join(root, 'no-default.mjs');
    writeFileSync(noDefault, 'export const reward = () => [];\n');
    expectCliError(
      await runCliCaptured([
        'rloo',
        '--model',
        base,
        '--prompts',
        prompts,
        '--reward-module',
        noDefault,
        '--out',
        outDir(),
        ...fast,
      ]),
      { code: 'REWARD_MODULE', mentions: [noDefault, 'default export'] },
    );
    const throws = join(root, 'throws.mjs');
    writeFileSync(throws, "export default function strict() { throw new Error('schema check failed'); }\n");
    const out = outDir();
    expectCliError(
      await runCliCaptured([
        'grpo',
        '--model',
        base,
        '--prompts',
        prompts,
        '--reward-module',
        throws,
        '--out',
        out,
        ...fast,
      ]),
      {
        code: 'REWARD_FUNCTION',
        mentions: ["'strict'", 'step 1', 'schema check failed'],
      },
    );
    expect(existsSync(join(out, 'model.safetensors'))).toBe(false);
  }, 30_000);

  it('a prompts file with an empty prompt names the file and line; an unknown option names the key', async () => {
    const bad = join(root, 'bad-prompts.jsonl');
    writeFileSync(bad, `${JSON.stringify({ prompt: 'ok' })}\n\n${JSON.stringify({ prompt: '' })}\n`);
    expectCliError(
      await runCliCaptured([
        'grpo',
        '--model',
        base,
        '--prompts',
        bad,
        '--reward-module',
        good,
        '--out',
        outDir(),
        ...fast,
      ]),
      {
        mentions: [bad, 'line 3'],
      },
    );
    expectCliError(
      await runCliCaptured([
        'grpo',
        '--model',
        base,
        '--prompts',
        prompts,
        '--reward-module',
        good,
        '--out',
        outDir(),
        ...fast,
        '--los-type',
        'dapo',
      ]),
      { code: 'CONFIG_INVALID', mentions: ['los_type', "did you mean 'loss_type'"] },
    );
  }, 30_000);

  it('export-trl refuses a pipeline file whose RL stage is online (it would write DPO): names the key and the value', async () => {
    const file = join(root, 'pipeline-grpo.json');
    writeFileSync(
      file,
      JSON.stringify({ model: base, sft_data: prompts, preference_data: prompts, rlhf_method: 'grpo' }),
    );
    const out = outDir();
    expectCliError(await runCliCaptured(['export-trl', '--config', file, '--out', out]), {
      code: 'USAGE',
      mentions: ["rlhf_method 'grpo'", 'not exported'],
    });
    expect(existsSync(out)).toBe(false);
  });
});
