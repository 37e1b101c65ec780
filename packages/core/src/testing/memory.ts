import { describe, expect, it } from 'vitest';
import type { TensorBackend } from '../backend/backend-spec.js';
import { BackendMismatchError, DisposedTensorError } from '../errors/tensor-errors.js';
import { gelu } from '../ops/activations.js';
import { tensor } from '../ops/creation.js';
import { add, exp, mul, where } from '../ops/elementwise.js';
import { gather } from '../ops/indexing.js';
import { crossEntropy } from '../ops/losses.js';
import { matmul } from '../ops/matmul.js';
import { concat } from '../ops/movement.js';
import { layerNorm } from '../ops/normalization.js';
import { sum } from '../ops/reduce.js';
import { AdamW } from '../optim/adamw.js';
import { Random } from '../random/random.js';
import { keep, tidy } from '../tensor/engine.js';
import { memoryInfo } from '../tensor/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SuiteContext } from './context.js';

/** A two-layer classifier with LayerNorm, trained with AdamW: a miniature training step. */
function makeModel(b: TensorBackend): { tensors: Tensor[]; opt: AdamW; step: () => Tensor } {
  const rng = new Random(5);
  const param = (shape: number[], std: number): Tensor => {
    const t = keep(
      tensor(
        b,
        rng.normals(
          shape.reduce((p, d) => p * d, 1),
          0,
          std,
        ),
        shape,
      ),
    );
    t.requiresGrad = true;
    return t;
  };
  const w1 = param([6, 8], 0.4);
  const w2 = param([8, 4], 0.4);
  const gamma = param([8], 0.1);
  const beta = param([8], 0.1);
  const params = [w1, w2, gamma, beta];
  const opt = new AdamW(params, { lr: 0.01 });
  const x = keep(tensor(b, rng.normals(5 * 6), [5, 6]));
  const targets = keep(tensor(b, [0, 3, -100, 1, 2], [5], 'int32'));
  const step = (): Tensor =>
    tidy(() => {
      const h = gelu(layerNorm(matmul(x, w1), add(gamma, 1), beta, 1e-5));
      const loss = crossEntropy(matmul(h, w2), targets);
      loss.backward();
      opt.step();
      opt.zeroGrad();
      return loss;
    });
  return { tensors: [...params, x, targets], opt, step };
}

/** Memory flat over repeated steps, `tidy` semantics, and errors for disposed or mixed-backend tensors. */
export function describeMemoryAndErrors(ctx: SuiteContext): void {
  describe('memory', () => {
    it('memory: 20 training steps (forward, backward, AdamW) keep live buffers flat', async () => {
      const b = ctx.backend();
      const start = memoryInfo(b);
      const model = makeModel(b);
      const losses: number[] = [];
      let afterFirst = { liveBuffers: -1, liveBytes: -1, liveTensors: -1 };
      for (let i = 0; i < 20; i++) {
        const loss = model.step();
        losses.push(await loss.item());
        loss.dispose();
        if (i === 0) afterFirst = memoryInfo(b);
      }
      const afterLast = memoryInfo(b);
      expect(afterLast).toEqual(afterFirst);
      expect(losses[19], 'the step really trains').toBeLessThan(losses[0] as number);
      for (const t of model.tensors) t.dispose();
      model.opt.dispose();
      expect(memoryInfo(b)).toEqual(start);
    });

    it('memory: tidy disposes intermediates and keeps the returned tensors', async () => {
      const b = ctx.backend();
      const before = b.memory().liveBuffers;
      const inner: Tensor[] = [];
      const [kept, pair] = tidy(() => {
        const x = tensor(b, [1, 2, 3]);
        const y = exp(x);
        inner.push(x, y);
        const nested = tidy(() => {
          const t = mul(y, 2);
          inner.push(t);
          return { out: add(t, 1) };
        });
        return [add(nested.out, y), [nested.out]] as const;
      });
      expect(
        inner.every((t) => t.isDisposed),
        'intermediates are disposed',
      ).toBe(true);
      expect(kept.isDisposed).toBe(false);
      expect((pair[0] as Tensor).isDisposed, 'tensors nested in returned arrays/objects survive').toBe(false);
      expect(b.memory().liveBuffers).toBe(before + 2);
      expect(Array.from(await kept.data())[0]).toBeCloseTo(3 * Math.E + 1, 4);
      kept.dispose();
      (pair[0] as Tensor).dispose();
      expect(b.memory().liveBuffers).toBe(before);
    });

    it('memory: tidy disposes everything when its function throws', () => {
      const b = ctx.backend();
      const before = b.memory().liveBuffers;
      expect(() =>
        tidy(() => {
          exp(tensor(b, [1, 2]));
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(b.memory().liveBuffers).toBe(before);
    });
  });

  describe('errors', () => {
    it('error: using a disposed tensor throws DisposedTensorError', () => {
      const b = ctx.backend();
      const x = tensor(b, [1, 2, 3]);
      x.dispose();
      expect(x.isDisposed).toBe(true);
      const live = b.memory().liveBuffers;
      tidy(() => {
        expect(() => exp(x)).toThrow(DisposedTensorError);
        expect(() => add(x, 1)).toThrow(DisposedTensorError);
        expect(() => sum(x)).toThrow(DisposedTensorError);
        expect(() => x.data()).toThrow(DisposedTensorError);
      });
      expect(b.memory().liveBuffers).toBe(live);
      x.dispose(); // idempotent
    });

    it('error: mixing two backend instances throws BackendMismatchError', () => {
      const b = ctx.backend();
      const other = ctx.otherBackend();
      expect(other).not.toBe(b);
      tidy(() => {
        const x = tensor(b, [1, 2, 3, 4], [2, 2]);
        const y = tensor(other, [1, 2, 3, 4], [2, 2]);
        const idx = tensor(other, [0], [1], 'int32');
        expect(() => add(x, y)).toThrow(BackendMismatchError);
        expect(() => matmul(x, y)).toThrow(BackendMismatchError);
        expect(() => concat([x, y], 0)).toThrow(BackendMismatchError);
        expect(() => where(tensor(other, [1, 0, 1, 0], [2, 2], 'int32'), x, x)).toThrow(BackendMismatchError);
        expect(() => gather(x, idx, 0)).toThrow(BackendMismatchError);
      });
    });
  });
}
