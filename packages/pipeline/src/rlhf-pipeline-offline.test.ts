import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOnnxRuntimeBackend } from '@rlhf/backend-onnxruntime';
import { type CausalLM, convertLlama2c, modelFromContent } from '@rlhf/models';
import { describe, expect, it } from 'vitest';
import type { RLHFPipelineConfig } from './pipeline-config.js';
import { RLHFPipeline } from './rlhf-pipeline.js';

const data = fileURLToPath(new URL('../../../data/', import.meta.url));
const content = convertLlama2c(
  readFileSync(`${data}models/stories260K/stories260K.bin`),
  readFileSync(`${data}models/stories260K/tok512.bin`),
);
// onnxruntime: the fastest CPU backend here.
const backend = createOnnxRuntimeBackend();
const load = (): CausalLM => modelFromContent(content, backend);
const jsonl = (file: string) =>
  readFileSync(`${data}demo/en/${file}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

// The demo bundle (data/demo/en: a happy ending preferred to a sad one), smaller than the demo's own run:
// 16 SFT records, the first 160 preference pairs, one epoch of the RL stage; 16 held-out prompts × 2 samples
// scored by the pipeline's own reward model before (SFT policy) and after (RL stage).
const sft = jsonl('sft.jsonl').slice(0, 16);
const preferences = jsonl('preferences.jsonl').slice(0, 160);
const evalPrompts = (JSON.parse(readFileSync(`${data}demo/en/eval_prompts.json`, 'utf8')) as string[]).slice(0, 16);
const common = { so_vong: 1, kich_thuoc_batch: 8, gradient_accumulation: 1, max_seq_length: 96, logging_steps: 4 };

const METHODS: [RLHFPipelineConfig['rlhf_method'], RLHFPipelineConfig, string][] = [
  ['kto', { kto_config: { ...common, toc_do_hoc: 1e-3, beta: 0.1 } }, 'KTOTrainer'],
  ['orpo', { orpo_config: { ...common, toc_do_hoc: 1e-3, beta: 0.1 } }, 'ORPOTrainer'],
  ['simpo', { simpo_config: { ...common, toc_do_hoc: 1e-3, beta: 2 } }, 'CPOTrainer'],
];

describe('RLHFPipeline with an offline rlhf_method other than DPO (demo bundle)', () => {
  it.each(METHODS)(
    '%s: the RL stage trains on the pairs and the held-out reward rises',
    async (method, extra) => {
      const pipeline = new RLHFPipeline({
        rlhf_method: method,
        sft_config: { ...common, toc_do_hoc: 1e-3 },
        reward_config: { so_vong: 1, kich_thuoc_batch: 8, toc_do_hoc: 1e-3, max_seq_length: 64 },
        ...extra,
        eval_prompts: evalPrompts,
        eval_generation: { max_new_tokens: 16, temperature: 1, top_k: 0, samples_per_prompt: 2 },
      });
      const results = await pipeline.chay_day_du(load(), load(), null, sft, preferences);
      const e = results.evaluation;
      console.log(
        JSON.stringify({ method, before: e?.mean_score_before, after: e?.mean_score_after, win: e?.win_rate }),
      );
      expect(results.rlhf).toBeNull();
      expect(results.online ?? null).toBeNull();
      expect(results.offline?.global_step).toBeGreaterThan(0);
      expect(Number.isFinite(results.offline?.train_loss_min)).toBe(true);
      const stats = pipeline.thong_ke();
      expect(stats.rlhf_done).toBe(true);
      expect(stats.dpo_trainer.rlhf_method).toBe(method);
      if (method === 'simpo') expect(stats.dpo_trainer.loss_type).toBe('simpo');
      expect(e?.samples).toHaveLength(32);
      expect((e?.mean_score_after ?? 0) - (e?.mean_score_before ?? 0)).toBeGreaterThan(0.3);
    },
    300_000,
  );

  it('refuses an unknown method, naming the key and the methods', () => {
    expect(() => new RLHFPipeline({ rlhf_method: 'ppo' as never })).toThrow(/rlhf_method.*(dpo|kto)/s);
  });
});
