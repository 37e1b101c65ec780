import {
  AdamW,
  clipGradNorm,
  crossEntropy,
  decayGroups,
  memoryInfo,
  Random,
  slice,
  type Tensor,
  type TensorBackend,
  tensor,
  tidy,
} from '@rlhf/core';
import type { CausalLM } from '@rlhf/models';
import { withPeakRss } from './peak-memory.js';
import { type BenchMeasurement, type Benchmark, type Schedule, stepsOf } from './suites/types.js';
import { measure, type Timing } from './timing.js';

/** What {@link measureTrainStep} measured. */
export interface TrainStepMeasurement {
  timing: Timing;
  peakRssMB: number;
  parameters: number;
  steps: number;
  firstLoss: number;
  lastLoss: number;
  /** Buffers left behind by the steps after the first (0 for a leak-free step). */
  leakedBuffers: number;
}

/**
 * Times the training step PyTorch is compared on — forward, cross-entropy on random targets, backward,
 * global-norm clipping to 1, AdamW (lr 3e-4, weight decay 0.01 on matrices), zero-grad — on random ids of
 * (batchSize, seqLen). Each step ends with a read of the loss (and, with `probeLastParameter`, of one
 * element of the last parameter), so lazy backends have really run it. Disposes the model.
 *
 * @example
 * ```ts
 * const m = await measureTrainStep(backend, new LlamaForCausalLM(backend, config, new Random(0)), { vocab: 512, batchSize: 8, seqLen: 128, warmup: 1, repeats: 3 });
 * ```
 */
export async function measureTrainStep(
  backend: TensorBackend,
  model: CausalLM,
  o: {
    vocab: number;
    batchSize: number;
    seqLen: number;
    warmup: number;
    repeats: number;
    probeLastParameter?: boolean;
  },
): Promise<TrainStepMeasurement> {
  const parameters = model.parameterCount();
  const opt = new AdamW(decayGroups(model, 0.01), { lr: 3e-4 });
  const rng = new Random(1);
  const randomIds = () => Int32Array.from({ length: o.batchSize * o.seqLen }, () => rng.int(o.vocab));
  const ids = tensor(backend, randomIds(), [o.batchSize, o.seqLen], 'int32');
  const targets = tensor(backend, randomIds(), [o.batchSize, o.seqLen], 'int32');
  const params = model.parameters();
  const last = o.probeLastParameter ? params[params.length - 1] : undefined;
  const losses: number[] = [];
  let buffersAfterFirstStep = 0;
  try {
    const { result: timing, peakRssMB } = await withPeakRss(() =>
      measure(
        async () => {
          const loss = tidy(() => {
            const l = crossEntropy(model.forward(ids).logits, targets); // (B, T, V), (B, T) → ()
            l.backward();
            return l;
          });
          clipGradNorm(params, 1).dispose();
          opt.step();
          opt.zeroGrad();
          losses.push(await loss.item()); // the read runs the whole step on lazy backends
          loss.dispose();
          if (last) await readOneElement(last);
          if (losses.length === 1) buffersAfterFirstStep = memoryInfo(backend).liveBuffers; // with AdamW's moments
        },
        o.warmup,
        o.repeats,
      ),
    );
    return {
      timing,
      peakRssMB,
      parameters,
      steps: losses.length,
      firstLoss: losses[0] ?? Number.NaN,
      lastLoss: losses[losses.length - 1] ?? Number.NaN,
      leakedBuffers: memoryInfo(backend).liveBuffers - buffersAfterFirstStep,
    };
  } finally {
    ids.dispose();
    targets.dispose();
    opt.dispose();
    model.dispose();
  }
}

async function readOneElement(t: Tensor): Promise<void> {
  const probe = tidy(() =>
    slice(
      t,
      t.shape.map(() => 0),
      t.shape.map(() => 1),
    ),
  );
  await probe.data();
  probe.dispose();
}

/**
 * {@link measureTrainStep} as a benchmark figure: tokens/s from the median step, with the model's `shape`
 * (layers, hidden size, ...) and the step's measurements as details.
 *
 * @example
 * ```ts
 * return trainStepFigure(await measureTrainStep(backend, model, o), { layers: 4, vocab: 512 }, 8, 128);
 * ```
 */
export function trainStepFigure(
  m: TrainStepMeasurement,
  shape: Record<string, number>,
  batchSize: number,
  seqLen: number,
): BenchMeasurement {
  return {
    metric: 'tokens/s',
    value: (batchSize * seqLen) / (m.timing.medianMs / 1000),
    ...m.timing,
    params: {
      parameters: m.parameters,
      ...shape,
      batchSize,
      seqLen,
      steps: m.steps,
      firstLoss: m.firstLoss,
      lastLoss: m.lastLoss,
      leakedBuffers: m.leakedBuffers,
      peakRssMB: Math.round(m.peakRssMB),
    },
  };
}

/** What a training-step benchmark builds for one run. */
export interface TrainStepSetup {
  model: CausalLM;
  vocab: number;
  batchSize: number;
  seqLen: number;
  /** The model's shape (layers, hidden size, ...), reported with the figure. */
  shape: Record<string, number>;
}

/**
 * A benchmark timing {@link measureTrainStep} on the model `setup` builds (full size, or tiny with
 * `--quick`), on `schedule` — which its PyTorch twin shares — reported by {@link trainStepFigure}.
 *
 * @example
 * ```ts
 * export const bench = trainStepBenchmark({ name: 'llama-train-step', description: '...', pytorchModel: 'llama',
 *   schedule: { warmup: 3, repeats: 10 }, setup: (backend, quick) => ({ model, vocab: 512, batchSize: 8, seqLen: 128, shape: {} }) });
 * ```
 */
export function trainStepBenchmark(
  spec: Omit<Benchmark, 'run' | 'schedule'> & {
    schedule: Schedule;
    /** Also read one element of the last parameter after each step (see {@link measureTrainStep}). */
    probeLastParameter?: boolean;
    setup(backend: TensorBackend, quick: boolean): TrainStepSetup;
  },
): Benchmark {
  const { setup, probeLastParameter, ...benchmark } = spec;
  return {
    ...benchmark,
    async run({ backend, quick, repeats, log }) {
      const { model, vocab, batchSize, seqLen, shape } = setup(backend, quick);
      log(`${spec.name}: ${model.parameterCount().toLocaleString('en-US')} parameters, batch ${batchSize}×${seqLen}`);
      const steps = stepsOf(spec.schedule, quick, repeats);
      const m = await measureTrainStep(backend, model, {
        vocab,
        batchSize,
        seqLen,
        ...steps,
        ...(probeLastParameter ? { probeLastParameter } : {}),
      });
      return trainStepFigure(m, shape, batchSize, seqLen);
    },
  };
}
