import { createJsBackend } from '@rlhf/backend-js';
import { describe, expect, it } from 'vitest';
import { mul, sum, tensor, tidy } from '../index.js';
import { clipGradNorm } from './clip-grad-norm.js';

describe('clipGradNorm', () => {
  it('scales every gradient by maxNorm/(norm + 1e-6) when the global norm exceeds maxNorm', async () => {
    const backend = createJsBackend();
    const a = tensor(backend, [3]);
    const b = tensor(backend, [4]);
    a.requiresGrad = true;
    b.requiresGrad = true;
    tidy(() => sum(mul(a, 3)).backward()); // ∂/∂a = 3
    tidy(() => sum(mul(b, 4)).backward()); // ∂/∂b = 4
    const norm = clipGradNorm([a, b], 1);
    expect(await norm.item()).toBeCloseTo(5, 6);
    const coef = 1 / (5 + 1e-6);
    expect((await (a.grad as NonNullable<typeof a.grad>).data())[0]).toBeCloseTo(3 * coef, 6);
    expect((await (b.grad as NonNullable<typeof b.grad>).data())[0]).toBeCloseTo(4 * coef, 6);
  });

  it('leaves gradients alone below the threshold', async () => {
    const backend = createJsBackend();
    const a = tensor(backend, [1, 2]);
    a.requiresGrad = true;
    tidy(() => sum(mul(a, 0.1)).backward());
    const norm = clipGradNorm([a], 10);
    expect(await norm.item()).toBeCloseTo(Math.sqrt(0.02), 6);
    expect(Array.from(await (a.grad as NonNullable<typeof a.grad>).data())).toEqual([
      0.10000000149011612, 0.10000000149011612,
    ]);
  });
});
