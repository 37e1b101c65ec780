import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOnnxRuntimeBackend } from '@rlhf/backend-onnxruntime';
import { type CausalLM, convertLlama2c, modelFromContent } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import { RLHFPipeline } from './rlhf-pipeline.js';

const data = fileURLToPath(new URL('../../../data/', import.meta.url));
const content = convertLlama2c(
  readFileSync(`${data}models/stories260K/stories260K.bin`),
  readFileSync(`${data}models/stories260K/tok512.bin`),
);
// onnxruntime: the fastest CPU backend here (~7 s for this test; backend-js takes minutes on a loaded machine).
const backend = createOnnxRuntimeBackend();
const load = (): CausalLM => modelFromContent(content, backend);
const jsonl = (file: string) =>
  readFileSync(`${data}demo/en/${file}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

// The demo bundle (data/demo/en), a smaller and faster configuration than the demo's own: 16 SFT records,
// the first 160 preference pairs (reward model and prompts), 8 GRPO steps; same figures on backend-js (to 1e-5).
const sft = jsonl('sft.jsonl').slice(0, 16);
const preferences = jsonl('preferences.jsonl').slice(0, 160);
const evalPrompts = (JSON.parse(readFileSync(`${data}demo/en/eval_prompts.json`, 'utf8')) as string[]).slice(0, 16);

describe("RLHFPipeline with rlhf_method 'grpo' (demo bundle)", () => {
  it('the RL stage follows the trained reward model: held-out mean reward rises over the SFT policy’s', async () => {
    const pipeline = new RLHFPipeline({
      rlhf_method: 'grpo',
      sft_config: { so_vong: 1, kich_thuoc_batch: 8, gradient_accumulation: 1, toc_do_hoc: 1e-3, max_seq_length: 96 },
      reward_config: { so_vong: 1, kich_thuoc_batch: 8, toc_do_hoc: 1e-3, max_seq_length: 64 },
      grpo_config: {
        num_generations: 4,
        max_completion_length: 16,
        kich_thuoc_batch: 4,
        toc_do_hoc: 1e-3,
        max_steps: 8,
        logging_steps: 1,
      },
      eval_prompts: evalPrompts,
      eval_generation: { max_new_tokens: 16, temperature: 1, top_k: 0, samples_per_prompt: 2 },
    });
    const started = performance.now();
    const results = await pipeline.chay_day_du(load(), load(), null, sft, preferences);
    const e = results.evaluation;
    console.log(
      JSON.stringify({
        before: e?.mean_score_before,
        after: e?.mean_score_after,
        win_rate: e?.win_rate,
        reward: results.online?.history.reward,
        seconds: (performance.now() - started) / 1000,
      }),
    );
    expect(results.rlhf).toBeNull();
    expect(results.online?.global_step).toBe(8);
    const stats = pipeline.thong_ke();
    expect(stats.rlhf_done).toBe(true);
    expect(stats.dpo_trainer.rlhf_method).toBe('grpo');
    expect(stats.dpo_trainer.reward_functions).toEqual(['reward_model']);
    // held-out prompts (never trained on), scored by the pipeline's reward model: 32 samples each side;
    // −1.39 → 0.69 (win rate 0.72) when written
    expect(e?.samples).toHaveLength(32);
    expect((e?.mean_score_after ?? 0) - (e?.mean_score_before ?? 0)).toBeGreaterThan(0.5);
    expect(e?.win_rate).toBeGreaterThan(0.6);
  }, 300_000);
});
