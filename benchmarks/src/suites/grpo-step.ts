import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TensorBackend } from '@rlhf/core';
import { GRPOTrainer, type RewardFunction } from '@rlhf/grpo';
import { convertLlama2c, modelFromContent } from '@rlhf/models';
import type { BenchContext, BenchMeasurement, Benchmark } from './types.js';

const DATA_DIR = fileURLToPath(new URL('../../../data/', import.meta.url));

const PROMPTS = [
  'Once upon a time, there was a little girl named Lily.',
  'One day, a boy named Tom went to the park.',
  'Sue had a new toy.',
  'Ben and Mia were best friends.',
  'It was a sunny day.',
  'Anna liked to paint.',
  'The little bird was sad.',
  'Mom made a cake.',
];

/** A verifiable JavaScript reward: the completion uses the word "big". */
const containsBig: RewardFunction = (_prompts, completions) => completions.map((c) => (/\bbig\b/i.test(c) ? 1 : 0));

type Phase = 'generation' | 'training';

/**
 * Times whole `GRPOTrainer.huan_luyen` runs on stories260K (4 prompts × 8 completions of 32 tokens a step;
 * quick: 2 × 2 of 8) and reports one phase's throughput from `thong_ke()`: `generation` = generated
 * tokens per second of the batched, KV-cached sampling; `training` = prompt + completion tokens per
 * second of the optimizer steps (the policy's forward with the tape, the loss, backward, clipping, AdamW).
 * The median is over the measured runs.
 */
async function timeGrpo({ backend, quick, repeats }: BenchContext, phase: Phase): Promise<BenchMeasurement> {
  const [prompts, g, tokens, steps] = quick ? [2, 2, 8, 1] : [4, 8, 32, 2];
  const rates: number[] = [];
  let generated = 0;
  let trained = 0;
  const samplesMs: number[] = [];
  const runs = repeats ?? (quick ? 1 : 3);
  const warmup = quick ? 0 : 1;
  for (let i = 0; i < warmup + runs; i++) {
    const model = load(backend);
    try {
      const trainer = new GRPOTrainer({
        num_generations: g,
        max_completion_length: tokens,
        kich_thuoc_batch: prompts,
        max_steps: steps,
        toc_do_hoc: 1e-4,
        logging_steps: steps,
      });
      await trainer.huan_luyen(model, null, PROMPTS.slice(0, prompts * steps), [containsBig]);
      const stats = trainer.thong_ke();
      if (i < warmup) continue;
      samplesMs.push(1000 * (phase === 'generation' ? stats.generation_seconds : stats.training_seconds));
      rates.push(phase === 'generation' ? stats.generation_tokens_per_second : stats.training_tokens_per_second);
      generated = stats.generated_tokens;
      trained = stats.tokens_seen;
    } finally {
      model.dispose();
    }
  }
  const sorted = [...rates].sort((a, b) => a - b);
  const sortedMs = [...samplesMs].sort((a, b) => a - b);
  return {
    metric: 'tokens/s',
    value: sorted[Math.floor(sorted.length / 2)] as number,
    medianMs: sortedMs[Math.floor(sortedMs.length / 2)] as number,
    minMs: sortedMs[0] as number,
    samplesMs,
    warmup,
    params: {
      phase,
      promptsPerStep: prompts,
      numGenerations: g,
      completionTokens: tokens,
      steps,
      generatedTokensPerRun: generated,
      trainedTokensPerRun: trained,
    },
  };
}

function load(backend: TensorBackend) {
  const dir = `${DATA_DIR}models/stories260K/`;
  return modelFromContent(
    convertLlama2c(readFileSync(`${dir}stories260K.bin`), readFileSync(`${dir}tok512.bin`)),
    backend,
  );
}

/** GRPO's generation phase on stories260K: generated tokens/s of the batched, KV-cached rollouts. */
export const grpoGenerationBenchmark: Benchmark = {
  name: 'grpo-generation-stories260k',
  description: 'GRPOTrainer rollouts on stories260K, 4 prompts × 8 completions × 32 tokens a step, generated tokens/s',
  run: (context) => timeGrpo(context, 'generation'),
};

/** GRPO's training phase on stories260K: tokens/s of the optimizer steps on the sampled completions. */
export const grpoTrainingBenchmark: Benchmark = {
  name: 'grpo-training-stories260k',
  description:
    'GRPOTrainer optimizer steps on stories260K, 32 sampled sequences a step, (prompt + completion) tokens/s',
  run: (context) => timeGrpo(context, 'training'),
};
