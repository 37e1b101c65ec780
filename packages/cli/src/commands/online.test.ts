import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertStories260K, runCliCaptured } from '../test-support/cli-harness.js';

const root = mkdtempSync(join(tmpdir(), 'rlhf-online-'));
const base = join(root, 'base');
const prompts = join(root, 'prompts.jsonl');
const module = join(root, 'contains-the.mjs');
const prefs = join(root, 'prefs.json');
const fast = ['--num-generations', '2', '--max-completion-length', '4', '--logging-steps', '1', '--backend', 'js'];

beforeAll(async () => {
  writeFileSync(
    prompts,
    ['Tom had a ball.', 'Sue saw a cat.', 'Ben ran home.'].map((p) => JSON.stringify({ prompt: p })).join('\n'),
  );
  writeFileSync(
    module,
    'export default function containsThe(prompts, completions) { return completions.map((c) => (/the/i.test(c) ? 1 : 0)); }\n',
  );
  writeFileSync(
    prefs,
    JSON.stringify(
      ['Lily', 'Tom'].map((p) => ({ prompt: `${p} saw a dog.`, chosen: ` ${p} smiled.`, rejected: ` ${p} cried.` })),
    ),
  );
  await convertStories260K(base);
}, 60_000);

describe('rlhf grpo / rlhf rloo', () => {
  it('grpo with --reward-module: trains, prints the result, writes the model and history.jsonl', async () => {
    const out = join(root, 'grpo');
    const r = await runCliCaptured([
      'grpo',
      '--model',
      base,
      '--prompts',
      prompts,
      '--reward-module',
      module,
      '--out',
      out,
      ...fast,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
      global_step: number;
      history: { metrics: Record<string, number[]> };
    };
    expect(result.global_step).toBe(3);
    expect(result.history.metrics['rewards/containsThe/mean']).toHaveLength(3);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
    const lines = readFileSync(join(out, 'history.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
  }, 60_000);

  it('rloo with --reward-model (a folder written by rlhf reward) and --reward-module together, weighted', async () => {
    const rm = join(root, 'rm');
    const trained = await runCliCaptured([
      'reward',
      '--model',
      base,
      '--data',
      prefs,
      '--out',
      rm,
      '--max-steps',
      '1',
      '--backend',
      'js',
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    const out = join(root, 'rloo');
    const r = await runCliCaptured([
      'rloo',
      '--model',
      base,
      '--prompts',
      prompts,
      '--reward-model',
      rm,
      '--reward-module',
      module,
      '--reward-weights',
      '[0.5,2]',
      '--out',
      out,
      ...fast,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
      history: { metrics: Record<string, number[]> };
    };
    const m = result.history.metrics;
    m.reward?.forEach((v, i) => {
      expect(v).toBeCloseTo(
        0.5 * (m['rewards/reward_model/mean']?.[i] ?? 0) + 2 * (m['rewards/containsThe/mean']?.[i] ?? 0),
        4,
      );
    });
  }, 90_000);

  it("rlhf pipeline with rlhf_method 'grpo': the RL stage is GRPO rewarded by the trained reward model; policy/ is written", async () => {
    const sft = join(root, 'sft.jsonl');
    writeFileSync(
      sft,
      ['Lily', 'Tom', 'Sue', 'Ben']
        .map((n) => JSON.stringify({ prompt: `${n} went out.`, completion: ` ${n} was happy.` }))
        .join('\n'),
    );
    const file = join(root, 'pipeline.json');
    const small = { kich_thuoc_batch: 2, gradient_accumulation: 1, max_seq_length: 32, toc_do_hoc: 1e-3 };
    writeFileSync(
      file,
      JSON.stringify({
        model: base,
        sft_data: sft,
        preference_data: prefs,
        rlhf_method: 'grpo',
        sft_config: small,
        reward_config: small,
        grpo_config: { num_generations: 2, max_completion_length: 4, kich_thuoc_batch: 2, logging_steps: 1 },
        backend: 'js',
      }),
    );
    const out = join(root, 'pipeline-grpo');
    const r = await runCliCaptured(['pipeline', '--config', file, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
      ket_qua: { rlhf: unknown; online: { global_step: number; history: { metrics: Record<string, number[]> } } };
      thong_ke: { rlhf_done: boolean; dpo_trainer: { rlhf_method: string } };
    };
    expect(last.ket_qua.rlhf).toBeNull();
    expect(last.ket_qua.online.global_step).toBe(1);
    expect(last.ket_qua.online.history.metrics['rewards/reward_model/mean']).toHaveLength(1);
    expect(last.thong_ke).toMatchObject({ rlhf_done: true, dpo_trainer: { rlhf_method: 'grpo' } });
    expect(existsSync(join(out, 'policy', 'model.safetensors'))).toBe(true);
  }, 120_000);
});
