import { dpoLlamaBenchmark, dpoStoriesBenchmark } from './dpo-train.js';
import { generationBenchmark } from './generation.js';
import { gpt2TrainStepBenchmark } from './gpt2-train-step.js';
import { grpoGenerationBenchmark, grpoTrainingBenchmark } from './grpo-step.js';
import { llamaTfjsTwinBenchmark } from './llama-tfjs-twin.js';
import { llamaTrainStepBenchmark } from './llama-train-step.js';
import { matmul4096Benchmark, matmulBenchmark } from './matmul.js';
import { rewardScoringBenchmark, rewardTrainStepBenchmark } from './reward.js';
import { sftLlamaBenchmark, sftStoriesBenchmark } from './sft-train.js';
import type { Benchmark } from './types.js';

export type { BenchContext, BenchMeasurement, Benchmark } from './types.js';

/** Every registered benchmark, in the order they run. */
export const BENCHMARKS: readonly Benchmark[] = [
  matmulBenchmark,
  matmul4096Benchmark,
  llamaTrainStepBenchmark,
  llamaTfjsTwinBenchmark,
  generationBenchmark,
  gpt2TrainStepBenchmark,
  sftStoriesBenchmark,
  sftLlamaBenchmark,
  rewardTrainStepBenchmark,
  rewardScoringBenchmark,
  dpoStoriesBenchmark,
  dpoLlamaBenchmark,
  grpoGenerationBenchmark,
  grpoTrainingBenchmark,
];
