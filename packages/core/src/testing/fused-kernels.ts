import { describe, expect, it } from 'vitest';
import type { FusedKernelName, TensorBackend } from '../backend/backend-spec.js';
import { applyRotary, rotaryTables } from '../nn/rotary.js';
import { gelu, silu } from '../ops/activations.js';
import { tensor } from '../ops/creation.js';
import { fusedKernelsEnabled, setFusedKernelsEnabled } from '../ops/fused.js';
import { layerNorm, rmsNorm } from '../ops/normalization.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { AdamW } from '../optim/adamw.js';
import { Random } from '../random/random.js';
import { keep } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { evaluate, expectClose, type SuiteContext } from './context.js';

/** Runs `fn` with fused kernels on or off, restoring the previous setting. */
async function withFused<T>(enabled: boolean, fn: () => Promise<T>): Promise<T> {
  const previous = fusedKernelsEnabled();
  setFusedKernelsEnabled(enabled);
  try {
    return await fn();
  } finally {
    setFusedKernelsEnabled(previous);
  }
}

// Rows of (4, 6) logits: random, huge magnitudes, a masked (−∞) entry, all equal.
function logits(rng: Random): number[] {
  const random = Array.from(rng.normals(6, 0, 3));
  return [...random, 1000, 0, -1000, 999, 3, -2, 1, -Infinity, 2, 0.5, -Infinity, 3, 2, 2, 2, 2, 2, 2];
}

interface FusedCase {
  name: FusedKernelName;
  /** Test title when a kernel has several cases. */
  label?: string;
  build: (b: TensorBackend, rng: Random) => Tensor;
}

const CASES: FusedCase[] = [
  { name: 'softmax', build: (b, rng) => softmax(tensor(b, logits(rng), [4, 6])) },
  { name: 'logSoftmax', build: (b, rng) => logSoftmax(tensor(b, logits(rng), [4, 6])) },
  {
    name: 'rmsNorm',
    build: (b, rng) => rmsNorm(tensor(b, rng.normals(24, 0, 2), [2, 3, 4]), tensor(b, rng.uniforms(4, 0.5, 1.5)), 1e-6),
  },
  {
    name: 'layerNorm',
    build: (b, rng) =>
      layerNorm(
        tensor(b, rng.normals(24, 1, 2), [2, 3, 4]),
        tensor(b, rng.uniforms(4, 0.5, 1.5)),
        tensor(b, rng.normals(4)),
        1e-5,
      ),
  },
  {
    name: 'silu',
    build: (b, rng) => silu(tensor(b, [...rng.normals(20, 0, 3), 0, -40, 40, 1e-4], [4, 6])),
  },
  {
    name: 'gelu',
    build: (b, rng) => gelu(tensor(b, [...rng.normals(20, 0, 3), 0, -30, 30, 1e-4], [4, 6])),
  },
  {
    name: 'rotary',
    label: 'rotary (per-sequence positions, as in a left-padded batch)',
    build: (b, rng) =>
      applyRotary(
        tensor(b, rng.normals(2 * 3 * 4 * 8), [2, 3, 4, 8]),
        rotaryTables(b, [5, 6, 7, 8, 0, 0, 1, 2], 2, 4, 8, 10000),
      ),
  },
  {
    name: 'rotary',
    label: 'rotary (one table for the whole batch)',
    build: (b, rng) =>
      applyRotary(tensor(b, rng.normals(2 * 3 * 4 * 8), [2, 3, 4, 8]), rotaryTables(b, [9, 10, 11, 12], 1, 4, 8, 500)),
  },
];

/** Runs three AdamW steps on two parameters with fixed gradients; returns parameters and moments. */
async function adamwTrajectory(b: TensorBackend): Promise<number[][]> {
  const rng = new Random(7);
  const params = [keep(tensor(b, rng.normals(12), [3, 4])), keep(tensor(b, rng.normals(5), [5]))];
  const decayed = params[0] as Tensor;
  const plain = params[1] as Tensor;
  const opt = new AdamW([{ params: [decayed] }, { params: [plain], weightDecay: 0 }], { lr: 0.05, weightDecay: 0.1 });
  for (let step = 0; step < 3; step++) {
    for (const p of params) p.grad = keep(tensor(b, rng.normals(p.size, 0, step + 1), p.shape));
    opt.step(0.05 / (step + 1));
    opt.zeroGrad();
  }
  const out: number[][] = [];
  for (const p of params) out.push(Array.from(await p.data()));
  const state = await opt.getState();
  for (const { m, v } of state.moments) out.push(Array.from(m), Array.from(v));
  for (const p of params) p.dispose();
  opt.dispose();
  return out;
}

/** Fused kernels agree with core's composition of primitives (on vs off). */
export function describeFusedKernels(ctx: SuiteContext): void {
  describe('fused kernels agree with the composition of primitives', () => {
    for (const c of CASES) {
      it(`fused: ${c.label ?? c.name} (on vs off)`, async () => {
        const b = ctx.backend();
        const on = await withFused(true, () => evaluate(() => c.build(b, new Random(3))));
        const off = await withFused(false, () => evaluate(() => c.build(b, new Random(3))));
        expect(on.shape).toEqual(off.shape);
        expect(on.values.some(Number.isNaN), 'no NaN').toBe(false);
        expectClose(on.values, off.values, ctx.tolerance.reference, `${c.label ?? c.name}: fused vs composed`);
      });
    }

    it('fused: adamw (3 optimizer steps, parameter groups, on vs off)', async () => {
      const b = ctx.backend();
      const live = b.memory().liveBuffers;
      const on = await withFused(true, () => adamwTrajectory(b));
      const off = await withFused(false, () => adamwTrajectory(b));
      on.forEach((values, i) => {
        expectClose(values, off[i] as number[], ctx.tolerance.reference, `adamw state ${i}`);
      });
      expect(b.memory().liveBuffers, 'optimizer leaves no buffer behind').toBe(live);
    });
  });
}
