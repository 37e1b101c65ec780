import { expect, it } from 'vitest';
import type { TensorBackend } from '../backend/backend-spec.js';
import { tensor } from '../ops/creation.js';
import { mul } from '../ops/elementwise.js';
import { fusedKernelsEnabled, setFusedKernelsEnabled } from '../ops/fused.js';
import { sum } from '../ops/reduce.js';
import { Random } from '../random/random.js';
import { tidy } from '../tensor/engine.js';
import { sizeOf } from '../tensor/shape-utils.js';
import { expectClose, type SuiteContext } from './context.js';
import { evaluateFloat64, finiteDifferenceGradient, type TensorFunction } from './finite-difference.js';

/**
 * How a gradient-check input is drawn (all from the seeded {@link Random}):
 * - `'normal'`: N(0, 1);
 * - `'positive'`: uniform in [0.5, 2] (log, sqrt, rsqrt, pow bases, …);
 * - `'awayFromZero'`: ±uniform in [0.3, 1.5] (abs, relu, sign, divisors);
 * - `{ distinct: offset }`: a shuffled grid `offset + 0.25·k` (no ties, for max/min; two inputs with
 *   offsets 0 and 0.1 never come within 0.1 of each other);
 * - `{ low, high }`: uniform in [low, high);
 * - a list: exactly these values.
 */
export type InputInit =
  | 'normal'
  | 'positive'
  | 'awayFromZero'
  | { distinct: number }
  | { low: number; high: number }
  | readonly number[];

/** A differentiable (float32) input of a gradient check. */
export interface GradInput {
  shape: readonly number[];
  init?: InputInit;
}

/**
 * One gradient check: `f` maps the inputs to a float32 tensor; the suite compares ∂/∂inputs of
 * `Σ f(x) ⊙ w` (random w) from `backward` with float64 central differences on the reference.
 */
export interface GradCase {
  /** Shown as `grad: <name>` in the test output. */
  name: string;
  inputs: readonly GradInput[];
  /** Builds the output from the inputs; may create constants (e.g. int32 indices) on `xs[0].backend`. */
  f: TensorFunction;
  /** Run twice, with fused kernels on and off (`setFusedKernelsEnabled`). */
  fused?: boolean;
}

function seedOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return h;
}

function isList(init: InputInit): init is readonly number[] {
  return Array.isArray(init);
}

/** Draws the values of one input as float32 (the exact values both backends see). */
export function drawInput(rng: Random, input: GradInput): Float32Array {
  const n = sizeOf(input.shape);
  const init = input.init ?? 'normal';
  if (isList(init)) return Float32Array.from(init);
  if (init === 'normal') return rng.normals(n);
  if (init === 'positive') return rng.uniforms(n, 0.5, 2);
  if (init === 'awayFromZero')
    return Float32Array.from(rng.uniforms(n, 0.3, 1.5), (v) => (rng.uniform() < 0.5 ? -v : v));
  if ('distinct' in init) {
    const grid = rng.shuffle(Array.from({ length: n }, (_, k) => k - Math.floor(n / 2)));
    return Float32Array.from(grid, (k) => init.distinct + 0.25 * k);
  }
  return rng.uniforms(n, init.low, init.high);
}

/** Computes the analytic gradient on `backend` (float32) and reads it; leaves no buffer behind. */
async function analyticGradient(
  backend: TensorBackend,
  c: GradCase,
  values: Float32Array[],
  rng: Random,
): Promise<{ y: number[]; weight: Float32Array; grads: number[][] }> {
  const xs = c.inputs.map((input, i) => {
    const t = tensor(backend, values[i] as Float32Array, input.shape);
    t.requiresGrad = true;
    return t;
  });
  try {
    let weight: Float32Array = new Float32Array(0);
    const y = tidy(() => {
      const out = c.f(xs);
      expect(out.dtype, 'output dtype').toBe('float32');
      weight = rng.normals(out.size);
      sum(mul(out, tensor(backend, weight, out.shape))).backward();
      return out;
    });
    const yValues = Array.from(await y.data());
    y.dispose();
    const grads: number[][] = [];
    for (const x of xs) grads.push(x.grad ? Array.from(await x.grad.data()) : new Array<number>(x.size).fill(0));
    return { y: yValues, weight, grads };
  } finally {
    for (const x of xs) x.dispose();
  }
}

async function checkGradient(ctx: SuiteContext, c: GradCase): Promise<void> {
  const backend = ctx.backend();
  const ref = ctx.reference();
  const liveBefore = backend.memory().liveBuffers;
  const refLiveBefore = ref.memory().liveBuffers;
  const rng = new Random(seedOf(c.name));
  const values = c.inputs.map((input) => drawInput(rng, input));
  const { y, weight, grads } = await analyticGradient(backend, c, values, rng);

  const inputs = c.inputs.map((input, i) => ({ values: values[i] as Float32Array, shape: input.shape }));
  expectClose(y, evaluateFloat64(ref, c.f, inputs), ctx.tolerance.reference, 'forward value vs float64 reference');
  const fd = finiteDifferenceGradient(ref, c.f, inputs, weight, ctx.tolerance.fdStep);
  fd.forEach((g, i) => {
    // A check against an all-zero gradient could not fail: every case must make each input matter.
    expect(Math.max(...g.map(Math.abs)), `input ${i} has a non-zero gradient`).toBeGreaterThan(1e-6);
    expectClose(grads[i] as number[], g, ctx.tolerance.gradient, `∂/∂input${i} (backward vs central difference)`);
  });
  expect(backend.memory().liveBuffers, 'no buffer leaked on the backend under test').toBe(liveBefore);
  expect(ref.memory().liveBuffers, 'no buffer leaked on the reference').toBe(refLiveBefore);
}

/**
 * Registers one test per case, titled `grad: <name>` (and, for `fused` cases, once with
 * `[fused kernels on]` and once with `[fused kernels off]`).
 */
export function itGradients(ctx: SuiteContext, cases: readonly GradCase[]): void {
  for (const c of cases) {
    const modes: (boolean | null)[] = c.fused ? [true, false] : [null];
    for (const mode of modes) {
      const suffix = mode === null ? '' : mode ? ' [fused kernels on]' : ' [fused kernels off]';
      it(`grad: ${c.name}${suffix}`, async () => {
        const previous = fusedKernelsEnabled();
        if (mode !== null) setFusedKernelsEnabled(mode);
        try {
          await checkGradient(ctx, c);
          ctx.passedGradientChecks.push(`${c.name}${suffix}`);
        } finally {
          setFusedKernelsEnabled(previous);
        }
      });
    }
  }
}
